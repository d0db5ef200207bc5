use leptos::prelude::*;

use crate::domain::RegistrationForm;
use crate::error::AppError;
use crate::model::{UnitOption, UserInfo};

#[server(endpoint = "auth/register")]
pub async fn register(input: RegistrationForm) -> Result<UserInfo, AppError> {
    use super::ctx;
    // A refused registration fills its fields in again from the flash cookie: the phone
    // number and citizen ID never go into a URL.
    ctx::refill(vec![
        ("ho_ten", input.full_name.clone()),
        ("ngay_sinh", input.birth_date.clone()),
        ("dien_thoai", input.phone.clone()),
        ("cccd", input.citizen_id.clone()),
        ("don_vi", input.unit_id.clone()),
        ("noi_cong_tac", input.workplace_id.clone()),
    ]);
    let result = async {
        let state = ctx::state()?;
        let logged_in =
            crate::server::service::auth::register(&state, input, &ctx::origin::<Register>())
                .await?;
        ctx::set_cookie(&crate::server::session::set_cookie(&logged_in.token));
        ctx::set_cookie(&crate::server::session::known_browser_cookie(
            &state.flash_key,
            &ctx::cookies(),
            &logged_in.account,
        ));
        ctx::redirect_form("/");
        Ok(logged_in.user)
    }
    .await;
    ctx::finish(result, || "/dang-ky".into())
}

#[server(endpoint = "auth/login")]
pub async fn login(phone: String, password: String) -> Result<UserInfo, AppError> {
    use super::ctx;
    ctx::refill(vec![("dien_thoai", phone.clone())]);
    let result = async {
        let state = ctx::state()?;
        let cookies = ctx::cookies();
        let logged_in = crate::server::service::auth::login(
            &state,
            &phone,
            &password,
            &ctx::origin::<Login>(),
            &cookies,
        )
        .await?;
        ctx::set_cookie(&crate::server::session::set_cookie(&logged_in.token));
        // This browser may sign in to the account again despite a stranger's failed guesses.
        ctx::set_cookie(&crate::server::session::known_browser_cookie(
            &state.flash_key,
            &cookies,
            &logged_in.account,
        ));
        ctx::redirect_form("/");
        Ok(logged_in.user)
    }
    .await;
    ctx::finish(result, || "/dang-nhap".into())
}

#[server(endpoint = "auth/logout")]
pub async fn logout() -> Result<(), AppError> {
    use super::ctx;
    let result = async {
        if let Some(token) = ctx::session_token() {
            crate::server::service::auth::logout(&ctx::state()?, &token).await?;
        }
        ctx::set_cookie(&crate::server::session::clear_cookie());
        ctx::redirect_form("/");
        Ok(())
    }
    .await;
    ctx::finish(result, || "/".into())
}

#[server(endpoint = "auth/me")]
pub async fn current_user() -> Result<Option<UserInfo>, AppError> {
    use super::ctx;
    ctx::finish(ctx::current_user().await, || "/".into())
}

#[server(endpoint = "units")]
pub async fn list_units() -> Result<Vec<UnitOption>, AppError> {
    use super::ctx;
    let result = async { crate::server::service::auth::list_units(&ctx::state()?).await }.await;
    ctx::finish(result, || "/".into())
}
