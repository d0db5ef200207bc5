//! Outcomes of plain form posts kept for the page the browser is sent back to.

use sqlx::AnyConnection;

pub async fn insert(
    conn: &mut AnyConnection,
    id: &str,
    user_id: i64,
    created_at: i64,
    payload: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO form_outcomes (id, user_id, created_at, payload) VALUES ($1, $2, $3, $4)",
    )
    .bind(id)
    .bind(user_id)
    .bind(created_at)
    .bind(payload)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn delete_older_than(conn: &mut AnyConnection, before: i64) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM form_outcomes WHERE created_at < $1")
        .bind(before)
        .execute(conn)
        .await?;
    Ok(())
}

/// The payload, only for the person whose post it was.
pub async fn payload_for(
    conn: &mut AnyConnection,
    id: &str,
    user_id: i64,
) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar("SELECT payload FROM form_outcomes WHERE id = $1 AND user_id = $2")
        .bind(id)
        .bind(user_id)
        .fetch_optional(conn)
        .await
}
