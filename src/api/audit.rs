//! The audit log for administrators.

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::AuditEntry;

pub const AUDIT_PATH: &str = "/quan-tri/nhat-ky";

/// The latest 300 entries, newest first; `kind` narrows to one kind (login, login_failed,
/// register, admin, refused).
#[server(endpoint = "admin/audit/list")]
pub async fn audit_log(#[server(default)] kind: String) -> Result<Vec<AuditEntry>, AppError> {
    use super::ctx;
    let result = async {
        let user = ctx::require_user().await?;
        crate::server::guard::authorize(&user, crate::domain::roles::Permission::ManageContest)?;
        let kind = kind.trim();
        let kind = (!kind.is_empty()).then_some(kind);
        Ok(crate::server::audit::latest(&ctx::state()?, kind, 300).await?)
    }
    .await;
    ctx::finish(result, || AUDIT_PATH.into())
}
