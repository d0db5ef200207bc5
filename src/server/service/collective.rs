//! Collective prizes: the contest's units ranked by the criterion the committee picks, from
//! stored data (entrants over all rounds, prize-winners of computed round prizes).

use std::collections::BTreeMap;

use crate::domain::collective::{parse_points, rank_units, UnitCriterion, UnitResult};
use crate::domain::roles::Permission;
use crate::error::AppError;
use crate::model::{UnitPrizeRow, UnitPrizesView, UserInfo};
use crate::server::repo::units as unit_repo;
use crate::server::service::bank::authorize;
use crate::server::AppState;

pub async fn standings(
    state: &AppState,
    user: &UserInfo,
    criterion: &str,
    points: &str,
    prizes: u32,
) -> Result<UnitPrizesView, AppError> {
    authorize(user, Permission::Monitor)?;
    let c = UnitCriterion::parse(criterion).unwrap_or(UnitCriterion::MostEntrants);
    let points_text = if points.trim().is_empty() {
        "10, 8, 6, 4"
    } else {
        points
    };
    let point_list = parse_points(points_text).map_err(AppError::BadRequest)?;
    let mut conn = state.db.pool.acquire().await?;
    let units = unit_repo::all_units(&mut conn).await?;
    // Entrants: participants with a final attempt in any round (excluded people left out).
    let entrants: BTreeMap<i64, i64> = sqlx::query_as::<_, (i64, i64)>(
        "SELECT u.unit_id, COUNT(DISTINCT u.id) FROM attempts a JOIN users u ON u.id = a.user_id \
         WHERE a.status = 'final' AND u.role = 'participant' \
         AND NOT EXISTS (SELECT 1 FROM excluded_people e \
             WHERE e.phone = u.phone OR (e.citizen_id IS NOT NULL AND e.citizen_id = u.citizen_id)) \
         GROUP BY u.unit_id",
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .collect();
    let mut winners: BTreeMap<i64, Vec<u32>> = BTreeMap::new();
    for (unit, tier, n) in sqlx::query_as::<_, (i64, i64, i64)>(
        "SELECT u.unit_id, a.tier, COUNT(*) FROM awards a JOIN users u ON u.id = a.user_id \
         GROUP BY u.unit_id, a.tier",
    )
    .fetch_all(&mut *conn)
    .await?
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
    let ranked = rank_units(&results, c, &point_list);
    let prize_ranks = prizes.max(1);
    let rows = ranked
        .into_iter()
        .map(|s| UnitPrizeRow {
            rank: s.rank,
            unit_name: name_of.get(&s.key).copied().unwrap_or_default().to_string(),
            value: match c {
                UnitCriterion::HighestShare => {
                    format!("{},{}%", s.value / 100, (s.value % 100) / 10)
                }
                _ => s.value.to_string(),
            },
            prize: s.rank <= prize_ranks,
        })
        .collect();
    Ok(UnitPrizesView {
        criterion: c.as_str().into(),
        criterion_label: c.label().into(),
        criteria: UnitCriterion::ALL
            .iter()
            .map(|c| (c.as_str().to_string(), c.label().to_string()))
            .collect(),
        points: points_text.to_string(),
        prizes: prize_ranks,
        rows,
    })
}
