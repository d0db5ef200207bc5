use crate::server::nfc;
use chrono::Duration;

use crate::domain::{self, FieldError, PhoneNumber, RegistrationForm};
use crate::error::AppError;
use crate::model::{UnitOption, UserInfo};
use crate::server::clock::to_ms;
use crate::server::repo::{self, contests, users};
use crate::server::{audit, limits, session, AppState};

/// A logged-in user and the session token to set in the cookie.
pub struct LoggedIn {
    pub user: UserInfo,
    pub token: String,
    /// The account as signed in to (the normalized phone number).
    pub account: String,
}

pub async fn list_units(state: &AppState) -> Result<Vec<UnitOption>, AppError> {
    let mut conn = state.db.pool.acquire().await?;
    Ok(users::list_units(&mut conn)
        .await?
        .into_iter()
        .map(|u| UnitOption {
            id: u.id,
            name: u.name,
            kind: u.kind,
            parent: u.parent_name.unwrap_or_default(),
        })
        .collect())
}

/// Registers an account and signs it in; recorded in the audit log with the caller's address.
#[tracing::instrument(skip_all)]
pub async fn register(
    state: &AppState,
    form: RegistrationForm,
    from: &audit::Origin,
) -> Result<LoggedIn, AppError> {
    let logged_in = create_account(state, form, from).await?;
    audit::record(
        state,
        audit::Event {
            kind: audit::REGISTER,
            user_id: Some(logged_in.user.id),
            ip: &from.ip,
            action: from.action,
            status: 200,
            detail: "",
            contest: None,
        },
    )
    .await;
    Ok(logged_in)
}

async fn create_account(
    state: &AppState,
    form: RegistrationForm,
    from: &audit::Origin,
) -> Result<LoggedIn, AppError> {
    let now = state.clock.now();
    let form = RegistrationForm {
        full_name: nfc(&form.full_name),
        ..form
    };
    let min_age = {
        let mut conn = state.db.pool.acquire().await?;
        contests::lowest_min_age(&mut conn).await?.max(0) as u32
    };
    let reg =
        domain::parse_registration(&form, now.date_naive(), min_age).map_err(AppError::Invalid)?;
    {
        let mut conn = state.db.pool.acquire().await?;
        let listed = users::exclusion_reason(
            &mut conn,
            reg.phone.as_str(),
            reg.citizen_id.as_ref().map(|c| c.as_str()),
        )
        .await?;
        if let Some(reason) = listed {
            tracing::warn!(
                phone = reg.phone.as_str(),
                "refused registration of an excluded person"
            );
            // Anyone can type a phone number here: the caller is not told that it is on the
            // list, nor why. The committee reads who tried, and the reason, in the audit log.
            let detail = format!(
                "Từ chối đăng ký: {} ({}) thuộc danh sách không được dự thi — {reason}",
                reg.full_name.as_str(),
                reg.phone.as_str()
            );
            audit::record(
                state,
                audit::Event {
                    kind: audit::REFUSED,
                    user_id: None,
                    ip: &from.ip,
                    action: from.action,
                    status: 403,
                    detail: &detail,
                    contest: None,
                },
            )
            .await;
            return Err(AppError::Forbidden(REGISTRATION_REFUSED.into()));
        }
    }
    // Hash before opening the write transaction: never hold the write lock for 50 ms of Argon2.
    let hash = state.passwords.hash(reg.password.clone()).await?;

    let mut tx = state.db.begin_write().await?;
    if !users::unit_exists(&mut tx, reg.unit_id).await? {
        return Err(AppError::Invalid(vec![FieldError::new(
            "unit_id",
            "Đơn vị đã chọn không tồn tại.",
        )]));
    }
    if let Some(workplace) = reg.workplace_id {
        if !users::unit_exists(&mut tx, workplace).await? {
            return Err(AppError::Invalid(vec![FieldError::new(
                "workplace_id",
                "Nơi công tác đã chọn không tồn tại.",
            )]));
        }
    }
    let birth_date = reg.birth_date.format("%Y-%m-%d").to_string();
    let inserted = users::insert_user(
        &mut tx,
        users::NewUser {
            full_name: reg.full_name.as_str(),
            birth_date: &birth_date,
            phone: reg.phone.as_str(),
            citizen_id: reg.citizen_id.as_ref().map(|c| c.as_str()),
            unit_id: reg.unit_id,
            workplace_unit_id: reg.workplace_id,
            password_hash: &hash,
            created_at: to_ms(now),
        },
    )
    .await;
    let user_id = match inserted {
        Ok(id) => id,
        Err(e) if repo::is_unique_violation(&e) => {
            let which = repo::violated_constraint(&e);
            return Err(AppError::Invalid(vec![if which.contains("citizen") {
                FieldError::new(
                    "citizen_id",
                    "Số căn cước này đã được dùng để đăng ký một tài khoản khác.",
                )
            } else {
                FieldError::new("phone", "Số điện thoại này đã được đăng ký. Mỗi người chỉ được đăng ký một tài khoản; hãy đăng nhập.")
            }]));
        }
        Err(e) => return Err(e.into()),
    };
    users::set_registered_from(&mut tx, user_id, &from.ip, &from.device).await?;
    let token = start_session(&mut tx, user_id, now).await?;
    let user = users::user_by_id(&mut tx, user_id)
        .await?
        .ok_or(AppError::Internal)?;
    tx.commit().await?;
    tracing::info!(user_id, "registered");
    Ok(LoggedIn {
        user: user.into_info(),
        token,
        account: reg.phone.as_str().to_string(),
    })
}

/// Signs in. Failures are counted per account and place (see `limits::Limiter::login_wait`):
/// each failure past a few doubles that place's wait, and guesses from strangers' places share
/// one limit per account, which never holds back a browser that signed in to the account
/// before (`cookies` carries its proof). Every try, refused or not, is in the audit log.
#[tracing::instrument(skip_all)]
pub async fn login(
    state: &AppState,
    phone: &str,
    password: &str,
    from: &audit::Origin,
    cookies: &str,
) -> Result<LoggedIn, AppError> {
    let account = PhoneNumber::parse(phone)
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|_| phone.trim().to_string());
    let now = to_ms(state.clock.now());
    let place = if session::is_known_browser(&state.flash_key, cookies, &account) {
        limits::Place::KnownBrowser
    } else {
        limits::Place::Address(from.ip.clone())
    };
    let outcome = match state.limits.login_wait(&account, &place, now).await {
        Some(wait) => Err(AppError::TooManyRequests {
            message: format!(
                "Tài khoản này đã đăng nhập sai nhiều lần. Vui lòng thử lại sau {}.",
                crate::domain::limits::wait_words(wait)
            ),
            retry_after_secs: wait,
        }),
        None => {
            let tried = check_password_and_sign_in(state, phone, password).await;
            match &tried {
                Ok(_) => state.limits.login_succeeded(&account, &place).await,
                Err(AppError::Forbidden(_)) => {
                    state.limits.login_failed(&account, &place, now).await
                }
                Err(_) => {}
            }
            tried
        }
    };
    let (kind, status, user_id) = match &outcome {
        Ok(l) => (audit::LOGIN, 200, Some(l.user.id)),
        Err(e) => (audit::LOGIN_FAILED, e.status_code(), None),
    };
    audit::record(
        state,
        audit::Event {
            kind,
            user_id,
            ip: &from.ip,
            action: from.action,
            status,
            detail: &account,
            contest: None,
        },
    )
    .await;
    outcome
}

async fn check_password_and_sign_in(
    state: &AppState,
    phone: &str,
    password: &str,
) -> Result<LoggedIn, AppError> {
    let now = state.clock.now();
    let wrong = || AppError::Forbidden("Số điện thoại hoặc mật khẩu không đúng.".into());
    let phone = PhoneNumber::parse(phone)
        .map_err(|m| AppError::Invalid(vec![FieldError::new("phone", m)]))?;
    if password.is_empty() || password.chars().count() > domain::MAX_PASSWORD_CHARS {
        return Err(AppError::Invalid(vec![FieldError::new(
            "password",
            "Vui lòng nhập mật khẩu.",
        )]));
    }
    let creds = {
        let mut conn = state.db.pool.acquire().await?;
        users::credentials_by_phone(&mut conn, phone.as_str()).await?
    };
    let (user_id, hash) = match creds {
        Some((id, hash)) => (Some(id), Some(hash)),
        None => (None, None),
    };
    if !state.passwords.verify(password.to_string(), hash).await? {
        tracing::info!(phone = phone.as_str(), "login refused");
        return Err(wrong());
    }
    let user_id = user_id.ok_or_else(wrong)?;
    let mut tx = state.db.begin_write().await?;
    // A fresh token at every login: a token planted before login is useless after it.
    let token = start_session(&mut tx, user_id, now).await?;
    let user = users::user_by_id(&mut tx, user_id)
        .await?
        .ok_or(AppError::Internal)?;
    tx.commit().await?;
    tracing::info!(user_id, "logged in");
    Ok(LoggedIn {
        user: user.into_info(),
        token,
        account: phone.as_str().to_string(),
    })
}

async fn start_session(
    conn: &mut sqlx::AnyConnection,
    user_id: i64,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<String, AppError> {
    let token = session::new_token();
    let expires = now + Duration::days(session::SESSION_DAYS);
    users::insert_session(
        conn,
        &session::hash_token(&token),
        user_id,
        to_ms(now),
        to_ms(expires),
    )
    .await?;
    Ok(token)
}

pub async fn logout(state: &AppState, token: &str) -> Result<(), AppError> {
    let mut tx = state.db.begin_write().await?;
    users::delete_session(&mut tx, &session::hash_token(token)).await?;
    tx.commit().await?;
    Ok(())
}

/// What a refused registration says, whatever the reason it was refused for.
pub const REGISTRATION_REFUSED: &str = "Không thể đăng ký dự thi với thông tin này. Nếu cho rằng \
     có nhầm lẫn, vui lòng liên hệ Ban Tổ chức cuộc thi.";

/// The rules keep organizers, question writers, the secretariat and technical staff out.
pub fn excluded_message(reason: &str) -> String {
    format!("Theo thể lệ, {reason} không được tham gia dự thi.")
}
