//! Prizes over the whole contest: each person's counted entry of every round added up (score
//! and time), ranked by the contest's chain without the prediction (each round has its own).
//! Computed once every round has closed, from stored data; published by the committee.

use std::collections::{BTreeMap, BTreeSet};

use crate::domain::awards::{
    award, parse_tiers, rank_chain, AwardRules, Candidate, Placed, TieBreak,
};
use crate::domain::roles::Permission;
use crate::domain::vntime::format_vn_time;
use crate::error::AppError;
use crate::model::{format_elapsed, AwardsView, UserInfo};
use crate::server::clock::to_ms;
use crate::server::guard::authorize;
pub(crate) use crate::server::repo::awards::ContestPrizes;
use crate::server::repo::awards::{self as awards_repo, NewAward};
use crate::server::repo::contests::{self, ContestRow};
use crate::server::service::awards::{award_rows, relative, Prizes};
use crate::server::service::standings;
use crate::server::AppState;

pub use crate::model::OVERALL_NAME;

struct Totals {
    rounds: u32,
}

pub(crate) async fn current(
    conn: &mut sqlx::AnyConnection,
    slug: &str,
) -> Result<ContestRow, AppError> {
    crate::server::service::contests::resolve(conn, slug).await
}

/// Everyone's totals over the contest's rounds, ranked.
async fn overall_standings(
    conn: &mut sqlx::AnyConnection,
    contest: &ContestRow,
    now: i64,
) -> Result<Vec<(Placed<i64>, Totals)>, AppError> {
    let rounds = contests::rounds_of(conn, contest.id).await?;
    let mut set_aside = BTreeSet::new();
    for r in &rounds {
        set_aside.extend(awards_repo::disqualified_ids(conn, r.id).await?);
    }
    let mut sums: BTreeMap<i64, (Candidate<i64>, Totals)> = BTreeMap::new();
    for r in &rounds {
        let s = standings::of_round(conn, contest, r, now, &set_aside, None).await?;
        for (p, f) in s.list {
            let (c, t) = sums.entry(f.user_id).or_insert_with(|| {
                (
                    Candidate {
                        key: f.user_id,
                        score: 0,
                        all_correct: true,
                        elapsed_ms: 0,
                        prediction: None,
                        attempts: 0,
                        submitted_at: 0,
                        registered_at: f.registered_at,
                    },
                    Totals { rounds: 0 },
                )
            });
            c.score += f.score;
            c.elapsed_ms += f.elapsed_ms;
            c.all_correct &= p.entry.all_correct;
            c.attempts += p.entry.attempts;
            c.submitted_at = c.submitted_at.max(f.submitted_at);
            t.rounds += 1;
        }
    }
    let mut rules = standings::rules_of(contest);
    rules.chain.retain(|t| *t != TieBreak::Prediction);
    if rules.chain.is_empty() {
        rules.chain.push(TieBreak::Score);
    }
    let candidates: Vec<Candidate<i64>> = sums.values().map(|(c, _)| c.clone()).collect();
    Ok(rank_chain(&candidates, &rules)
        .into_iter()
        .filter_map(|p| {
            let (_, t) = sums.remove(&p.entry.key)?;
            Some((p, t))
        })
        .collect())
}

/// Refuses contest-wide prizes (`what`) while a round of the contest is still open.
pub(crate) async fn require_all_rounds_closed(
    conn: &mut sqlx::AnyConnection,
    contest: &ContestRow,
    now: i64,
    what: &str,
) -> Result<(), AppError> {
    let rounds = contests::rounds_of(conn, contest.id).await?;
    if rounds.is_empty() || rounds.iter().any(|r| now < r.closes_at) {
        return Err(AppError::Conflict(format!(
            "Còn vòng thi chưa kết thúc, chưa thể tính {what}."
        )));
    }
    Ok(())
}

/// Computes the contest's overall prizes once every round has closed.
#[tracing::instrument(skip_all)]
pub async fn compute(state: &AppState, user: &UserInfo, slug: &str) -> Result<u32, AppError> {
    authorize(user, Permission::ManageContest)?;
    let now = to_ms(state.clock.now());
    let mut tx = state.db.begin_write().await?;
    let contest = current(&mut tx, slug).await?;
    require_all_rounds_closed(&mut tx, &contest, now, "giải toàn cuộc thi").await?;
    if contest.overall_published_at.is_some() {
        return Err(AppError::Conflict("Giải toàn cuộc thi đã công bố.".into()));
    }
    let tiers = parse_tiers(&contest.overall_prizes).unwrap_or_default();
    if tiers.is_empty() {
        return Err(AppError::Conflict(
            "Cuộc thi chưa có cơ cấu giải toàn cuộc thi (mục “Giải toàn cuộc thi” trong cài đặt)."
                .into(),
        ));
    }
    let standings = overall_standings(&mut tx, &contest, now).await?;
    let placed: Vec<Placed<i64>> = standings.iter().map(|(p, _)| p.clone()).collect();
    let rules = AwardRules {
        tiers: tiers.clone(),
        cap_percent: contest.prize_cap_percent.map(|c| c.clamp(0, 100) as u32),
    };
    let winners = award(&placed, &rules, &BTreeSet::new());
    awards_repo::delete_overall_awards(&mut tx, contest.id).await?;
    for (user_id, tier) in &winners {
        let i = standings
            .iter()
            .position(|(p, _)| p.entry.key == *user_id)
            .ok_or(AppError::Internal)?;
        let (p, t) = &standings[i];
        let mut parts = vec![format!(
            "Hạng {}{}: tổng {} điểm qua {} vòng, tổng thời gian {}",
            p.rank,
            if p.tied { " (đồng hạng)" } else { "" },
            p.entry.score,
            t.rounds,
            format_elapsed(p.entry.elapsed_ms)
        )];
        parts.extend(relative(p, standings.get(i + 1).map(|(n, _)| n)));
        let explanation = parts.join("; ") + ".";
        awards_repo::insert_overall_award(
            &mut tx,
            contest.id,
            NewAward {
                user_id: *user_id,
                rank: p.rank,
                tier: *tier,
                prize: &tiers[*tier].name,
                explanation: &explanation,
                computed_at: now,
            },
        )
        .await?;
    }
    tx.commit().await?;
    tracing::info!(
        user_id = user.id,
        winners = winners.len(),
        "overall awards computed"
    );
    Ok(winners.len() as u32)
}

async fn view(state: &AppState, slug: &str, committee: bool) -> Result<AwardsView, AppError> {
    let now = to_ms(state.clock.now());
    let mut conn = state.db.pool.acquire().await?;
    let contest = current(&mut conn, slug).await?;
    let rounds = contests::rounds_of(&mut conn, contest.id).await?;
    if !committee && contest.overall_published_at.is_none() {
        return Err(AppError::NotFound(
            "Kết quả toàn cuộc thi chưa được công bố.".into(),
        ));
    }
    Ok(AwardsView {
        round_id: 0,
        round_name: OVERALL_NAME.into(),
        contest_name: contest.name,
        closed: !rounds.is_empty() && rounds.iter().all(|r| now >= r.closes_at),
        rounds: if committee {
            rounds.into_iter().map(|r| (r.id, r.name)).collect()
        } else {
            Vec::new()
        },
        prizes: contest.overall_prizes,
        published_at: contest.overall_published_at.map(format_vn_time),
        results_at: None,
        awards: award_rows(&mut conn, Prizes::Overall(contest.id), committee).await?,
        disqualified: Vec::new(),
        flagged: Vec::new(),
    })
}

pub async fn review(state: &AppState, user: &UserInfo, slug: &str) -> Result<AwardsView, AppError> {
    authorize(user, Permission::ManageContest)?;
    view(state, slug, true).await
}

pub async fn public(state: &AppState, slug: &str) -> Result<AwardsView, AppError> {
    view(state, slug, false).await
}

#[tracing::instrument(skip_all)]
pub async fn publish(state: &AppState, user: &UserInfo, slug: &str) -> Result<(), AppError> {
    publish_contest_prizes(state, user, slug, ContestPrizes::Overall).await
}

/// Marks the contest's list published (the first time only); refused while none is computed.
pub(crate) async fn publish_contest_prizes(
    state: &AppState,
    user: &UserInfo,
    slug: &str,
    which: ContestPrizes,
) -> Result<(), AppError> {
    let missing = match which {
        ContestPrizes::Overall => "Chưa tính giải toàn cuộc thi.",
        ContestPrizes::Units => "Chưa tính giải tập thể.",
    };
    authorize(user, Permission::ManageContest)?;
    let mut tx = state.db.begin_write().await?;
    let contest = current(&mut tx, slug).await?;
    let count = awards_repo::count_contest_prizes(&mut tx, which, contest.id).await?;
    if count == 0 {
        return Err(AppError::Conflict(missing.into()));
    }
    awards_repo::publish_contest_prizes(&mut tx, which, contest.id, to_ms(state.clock.now()))
        .await?;
    tx.commit().await?;
    tracing::info!(user_id = user.id, prizes = ?which, "contest prizes published");
    Ok(())
}
