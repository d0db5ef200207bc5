use sqlx::{AnyConnection, FromRow};

pub struct NewAuditEntry<'a> {
    pub at: i64,
    pub kind: &'a str,
    pub user_id: Option<i64>,
    pub ip: &'a str,
    pub action: &'a str,
    pub status: u16,
    pub detail: &'a str,
    /// The contest the action concerned (by slug; empty: the default contest), if any.
    pub contest: Option<&'a str>,
}

pub async fn insert_entry(conn: &mut AnyConnection, e: NewAuditEntry<'_>) -> sqlx::Result<()> {
    let contest_id: Option<i64> = match e.contest {
        None => None,
        Some(slug) => crate::server::repo::contests::resolve(&mut *conn, slug)
            .await?
            .map(|c| c.id),
    };
    sqlx::query(
        "INSERT INTO audit_log (at, kind, user_id, ip, action, status, detail, contest_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(e.at)
    .bind(e.kind)
    .bind(e.user_id)
    .bind(e.ip)
    .bind(e.action)
    .bind(i64::from(e.status))
    .bind(e.detail)
    .bind(contest_id)
    .execute(conn)
    .await?;
    Ok(())
}

#[derive(Debug, Clone, FromRow)]
pub struct AuditRow {
    pub at: i64,
    pub kind: String,
    pub full_name: Option<String>,
    pub phone: Option<String>,
    pub ip: String,
    pub action: String,
    pub status: i64,
    pub detail: String,
}

/// Which entries a page of the log shows: a kind ("" for all), a person (part of a name or
/// phone number, "" for anyone), a time range in ms (`from` inclusive, `until` exclusive).
pub struct AuditFilter<'a> {
    pub kind: &'a str,
    pub person: &'a str,
    pub from: i64,
    pub until: i64,
}

const AUDIT_WHERE: &str = "FROM audit_log a LEFT JOIN users u ON u.id = a.user_id \
     WHERE ($1 = '' OR a.kind = $1) \
     AND ($2 = '' OR u.phone LIKE $2 OR LOWER(u.full_name) LIKE LOWER($2)) \
     AND a.at >= $3 AND a.at < $4";

fn like(person: &str) -> String {
    let p = person.trim();
    if p.is_empty() {
        String::new()
    } else {
        format!("%{}%", p.replace(['%', '_'], ""))
    }
}

/// One page of matching entries, newest first.
pub async fn entries(
    conn: &mut AnyConnection,
    f: &AuditFilter<'_>,
    limit: i64,
    offset: i64,
) -> sqlx::Result<Vec<AuditRow>> {
    sqlx::query_as(&format!(
        "SELECT a.at, a.kind, u.full_name, u.phone, a.ip, a.action, a.status, a.detail \
         {AUDIT_WHERE} ORDER BY a.id DESC LIMIT $5 OFFSET $6"
    ))
    .bind(f.kind)
    .bind(like(f.person))
    .bind(f.from)
    .bind(f.until)
    .bind(limit)
    .bind(offset)
    .fetch_all(conn)
    .await
}

/// How many entries match.
pub async fn count_entries(conn: &mut AnyConnection, f: &AuditFilter<'_>) -> sqlx::Result<i64> {
    sqlx::query_scalar(&format!("SELECT COUNT(*) {AUDIT_WHERE}"))
        .bind(f.kind)
        .bind(like(f.person))
        .bind(f.from)
        .bind(f.until)
        .fetch_one(conn)
        .await
}

/// Deletes entries older than `before` (ms); returns how many.
pub async fn delete_older_than(conn: &mut AnyConnection, before: i64) -> sqlx::Result<u64> {
    Ok(sqlx::query("DELETE FROM audit_log WHERE at < $1")
        .bind(before)
        .execute(conn)
        .await?
        .rows_affected())
}
