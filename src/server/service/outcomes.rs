//! An error too large for a redirect's URL (an import's list of refused rows) is kept here
//! and the redirect carries its id.

use chrono::Duration;

use crate::error::AppError;
use crate::server::clock::to_ms;
use crate::server::repo::outcomes as repo;
use crate::server::{session, AppState};

/// Stores `error` for `user_id`; returns the id to put in the redirect.
pub async fn keep(state: &AppState, user_id: i64, error: &AppError) -> Result<String, AppError> {
    let now = state.clock.now();
    let id = session::new_token();
    let payload = serde_json::to_string(error).map_err(AppError::internal("unencodable error"))?;
    let mut tx = state.db.begin_write().await?;
    repo::delete_older_than(&mut tx, to_ms(now - Duration::days(1))).await?;
    repo::insert(&mut tx, &id, user_id, to_ms(now), &payload).await?;
    tx.commit().await?;
    Ok(id)
}

/// The error kept under `id` for this person, if any (a day at most).
pub async fn take(state: &AppState, user_id: i64, id: &str) -> Result<Option<AppError>, AppError> {
    let mut conn = state.db.pool.acquire().await?;
    Ok(repo::payload_for(&mut conn, id, user_id)
        .await?
        .and_then(|p| serde_json::from_str(&p).ok()))
}
