//! Accounts after registration: the first administrator (command line), organizer roles
//! granted and taken back from a page, a participant's own password change, one-time codes
//! the secretariat issues for a forgotten password, and correcting someone's unit. The audit
//! log records every change made through the organizer endpoints.

use chrono::Duration;
use rand::Rng;

use crate::domain::roles::{Permission, Role};
use crate::domain::{check_password, FieldError, FullName, PhoneNumber};
use crate::error::AppError;
use crate::model::UserInfo;
use crate::server::clock::to_ms;
use crate::server::db::Db;
use crate::server::guard::authorize;
use crate::server::nfc;
use crate::server::password::PasswordHasherPool;
use crate::server::repo::users::{self, AccountRow};
use crate::server::session::hash_token;
use crate::server::AppState;

/// How long a one-time code stays valid.
pub const RESET_MINUTES: i64 = 30;

/// Creates the first administrator, or makes an existing account with this phone number one.
/// Without any unit yet, the account belongs to a unit named after the organizing body.
/// Returns true when a new account was created.
pub async fn create_admin(
    db: &Db,
    phone: &str,
    full_name: &str,
    password: &str,
    unit_name: &str,
    now: i64,
) -> Result<bool, String> {
    let phone = PhoneNumber::parse(phone).map_err(str::to_string)?;
    let name = FullName::parse(&nfc(full_name)).map_err(str::to_string)?;
    check_password(password).map_err(str::to_string)?;
    let hash = PasswordHasherPool::new(1)
        .hash(password.to_string())
        .await
        .map_err(|e| e.user_message())?;
    let mut tx = db.begin_write().await.map_err(|e| e.to_string())?;
    let sql = |e: sqlx::Error| e.to_string();
    if let Some((id, _)) = users::credentials_by_phone(&mut tx, phone.as_str())
        .await
        .map_err(sql)?
    {
        users::set_role(&mut tx, id, Role::Admin.as_str())
            .await
            .map_err(sql)?;
        tx.commit().await.map_err(sql)?;
        return Ok(false);
    }
    let unit_name = nfc(unit_name.trim());
    let unit_name = if unit_name.is_empty() {
        "Ban Tổ chức".to_string()
    } else {
        unit_name
    };
    let unit_id = users::ensure_unit(&mut tx, "BTC", &unit_name)
        .await
        .map_err(sql)?;
    let id = users::insert_user(
        &mut tx,
        users::NewUser {
            full_name: name.as_str(),
            // Staff never appear in results; their birth date is not asked for.
            birth_date: "",
            phone: phone.as_str(),
            citizen_id: None,
            unit_id,
            workplace_unit_id: None,
            password_hash: &hash,
            created_at: now,
        },
    )
    .await
    .map_err(sql)?;
    users::set_role(&mut tx, id, Role::Admin.as_str())
        .await
        .map_err(sql)?;
    tx.commit().await.map_err(sql)?;
    Ok(true)
}

fn view(a: AccountRow) -> crate::model::contests::Account {
    let role = Role::parse(&a.role).unwrap_or(Role::Participant);
    crate::model::contests::Account {
        id: a.id,
        full_name: a.full_name,
        phone: a.phone,
        unit_id: a.unit_id,
        unit_name: a.unit_name,
        role: role.as_str().into(),
        role_label: role.label().into(),
    }
}

/// The account-care page: the organizers, and the accounts a search finds.
pub async fn page(
    state: &AppState,
    user: &UserInfo,
    query: &str,
) -> Result<crate::model::contests::Accounts, AppError> {
    authorize(user, Permission::CareForAccounts)?;
    let mut conn = state.db.pool.acquire().await?;
    let staff = users::staff(&mut conn)
        .await?
        .into_iter()
        .map(view)
        .collect();
    let q = query.trim();
    let found = if q.is_empty() {
        Vec::new()
    } else {
        let pattern = format!("%{}%", q.replace(['%', '_'], ""));
        users::find_accounts(&mut conn, &pattern, 50)
            .await?
            .into_iter()
            .map(view)
            .collect()
    };
    Ok(crate::model::contests::Accounts {
        staff,
        found,
        can_grant: crate::domain::roles::allows(
            Role::parse(&user.role).unwrap_or(Role::Participant),
            Permission::ManageRoles,
        ),
        roles: [
            Role::Admin,
            Role::Author,
            Role::Reviewer,
            Role::Secretary,
            Role::Juror,
            Role::Participant,
        ]
        .iter()
        .map(|r| (r.as_str().to_string(), r.label().to_string()))
        .collect(),
    })
}

async fn account(conn: &mut sqlx::AnyConnection, id: i64) -> Result<AccountRow, AppError> {
    users::account_by_id(conn, id)
        .await?
        .ok_or_else(|| AppError::NotFound("Không tìm thấy tài khoản.".into()))
}

/// Gives an account a role (`participant` takes every organizer role back). The last
/// administrator cannot be demoted, nor can anyone change their own role.
pub async fn set_role(
    state: &AppState,
    user: &UserInfo,
    account_id: i64,
    role: &str,
) -> Result<(), AppError> {
    authorize(user, Permission::ManageRoles)?;
    let role = Role::parse(role)
        .ok_or_else(|| AppError::Invalid(vec![FieldError::new("role", "Vai trò không hợp lệ.")]))?;
    if account_id == user.id {
        return Err(AppError::Conflict(
            "Không tự đổi vai trò của chính mình; nhờ một quản trị viên khác.".into(),
        ));
    }
    let mut tx = state.db.begin_write().await?;
    let target = account(&mut tx, account_id).await?;
    if target.role == Role::Admin.as_str()
        && role != Role::Admin
        && users::count_admins(&mut tx).await? <= 1
    {
        return Err(AppError::Conflict(
            "Hệ thống cần ít nhất một quản trị viên.".into(),
        ));
    }
    users::set_role(&mut tx, account_id, role.as_str()).await?;
    tx.commit().await?;
    tracing::info!(
        user_id = user.id,
        account_id,
        role = role.as_str(),
        "role changed"
    );
    Ok(())
}

/// Moves a participant to the unit they really belong to.
pub async fn set_unit(
    state: &AppState,
    user: &UserInfo,
    account_id: i64,
    unit_id: i64,
) -> Result<(), AppError> {
    authorize(user, Permission::CareForAccounts)?;
    let mut tx = state.db.begin_write().await?;
    account(&mut tx, account_id).await?;
    if !users::unit_exists(&mut tx, unit_id).await? {
        return Err(AppError::Invalid(vec![FieldError::new(
            "unit_id",
            "Đơn vị đã chọn không tồn tại hoặc đã ngừng hoạt động.",
        )]));
    }
    users::set_unit(&mut tx, account_id, unit_id).await?;
    tx.commit().await?;
    tracing::info!(user_id = user.id, account_id, unit_id, "unit corrected");
    Ok(())
}

/// A one-time code for a forgotten password: shown once to the organizer, who gives it to
/// the person (in person or by phone); valid for `RESET_MINUTES`, used once, only its hash
/// stored. A new code replaces an unused earlier one.
pub async fn issue_reset(
    state: &AppState,
    user: &UserInfo,
    account_id: i64,
) -> Result<crate::model::contests::ResetCode, AppError> {
    authorize(user, Permission::CareForAccounts)?;
    let now = state.clock.now();
    let code: String = {
        let mut rng = rand::thread_rng();
        (0..8)
            .map(|_| char::from(b'0' + rng.gen_range(0..10u8)))
            .collect()
    };
    let expires = now + Duration::minutes(RESET_MINUTES);
    let mut tx = state.db.begin_write().await?;
    let target = account(&mut tx, account_id).await?;
    if target.role == Role::Admin.as_str() && user.role != Role::Admin.as_str() {
        return Err(AppError::Forbidden(
            "Chỉ quản trị viên cấp mã cho tài khoản quản trị.".into(),
        ));
    }
    users::insert_reset(
        &mut tx,
        account_id,
        &hash_token(&code),
        user.id,
        to_ms(now),
        to_ms(expires),
    )
    .await?;
    tx.commit().await?;
    tracing::info!(user_id = user.id, account_id, "password reset code issued");
    Ok(crate::model::contests::ResetCode {
        phone: target.phone,
        full_name: target.full_name,
        code,
        valid_until: crate::domain::vntime::format_vn_time(to_ms(expires)),
    })
}

fn new_password_checked(password: &str) -> Result<(), AppError> {
    check_password(password)
        .map_err(|m| AppError::Invalid(vec![FieldError::new("new_password", m)]))
}

/// Sets a new password with a one-time code. The same refusal whether the phone, the code
/// or its time is wrong, so a try tells nothing about which.
pub async fn redeem_reset(
    state: &AppState,
    phone: &str,
    code: &str,
    new_password: &str,
) -> Result<(), AppError> {
    new_password_checked(new_password)?;
    let wrong = || {
        AppError::Invalid(vec![FieldError::new(
            "code",
            "Mã không đúng hoặc đã hết hạn. Liên hệ Tổ Thư ký để được cấp mã mới.",
        )])
    };
    let phone = PhoneNumber::parse(phone).map_err(|_| wrong())?;
    let hash = state.passwords.hash(new_password.to_string()).await?;
    let now = to_ms(state.clock.now());
    let mut tx = state.db.begin_write().await?;
    let Some((id, _)) = users::credentials_by_phone(&mut tx, phone.as_str()).await? else {
        return Err(wrong());
    };
    if !users::use_reset(&mut tx, id, &hash_token(code.trim()), now).await? {
        return Err(wrong());
    }
    // Every session ends: whoever knew the old password is signed out.
    users::set_password(&mut tx, id, &hash, "").await?;
    tx.commit().await?;
    tracing::info!(account_id = id, "password reset with a code");
    Ok(())
}

/// A signed-in person changes their own password; their other sessions end.
pub async fn change_password(
    state: &AppState,
    user: &UserInfo,
    session_token: &str,
    current: &str,
    new_password: &str,
) -> Result<(), AppError> {
    new_password_checked(new_password)?;
    let stored = {
        let mut conn = state.db.pool.acquire().await?;
        users::password_hash_of(&mut conn, user.id).await?
    };
    if !state.passwords.verify(current.to_string(), stored).await? {
        return Err(AppError::Invalid(vec![FieldError::new(
            "current_password",
            "Mật khẩu hiện tại không đúng.",
        )]));
    }
    let hash = state.passwords.hash(new_password.to_string()).await?;
    let mut tx = state.db.begin_write().await?;
    users::set_password(&mut tx, user.id, &hash, &hash_token(session_token)).await?;
    tx.commit().await?;
    tracing::info!(user_id = user.id, "password changed");
    Ok(())
}
