use sqlx::{AnyConnection, FromRow};

#[derive(Debug, Clone, FromRow)]
pub struct UserRow {
    pub id: i64,
    pub full_name: String,
    pub unit_name: String,
    pub role: String,
}

impl UserRow {
    pub fn into_info(self) -> crate::model::UserInfo {
        crate::model::UserInfo {
            id: self.id,
            full_name: self.full_name,
            unit_name: self.unit_name,
            role: self.role,
        }
    }
}

#[derive(Debug, Clone, FromRow)]
pub struct UnitRow {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub kind: String,
    pub headcount: i64,
    pub parent_name: Option<String>,
}

pub struct NewUser<'a> {
    pub full_name: &'a str,
    pub birth_date: &'a str,
    pub phone: &'a str,
    pub citizen_id: Option<&'a str>,
    pub unit_id: i64,
    pub workplace_unit_id: Option<i64>,
    pub password_hash: &'a str,
    pub created_at: i64,
}

pub async fn list_units(conn: &mut AnyConnection) -> sqlx::Result<Vec<UnitRow>> {
    sqlx::query_as(
        "SELECT u.id, u.code, u.name, u.kind, u.headcount, p.name AS parent_name FROM units u \
         LEFT JOIN units p ON p.id = u.parent_id WHERE u.retired_at IS NULL \
         ORDER BY u.kind = 'other', u.name",
    )
    .fetch_all(conn)
    .await
}

/// Whether a unit exists and is still offered (not retired).
pub async fn unit_exists(conn: &mut AnyConnection, id: i64) -> sqlx::Result<bool> {
    let n: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM units WHERE id = $1 AND retired_at IS NULL")
            .bind(id)
            .fetch_one(conn)
            .await?;
    Ok(n > 0)
}

pub async fn insert_user(conn: &mut AnyConnection, u: NewUser<'_>) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO users (full_name, birth_date, phone, citizen_id, unit_id, password_hash, created_at, \
         workplace_unit_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(u.full_name)
    .bind(u.birth_date)
    .bind(u.phone)
    .bind(u.citizen_id)
    .bind(u.unit_id)
    .bind(u.password_hash)
    .bind(u.created_at)
    .bind(u.workplace_unit_id)
    .fetch_one(conn)
    .await
}

/// Where an account was registered (address, device id), for the plausibility review.
pub async fn set_registered_from(
    conn: &mut AnyConnection,
    user_id: i64,
    ip: &str,
    device: &str,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE users SET registered_from = $2, registered_device = $3 WHERE id = $1")
        .bind(user_id)
        .bind(ip)
        .bind(device)
        .execute(conn)
        .await?;
    Ok(())
}

/// (user id, password hash) for a phone number.
pub async fn credentials_by_phone(
    conn: &mut AnyConnection,
    phone: &str,
) -> sqlx::Result<Option<(i64, String)>> {
    sqlx::query_as("SELECT id, password_hash FROM users WHERE phone = $1")
        .bind(phone)
        .fetch_optional(conn)
        .await
}

const USER_SELECT: &str = "SELECT u.id, u.full_name, n.name AS unit_name, u.role \
     FROM users u JOIN units n ON n.id = u.unit_id";

/// The stored birth date ("YYYY-MM-DD").
pub async fn birth_date_of(conn: &mut AnyConnection, id: i64) -> sqlx::Result<String> {
    sqlx::query_scalar("SELECT birth_date FROM users WHERE id = $1")
        .bind(id)
        .fetch_one(conn)
        .await
}

pub async fn user_by_id(conn: &mut AnyConnection, id: i64) -> sqlx::Result<Option<UserRow>> {
    sqlx::query_as(&format!("{USER_SELECT} WHERE u.id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await
}

pub async fn user_by_session(
    conn: &mut AnyConnection,
    token_hash: &str,
    now: i64,
) -> sqlx::Result<Option<UserRow>> {
    sqlx::query_as(&format!(
        "{USER_SELECT} JOIN sessions s ON s.user_id = u.id WHERE s.token_hash = $1 AND s.expires_at > $2"
    ))
    .bind(token_hash)
    .bind(now)
    .fetch_optional(conn)
    .await
}

pub async fn insert_session(
    conn: &mut AnyConnection,
    token_hash: &str,
    user_id: i64,
    now: i64,
    expires_at: i64,
) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
        .bind(token_hash)
        .bind(user_id)
        .bind(now)
        .bind(expires_at)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn delete_session(conn: &mut AnyConnection, token_hash: &str) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
        .bind(token_hash)
        .execute(conn)
        .await?;
    Ok(())
}

/// Why a person with this phone or citizen ID may not enter, if they are listed.
pub async fn exclusion_reason(
    conn: &mut AnyConnection,
    phone: &str,
    citizen_id: Option<&str>,
) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar(
        "SELECT reason FROM excluded_people WHERE phone = $1 OR (citizen_id IS NOT NULL AND citizen_id = $2) LIMIT 1",
    )
    .bind(phone)
    .bind(citizen_id)
    .fetch_optional(conn)
    .await
}

/// The exclusion reason for a registered user, matched by their phone or citizen ID, or by a
/// name-and-birth-date match the organizer confirmed.
pub async fn exclusion_reason_for_user(
    conn: &mut AnyConnection,
    user_id: i64,
) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar(
        "SELECT e.reason FROM excluded_people e JOIN users u \
         ON e.phone = u.phone OR (e.citizen_id IS NOT NULL AND e.citizen_id = u.citizen_id) \
         WHERE u.id = $1 \
         UNION ALL SELECT e.reason FROM exclusion_reviews r \
         JOIN excluded_people e ON e.id = r.excluded_id WHERE r.user_id = $1 AND r.confirmed = 1 \
         LIMIT 1",
    )
    .bind(user_id)
    .fetch_optional(conn)
    .await
}

pub struct NewExclusion<'a> {
    pub full_name: &'a str,
    pub phone: Option<&'a str>,
    pub citizen_id: Option<&'a str>,
    /// "YYYY-MM-DD": lets an account under another phone be recognised by name and birth date.
    pub birth_date: Option<&'a str>,
    pub reason: &'a str,
    pub created_at: i64,
}

pub async fn insert_exclusion(conn: &mut AnyConnection, e: NewExclusion<'_>) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO excluded_people (full_name, phone, citizen_id, birth_date, reason, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(e.full_name)
    .bind(e.phone)
    .bind(e.citizen_id)
    .bind(e.birth_date)
    .bind(e.reason)
    .bind(e.created_at)
    .fetch_one(conn)
    .await
}

/// Accounts that may be a listed person registered under another phone: the same name and
/// date of birth, no citizen ID to tell them apart, and no decision taken yet.
#[derive(Debug, Clone, FromRow)]
pub struct ExclusionMatchRow {
    pub excluded_id: i64,
    pub reason: String,
    pub user_id: i64,
    pub full_name: String,
    pub phone: String,
    pub birth_date: String,
    pub unit_name: String,
}

pub async fn exclusion_matches(conn: &mut AnyConnection) -> sqlx::Result<Vec<ExclusionMatchRow>> {
    sqlx::query_as(
        "SELECT e.id AS excluded_id, e.reason, u.id AS user_id, u.full_name, u.phone, \
           u.birth_date, n.name AS unit_name \
         FROM excluded_people e JOIN users u ON e.birth_date IS NOT NULL \
           AND u.birth_date = e.birth_date AND LOWER(u.full_name) = LOWER(e.full_name) \
         JOIN units n ON n.id = u.unit_id \
         WHERE u.role = 'participant' AND u.citizen_id IS NULL \
           AND (e.phone IS NULL OR e.phone <> u.phone) \
           AND NOT EXISTS (SELECT 1 FROM exclusion_reviews r \
             WHERE r.excluded_id = e.id AND r.user_id = u.id) \
         ORDER BY e.id, u.id",
    )
    .fetch_all(conn)
    .await
}

/// Whether the account is a name-and-birth-date match of the listed person.
pub async fn is_exclusion_match(
    conn: &mut AnyConnection,
    excluded_id: i64,
    user_id: i64,
) -> sqlx::Result<bool> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM excluded_people e JOIN users u ON e.birth_date IS NOT NULL \
           AND u.birth_date = e.birth_date AND LOWER(u.full_name) = LOWER(e.full_name) \
         WHERE e.id = $1 AND u.id = $2",
    )
    .bind(excluded_id)
    .bind(user_id)
    .fetch_one(conn)
    .await?;
    Ok(n > 0)
}

pub async fn insert_exclusion_review(
    conn: &mut AnyConnection,
    excluded_id: i64,
    user_id: i64,
    confirmed: bool,
    decided_by: i64,
    at: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO exclusion_reviews (excluded_id, user_id, confirmed, decided_by, decided_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(excluded_id)
    .bind(user_id)
    .bind(i64::from(confirmed))
    .bind(decided_by)
    .bind(at)
    .execute(conn)
    .await?;
    Ok(())
}

/// Sets the role of the account with this phone number; false when there is none.
pub async fn set_role_by_phone(
    conn: &mut AnyConnection,
    phone: &str,
    role: &str,
) -> sqlx::Result<bool> {
    let done = sqlx::query("UPDATE users SET role = $2 WHERE phone = $1")
        .bind(phone)
        .bind(role)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

#[derive(Debug, Clone, FromRow)]
pub struct ExclusionRow {
    pub id: i64,
    pub full_name: String,
    pub phone: Option<String>,
    pub citizen_id: Option<String>,
    pub birth_date: Option<String>,
    pub reason: String,
}

pub async fn list_exclusions(conn: &mut AnyConnection) -> sqlx::Result<Vec<ExclusionRow>> {
    sqlx::query_as(
        "SELECT id, full_name, phone, citizen_id, birth_date, reason FROM excluded_people ORDER BY id",
    )
    .fetch_all(conn)
    .await
}

pub async fn delete_exclusion(conn: &mut AnyConnection, id: i64) -> sqlx::Result<bool> {
    sqlx::query("DELETE FROM exclusion_reviews WHERE excluded_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    let done = sqlx::query("DELETE FROM excluded_people WHERE id = $1")
        .bind(id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// The unit an account belongs to.
pub async fn unit_of(conn: &mut AnyConnection, user_id: i64) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT unit_id FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_one(conn)
        .await
}

/// An account as the account-care page lists it.
#[derive(Debug, Clone, FromRow)]
pub struct AccountRow {
    pub id: i64,
    pub full_name: String,
    pub phone: String,
    pub unit_id: i64,
    pub unit_name: String,
    pub role: String,
}

/// Accounts whose phone or name matches (`%` patterns), staff first, at most `limit`.
pub async fn find_accounts(
    conn: &mut AnyConnection,
    phone_like: &str,
    limit: i64,
) -> sqlx::Result<Vec<AccountRow>> {
    sqlx::query_as(
        "SELECT u.id, u.full_name, u.phone, u.unit_id, n.name AS unit_name, u.role \
         FROM users u JOIN units n ON n.id = u.unit_id \
         WHERE u.phone LIKE $1 OR LOWER(u.full_name) LIKE LOWER($1) \
         ORDER BY u.role = 'participant', u.id LIMIT $2",
    )
    .bind(phone_like)
    .bind(limit)
    .fetch_all(conn)
    .await
}

/// Every account with an organizer role.
pub async fn staff(conn: &mut AnyConnection) -> sqlx::Result<Vec<AccountRow>> {
    sqlx::query_as(
        "SELECT u.id, u.full_name, u.phone, u.unit_id, n.name AS unit_name, u.role \
         FROM users u JOIN units n ON n.id = u.unit_id WHERE u.role <> 'participant' ORDER BY u.id",
    )
    .fetch_all(conn)
    .await
}

pub async fn account_by_id(conn: &mut AnyConnection, id: i64) -> sqlx::Result<Option<AccountRow>> {
    sqlx::query_as(
        "SELECT u.id, u.full_name, u.phone, u.unit_id, n.name AS unit_name, u.role \
         FROM users u JOIN units n ON n.id = u.unit_id WHERE u.id = $1",
    )
    .bind(id)
    .fetch_optional(conn)
    .await
}

pub async fn count_admins(conn: &mut AnyConnection) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE role = 'admin'")
        .fetch_one(conn)
        .await
}

pub async fn set_role(conn: &mut AnyConnection, id: i64, role: &str) -> sqlx::Result<()> {
    sqlx::query("UPDATE users SET role = $2 WHERE id = $1")
        .bind(id)
        .bind(role)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn set_unit(conn: &mut AnyConnection, id: i64, unit_id: i64) -> sqlx::Result<()> {
    sqlx::query("UPDATE users SET unit_id = $2 WHERE id = $1")
        .bind(id)
        .bind(unit_id)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn password_hash_of(conn: &mut AnyConnection, id: i64) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar("SELECT password_hash FROM users WHERE id = $1")
        .bind(id)
        .fetch_optional(conn)
        .await
}

/// Sets a new password and ends every session of the account but `keep` (a token hash).
pub async fn set_password(
    conn: &mut AnyConnection,
    id: i64,
    hash: &str,
    keep: &str,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE users SET password_hash = $2 WHERE id = $1")
        .bind(id)
        .bind(hash)
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
        .bind(id)
        .bind(keep)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub async fn insert_reset(
    conn: &mut AnyConnection,
    user_id: i64,
    code_hash: &str,
    issued_by: i64,
    now: i64,
    expires_at: i64,
) -> sqlx::Result<()> {
    // A new code replaces any earlier one still unused.
    sqlx::query("UPDATE password_resets SET used_at = $2 WHERE user_id = $1 AND used_at IS NULL")
        .bind(user_id)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "INSERT INTO password_resets (user_id, code_hash, issued_by, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(user_id)
    .bind(code_hash)
    .bind(issued_by)
    .bind(now)
    .bind(expires_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// Uses the account's unexpired, unused code if it matches; true when it did.
pub async fn use_reset(
    conn: &mut AnyConnection,
    user_id: i64,
    code_hash: &str,
    now: i64,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE password_resets SET used_at = $3 WHERE user_id = $1 AND code_hash = $2 \
         AND used_at IS NULL AND expires_at > $3",
    )
    .bind(user_id)
    .bind(code_hash)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The first administrator, created from the command line: an account with the admin role.
pub async fn ensure_unit(conn: &mut AnyConnection, code: &str, name: &str) -> sqlx::Result<i64> {
    let existing: Option<i64> = sqlx::query_scalar("SELECT id FROM units WHERE code = $1")
        .bind(code)
        .fetch_optional(&mut *conn)
        .await?;
    match existing {
        Some(id) => Ok(id),
        None => {
            sqlx::query_scalar(
                "INSERT INTO units (code, name, kind, headcount) VALUES ($1, $2, 'agency', 0) RETURNING id",
            )
            .bind(code)
            .bind(name)
            .fetch_one(conn)
            .await
        }
    }
}
