//! Collective prizes: the contest's units ranked by the chain of criteria the committee
//! picks, from stored data (entrants and attempts over all rounds, when each unit met its
//! quota, prize-winners of computed round prizes). The page previews any choice; once every
//! round has closed the committee computes and stores the result, reviews it and publishes it.

use std::collections::BTreeMap;

use crate::domain::awards::{format_tiers, parse_tiers, PrizeTier};
use crate::domain::collective::{
    describe_unit_chain, format_unit_chain, parse_kinds, parse_points, parse_unit_chain,
    rank_units, CollectiveRules, UnitCriterion, UnitResult,
};
use crate::domain::roles::Permission;
use crate::domain::units::{kind_label, KINDS};
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

/// What the committee chose, as typed: the chain (codes), the prize tiers (or a number of
/// unnamed prizes), the kinds of unit that compete, whether the mandatory quota is a
/// condition, and the points per individual prize tier.
#[derive(Clone, Debug, Default)]
pub struct Choice {
    pub criterion: String,
    pub tiers: String,
    pub prizes: Option<u32>,
    pub kinds: String,
    /// "off" lets units below their quota win; anything else keeps the condition.
    pub quota: String,
    pub points: String,
}

/// The name of each prize when the committee only gives a number of them.
const UNNAMED_PRIZE: &str = "Giải tập thể";

struct Parsed {
    rules: CollectiveRules,
    points_text: String,
    tiers_text: String,
    prizes: u32,
}

fn parse(c: &Choice) -> Result<Parsed, AppError> {
    let bad = AppError::BadRequest;
    let chain = if c.criterion.trim().is_empty() {
        vec![UnitCriterion::MostEntrants]
    } else {
        parse_unit_chain(&c.criterion).map_err(bad)?
    };
    let points_text = match c.points.trim() {
        "" => "10, 8, 6, 4".to_string(),
        p => p.to_string(),
    };
    let tiers = if c.tiers.trim().is_empty() {
        vec![PrizeTier {
            name: UNNAMED_PRIZE.into(),
            count: c.prizes.unwrap_or(3).clamp(1, 10_000),
            amount: 0,
        }]
    } else {
        parse_tiers(&c.tiers).map_err(|e| bad(format!("Cơ cấu giải: {e}")))?
    };
    if tiers.is_empty() {
        return Err(bad("Cơ cấu giải: cần ít nhất một giải.".into()));
    }
    let tiers_text = if c.tiers.trim().is_empty() {
        String::new()
    } else {
        format_tiers(&tiers)
    };
    Ok(Parsed {
        prizes: tiers.iter().map(|t| t.count).sum(),
        rules: CollectiveRules {
            chain,
            tiers,
            kinds: parse_kinds(&c.kinds).map_err(bad)?,
            quota_required: c.quota.trim() != "off",
            points: parse_points(&points_text).map_err(bad)?,
        },
        points_text,
        tiers_text,
    })
}

fn kinds_label(kinds: &[String]) -> String {
    kinds
        .iter()
        .map(|k| kind_label(k))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A unit's place, with its id, as the page shows it.
struct Ranked {
    unit_id: i64,
    row: UnitPrizeRow,
}

/// Every eligible unit ranked by the rules, and the units left out with the reason.
async fn ranked(
    conn: &mut sqlx::AnyConnection,
    contest: &ContestRow,
    rules: &CollectiveRules,
) -> Result<(Vec<Ranked>, Vec<(String, String)>), AppError> {
    let contest_id = contest.id;
    let units = unit_repo::all_units(&mut *conn).await?;
    let mut entries: BTreeMap<i64, (u32, u32, Vec<i64>)> = BTreeMap::new();
    for (unit, first_at, attempts) in
        awards_repo::entries_per_person(&mut *conn, contest_id).await?
    {
        let e = entries.entry(unit).or_default();
        e.0 += 1;
        e.1 += attempts.max(0) as u32;
        e.2.push(first_at);
    }
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
    let short = crate::server::service::people::units_short_of_rules(&mut *conn, contest).await?;
    let results: Vec<UnitResult<i64>> = units
        .iter()
        .map(|u| {
            let (entrants, attempts, entry_times) = entries.remove(&u.id).unwrap_or_default();
            UnitResult {
                key: u.id,
                kind: u.kind.clone(),
                headcount: u.headcount.max(0) as u32,
                quota_percent: u.quota_percent.map(|q| q.clamp(0, 100) as u32),
                entrants,
                attempts,
                entry_times,
                winners_by_tier: winners.remove(&u.id).unwrap_or_default(),
                rules_short: short.get(&u.id).copied().unwrap_or(0),
            }
        })
        .collect();
    let name_of: BTreeMap<i64, &str> = units.iter().map(|u| (u.id, u.name.as_str())).collect();
    let name = |id: &i64| name_of.get(id).copied().unwrap_or_default().to_string();
    // The round prizes' tier names, for "1 Nhất, 2 Nhì".
    let tier_names = individual_tier_names(contest);
    let outcome = rank_units(&results, rules);
    let rows = outcome
        .ranked
        .into_iter()
        .map(|s| {
            let tier = s.tier.and_then(|t| rules.tiers.get(t));
            Ranked {
                unit_id: s.key,
                row: UnitPrizeRow {
                    rank: s.rank,
                    tied: s.tied,
                    unit_name: name(&s.key),
                    value: s
                        .figures
                        .iter()
                        .map(|f| f.display(&tier_names))
                        .collect::<Vec<_>>()
                        .join(" · "),
                    prize: tier.is_some(),
                    prize_name: tier.map(|t| t.name.clone()).unwrap_or_default(),
                    amount: tier.map_or(0, |t| t.amount),
                    reason: s
                        .decided_by
                        .map(|c| c.label().to_string())
                        .unwrap_or_default(),
                },
            }
        })
        .collect();
    let left_out = outcome
        .left_out
        .into_iter()
        .map(|(id, why)| (name(&id), why.label()))
        .collect();
    Ok((rows, left_out))
}

/// The names of the contest's individual prize tiers, best first.
fn individual_tier_names(contest: &ContestRow) -> Vec<String> {
    parse_tiers(&contest.round_prizes)
        .unwrap_or_default()
        .into_iter()
        .map(|t| t.name)
        .collect()
}

/// The committee's page: any choice previewed, and what was stored, if anything.
pub async fn standings(
    state: &AppState,
    user: &UserInfo,
    slug: &str,
    choice: &Choice,
) -> Result<UnitPrizesView, AppError> {
    authorize(user, Permission::Monitor)?;
    let p = parse(choice)?;
    let mut conn = state.db.pool.acquire().await?;
    let contest = current(&mut conn, slug).await?;
    let (rows, left_out) = ranked(&mut conn, &contest, &p.rules).await?;
    let stored = stored(&mut conn, contest).await?;
    Ok(UnitPrizesView {
        criterion: format_unit_chain(&p.rules.chain),
        criterion_label: describe_unit_chain(&p.rules.chain),
        criteria: UnitCriterion::ALL
            .iter()
            .map(|c| (c.as_str().to_string(), c.label().to_string()))
            .collect(),
        points: p.points_text,
        prizes: p.prizes,
        tiers: p.tiers_text,
        kinds: KINDS
            .iter()
            .map(|(k, l)| {
                (
                    k.to_string(),
                    l.to_string(),
                    p.rules.kinds.iter().any(|c| c.as_str() == *k),
                )
            })
            .collect(),
        quota_required: p.rules.quota_required,
        rows: rows.into_iter().map(|r| r.row).collect(),
        left_out,
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
    let (criterion, kinds, computed_at) = (
        first.criterion.clone(),
        first.kinds.clone(),
        first.computed_at,
    );
    let kinds: Vec<String> = kinds
        .split(',')
        .filter(|k| !k.is_empty())
        .map(String::from)
        .collect();
    let rows: Vec<UnitPrizeRow> = rows
        .into_iter()
        .map(|r| UnitPrizeRow {
            rank: r.rank.max(0) as u32,
            tied: r.tied != 0,
            unit_name: r.unit_name,
            value: r.value,
            prize: true,
            prize_name: r.prize_name,
            amount: r.amount.max(0) as u64,
            reason: String::new(),
        })
        .collect();
    Ok(Some(UnitAwardsView {
        contest_name: contest.name,
        criterion_label: parse_unit_chain(&criterion)
            .map(|c| describe_unit_chain(&c))
            .unwrap_or(criterion),
        kinds_label: kinds_label(&kinds),
        payout_total: rows.iter().map(|r| r.amount).sum(),
        rows,
        computed_at: format_vn_time(computed_at),
        published_at: contest.unit_awards_published_at.map(format_vn_time),
    }))
}

/// Computes and stores the collective prizes by the chosen rules once every round has
/// closed, replacing an earlier computation; refused once published.
#[tracing::instrument(skip_all)]
pub async fn compute(
    state: &AppState,
    user: &UserInfo,
    slug: &str,
    choice: &Choice,
) -> Result<u32, AppError> {
    authorize(user, Permission::ManageContest)?;
    let p = parse(choice)?;
    let now = to_ms(state.clock.now());
    let mut tx = state.db.begin_write().await?;
    let contest = current(&mut tx, slug).await?;
    require_all_rounds_closed(&mut tx, &contest, now, "giải tập thể").await?;
    if contest.unit_awards_published_at.is_some() {
        return Err(AppError::Conflict("Giải tập thể đã công bố.".into()));
    }
    let winners: Vec<Ranked> = ranked(&mut tx, &contest, &p.rules)
        .await?
        .0
        .into_iter()
        .filter(|r| r.row.prize)
        .collect();
    let chain = format_unit_chain(&p.rules.chain);
    let kinds = p.rules.kinds.join(",");
    awards_repo::delete_unit_awards(&mut tx, contest.id).await?;
    for w in &winners {
        awards_repo::insert_unit_award(
            &mut tx,
            contest.id,
            NewUnitAward {
                unit_id: w.unit_id,
                rank: w.row.rank,
                tied: w.row.tied,
                criterion: &chain,
                value: &w.row.value,
                prize_name: &w.row.prize_name,
                amount: w.row.amount,
                kinds: &kinds,
                computed_at: now,
            },
        )
        .await?;
    }
    tx.commit().await?;
    tracing::info!(
        user_id = user.id,
        units = winners.len(),
        criterion = chain.as_str(),
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

const WINNERS_HEADER: [&str; 5] = [
    "Giải",
    "Hạng",
    "Đơn vị",
    "Chỉ số xếp hạng",
    "Tiền thưởng (đồng)",
];

/// The stored collective prizes as a sheet for the committee, with the payout total.
pub async fn winners_xlsx(
    state: &AppState,
    user: &UserInfo,
    slug: &str,
) -> Result<Vec<u8>, AppError> {
    use crate::server::sheet::{write_xlsx, Cell, Sheet};
    authorize(user, Permission::Monitor)?;
    let mut conn = state.db.pool.acquire().await?;
    let contest = current(&mut conn, slug).await?;
    let view = stored(&mut conn, contest)
        .await?
        .ok_or_else(|| AppError::NotFound("Chưa tính giải tập thể.".into()))?;
    let mut rows: Vec<Vec<Cell>> = view
        .rows
        .iter()
        .map(|r| {
            let rank = if r.tied {
                format!("={}", r.rank)
            } else {
                r.rank.to_string()
            };
            vec![
                r.prize_name.clone().into(),
                rank.into(),
                r.unit_name.clone().into(),
                r.value.clone().into(),
                Cell::Number(r.amount as f64),
            ]
        })
        .collect();
    rows.push(vec![
        "Tổng cộng".into(),
        "".into(),
        format!("{} đơn vị", view.rows.len()).into(),
        format!("Xếp hạng theo: {}", view.criterion_label).into(),
        Cell::Number(view.payout_total as f64),
    ]);
    write_xlsx(Sheet {
        name: "Giải tập thể",
        header: &WINNERS_HEADER,
        widths: &[14.0, 7.0, 40.0, 40.0, 18.0],
        rows,
    })
}
