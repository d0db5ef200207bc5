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

/// The entries assigned to a juror, or None when the contest assigns none (every juror
/// scores every entry).
pub(super) async fn assigned_to(
    conn: &mut sqlx::AnyConnection,
    contest_id: i64,
    juror_id: i64,
) -> Result<Option<Vec<i64>>, AppError> {
    let all = repo::assignments(conn, contest_id).await?;
    if all.is_empty() {
        return Ok(None);
    }
    Ok(Some(
        all.into_iter()
            .filter(|(_, j)| *j == juror_id)
            .map(|(e, _)| e)
            .collect(),
    ))
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
    let mut my_comments: HashMap<i64, Vec<String>> = HashMap::new();
    for (entry, criterion, points, comment) in mine {
        let v = my_points
            .entry(entry)
            .or_insert_with(|| vec![0; rubric.len()]);
        let notes = my_comments
            .entry(entry)
            .or_insert_with(|| vec![String::new(); rubric.len()]);
        if let (Some(slot), Some(note)) = (
            v.get_mut(criterion as usize),
            notes.get_mut(criterion as usize),
        ) {
            *slot = points.max(0) as u32;
            *note = comment;
        }
    }
    let assigned = assigned_to(&mut conn, c.id, user.id).await?;
    let entries = entries(&mut conn, c.id, None)
        .await?
        .into_iter()
        .filter(|e| !e.awaiting_preselection)
        .filter(|e| assigned.as_ref().is_none_or(|a| a.contains(&e.id)))
        .map(|e| JuryEntry {
            my_points: my_points.remove(&e.id),
            my_comments: my_comments.remove(&e.id).unwrap_or_default(),
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
    let rubric = rubric_of(&c);
    let points = rules::validate_scores(&rubric, &form.points).map_err(AppError::Invalid)?;
    let comments = rules::validate_comments(&rubric, &form.comments).map_err(AppError::Invalid)?;
    // Only an entry this juror is to score: past its pre-selection, and assigned to them when
    // the committee assigns entries.
    let entry = repo::entry_by_id(&mut tx, form.entry_id, "")
        .await?
        .ok_or_else(|| AppError::NotFound("Không tìm thấy bài dự thi.".into()))?;
    let stage = super::stage::stage(&mut tx, &c).await?;
    if stage.awaits_preselection(entry.unit_parent_id, entry.preselected_at.is_some()) {
        return Err(AppError::Conflict(
            "Bài dự thi này chưa được đơn vị cấp trên xét chọn gửi lên.".into(),
        ));
    }
    if assigned_to(&mut tx, contest_id, user.id)
        .await?
        .is_some_and(|a| !a.contains(&form.entry_id))
    {
        return Err(AppError::Forbidden(
            "Bài dự thi này không được phân công cho bạn chấm.".into(),
        ));
    }
    repo::replace_scores(&mut tx, form.entry_id, user.id, &points, &comments, now).await?;
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
