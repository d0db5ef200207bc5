use sqlx::AnyConnection;

/// Postgres only: tells every listener on `channel` (other app servers) about changes, one
/// notification per payload, in one round trip and in their order.
pub async fn pg_notify_all(
    conn: &mut AnyConnection,
    channel: &str,
    payloads: &[String],
) -> sqlx::Result<()> {
    if payloads.is_empty() {
        return Ok(());
    }
    let calls = (0..payloads.len())
        .map(|i| format!("pg_notify($1, ${})", i + 2))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!("SELECT {calls}");
    let mut q = sqlx::query(&sql).bind(channel);
    for p in payloads {
        q = q.bind(p.as_str());
    }
    q.execute(conn).await?;
    Ok(())
}
