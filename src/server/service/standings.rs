//! A round's standings from stored data: each person's counted attempt (best, first or last),
//! ranked by the contest's chain. The leaderboard and the awards both read from here, so a
//! published prize and the public ranking can never disagree.

use std::collections::{BTreeMap, BTreeSet};

use crate::domain::awards::{parse_chain, rank_chain, Candidate, Placed, RankRules};
use crate::domain::ranking::{counted_per_person, CountingMode};
use crate::domain::settings::{PredictionTarget, DEFAULT_RANK_CHAIN};
use crate::error::AppError;
use crate::server::repo::contests::{ContestRow, RoundRow};
use crate::server::repo::participants;
use crate::server::repo::participants::FinishedEntry;

pub struct Standings {
    /// Ranked, best first, each with the attempt that counts.
    pub list: Vec<(Placed<i64>, FinishedEntry)>,
    pub rules: RankRules,
    /// People with a final attempt in the round (disqualified ones included).
    pub entrants: u32,
}

pub fn rules_of(contest: &ContestRow) -> RankRules {
    RankRules {
        chain: parse_chain(&contest.rank_chain)
            .or_else(|_| parse_chain(DEFAULT_RANK_CHAIN))
            .unwrap_or_default(),
        all_correct_only: contest.all_correct_only != 0,
        prediction_actual: None,
    }
}

/// The value predictions are measured against: known once the round has closed. From the
/// counted entries: how many people took part, and how many of them had every answer right.
pub fn prediction_actual(
    contest: &ContestRow,
    round: &RoundRow,
    participants: usize,
    all_correct: usize,
    now_ms: i64,
) -> Option<i64> {
    if now_ms < round.closes_at {
        return None;
    }
    Some(
        match PredictionTarget::parse(&contest.prediction_target).unwrap_or_default() {
            PredictionTarget::AllCorrect => all_correct as i64,
            PredictionTarget::Participants => participants as i64,
        },
    )
}

/// Reads the round's final attempts, then ranks them on the blocking pool: a board of a
/// million entries takes seconds of CPU, which must not stall the async workers (and with
/// them every answer save and `/healthz`).
pub async fn of_round(
    conn: &mut sqlx::AnyConnection,
    contest: &ContestRow,
    round: &RoundRow,
    now_ms: i64,
    disqualified: &BTreeSet<i64>,
    submitted_before: Option<i64>,
) -> Result<Standings, AppError> {
    let mut finished = participants::finished_entries(conn, round.id).await?;
    if let Some(cutoff) = submitted_before {
        finished.retain(|f| f.submitted_at < cutoff);
    }
    let (contest, round, disqualified) = (contest.clone(), round.clone(), disqualified.clone());
    tokio::task::spawn_blocking(move || rank(&contest, &round, finished, now_ms, &disqualified))
        .await
        .map_err(AppError::internal("ranking task failed"))
}

fn rank(
    contest: &ContestRow,
    round: &RoundRow,
    finished: Vec<FinishedEntry>,
    now_ms: i64,
    disqualified: &BTreeSet<i64>,
) -> Standings {
    let mode = CountingMode::parse(&contest.counting_mode).unwrap_or_default();
    let mut attempts_of: BTreeMap<i64, u32> = BTreeMap::new();
    for f in &finished {
        *attempts_of.entry(f.user_id).or_default() += 1;
    }
    let counted = counted_per_person(finished, FinishedEntry::as_entry, mode);
    let entrants = counted.len() as u32;
    let counted: Vec<FinishedEntry> = counted.into_values().collect();
    let mut rules = rules_of(contest);
    rules.prediction_actual = prediction_actual(
        contest,
        round,
        counted.len(),
        counted.iter().filter(|f| f.all_correct()).count(),
        now_ms,
    );
    let candidates: Vec<Candidate<i64>> = counted
        .iter()
        .filter(|f| !disqualified.contains(&f.user_id))
        .map(|f| Candidate {
            key: f.user_id,
            score: f.score,
            all_correct: f.all_correct(),
            elapsed_ms: f.elapsed_ms,
            prediction: f.prediction,
            attempts: attempts_of.get(&f.user_id).copied().unwrap_or(1),
            submitted_at: f.submitted_at,
            registered_at: f.registered_at,
        })
        .collect();
    let mut by_user: BTreeMap<i64, FinishedEntry> =
        counted.into_iter().map(|f| (f.user_id, f)).collect();
    let list = rank_chain(&candidates, &rules)
        .into_iter()
        .filter_map(|p| {
            let row = by_user.remove(&p.entry.key)?;
            Some((p, row))
        })
        .collect();
    Standings {
        list,
        rules,
        entrants,
    }
}
