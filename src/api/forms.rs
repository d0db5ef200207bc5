//! What a plain form post left for the page it returned to.

use leptos::prelude::*;

use crate::error::AppError;

/// The query parameter naming a kept outcome (see `service::outcomes`).
pub const OUTCOME_PARAM: &str = "loi_nhap";

/// The error an import left under `id`, for the person who posted it.
#[server(endpoint = "form/outcome")]
pub async fn form_outcome(id: String) -> Result<Option<AppError>, AppError> {
    use super::ctx;
    let result = async {
        let user = ctx::require_user().await?;
        crate::server::service::outcomes::take(&ctx::state()?, user.id, &id).await
    }
    .await;
    ctx::finish(result, || "/".into())
}
