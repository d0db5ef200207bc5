use std::collections::BTreeSet;

use crate::error::AppError;
use crate::model::{Leaderboard, LeaderboardRow};
use crate::server::repo::contests;
use crate::server::service::standings;
use crate::server::AppState;

pub const TOP: usize = 100;

/// A round's public leaderboard, from memory (see `server::live`).
pub async fn round_board(state: &AppState, round_id: i64) -> Result<Leaderboard, AppError> {
    Ok((*crate::server::live::board(state, round_id).await?).clone())
}

/// Computes a round's public leaderboard from the database: the final attempt that counts for
/// each person (best, first or last, as the contest says), ranked by the contest's chain,
/// without entries the committee set aside.
/// Also returns until when the board stays right without a change (the round's close, when the
/// prediction's actual value becomes known), if such a time lies ahead.
pub async fn compute_round_board(
    state: &AppState,
    round_id: i64,
) -> Result<(Leaderboard, Option<i64>), AppError> {
    let now = crate::server::clock::to_ms(state.clock.now());
    let mut conn = state.db.pool.acquire().await?;
    let round = contests::round_by_id(&mut conn, round_id)
        .await?
        .ok_or_else(|| AppError::NotFound("Không tìm thấy vòng thi.".into()))?;
    let contest = contests::contest_by_id(&mut conn, round.contest_id)
        .await?
        .ok_or(AppError::Internal)?;
    let set_aside: BTreeSet<i64> =
        sqlx::query_scalar("SELECT user_id FROM disqualifications WHERE round_id = $1")
            .bind(round_id)
            .fetch_all(&mut *conn)
            .await?
            .into_iter()
            .collect();
    let s = standings::of_round(&mut conn, &contest, &round, now, &set_aside).await?;
    let has_ties = s.list.iter().any(|(p, _)| p.tied);
    let rows = s
        .list
        .into_iter()
        .take(TOP)
        .map(|(p, f)| LeaderboardRow {
            rank: p.rank,
            full_name: f.full_name,
            unit_name: f.unit_name,
            score: f.score,
            correct: f.correct_count.max(0) as u32,
            elapsed_ms: f.elapsed_ms,
            tied: p.tied,
        })
        .collect();
    let fresh_until = (now < round.closes_at).then_some(round.closes_at);
    let board = Leaderboard {
        round_id,
        round_name: round.name,
        contest_name: contest.name,
        rows,
        entrants: s.entrants,
        chain: s
            .rules
            .chain
            .iter()
            .map(|t| t.label().to_string())
            .collect(),
        has_ties,
        prediction_actual: s.rules.prediction_actual,
    };
    Ok((board, fresh_until))
}
