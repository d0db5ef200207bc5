//! Throw-away databases, for the integration tests (`tests/helpers.rs`) and the load
//! benchmark (`benches/load/process.rs`); both include this file with `#[path = ...] mod`.
// Each of the two uses part of it.
#![allow(dead_code)]

use std::path::Path;

/// The Postgres the tests and the benchmark create their databases on, unless overridden.
pub const DEFAULT_PG_ADMIN: &str = "postgres://postgres@127.0.0.1:5432/postgres";

/// The admin URL from the environment variable `var`, or the default.
pub fn pg_admin_from_env(var: &str) -> String {
    std::env::var(var).unwrap_or_else(|_| DEFAULT_PG_ADMIN.to_string())
}

/// The URL of database `name` on the server of `admin` (same user and host).
pub fn pg_database_url(admin: &str, name: &str) -> String {
    let base = admin.rsplit_once('/').map(|(b, _)| b).unwrap_or(admin);
    format!("{base}/{name}")
}

/// Creates database `name` on the server of `admin` (dropping it first if `replace`, even
/// with sessions still open) and returns its URL.
pub async fn create_pg_database(
    admin: &str,
    name: &str,
    replace: bool,
) -> Result<String, sqlx::Error> {
    sqlx::any::install_default_drivers();
    let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(admin).await?;
    if replace {
        sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .execute(&mut conn)
            .await?;
    }
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut conn)
        .await?;
    Ok(pg_database_url(admin, name))
}

/// Drops database `name` on the server of `admin`, even with sessions still open.
pub async fn drop_pg_database(admin: &str, name: &str) -> Result<(), sqlx::Error> {
    sqlx::any::install_default_drivers();
    let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(admin).await?;
    sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .execute(&mut conn)
        .await?;
    Ok(())
}

/// The URL of an SQLite database file (created on first connection).
pub fn sqlite_url(path: &Path) -> String {
    format!("sqlite://{}", path.display())
}

/// Removes an SQLite database given by its URL or path, with its WAL and shared-memory files.
pub fn remove_sqlite(url_or_path: &str) {
    let path = url_or_path.trim_start_matches("sqlite://");
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{path}{suffix}"));
    }
}
