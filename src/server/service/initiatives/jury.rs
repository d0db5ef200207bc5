//! The jury: the jurors' points as stored, a juror's page, and scoring one entry.

use std::collections::HashMap;

use super::entries::entries;
use super::{contest, contests, rubric_of, summary};
use crate::domain::initiatives as rules;
use crate::domain::roles::Permission;
use crate::error::AppError;
use crate::model::initiatives::{JuryEntry, JuryView, ScoreForm};
use crate::model::UserInfo;
use crate::server::clock::to_ms;
use crate::server::guard::authorize;
use crate::server::repo::initiatives as repo;
use crate::server::AppState;

/// Each entry's jurors' points, one Vec per juror (in criterion order).
pub(super) async fn points_by_entry(
    conn: &mut sqlx::AnyConnection,
    contest_id: i64,
    criteria: usize,
) -> Result<HashMap<i64, Vec<Vec<u32>>>, AppError> {
    let rows = repo::scores(conn, contest_id).await?;
    let mut by_juror: HashMap<(i64, i64), Vec<u32>> = HashMap::new();
    for (entry, juror, criterion, points) in rows {
        let v = by_juror
            .entry((entry, juror))
            .or_insert_with(|| vec![0; criteria]);
        if let Some(slot) = v.get_mut(criterion as usize) {
            *slot = points.max(0) as u32;
        }
    }
    let mut out: HashMap<i64, Vec<Vec<u32>>> = HashMap::new();
    for ((entry, _), v) in by_juror {
        out.entry(entry).or_default().push(v);
    }
    Ok(out)
}

pub async fn jury_view(
    state: &AppState,
    user: &UserInfo,
    id: Option<i64>,
) -> Result<JuryView, AppError> {
    authorize(user, Permission::ScoreInitiatives)?;
    let now = to_ms(state.clock.now());
    let mut conn = state.db.pool.acquire().await?;
    let all = contests(&mut conn).await?;
    let list = all.iter().map(|c| summary(c, now)).collect();
    let Some(c) = id
        .and_then(|id| all.iter().find(|c| c.id == id))
        .or_else(|| all.first())
        .cloned()
    else {
        return Ok(JuryView {
            contests: list,
            contest_id: None,
            rubric: Vec::new(),
            entries: Vec::new(),
            closed: false,
        });
    };
    let rubric = rubric_of(&c);
    let mine = repo::scores_of_juror(&mut conn, c.id, user.id).await?;
    let mut my_points: HashMap<i64, Vec<u32>> = HashMap::new();
    for (entry, criterion, points) in mine {
        let v = my_points
            .entry(entry)
            .or_insert_with(|| vec![0; rubric.len()]);
        if let Some(slot) = v.get_mut(criterion as usize) {
            *slot = points.max(0) as u32;
        }
    }
    let entries = entries(&mut conn, c.id, None)
        .await?
        .into_iter()
        .map(|e| JuryEntry {
            my_points: my_points.remove(&e.id),
            entry: e,
        })
        .collect();
    Ok(JuryView {
        contests: list,
        contest_id: Some(c.id),
        rubric,
        entries,
        closed: c.published_at.is_some(),
    })
}

/// Stores a juror's points for one entry (replacing theirs); returns the contest's id.
/// A change after the prizes were computed sets them aside: the committee computes again.
#[tracing::instrument(skip_all)]
pub async fn score(state: &AppState, user: &UserInfo, form: &ScoreForm) -> Result<i64, AppError> {
    authorize(user, Permission::ScoreInitiatives)?;
    let now = to_ms(state.clock.now());
    let mut tx = state.db.begin_write().await?;
    let contest_id = repo::contest_of_entry(&mut tx, form.entry_id)
        .await?
        .ok_or_else(|| AppError::NotFound("Không tìm thấy bài dự thi.".into()))?;
    let c = contest(&mut tx, contest_id).await?;
    if c.published_at.is_some() {
        return Err(AppError::Conflict(
            "Kết quả đã công bố, không chấm lại được.".into(),
        ));
    }
    let points = rules::validate_scores(&rubric_of(&c), &form.points).map_err(AppError::Invalid)?;
    repo::replace_scores(&mut tx, form.entry_id, user.id, &points, now).await?;
    if c.computed_at.is_some() {
        repo::delete_awards(&mut tx, contest_id).await?;
        repo::set_computed_at(&mut tx, contest_id, None).await?;
    }
    tx.commit().await?;
    tracing::info!(
        user_id = user.id,
        entry = form.entry_id,
        "initiative entry scored"
    );
    Ok(contest_id)
}
