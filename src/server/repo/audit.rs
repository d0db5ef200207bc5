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

/// The latest entries, newest first; `kind` empty for every kind.
pub async fn latest_entries(
    conn: &mut AnyConnection,
    kind: &str,
    limit: i64,
) -> sqlx::Result<Vec<AuditRow>> {
    sqlx::query_as(
        "SELECT a.at, a.kind, u.full_name, u.phone, a.ip, a.action, a.status, a.detail \
         FROM audit_log a LEFT JOIN users u ON u.id = a.user_id \
         WHERE ($1 = '' OR a.kind = $1) ORDER BY a.id DESC LIMIT $2",
    )
    .bind(kind)
    .bind(limit)
    .fetch_all(conn)
    .await
}
