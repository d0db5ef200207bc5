//! Collective prizes: the contest's units ranked by the criterion the committee picks, from
//! stored data (entrants over all rounds, prize-winners of computed round prizes). The page
//! previews any criterion; once every round has closed the committee computes and stores the
//! result, reviews it and publishes it.

use std::collections::BTreeMap;

use crate::domain::collective::{parse_points, rank_units, UnitCriterion, UnitResult};
use crate::domain::roles::Permission;
use crate::domain::vntime::format_vn_time;
use crate::error::AppError;
use crate::model::{UnitAwardsView, UnitPrizeRow, UnitPrizesView, UserInfo};
use crate::server::clock::to_ms;
use crate::server::guard::authorize;
use crate::server::repo::awards::{self as awards_repo, NewUnitAward};
use crate::server::repo::contests::ContestRow;
use crate::server::repo::units as unit_repo;
use crate::server::service::overall::{
    current, publish_contest_prizes, require_all_rounds_closed, ContestPrizes,
};
use crate::server::AppState;

/// The criterion, the points per prize tier (as typed, defaulted) and how many ranks win.
struct Choice {
    criterion: UnitCriterion,
    points_text: String,
    points: Vec<u32>,
    prizes: u32,
}

fn choose(criterion: &str, points: &str, prizes: u32) -> Result<Choice, AppError> {
    let points_text = if points.trim().is_empty() {
        "10, 8, 6, 4"
    } else {
        points
    };
    Ok(Choice {
        criterion: UnitCriterion::parse(criterion).unwrap_or(UnitCriterion::MostEntrants),
        points: parse_points(points_text).map_err(AppError::BadRequest)?,
        points_text: points_text.to_string(),
        prizes: prizes.max(1),
    })
}

/// Every unit ranked by the choice, with the unit id alongside each row.
async fn ranked(
    conn: &mut sqlx::AnyConnection,
    contest_id: i64,
    choice: &Choice,
) -> Result<Vec<(i64, UnitPrizeRow)>, AppError> {
    let c = choice.criterion;
    let units = unit_repo::all_units(&mut *conn).await?;
    let entrants: BTreeMap<i64, i64> = awards_repo::entrants_per_unit(&mut *conn, contest_id)
        .await?
        .into_iter()
        .collect();
    let mut winners: BTreeMap<i64, Vec<u32>> = BTreeMap::new();
    for (unit, tier, n) in
        awards_repo::round_winners_per_unit_and_tier(&mut *conn, contest_id).await?
    {
        let tiers = winners.entry(unit).or_default();
        let tier = tier.clamp(0, 50) as usize;
        if tiers.len() <= tier {
            tiers.resize(tier + 1, 0);
        }
        tiers[tier] += n.max(0) as u32;
    }
    let results: Vec<UnitResult<i64>> = units
        .iter()
        .map(|u| UnitResult {
            key: u.id,
            headcount: u.headcount.max(0) as u32,
            quota_percent: u.quota_percent.map(|q| q.clamp(0, 100) as u32),
            entrants: entrants.get(&u.id).copied().unwrap_or(0).max(0) as u32,
            winners_by_tier: winners.remove(&u.id).unwrap_or_default(),
        })
        .collect();
    let name_of: BTreeMap<i64, &str> = units.iter().map(|u| (u.id, u.name.as_str())).collect();
    Ok(rank_units(&results, c, &choice.points)
        .into_iter()
        .map(|s| {
            let row = UnitPrizeRow {
                rank: s.rank,
                unit_name: name_of.get(&s.key).copied().unwrap_or_default().to_string(),
                value: match c {
                    UnitCriterion::HighestShare => {
                        format!("{},{}%", s.value / 100, (s.value % 100) / 10)
                    }
                    _ => s.value.to_string(),
                },
                prize: s.rank <= choice.prizes,
            };
            (s.key, row)
        })
        .collect())
}

/// The committee's page: any criterion previewed, and what was stored, if anything.
pub async fn standings(
    state: &AppState,
    user: &UserInfo,
    slug: &str,
    criterion: &str,
    points: &str,
    prizes: u32,
) -> Result<UnitPrizesView, AppError> {
    authorize(user, Permission::Monitor)?;
    let choice = choose(criterion, points, prizes)?;
    let mut conn = state.db.pool.acquire().await?;
    let contest = current(&mut conn, slug).await?;
    let rows = ranked(&mut conn, contest.id, &choice).await?;
    let stored = stored(&mut conn, contest).await?;
    Ok(UnitPrizesView {
        criterion: choice.criterion.as_str().into(),
        criterion_label: choice.criterion.label().into(),
        criteria: UnitCriterion::ALL
            .iter()
            .map(|c| (c.as_str().to_string(), c.label().to_string()))
            .collect(),
        points: choice.points_text,
        prizes: choice.prizes,
        rows: rows.into_iter().map(|(_, r)| r).collect(),
        stored,
    })
}

/// The stored collective prizes of the current contest, if computed.
async fn stored(
    conn: &mut sqlx::AnyConnection,
    contest: ContestRow,
) -> Result<Option<UnitAwardsView>, AppError> {
    let rows = awards_repo::unit_awards(conn, contest.id).await?;
    let Some(first) = rows.first() else {
        return Ok(None);
    };
    let (criterion, computed_at) = (first.criterion.clone(), first.computed_at);
    Ok(Some(UnitAwardsView {
        contest_name: contest.name,
        criterion_label: UnitCriterion::parse(&criterion)
            .map(|c| c.label().to_string())
            .unwrap_or(criterion),
        rows: rows
            .into_iter()
            .map(|r| UnitPrizeRow {
                rank: r.rank.max(0) as u32,
                unit_name: r.unit_name,
                value: r.value,
                prize: true,
            })
            .collect(),
        computed_at: format_vn_time(computed_at),
        published_at: contest.unit_awards_published_at.map(format_vn_time),
    }))
}

/// Computes and stores the collective prizes by the chosen criterion once every round has
/// closed, replacing an earlier computation; refused once published.
#[tracing::instrument(skip_all)]
pub async fn compute(
    state: &AppState,
    user: &UserInfo,
    slug: &str,
    criterion: &str,
    points: &str,
    prizes: u32,
) -> Result<u32, AppError> {
    authorize(user, Permission::ManageContest)?;
    let choice = choose(criterion, points, prizes)?;
    let now = to_ms(state.clock.now());
    let mut tx = state.db.begin_write().await?;
    let contest = current(&mut tx, slug).await?;
    require_all_rounds_closed(&mut tx, &contest, now, "giải tập thể").await?;
    if contest.unit_awards_published_at.is_some() {
        return Err(AppError::Conflict("Giải tập thể đã công bố.".into()));
    }
    let winners: Vec<(i64, UnitPrizeRow)> = ranked(&mut tx, contest.id, &choice)
        .await?
        .into_iter()
        .filter(|(_, r)| r.prize)
        .collect();
    awards_repo::delete_unit_awards(&mut tx, contest.id).await?;
    for (unit_id, row) in &winners {
        awards_repo::insert_unit_award(
            &mut tx,
            contest.id,
            NewUnitAward {
                unit_id: *unit_id,
                rank: row.rank,
                criterion: choice.criterion.as_str(),
                value: &row.value,
                computed_at: now,
            },
        )
        .await?;
    }
    tx.commit().await?;
    tracing::info!(
        user_id = user.id,
        units = winners.len(),
        criterion = choice.criterion.as_str(),
        "unit awards computed"
    );
    Ok(winners.len() as u32)
}

#[tracing::instrument(skip_all)]
pub async fn publish(state: &AppState, user: &UserInfo, slug: &str) -> Result<(), AppError> {
    publish_contest_prizes(state, user, slug, ContestPrizes::Units).await
}

/// The collective prizes as the public sees them: only once published.
pub async fn public(state: &AppState, slug: &str) -> Result<UnitAwardsView, AppError> {
    let mut conn = state.db.pool.acquire().await?;
    let contest = current(&mut conn, slug).await?;
    match stored(&mut conn, contest).await? {
        Some(v) if v.published_at.is_some() => Ok(v),
        _ => Err(AppError::NotFound(
            "Kết quả giải tập thể chưa được công bố.".into(),
        )),
    }
}
