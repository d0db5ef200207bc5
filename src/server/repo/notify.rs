use sqlx::AnyConnection;

/// Postgres only: tells every listener on `channel` (other app servers) about a change.
pub async fn pg_notify(conn: &mut AnyConnection, channel: &str, payload: &str) -> sqlx::Result<()> {
    sqlx::query("SELECT pg_notify($1, $2)")
        .bind(channel)
        .bind(payload)
        .execute(conn)
        .await?;
    Ok(())
}
