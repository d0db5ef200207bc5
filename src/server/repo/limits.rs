//! Shared rate-limit state (Postgres: every app server reads and writes the same rows). Each
//! read-modify-write runs in a transaction that locks its row (`FOR UPDATE`), so two servers
//! never both spend the last request.

use sqlx::AnyConnection;

/// A bucket's row, created full (`level`) if missing, locked for the transaction.
pub async fn bucket_for_update(
    conn: &mut AnyConnection,
    kind: &str,
    key: &str,
    full_level: i64,
    now_ms: i64,
) -> sqlx::Result<(i64, i64)> {
    sqlx::query(
        "INSERT INTO rate_buckets (kind, key, level, updated_ms) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (kind, key) DO NOTHING",
    )
    .bind(kind)
    .bind(key)
    .bind(full_level)
    .bind(now_ms)
    .execute(&mut *conn)
    .await?;
    sqlx::query_as(
        "SELECT level, updated_ms FROM rate_buckets WHERE kind = $1 AND key = $2 FOR UPDATE",
    )
    .bind(kind)
    .bind(key)
    .fetch_one(conn)
    .await
}

/// A bucket's row without locking it (a look, not a spend).
pub async fn bucket(
    conn: &mut AnyConnection,
    kind: &str,
    key: &str,
) -> sqlx::Result<Option<(i64, i64)>> {
    sqlx::query_as("SELECT level, updated_ms FROM rate_buckets WHERE kind = $1 AND key = $2")
        .bind(kind)
        .bind(key)
        .fetch_optional(conn)
        .await
}

pub async fn set_bucket(
    conn: &mut AnyConnection,
    kind: &str,
    key: &str,
    level: i64,
    updated_ms: i64,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE rate_buckets SET level = $3, updated_ms = $4 WHERE kind = $1 AND key = $2")
        .bind(kind)
        .bind(key)
        .bind(level)
        .bind(updated_ms)
        .execute(conn)
        .await?;
    Ok(())
}

/// Failed logins to `account` from `place`: (count, last failure), if any.
pub async fn failures(
    conn: &mut AnyConnection,
    account: &str,
    place: &str,
) -> sqlx::Result<Option<(i64, i64)>> {
    sqlx::query_as("SELECT failures, last_ms FROM login_failures WHERE account = $1 AND place = $2")
        .bind(account)
        .bind(place)
        .fetch_optional(conn)
        .await
}

/// The failures row, created empty if missing, locked for the transaction.
pub async fn failures_for_update(
    conn: &mut AnyConnection,
    account: &str,
    place: &str,
) -> sqlx::Result<(i64, i64)> {
    sqlx::query(
        "INSERT INTO login_failures (account, place, failures, last_ms) VALUES ($1, $2, 0, 0) \
         ON CONFLICT (account, place) DO NOTHING",
    )
    .bind(account)
    .bind(place)
    .execute(&mut *conn)
    .await?;
    sqlx::query_as(
        "SELECT failures, last_ms FROM login_failures WHERE account = $1 AND place = $2 \
         FOR UPDATE",
    )
    .bind(account)
    .bind(place)
    .fetch_one(conn)
    .await
}

pub async fn set_failures(
    conn: &mut AnyConnection,
    account: &str,
    place: &str,
    count: i64,
    last_ms: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE login_failures SET failures = $3, last_ms = $4 WHERE account = $1 AND place = $2",
    )
    .bind(account)
    .bind(place)
    .bind(count)
    .bind(last_ms)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn clear_failures(
    conn: &mut AnyConnection,
    account: &str,
    place: &str,
) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM login_failures WHERE account = $1 AND place = $2")
        .bind(account)
        .bind(place)
        .execute(conn)
        .await?;
    Ok(())
}

/// Forgets buckets untouched since `buckets_before` (full again by then) and failures older
/// than `failures_before`.
pub async fn prune(
    conn: &mut AnyConnection,
    buckets_before: i64,
    failures_before: i64,
) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM rate_buckets WHERE updated_ms < $1")
        .bind(buckets_before)
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM login_failures WHERE last_ms < $1")
        .bind(failures_before)
        .execute(conn)
        .await?;
    Ok(())
}
