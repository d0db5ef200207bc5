//! A round's leaderboard computed from the database, as a `LiveRanking` that later entries
//! move through one at a time. Served from memory by `server::live`, which sits above this
//! module.

use std::collections::BTreeSet;

use crate::domain::live_ranking::{BoardEntry, LiveRanking};
use crate::domain::ranking::CountingMode;
use crate::error::AppError;
use crate::model::{Leaderboard, LeaderboardRow, MyRank, UnitBoardRow};
use crate::server::repo::contests;
use crate::server::repo::participants;
use crate::server::service::standings;
use crate::server::AppState;

pub const TOP: usize = 100;
/// Units shown beside the board.
pub const TOP_UNITS: usize = 20;

/// What a board shows besides its entries, fixed when it is computed.
pub struct BoardHead {
    pub round_id: i64,
    pub round_name: String,
    pub contest_name: String,
    pub chain: Vec<String>,
    /// The freeze began at this time (ms): later submissions stay off the board.
    pub frozen_since: Option<i64>,
    /// Hidden until the results time (`Some(None)`: until the prizes are published).
    pub hidden: Option<Option<i64>>,
}

/// A computed board: everyone's counted entry in order, and how long it stays right.
pub struct ComputedBoard {
    pub head: BoardHead,
    pub ranking: LiveRanking,
    /// The next time the board changes by itself (freeze, close, publication), if any.
    pub fresh_until: Option<i64>,
}

impl ComputedBoard {
    /// Whether a new final attempt can be moved into place: not while hidden, and not once
    /// the prediction's actual value is known (each new entry may change it, and with it
    /// everyone's closeness: the board is computed again instead).
    pub fn incremental(&self) -> bool {
        self.head.hidden.is_none() && self.ranking.rules().prediction_actual.is_none()
    }

    /// Applies a final attempt (see `LiveRanking::apply`); false when the board is unchanged,
    /// for instance for a submission during the freeze.
    pub fn apply(&mut self, entry: BoardEntry, attempts: u32) -> bool {
        if self
            .head
            .frozen_since
            .is_some_and(|cutoff| entry.submitted_at >= cutoff)
        {
            return false;
        }
        self.ranking.apply(entry, attempts)
    }

    /// The board as viewers see it: the top, the units and the counts.
    pub fn snapshot(&self) -> Leaderboard {
        let head = &self.head;
        let hidden = head.hidden.is_some();
        let rows = if hidden {
            Vec::new()
        } else {
            self.ranking
                .top(TOP)
                .into_iter()
                .map(|p| LeaderboardRow {
                    rank: p.rank,
                    full_name: p.entry.full_name.clone(),
                    unit_name: p.entry.unit_name.clone(),
                    score: p.entry.score,
                    correct: p.entry.correct_count.max(0) as u32,
                    elapsed_ms: p.entry.elapsed_ms,
                    tied: p.tied,
                })
                .collect()
        };
        let mut units: Vec<UnitBoardRow> = if hidden {
            Vec::new()
        } else {
            self.ranking
                .units()
                .into_iter()
                .map(|u| UnitBoardRow {
                    unit_name: u.unit_name,
                    entrants: u.entrants,
                    best_score: u.best_score,
                })
                .collect()
        };
        units.sort_by(|a, b| {
            b.entrants
                .cmp(&a.entrants)
                .then(b.best_score.cmp(&a.best_score))
                .then_with(|| crate::domain::vnsort::compare(&a.unit_name, &b.unit_name))
        });
        units.truncate(TOP_UNITS);
        Leaderboard {
            round_id: head.round_id,
            round_name: head.round_name.clone(),
            contest_name: head.contest_name.clone(),
            rows,
            entrants: if hidden { 0 } else { self.ranking.entrants() },
            chain: head.chain.clone(),
            has_ties: !hidden && self.ranking.has_ties(),
            // Hidden while frozen: it would tell how the hidden entries went.
            prediction_actual: self
                .ranking
                .rules()
                .prediction_actual
                .filter(|_| head.frozen_since.is_none() && !hidden),
            frozen_since: head.frozen_since.map(crate::domain::vntime::format_vn_time),
            units,
            hidden,
            hidden_until: head
                .hidden
                .flatten()
                .map(crate::domain::vntime::format_vn_time)
                .unwrap_or_default(),
        }
    }

    /// Someone's own place, if they are on the board.
    pub fn my_rank(&self, user_id: i64) -> Option<MyRank> {
        if self.head.hidden.is_some() {
            return None;
        }
        self.ranking.place_of(user_id).map(|p| MyRank {
            rank: p.rank,
            tied: p.tied,
            score: p.entry.score,
            elapsed_ms: p.entry.elapsed_ms,
        })
    }
}

/// A final attempt as the board needs it, with its person's final attempts in the round.
pub async fn entry_of_attempt(
    state: &AppState,
    round_id: i64,
    attempt_id: i64,
) -> Result<Option<(BoardEntry, u32)>, AppError> {
    let mut conn = state.db.pool.acquire().await?;
    Ok(
        participants::finished_entry(&mut conn, round_id, attempt_id)
            .await?
            .map(|(f, n)| (f, n.clamp(1, i64::from(u32::MAX)) as u32)),
    )
}

/// Computes a round's public leaderboard from the database: the final attempt that counts for
/// each person (best, first or last, as the contest says), ranked by the contest's chain,
/// without entries the committee set aside. During the contest's freeze (the last minutes
/// before the close, until the results are public) it shows the standings as they were when
/// the freeze began. The ranking is built on the blocking pool: with a million entries it
/// takes seconds of CPU, which must not stall the async workers.
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
    let mut finished = if hidden.is_some() {
        Vec::new()
    } else {
        participants::finished_entries(&mut conn, round_id).await?
    };
    drop(conn);
    if let Some(cutoff) = frozen_since {
        finished.retain(|f| f.submitted_at < cutoff);
    }
    let rules = standings::rules_of(&contest);
    let mode = CountingMode::parse(&contest.counting_mode).unwrap_or_default();
    let head = BoardHead {
        round_id,
        round_name: round.name.clone(),
        contest_name: contest.name.clone(),
        chain: rules.chain.iter().map(|t| t.label().to_string()).collect(),
        frozen_since,
        hidden,
    };
    let closes_at = round.closes_at;
    let ranking = tokio::task::spawn_blocking(move || {
        let ranking = LiveRanking::build(rules, mode, set_aside, finished);
        let people = ranking.entrants() as usize;
        let all_correct = ranking.counted().filter(|e| e.all_correct()).count();
        match standings::prediction_actual(&contest, &round, people, all_correct, now) {
            Some(actual) => ranking.with_prediction_actual(actual),
            None => ranking,
        }
    })
    .await
    .map_err(AppError::internal("ranking task failed"))?;
    let fresh_until = [freeze_at, Some(closes_at), public_from, hidden.flatten()]
        .into_iter()
        .flatten()
        .filter(|t| *t > now)
        .min();
    state
        .metrics
        .board_computed(started.elapsed().as_secs_f64());
    Ok(ComputedBoard {
        head,
        ranking,
        fresh_until,
    })
}
