//! Contests on one installation: the public home and a contest's pages, and the organizer's
//! functions to create, duplicate, archive, trial, brand and announce a contest, and to
//! remove rounds, topics and units.

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::contests::{ContestInfo, ContestList, Home, ProfileForm};

pub const CONTESTS_PATH: &str = "/quan-tri/cuoc-thi";
/// The organizer's list of contests.
pub const LIST_PATH: &str = "/quan-tri/cac-cuoc-thi";

/// A checkbox's value: present and not "0"/"false".
#[cfg(feature = "ssr")]
fn ticked(v: &Option<String>) -> bool {
    v.as_deref()
        .is_some_and(|v| !v.is_empty() && v != "0" && v != "false")
}

#[server(endpoint = "contests/home")]
pub async fn get_home() -> Result<Home, AppError> {
    use super::ctx;
    let result = async { crate::server::service::contests::home(&ctx::state()?).await }.await;
    ctx::finish(result, || "/".into())
}

/// A contest's branding, help page and news. Public.
#[server(endpoint = "contests/info")]
pub async fn get_contest_info(#[server(default)] contest: String) -> Result<ContestInfo, AppError> {
    use super::ctx;
    let contest = ctx::contest(contest);
    let result =
        async { crate::server::service::contests::info(&ctx::state()?, &contest).await }.await;
    ctx::finish(result, || "/".into())
}

#[server(endpoint = "admin/contests/list")]
pub async fn admin_contests() -> Result<ContestList, AppError> {
    use super::ctx;
    let result = async {
        let user = ctx::require_user().await?;
        crate::server::service::contests::admin_list(&ctx::state()?, &user).await
    }
    .await;
    ctx::finish(result, || LIST_PATH.into())
}

/// Creates a contest with default settings; `slug` may be empty (made from the name).
/// Returns the slug.
#[server(endpoint = "admin/contests/create")]
pub async fn create_contest(
    name: String,
    #[server(default)] slug: String,
    #[server(default)] is_trial: Option<String>,
) -> Result<String, AppError> {
    use super::ctx;
    let result = async {
        let user = ctx::require_user().await?;
        let slug = crate::server::service::contests::create(
            &ctx::state()?,
            &user,
            &name,
            &slug,
            ticked(&is_trial),
        )
        .await?;
        ctx::contest(slug.clone());
        ctx::redirect_form(&format!("{CONTESTS_PATH}?luu=1"));
        Ok(slug)
    }
    .await;
    ctx::finish(result, || LIST_PATH.into())
}

/// A copy of `contest` under a new name and slug, its rounds moved by `shift_days`.
#[server(endpoint = "admin/contests/duplicate")]
pub async fn duplicate_contest(
    contest: String,
    name: String,
    #[server(default)] slug: String,
    #[server(default)] shift_days: String,
    #[server(default)] copy_bank: Option<String>,
) -> Result<String, AppError> {
    use super::ctx;
    let result = async {
        let user = ctx::require_user().await?;
        let slug = crate::server::service::contests::duplicate(
            &ctx::state()?,
            &user,
            &contest,
            &name,
            &slug,
            &shift_days,
            ticked(&copy_bank),
        )
        .await?;
        ctx::contest(slug.clone());
        ctx::redirect_form(&format!("{CONTESTS_PATH}?luu=1"));
        Ok(slug)
    }
    .await;
    ctx::finish(result, || LIST_PATH.into())
}

/// `state`: "archive", "restore" (from the archive), "trial" or "launch" (no longer a trial).
#[server(endpoint = "admin/contests/state")]
pub async fn set_contest_state(contest: String, state: String) -> Result<(), AppError> {
    use super::ctx;
    let contest = ctx::contest(contest);
    let result = async {
        let user = ctx::require_user().await?;
        let app = ctx::state()?;
        use crate::server::service::contests as svc;
        match state.as_str() {
            "archive" => svc::set_archived(&app, &user, &contest, true).await?,
            "restore" => svc::set_archived(&app, &user, &contest, false).await?,
            "trial" => svc::set_trial(&app, &user, &contest, true).await?,
            "launch" => svc::set_trial(&app, &user, &contest, false).await?,
            _ => return Err(AppError::BadRequest("Thao tác không hợp lệ.".into())),
        }
        ctx::redirect_form(&format!("{CONTESTS_PATH}?luu=1"));
        Ok(())
    }
    .await;
    ctx::finish(result, || CONTESTS_PATH.into())
}

/// Deletes every attempt of a trial run; `confirm` must repeat the contest's slug.
#[server(endpoint = "admin/contests/wipe")]
pub async fn wipe_trial(
    contest: String,
    #[server(default)] confirm: String,
) -> Result<u64, AppError> {
    use super::ctx;
    let contest = ctx::contest(contest);
    let result = async {
        let user = ctx::require_user().await?;
        if confirm.trim() != contest {
            return Err(AppError::Invalid(vec![crate::domain::FieldError::new(
                "confirm",
                "Gõ lại đúng địa chỉ của cuộc thi để xác nhận xóa dữ liệu thi thử.",
            )]));
        }
        let n =
            crate::server::service::contests::wipe_trial(&ctx::state()?, &user, &contest).await?;
        ctx::redirect_form(&format!("{CONTESTS_PATH}?xoa={n}"));
        Ok(n)
    }
    .await;
    ctx::finish(result, || CONTESTS_PATH.into())
}

#[server(endpoint = "admin/contests/profile")]
pub async fn save_profile(
    input: ProfileForm,
    #[server(default)] contest: String,
) -> Result<(), AppError> {
    use super::ctx;
    let contest = ctx::contest(contest);
    let result = async {
        let user = ctx::require_user().await?;
        crate::server::service::contests::save_profile(&ctx::state()?, &user, &contest, &input)
            .await?;
        ctx::redirect_form(&format!("{CONTESTS_PATH}?luu=1"));
        Ok(())
    }
    .await;
    ctx::finish(result, || CONTESTS_PATH.into())
}

#[server(endpoint = "admin/news/post")]
pub async fn post_news(
    title: String,
    body: String,
    #[server(default)] contest: String,
) -> Result<i64, AppError> {
    use super::ctx;
    let contest = ctx::contest(contest);
    let result = async {
        let user = ctx::require_user().await?;
        let id = crate::server::service::contests::post_news(
            &ctx::state()?,
            &user,
            &contest,
            &title,
            &body,
        )
        .await?;
        ctx::redirect_form(&format!("{CONTESTS_PATH}?luu=1"));
        Ok(id)
    }
    .await;
    ctx::finish(result, || CONTESTS_PATH.into())
}

#[server(endpoint = "admin/news/delete")]
pub async fn delete_news(id: i64, #[server(default)] contest: String) -> Result<(), AppError> {
    use super::ctx;
    let contest = ctx::contest(contest);
    let result = async {
        let user = ctx::require_user().await?;
        crate::server::service::contests::delete_news(&ctx::state()?, &user, &contest, id).await?;
        ctx::redirect_form(&format!("{CONTESTS_PATH}?luu=1"));
        Ok(())
    }
    .await;
    ctx::finish(result, || CONTESTS_PATH.into())
}

/// `action`: delete (while no attempt refers to it), retire or restore.
#[server(endpoint = "admin/round/remove")]
pub async fn remove_round(
    round_id: i64,
    action: String,
    #[server(default)] contest: String,
) -> Result<(), AppError> {
    use super::ctx;
    let contest = ctx::contest(contest);
    let result = async {
        let user = ctx::require_user().await?;
        let what = crate::server::service::schedule::Removal::parse(&action)?;
        crate::server::service::schedule::round(&ctx::state()?, &user, &contest, round_id, what)
            .await?;
        ctx::redirect_form(&format!("{CONTESTS_PATH}?luu=1"));
        Ok(())
    }
    .await;
    ctx::finish(result, || CONTESTS_PATH.into())
}

#[server(endpoint = "admin/topics/add")]
pub async fn add_topic(name: String, #[server(default)] contest: String) -> Result<(), AppError> {
    use super::ctx;
    let contest = ctx::contest(contest);
    let result = async {
        let user = ctx::require_user().await?;
        crate::server::service::schedule::add_topic(&ctx::state()?, &user, &contest, &name).await?;
        ctx::redirect_form(&format!("{CONTESTS_PATH}?luu=1"));
        Ok(())
    }
    .await;
    ctx::finish(result, || CONTESTS_PATH.into())
}

/// `action`: rename (to `name`), retire, restore or delete (while no question uses it).
#[server(endpoint = "admin/topics/change")]
pub async fn change_topic(
    topic_id: i64,
    action: String,
    #[server(default)] name: String,
    #[server(default)] contest: String,
) -> Result<(), AppError> {
    use super::ctx;
    let contest = ctx::contest(contest);
    let result = async {
        let user = ctx::require_user().await?;
        crate::server::service::schedule::change_topic(
            &ctx::state()?,
            &user,
            &contest,
            topic_id,
            &action,
            &name,
        )
        .await?;
        ctx::redirect_form(&format!("{CONTESTS_PATH}?luu=1"));
        Ok(())
    }
    .await;
    ctx::finish(result, || CONTESTS_PATH.into())
}

/// `action`: delete (while nobody and nothing refers to it), retire or restore.
#[server(endpoint = "admin/unit/remove")]
pub async fn remove_unit(unit_id: i64, action: String) -> Result<(), AppError> {
    use super::ctx;
    let back = crate::api::units::UNITS_PATH;
    let result = async {
        let user = ctx::require_user().await?;
        let what = crate::server::service::schedule::Removal::parse(&action)?;
        crate::server::service::schedule::unit(&ctx::state()?, &user, unit_id, what).await?;
        ctx::redirect_form(&format!("{back}?luu=1"));
        Ok(())
    }
    .await;
    ctx::finish(result, || back.into())
}
