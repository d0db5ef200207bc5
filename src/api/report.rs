//! The committee's reports.

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::ReportView;

pub const REPORTS_PATH: &str = "/quan-tri/bao-cao";

/// Participation, score spread and item statistics; `round_id` narrows the last two to one
/// round (none: every round).
#[server(endpoint = "admin/reports")]
pub async fn get_report(
    #[server(default)] round_id: Option<i64>,
    #[server(default)] contest: String,
) -> Result<ReportView, AppError> {
    use super::ctx;
    let contest = ctx::contest(contest);
    let result = async {
        let user = ctx::require_user().await?;
        crate::server::service::report::report(&ctx::state()?, &user, &contest, round_id).await
    }
    .await;
    ctx::finish(result, || REPORTS_PATH.into())
}
