//! Initiative contests (sáng kiến): the public list and results, a unit's entries, the jury's
//! scoring and the committee's review. Files travel through `server::initiative_files`.

use leptos::prelude::*;

use crate::domain::initiatives::InitiativeForm;
use crate::error::AppError;
use crate::model::initiatives::{
    EntryEditView, HigherResultForm, InitiativeAdminView, InitiativeView, InitiativesView,
    JuryView, ScoreForm,
};

pub const PUBLIC_PATH: &str = "/sang-kien";
pub const ADMIN_PATH: &str = "/quan-tri/sang-kien";
pub const JURY_PATH: &str = "/quan-tri/cham-sang-kien";

/// The initiative contests. Public.
#[server(endpoint = "initiatives/list")]
pub async fn list_initiatives() -> Result<InitiativesView, AppError> {
    use super::ctx;
    let result = async { crate::server::service::initiatives::list(&ctx::state()?).await }.await;
    ctx::finish(result, || "/".into())
}

/// One contest: its rules, the viewer's entries and, once public, its results.
#[server(endpoint = "initiatives/get")]
pub async fn get_initiative(id: i64) -> Result<InitiativeView, AppError> {
    use super::ctx;
    let result = async {
        let user = ctx::current_user().await?;
        crate::server::service::initiatives::view(&ctx::state()?, user.as_ref(), id).await
    }
    .await;
    ctx::finish(result, || PUBLIC_PATH.into())
}

/// The submission page's data; anyone who may not submit now is sent to the contest's page
/// (or to sign in) instead.
#[server(endpoint = "initiatives/submission")]
pub async fn get_submission(id: i64) -> Result<InitiativeView, AppError> {
    use super::ctx;
    let result = async {
        let user = ctx::current_user().await?;
        crate::server::service::initiatives::view(&ctx::state()?, user.as_ref(), id).await
    }
    .await;
    match result {
        Ok(v) if !v.can_submit => {
            // Sent elsewhere: the redirect is the answer, whatever this page would say.
            let to = if !v.signed_in && v.contest.open {
                "/dang-nhap".to_string()
            } else {
                format!("{PUBLIC_PATH}/{id}")
            };
            leptos_axum::redirect(&to);
            Err(AppError::Gone("Không nộp bài được lúc này.".into()))
        }
        other => ctx::finish(other, || format!("{PUBLIC_PATH}/{id}")),
    }
}

/// The edit page's data: the person's own entry while it may change; otherwise they are sent
/// to the contest's page.
#[server(endpoint = "initiatives/entry")]
pub async fn get_entry_edit(entry: i64) -> Result<EntryEditView, AppError> {
    use super::ctx;
    let user = match ctx::require_user().await {
        Ok(u) => u,
        Err(e) => {
            leptos_axum::redirect("/dang-nhap");
            return Err(e);
        }
    };
    let state = ctx::state()?;
    match crate::server::service::initiatives::edit_view(&state, &user, entry).await {
        Ok(v) => Ok(v),
        // Sent back to the contest: the redirect is the answer.
        Err((Some(c), e)) => {
            leptos_axum::redirect(&format!("{PUBLIC_PATH}/{c}#bai-{entry}"));
            Err(e)
        }
        Err((None, e)) => ctx::finish(Err(e), || PUBLIC_PATH.into()),
    }
}

#[server(endpoint = "admin/initiatives/get")]
pub async fn get_initiative_admin(
    #[server(default)] id: Option<i64>,
) -> Result<InitiativeAdminView, AppError> {
    use super::ctx;
    let result = async {
        let user = ctx::require_user().await?;
        crate::server::service::initiatives::admin_view(&ctx::state()?, &user, id).await
    }
    .await;
    ctx::finish(result, || ADMIN_PATH.into())
}

/// Creates a contest, or changes the one with `input.id`.
#[server(endpoint = "admin/initiatives/save")]
pub async fn save_initiative(input: InitiativeForm) -> Result<i64, AppError> {
    use super::ctx;
    let back = input
        .id
        .map(|id| format!("{ADMIN_PATH}?id={id}"))
        .unwrap_or_else(|| format!("{ADMIN_PATH}?moi=1"));
    let result = async {
        let user = ctx::require_user().await?;
        let id = crate::server::service::initiatives::save(&ctx::state()?, &user, &input).await?;
        ctx::redirect_form(&format!("{ADMIN_PATH}?id={id}&luu=1"));
        Ok(id)
    }
    .await;
    ctx::finish(result, || back)
}

/// Combines the jurors' scores and computes the prizes (after the deadline, before publication).
#[server(endpoint = "admin/initiatives/compute")]
pub async fn compute_initiative(id: i64) -> Result<u32, AppError> {
    use super::ctx;
    let result = async {
        let user = ctx::require_user().await?;
        let n = crate::server::service::initiatives::compute(&ctx::state()?, &user, id).await?;
        ctx::redirect_form(&format!("{ADMIN_PATH}?id={id}&tinh={n}"));
        Ok(n)
    }
    .await;
    ctx::finish(result, || format!("{ADMIN_PATH}?id={id}"))
}

#[server(endpoint = "admin/initiatives/publish")]
pub async fn publish_initiative(id: i64) -> Result<(), AppError> {
    use super::ctx;
    let result = async {
        let user = ctx::require_user().await?;
        crate::server::service::initiatives::publish(&ctx::state()?, &user, id).await?;
        ctx::redirect_form(&format!("{ADMIN_PATH}?id={id}&cong-bo=1"));
        Ok(())
    }
    .await;
    ctx::finish(result, || format!("{ADMIN_PATH}?id={id}"))
}

/// The entries to score, with the juror's own points.
#[server(endpoint = "jury/initiatives/get")]
pub async fn get_jury(#[server(default)] id: Option<i64>) -> Result<JuryView, AppError> {
    use super::ctx;
    let result = async {
        let user = ctx::require_user().await?;
        crate::server::service::initiatives::jury_view(&ctx::state()?, &user, id).await
    }
    .await;
    ctx::finish(result, || JURY_PATH.into())
}

/// A juror's points for one entry, one per criterion (replacing their earlier ones).
#[server(endpoint = "jury/initiatives/score")]
pub async fn score_entry(input: ScoreForm) -> Result<i64, AppError> {
    use super::ctx;
    let entry_id = input.entry_id;
    let result = async {
        let user = ctx::require_user().await?;
        let contest =
            crate::server::service::initiatives::score(&ctx::state()?, &user, &input).await?;
        ctx::redirect_form(&format!(
            "{JURY_PATH}?id={contest}&cham={entry_id}#bai-{entry_id}"
        ));
        Ok(contest)
    }
    .await;
    ctx::finish(result, || format!("{JURY_PATH}?bai={entry_id}"))
}

/// An intermediate body pre-selects (or, `selected` false, takes back) an entry of a unit
/// under it; the committee may too.
#[server(endpoint = "initiatives/preselect")]
pub async fn preselect_entry(
    id: i64,
    entry_id: i64,
    #[server(default)] selected: bool,
) -> Result<i64, AppError> {
    use super::ctx;
    let result = async {
        let user = ctx::require_user().await?;
        let state = ctx::state()?;
        let contest =
            crate::server::service::initiatives::preselect(&state, &user, entry_id, selected)
                .await?;
        ctx::redirect_form(&format!("{PUBLIC_PATH}/{contest}?chon={entry_id}#xet-chon"));
        Ok(contest)
    }
    .await;
    ctx::finish(result, || format!("{PUBLIC_PATH}/{id}#xet-chon"))
}

/// Assigns each entry that goes to the jury to `per_entry` jurors (0: every juror).
#[server(endpoint = "admin/initiatives/assign")]
pub async fn assign_jurors(id: i64, #[server(default)] per_entry: u32) -> Result<u32, AppError> {
    use super::ctx;
    let result = async {
        let user = ctx::require_user().await?;
        let n = crate::server::service::initiatives::assign(&ctx::state()?, &user, id, per_entry)
            .await?;
        ctx::redirect_form(&format!("{ADMIN_PATH}?id={id}&phan-cong={n}#giam-khao"));
        Ok(n)
    }
    .await;
    ctx::finish(result, || format!("{ADMIN_PATH}?id={id}#giam-khao"))
}

/// Selects an entry to forward to the next level (or takes it back).
#[server(endpoint = "admin/initiatives/forward")]
pub async fn forward_entry(
    id: i64,
    entry_id: i64,
    #[server(default)] selected: bool,
) -> Result<i64, AppError> {
    use super::ctx;
    let result = async {
        let user = ctx::require_user().await?;
        let contest =
            crate::server::service::initiatives::forward(&ctx::state()?, &user, entry_id, selected)
                .await?;
        ctx::redirect_form(&format!(
            "{ADMIN_PATH}?id={contest}&gui={entry_id}#bai-{entry_id}"
        ));
        Ok(contest)
    }
    .await;
    ctx::finish(result, || format!("{ADMIN_PATH}?id={id}#bai-{entry_id}"))
}

/// Records the prize a forwarded entry won at the next level and the author proposed.
#[server(endpoint = "admin/initiatives/higher-result")]
pub async fn record_higher_result(id: i64, input: HigherResultForm) -> Result<i64, AppError> {
    use super::ctx;
    let entry_id = input.entry_id;
    let result = async {
        let user = ctx::require_user().await?;
        let contest = crate::server::service::initiatives::record_higher_result(
            &ctx::state()?,
            &user,
            &input,
        )
        .await?;
        ctx::redirect_form(&format!(
            "{ADMIN_PATH}?id={contest}&ket-qua-tren={entry_id}#bai-{entry_id}"
        ));
        Ok(contest)
    }
    .await;
    ctx::finish(result, || format!("{ADMIN_PATH}?id={id}#bai-{entry_id}"))
}
