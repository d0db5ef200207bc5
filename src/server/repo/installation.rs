//! Settings of the installation as a whole, shared by every app server.

use sqlx::AnyConnection;

/// The secret named `name`: `candidate` is stored when there is none yet; whichever server
/// stored first wins, and every server reads the same one.
pub async fn secret(conn: &mut AnyConnection, name: &str, candidate: &str) -> sqlx::Result<String> {
    sqlx::query(
        "INSERT INTO installation_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
    )
    .bind(name)
    .bind(candidate)
    .execute(&mut *conn)
    .await?;
    sqlx::query_scalar("SELECT value FROM installation_secrets WHERE name = $1")
        .bind(name)
        .fetch_one(conn)
        .await
}

/// How many migrations the database has applied successfully.
pub async fn applied_migrations(conn: &mut AnyConnection) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM _sqlx_migrations WHERE success")
        .fetch_one(conn)
        .await
}

/// A consistent copy of a SQLite database in a new file, taken while others read and write.
pub async fn sqlite_vacuum_into(conn: &mut AnyConnection, path: &str) -> sqlx::Result<()> {
    sqlx::query("VACUUM INTO $1")
        .bind(path)
        .execute(conn)
        .await?;
    Ok(())
}
