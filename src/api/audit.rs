//! The audit log for administrators.

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::AuditPage;

pub const AUDIT_PATH: &str = "/quan-tri/nhat-ky";

/// A page of the log, newest first, filtered by kind (login, login_failed, register, admin,
/// refused), person (part of a name or phone number) and dates (yyyy-mm-dd).
#[server(endpoint = "admin/audit/list")]
pub async fn audit_log(
    #[server(default)] kind: String,
    #[server(default)] person: String,
    #[server(default)] from: String,
    #[server(default)] to: String,
    #[server(default)] page: u32,
) -> Result<AuditPage, AppError> {
    use super::ctx;
    let result = async {
        let user = ctx::require_user().await?;
        crate::server::guard::authorize(&user, crate::domain::roles::Permission::ManageContest)?;
        crate::server::audit::page(&ctx::state()?, &kind, &person, &from, &to, page).await
    }
    .await;
    ctx::finish(result, || AUDIT_PATH.into())
}
