//! Prizes: combining the jurors' points into ranks and prizes, publishing them, and the
//! results as shown once they are public.

use std::collections::HashMap;

use super::entries::entries;
use super::jury::points_by_entry;
use super::{contest, points_text, rubric_of};
use crate::domain::initiatives as rules;
use crate::domain::roles::Permission;
use crate::error::AppError;
use crate::model::initiatives::{EntryView, ResultRow};
use crate::model::UserInfo;
use crate::server::clock::to_ms;
use crate::server::guard::authorize;
use crate::server::repo::initiatives as repo;
use crate::server::AppState;

pub(super) async fn results(
    conn: &mut sqlx::AnyConnection,
    contest_id: i64,
) -> Result<Vec<ResultRow>, AppError> {
    let awards = repo::awards(&mut *conn, contest_id).await?;
    let mut all: HashMap<i64, EntryView> = entries(conn, contest_id, None)
        .await?
        .into_iter()
        .map(|e| (e.id, e))
        .collect();
    Ok(awards
        .into_iter()
        .filter_map(|a| {
            Some(ResultRow {
                rank: a.rank as u32,
                prize: a.prize,
                score: points_text(a.score),
                entry: all.remove(&a.entry_id)?,
            })
        })
        .collect())
}

/// Combines the jurors' scores and computes the prizes. After the deadline, before publication.
#[tracing::instrument(skip_all)]
pub async fn compute(state: &AppState, user: &UserInfo, id: i64) -> Result<u32, AppError> {
    authorize(user, Permission::ManageContest)?;
    let now = to_ms(state.clock.now());
    let mut tx = state.db.begin_write().await?;
    let c = contest(&mut tx, id).await?;
    if now <= c.submission_deadline {
        return Err(AppError::Conflict(
            "Chưa hết hạn nộp bài, chưa thể tính giải.".into(),
        ));
    }
    if c.published_at.is_some() {
        return Err(AppError::Conflict(
            "Kết quả đã công bố, không tính lại được.".into(),
        ));
    }
    let rubric = rubric_of(&c);
    let tiers = crate::domain::awards::parse_tiers(&c.prizes).unwrap_or_default();
    let points = points_by_entry(&mut tx, id, rubric.len()).await?;
    let combined: Vec<rules::Combined<i64>> = points
        .iter()
        .filter_map(|(entry, p)| rules::combine(*entry, p))
        .collect();
    let placed = rules::rank(&combined);
    let winners = rules::prizes(&placed, &tiers);
    let by_key: HashMap<i64, &crate::domain::awards::Placed<i64>> =
        placed.iter().map(|p| (p.entry.key, p)).collect();
    repo::delete_awards(&mut tx, id).await?;
    for (entry, tier) in &winners {
        let p = by_key[entry];
        repo::insert_award(
            &mut tx,
            id,
            *entry,
            p.rank,
            &tiers[*tier].name,
            p.entry.score,
        )
        .await?;
    }
    repo::set_computed_at(&mut tx, id, Some(now)).await?;
    tx.commit().await?;
    tracing::info!(
        user_id = user.id,
        contest = id,
        winners = winners.len(),
        "initiative prizes computed"
    );
    Ok(winners.len() as u32)
}

#[tracing::instrument(skip_all)]
pub async fn publish(state: &AppState, user: &UserInfo, id: i64) -> Result<(), AppError> {
    authorize(user, Permission::ManageContest)?;
    let now = to_ms(state.clock.now());
    let mut tx = state.db.begin_write().await?;
    let c = contest(&mut tx, id).await?;
    if c.published_at.is_some() {
        return Err(AppError::Conflict("Kết quả đã được công bố.".into()));
    }
    if c.computed_at.is_none() {
        return Err(AppError::Conflict(
            "Cần tính giải trước khi công bố kết quả.".into(),
        ));
    }
    repo::set_published_at(&mut tx, id, now).await?;
    tx.commit().await?;
    tracing::info!(
        user_id = user.id,
        contest = id,
        "initiative results published"
    );
    Ok(())
}
