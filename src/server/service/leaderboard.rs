use std::collections::HashMap;

use crate::domain::ranking::{rank_per_person, CountingMode, Entry};
use crate::error::AppError;
use crate::model::{Leaderboard, LeaderboardRow};
use crate::server::repo::{attempts, contests};
use crate::server::AppState;

pub const TOP: usize = 100;

/// A round's public leaderboard: the final attempt that counts for each person (best,
/// first or last, as the contest says), ranked.
pub async fn round_board(state: &AppState, round_id: i64) -> Result<Leaderboard, AppError> {
    let mut conn = state.db.pool.acquire().await?;
    let round = contests::round_by_id(&mut conn, round_id)
        .await?
        .ok_or_else(|| AppError::NotFound("Không tìm thấy vòng thi.".into()))?;
    let contest = contests::contest_by_id(&mut conn, round.contest_id)
        .await?
        .ok_or(AppError::Internal)?;
    let finished = attempts::finished_entries(&mut conn, round_id).await?;
    let entries: Vec<Entry<i64>> = finished
        .iter()
        .map(|f| Entry {
            key: f.user_id,
            score: f.score,
            elapsed_ms: f.elapsed_ms,
            submitted_at: f.submitted_at,
        })
        .collect();
    // Each ranked entry is one stored attempt: find its row by (person, submission time).
    let rows_by_attempt: HashMap<(i64, i64), &attempts::FinishedEntry> = finished
        .iter()
        .map(|f| ((f.user_id, f.submitted_at), f))
        .collect();
    let mode = CountingMode::parse(&contest.counting_mode).unwrap_or_default();
    let ranked = rank_per_person(&entries, mode);
    let entrants = ranked.len() as u32;
    let rows = ranked
        .into_iter()
        .take(TOP)
        .filter_map(|(rank, e)| {
            let p = rows_by_attempt.get(&(e.key, e.submitted_at))?;
            Some(LeaderboardRow {
                rank,
                full_name: p.full_name.clone(),
                unit_name: p.unit_name.clone(),
                score: e.score,
                correct: p.correct_count.max(0) as u32,
                elapsed_ms: e.elapsed_ms,
            })
        })
        .collect();
    Ok(Leaderboard {
        round_id,
        round_name: round.name,
        contest_name: contest.name,
        rows,
        entrants,
    })
}
