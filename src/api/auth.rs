use leptos::prelude::*;

use crate::domain::RegistrationForm;
use crate::error::AppError;
use crate::model::{UnitOption, UserInfo};

#[server(endpoint = "auth/register")]
pub async fn register(input: RegistrationForm) -> Result<UserInfo, AppError> {
    use super::ctx;
    let echo = format!(
        "/dang-ky?ho_ten={}&ngay_sinh={}&dien_thoai={}&cccd={}&don_vi={}",
        ctx::urlencode(&input.full_name),
        ctx::urlencode(&input.birth_date),
        ctx::urlencode(&input.phone),
        ctx::urlencode(&input.citizen_id),
        ctx::urlencode(&input.unit_id)
    );
    let result = async {
        let state = ctx::state()?;
        let logged_in =
            crate::server::service::auth::register(&state, input, &ctx::origin::<Register>())
                .await?;
        ctx::set_cookie(&crate::server::session::set_cookie(&logged_in.token));
        ctx::redirect_form("/");
        Ok(logged_in.user)
    }
    .await;
    ctx::finish(result, || echo)
}

#[server(endpoint = "auth/login")]
pub async fn login(phone: String, password: String) -> Result<UserInfo, AppError> {
    use super::ctx;
    let back = format!("/dang-nhap?dien_thoai={}", ctx::urlencode(&phone));
    let result = async {
        let state = ctx::state()?;
        let logged_in =
            crate::server::service::auth::login(&state, &phone, &password, &ctx::origin::<Login>())
                .await?;
        ctx::set_cookie(&crate::server::session::set_cookie(&logged_in.token));
        ctx::redirect_form("/");
        Ok(logged_in.user)
    }
    .await;
    ctx::finish(result, || back)
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
