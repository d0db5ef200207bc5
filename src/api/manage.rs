//! Contest settings and rounds, for administrators.

use leptos::prelude::*;

use crate::domain::settings::ContestForm;
use crate::error::AppError;
use crate::model::ContestAdmin;

pub const CONTEST_PATH: &str = "/quan-tri/cuoc-thi";

#[server(endpoint = "admin/contest/get")]
pub async fn get_contest_admin(
    #[server(default)] contest: String,
) -> Result<ContestAdmin, AppError> {
    use super::ctx;
    let contest = ctx::contest(contest);
    let result = async {
        let user = ctx::require_user().await?;
        crate::server::service::manage::view(&ctx::state()?, &user, &contest).await
    }
    .await;
    ctx::finish(result, || CONTEST_PATH.into())
}

#[server(endpoint = "admin/contest/update")]
pub async fn update_contest(
    input: ContestForm,
    #[server(default)] contest: String,
) -> Result<(), AppError> {
    use super::ctx;
    let contest = ctx::contest(contest);
    let result = async {
        let user = ctx::require_user().await?;
        crate::server::service::manage::update_settings(&ctx::state()?, &user, &contest, &input)
            .await?;
        ctx::redirect_form(&format!("{CONTEST_PATH}?luu=1"));
        Ok(())
    }
    .await;
    ctx::finish(result, || CONTEST_PATH.into())
}

/// Creates a round when `round_id` is absent; times are Vietnam local `YYYY-MM-DDTHH:MM`.
#[server(endpoint = "admin/round/save")]
pub async fn save_round(
    round_id: Option<i64>,
    name: String,
    opens_at: String,
    closes_at: String,
    #[server(default)] results_at: String,
    #[server(default)] prizes: String,
    #[server(default)] contest: String,
) -> Result<i64, AppError> {
    use super::ctx;
    let contest = ctx::contest(contest);
    let result = async {
        let user = ctx::require_user().await?;
        let id = crate::server::service::manage::save_round(
            &ctx::state()?,
            &user,
            &contest,
            crate::server::service::manage::RoundInput {
                round_id,
                name: &name,
                opens: &opens_at,
                closes: &closes_at,
                results: &results_at,
                prizes: &prizes,
            },
        )
        .await?;
        ctx::redirect_form(&format!("{CONTEST_PATH}?luu=1"));
        Ok(id)
    }
    .await;
    ctx::finish(result, || CONTEST_PATH.into())
}

#[server(endpoint = "admin/dashboard")]
pub async fn get_dashboard(
    #[server(default)] contest: String,
) -> Result<crate::model::Dashboard, AppError> {
    use super::ctx;
    let contest = ctx::contest(contest);
    let result = async {
        let user = ctx::require_user().await?;
        crate::server::service::monitor::dashboard(&ctx::state()?, &user, &contest).await
    }
    .await;
    ctx::finish(result, || "/quan-tri/theo-doi".into())
}

/// Lists someone the rules keep out: by phone and/or citizen ID, and optionally a date of
/// birth that recognises them, by name, under another phone number.
#[server(endpoint = "admin/excluded/add")]
pub async fn add_exclusion(
    full_name: String,
    phone: String,
    citizen_id: String,
    reason: String,
    #[server(default)] birth_date: String,
) -> Result<i64, AppError> {
    use super::ctx;
    let result = async {
        let user = ctx::require_user().await?;
        let person = crate::server::service::manage::ExclusionForm {
            full_name,
            phone,
            citizen_id,
            birth_date,
            reason,
        };
        let id =
            crate::server::service::manage::add_exclusion(&ctx::state()?, &user, &person).await?;
        ctx::redirect_form(&format!("{CONTEST_PATH}?luu=1"));
        Ok(id)
    }
    .await;
    ctx::finish(result, || CONTEST_PATH.into())
}

/// Confirms (`confirm` = true: the account is kept out) or dismisses a match by name and date
/// of birth between a listed person and an account.
#[server(endpoint = "admin/excluded/review")]
pub async fn review_exclusion_match(
    excluded_id: i64,
    user_id: i64,
    #[server(default)] confirm: bool,
) -> Result<(), AppError> {
    use super::ctx;
    let result = async {
        let user = ctx::require_user().await?;
        crate::server::service::manage::review_exclusion_match(
            &ctx::state()?,
            &user,
            excluded_id,
            user_id,
            confirm,
        )
        .await?;
        ctx::redirect_form(&format!("{CONTEST_PATH}?luu=1"));
        Ok(())
    }
    .await;
    ctx::finish(result, || CONTEST_PATH.into())
}

#[server(endpoint = "admin/excluded/remove")]
pub async fn remove_exclusion(id: i64) -> Result<(), AppError> {
    use super::ctx;
    let result = async {
        let user = ctx::require_user().await?;
        crate::server::service::manage::remove_exclusion(&ctx::state()?, &user, id).await?;
        ctx::redirect_form(&format!("{CONTEST_PATH}?luu=1"));
        Ok(())
    }
    .await;
    ctx::finish(result, || CONTEST_PATH.into())
}
