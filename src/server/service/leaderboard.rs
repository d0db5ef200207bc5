//! A round's leaderboard computed from the database. Served from memory by `server::live`,
//! which sits above this module.

use std::collections::{BTreeSet, HashMap};

use crate::error::AppError;
use crate::model::{Leaderboard, LeaderboardRow, MyRank, UnitBoardRow};
use crate::server::repo::contests;
use crate::server::service::standings;
use crate::server::AppState;

pub const TOP: usize = 100;
/// Units shown beside the board.
pub const TOP_UNITS: usize = 20;

/// A computed board, with everyone's place (not only the top) and how long it stays right.
pub struct ComputedBoard {
    pub board: Leaderboard,
    pub ranks: HashMap<i64, MyRank>,
    /// The next time the board changes by itself (freeze, close, publication), if any.
    pub fresh_until: Option<i64>,
}

/// Computes a round's public leaderboard from the database: the final attempt that counts for
/// each person (best, first or last, as the contest says), ranked by the contest's chain,
/// without entries the committee set aside. During the contest's freeze (the last minutes
/// before the close, until the results are public) it shows the standings as they were when
/// the freeze began.
pub async fn compute_round_board(
    state: &AppState,
    round_id: i64,
) -> Result<ComputedBoard, AppError> {
    let started = std::time::Instant::now();
    let now = crate::server::clock::to_ms(state.clock.now());
    let mut conn = state.db.pool.acquire().await?;
    let round = contests::round_by_id(&mut conn, round_id)
        .await?
        .ok_or_else(|| AppError::NotFound("Không tìm thấy vòng thi.".into()))?;
    let contest = contests::contest_by_id(&mut conn, round.contest_id)
        .await?
        .ok_or(AppError::Internal)?;
    let set_aside: BTreeSet<i64> =
        crate::server::repo::awards::disqualified_ids(&mut conn, round_id)
            .await?
            .into_iter()
            .collect();
    let freeze_at =
        (contest.freeze_minutes > 0).then(|| round.closes_at - contest.freeze_minutes * 60_000);
    let public_from = round
        .awards_published_at
        .map(|p| round.results_at.map_or(p, |r| r.max(p)));
    let frozen_since = freeze_at.filter(|f| now >= *f && public_from.is_none_or(|p| now < p));
    let hidden = crate::domain::contests::board_hidden_until(
        contest.board_hidden != 0,
        round.results_at,
        public_from,
        now,
    );
    let mut s =
        standings::of_round(&mut conn, &contest, &round, now, &set_aside, frozen_since).await?;
    if hidden.is_some() {
        s.list.clear();
        s.entrants = 0;
    }
    let has_ties = s.list.iter().any(|(p, _)| p.tied);
    let mut ranks = HashMap::with_capacity(s.list.len());
    let mut units: HashMap<String, UnitBoardRow> = HashMap::new();
    for (p, f) in &s.list {
        ranks.insert(
            f.user_id,
            MyRank {
                rank: p.rank,
                tied: p.tied,
                score: f.score,
                elapsed_ms: f.elapsed_ms,
            },
        );
        let u = units
            .entry(f.unit_name.clone())
            .or_insert_with(|| UnitBoardRow {
                unit_name: f.unit_name.clone(),
                entrants: 0,
                best_score: f.score,
            });
        u.entrants += 1;
        u.best_score = u.best_score.max(f.score);
    }
    let mut units: Vec<UnitBoardRow> = units.into_values().collect();
    units.sort_by(|a, b| {
        b.entrants
            .cmp(&a.entrants)
            .then(b.best_score.cmp(&a.best_score))
            .then_with(|| crate::domain::vnsort::compare(&a.unit_name, &b.unit_name))
    });
    units.truncate(TOP_UNITS);
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
    let fresh_until = [
        freeze_at,
        Some(round.closes_at),
        public_from,
        hidden.flatten(),
    ]
    .into_iter()
    .flatten()
    .filter(|t| *t > now)
    .min();
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
        // Hidden while frozen: it would tell how the hidden entries went.
        prediction_actual: s
            .rules
            .prediction_actual
            .filter(|_| frozen_since.is_none() && hidden.is_none()),
        frozen_since: frozen_since.map(crate::domain::vntime::format_vn_time),
        units,
        hidden: hidden.is_some(),
        hidden_until: hidden
            .flatten()
            .map(crate::domain::vntime::format_vn_time)
            .unwrap_or_default(),
    };
    state
        .metrics
        .board_computed(started.elapsed().as_secs_f64());
    Ok(ComputedBoard {
        board,
        ranks,
        fresh_until,
    })
}
