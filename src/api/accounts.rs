//! Accounts: organizer roles granted from a page, the secretariat's account care (one-time
//! password codes, a corrected unit), and a participant's own password.

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::contests::{Accounts, ResetCode};

pub const ACCOUNTS_PATH: &str = "/quan-tri/tai-khoan";

#[server(endpoint = "admin/accounts")]
pub async fn get_accounts(#[server(default)] q: String) -> Result<Accounts, AppError> {
    use super::ctx;
    let result = async {
        let user = ctx::require_user().await?;
        crate::server::service::accounts::page(&ctx::state()?, &user, &q).await
    }
    .await;
    ctx::finish(result, || ACCOUNTS_PATH.into())
}

#[server(endpoint = "admin/accounts/role")]
pub async fn set_role(account_id: i64, role: String) -> Result<(), AppError> {
    use super::ctx;
    let result = async {
        let user = ctx::require_user().await?;
        crate::server::service::accounts::set_role(&ctx::state()?, &user, account_id, &role)
            .await?;
        ctx::redirect_form(&format!("{ACCOUNTS_PATH}?luu=1"));
        Ok(())
    }
    .await;
    ctx::finish(result, || ACCOUNTS_PATH.into())
}

#[server(endpoint = "admin/accounts/unit")]
pub async fn set_unit(account_id: i64, unit_id: i64) -> Result<(), AppError> {
    use super::ctx;
    let result = async {
        let user = ctx::require_user().await?;
        crate::server::service::accounts::set_unit(&ctx::state()?, &user, account_id, unit_id)
            .await?;
        ctx::redirect_form(&format!("{ACCOUNTS_PATH}?luu=1"));
        Ok(())
    }
    .await;
    ctx::finish(result, || ACCOUNTS_PATH.into())
}

/// Issues a one-time code; the page shows it once (a form post comes back with it).
#[server(endpoint = "admin/accounts/reset")]
pub async fn issue_reset(account_id: i64) -> Result<ResetCode, AppError> {
    use super::ctx;
    let result = async {
        let user = ctx::require_user().await?;
        let code = crate::server::service::accounts::issue_reset(&ctx::state()?, &user, account_id)
            .await?;
        ctx::redirect_form(&format!(
            "{ACCOUNTS_PATH}?ma={}&sdt={}&han={}",
            code.code,
            code.phone,
            ctx::urlencode(&code.valid_until)
        ));
        Ok(code)
    }
    .await;
    ctx::finish(result, || ACCOUNTS_PATH.into())
}

/// Sets a new password with a one-time code from the secretariat. Public, rate-limited.
#[server(endpoint = "auth/reset")]
pub async fn redeem_reset(
    phone: String,
    code: String,
    new_password: String,
) -> Result<(), AppError> {
    use super::ctx;
    let result = async {
        crate::server::service::accounts::redeem_reset(
            &ctx::state()?,
            &phone,
            &code,
            &new_password,
        )
        .await?;
        ctx::redirect_form("/dang-nhap?doi-mat-khau=1");
        Ok(())
    }
    .await;
    ctx::finish(result, || "/quen-mat-khau".into())
}

/// The signed-in person's own new password; their other sessions end.
#[server(endpoint = "auth/password")]
pub async fn change_password(
    current_password: String,
    new_password: String,
) -> Result<(), AppError> {
    use super::ctx;
    let result = async {
        let user = ctx::require_user().await?;
        let token = ctx::session_token().unwrap_or_default();
        crate::server::service::accounts::change_password(
            &ctx::state()?,
            &user,
            &token,
            &current_password,
            &new_password,
        )
        .await?;
        ctx::redirect_form("/doi-mat-khau?luu=1");
        Ok(())
    }
    .await;
    ctx::finish(result, || "/doi-mat-khau".into())
}
