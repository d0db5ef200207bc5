//! Collective (unit) prizes, ranked like the individual ones: a chain of criteria in order
//! (Quảng Trị: share of the headcount, then the earliest to meet its quota, then the most high
//! prizes), named tiers with counts and money (Thái Nguyên: Nhất 1, Nhì 1, Ba 1, Khuyến khích
//! 5), the kinds of unit that compete (wards and communes only) and whether a unit below its
//! mandatory quota may win. Units equal on every link share a rank and a prize.
//! Long because of its table tests (~250 lines): the rules above them are ~300 lines.

use std::cmp::Ordering;

use serde::{Deserialize, Serialize};

use super::awards::{award_ranked, AwardRules, PrizeTier};
use super::ranking::competition_ranks;
use super::units::{quota_status, required_entrants, QuotaStatus};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum UnitCriterion {
    /// Highest share of the headcount taking part.
    HighestShare,
    /// Most people taking part.
    MostEntrants,
    /// Most attempts ("lượt") by its people, every round counted.
    MostAttempts,
    /// Completed first: reached its quota, or without one its last entrant took part, earlier.
    EarliestQuota,
    /// Most first prizes, then most second prizes, and so on.
    HighPrizes,
    /// Most prize-winners.
    MostWinners,
    /// Most points from its members' prizes (e.g. Nhất 10, Nhì 8, Ba 6, Khuyến khích 4).
    PrizePoints,
    /// Everyone in the headcount took part (the others are not ranked); then by entrants.
    AllTookPart,
}

impl UnitCriterion {
    pub const ALL: [UnitCriterion; 8] = [
        UnitCriterion::HighestShare,
        UnitCriterion::MostEntrants,
        UnitCriterion::MostAttempts,
        UnitCriterion::EarliestQuota,
        UnitCriterion::HighPrizes,
        UnitCriterion::MostWinners,
        UnitCriterion::PrizePoints,
        UnitCriterion::AllTookPart,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::HighestShare => "share",
            Self::MostEntrants => "entrants",
            Self::MostAttempts => "attempts",
            Self::EarliestQuota => "quota_time",
            Self::HighPrizes => "high_prizes",
            Self::MostWinners => "winners",
            Self::PrizePoints => "points",
            Self::AllTookPart => "all",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::HighestShare => "Tỷ lệ người dự thi trên biên chế cao nhất",
            Self::MostEntrants => "Nhiều người dự thi nhất",
            Self::MostAttempts => "Nhiều lượt dự thi nhất",
            Self::EarliestQuota => "Hoàn thành sớm nhất",
            Self::HighPrizes => "Nhiều giải cá nhân cao nhất",
            Self::MostWinners => "Nhiều người đạt giải nhất",
            Self::PrizePoints => "Tổng điểm giải cao nhất",
            Self::AllTookPart => "100% biên chế tham gia",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == s.trim())
    }
}

/// "share,quota_time,high_prizes" as a chain: at least one link, each at most once.
pub fn parse_unit_chain(s: &str) -> Result<Vec<UnitCriterion>, String> {
    let mut chain = Vec::new();
    for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let c = UnitCriterion::parse(part)
            .ok_or_else(|| format!("Tiêu chí xếp hạng đơn vị “{part}” không hợp lệ."))?;
        if chain.contains(&c) {
            return Err(format!("Tiêu chí “{}” bị lặp lại.", c.label()));
        }
        chain.push(c);
    }
    if chain.is_empty() {
        return Err("Cần ít nhất một tiêu chí xếp hạng đơn vị.".into());
    }
    Ok(chain)
}

pub fn format_unit_chain(chain: &[UnitCriterion]) -> String {
    chain
        .iter()
        .map(|c| c.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

/// The chain as a sentence: "Tỷ lệ ..., rồi Hoàn thành ...".
pub fn describe_unit_chain(chain: &[UnitCriterion]) -> String {
    chain
        .iter()
        .map(|c| c.label())
        .collect::<Vec<_>>()
        .join(", rồi ")
}

/// What a unit achieved over the contest.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitResult<K> {
    pub key: K,
    /// The stored kind (ward, commune, agency...).
    pub kind: String,
    pub headcount: u32,
    pub quota_percent: Option<u32>,
    pub entrants: u32,
    /// Final attempts by its people over every round ("lượt").
    pub attempts: u32,
    /// When each entrant first finished an attempt (UTC ms), in any order.
    pub entry_times: Vec<i64>,
    /// Prize-winners by tier (index 0 = the best prize).
    pub winners_by_tier: Vec<u32>,
    /// Lines of the contest's participation rules (by position or category) it has not met.
    #[serde(default)]
    pub rules_short: u32,
}

/// How the committee ranks units for the collective prizes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CollectiveRules {
    pub chain: Vec<UnitCriterion>,
    pub tiers: Vec<PrizeTier>,
    /// Kinds of unit that compete (stored codes); empty for every kind.
    pub kinds: Vec<String>,
    /// A unit below its mandatory quota, or short of a line of the participation rules,
    /// cannot win.
    pub quota_required: bool,
    /// Points per individual prize tier, for `PrizePoints`.
    pub points: Vec<u32>,
}

/// A unit's figure at one link of the chain.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Figure {
    /// A count, higher is better.
    Count(u64),
    /// A share of the headcount in hundredths of a percent (10 000 = 100%), higher is better.
    Share(u64),
    /// When the quota was met (UTC ms), earlier is better; `None` (never) is last.
    Instant(Option<i64>),
    /// Winners per prize tier, best tier first, compared tier by tier.
    Tiers(Vec<u32>),
}

impl Figure {
    /// `Less` when `self` is the better figure.
    fn compare(&self, other: &Figure) -> Ordering {
        match (self, other) {
            (Figure::Count(a), Figure::Count(b)) | (Figure::Share(a), Figure::Share(b)) => b.cmp(a),
            (Figure::Instant(a), Figure::Instant(b)) => match (a, b) {
                (Some(a), Some(b)) => a.cmp(b),
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => Ordering::Equal,
            },
            (Figure::Tiers(a), Figure::Tiers(b)) => {
                let n = a.len().max(b.len());
                let at = |v: &[u32], i: usize| v.get(i).copied().unwrap_or(0);
                (0..n)
                    .map(|i| at(b, i).cmp(&at(a, i)))
                    .find(|o| o.is_ne())
                    .unwrap_or(Ordering::Equal)
            }
            // One link always yields one kind of figure.
            _ => Ordering::Equal,
        }
    }

    /// Whether the unit achieved anything at this link: a unit with nothing at the first link
    /// of the chain (no prize-winners when ranked by them, no share without a headcount, its
    /// quota never met) is not ranked at all.
    fn is_something(&self) -> bool {
        match self {
            Figure::Count(n) | Figure::Share(n) => *n > 0,
            Figure::Instant(t) => t.is_some(),
            Figure::Tiers(t) => t.iter().any(|n| *n > 0),
        }
    }

    /// As shown to people: "40", "80,0%", a Vietnam time, "1 Nhất, 2 Nhì".
    pub fn display(&self, tier_names: &[String]) -> String {
        match self {
            Figure::Count(n) => n.to_string(),
            Figure::Share(s) => format!("{},{}%", s / 100, (s % 100) / 10),
            Figure::Instant(Some(t)) => super::vntime::format_vn_time(*t),
            Figure::Instant(None) => "chưa đạt".into(),
            Figure::Tiers(t) => {
                let parts: Vec<String> = t
                    .iter()
                    .enumerate()
                    .filter(|(_, n)| **n > 0)
                    .map(|(i, n)| match tier_names.get(i) {
                        Some(name) => format!("{n} {name}"),
                        None => format!("{n} giải bậc {}", i + 1),
                    })
                    .collect();
                if parts.is_empty() {
                    "0".into()
                } else {
                    parts.join(", ")
                }
            }
        }
    }
}

/// Why a unit is not ranked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Ineligible {
    /// Its kind does not compete.
    Kind,
    /// Nobody from it took part.
    NoEntrants,
    /// Below its mandatory quota by this many entrants.
    BelowQuota(u32),
    /// Short of this many lines of the participation rules by position or category.
    RulesShort(u32),
    /// Not everyone in its headcount took part, and the chain asks for it.
    NotEveryone,
}

impl Ineligible {
    pub fn label(self) -> String {
        match self {
            Self::Kind => "Loại đơn vị không thuộc diện xét giải".into(),
            Self::NoEntrants => "Chưa có người dự thi".into(),
            Self::BelowQuota(n) => format!("Chưa đạt tỷ lệ tham gia bắt buộc (thiếu {n} người)"),
            Self::RulesShort(n) => {
                format!("Chưa đạt {n} chỉ tiêu tham gia theo chức vụ, đối tượng")
            }
            Self::NotEveryone => "Chưa đủ 100% biên chế tham gia".into(),
        }
    }
}

/// The instant a unit completed its participation: it reached its quota's share of the
/// headcount, or, without a quota, its last entrant first took part (it reached the figures it
/// is ranked by). `None` when it never met its quota.
pub fn quota_reached_at<K>(u: &UnitResult<K>) -> Option<i64> {
    let target = match u.quota_percent {
        Some(q) => required_entrants(u.headcount, q).max(1),
        None => u.entrants.max(1),
    };
    let mut times = u.entry_times.clone();
    times.sort_unstable();
    times.get(target as usize - 1).copied()
}

/// The unit's figure at one link.
pub fn figure<K>(u: &UnitResult<K>, c: UnitCriterion, points: &[u32]) -> Figure {
    match c {
        UnitCriterion::HighestShare => Figure::Share(if u.headcount == 0 {
            0
        } else {
            (u64::from(u.entrants.min(u.headcount)) * 10_000) / u64::from(u.headcount)
        }),
        UnitCriterion::MostEntrants | UnitCriterion::AllTookPart => {
            Figure::Count(u64::from(u.entrants))
        }
        UnitCriterion::MostAttempts => Figure::Count(u64::from(u.attempts)),
        UnitCriterion::EarliestQuota => Figure::Instant(quota_reached_at(u)),
        UnitCriterion::HighPrizes => Figure::Tiers(u.winners_by_tier.clone()),
        UnitCriterion::MostWinners => {
            Figure::Count(u.winners_by_tier.iter().map(|n| u64::from(*n)).sum())
        }
        UnitCriterion::PrizePoints => Figure::Count(
            u.winners_by_tier
                .iter()
                .enumerate()
                .map(|(tier, n)| u64::from(*n) * u64::from(points.get(tier).copied().unwrap_or(0)))
                .sum(),
        ),
    }
}

/// Whether the unit competes under the rules, and if not, why.
pub fn eligibility<K>(u: &UnitResult<K>, rules: &CollectiveRules) -> Result<(), Ineligible> {
    if !rules.kinds.is_empty() && !rules.kinds.contains(&u.kind) {
        return Err(Ineligible::Kind);
    }
    if u.entrants == 0 {
        return Err(Ineligible::NoEntrants);
    }
    if rules.quota_required {
        if let QuotaStatus::Short(n) = quota_status(u.entrants, u.headcount, u.quota_percent) {
            return Err(Ineligible::BelowQuota(n));
        }
        if u.rules_short > 0 {
            return Err(Ineligible::RulesShort(u.rules_short));
        }
    }
    if rules.chain.contains(&UnitCriterion::AllTookPart)
        && (u.headcount == 0 || u.entrants < u.headcount)
    {
        return Err(Ineligible::NotEveryone);
    }
    Ok(())
}

/// A unit's standing: its rank (ties share it), its figure at each link of the chain, the
/// link that put it below the unit above (`None` for the first and for ties), and its prize
/// tier if it won one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitStanding<K> {
    pub rank: u32,
    pub tied: bool,
    pub key: K,
    pub figures: Vec<Figure>,
    pub decided_by: Option<UnitCriterion>,
    pub tier: Option<usize>,
}

/// The ranking: eligible units best first with competition ranks (1, 2, 2, 4) and prizes,
/// and the units left out with the reason (those of another kind, with nobody taking part or
/// with nothing at the first link are not listed: nothing about them needs explaining).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Collective<K> {
    pub ranked: Vec<UnitStanding<K>>,
    pub left_out: Vec<(K, Ineligible)>,
}

fn compare_figures(a: &[Figure], b: &[Figure]) -> Ordering {
    a.iter()
        .zip(b)
        .map(|(x, y)| x.compare(y))
        .find(|o| o.is_ne())
        .unwrap_or(Ordering::Equal)
}

pub fn rank_units<K: Clone + Ord>(
    units: &[UnitResult<K>],
    rules: &CollectiveRules,
) -> Collective<K> {
    let mut left_out = Vec::new();
    let mut list: Vec<(Vec<Figure>, &UnitResult<K>)> = Vec::new();
    for u in units {
        match eligibility(u, rules) {
            Ok(()) => {
                let figures: Vec<Figure> = rules
                    .chain
                    .iter()
                    .map(|c| figure(u, *c, &rules.points))
                    .collect();
                if figures.first().is_some_and(Figure::is_something) {
                    list.push((figures, u));
                }
            }
            Err(Ineligible::Kind | Ineligible::NoEntrants) => {}
            Err(why) => left_out.push((u.key.clone(), why)),
        }
    }
    list.sort_by(|a, b| compare_figures(&a.0, &b.0).then_with(|| a.1.key.cmp(&b.1.key)));
    let ranks = competition_ranks(&list, |a, b| compare_figures(&a.0, &b.0).is_eq());
    let by_rank: Vec<(K, u32)> = list
        .iter()
        .zip(&ranks)
        .map(|((_, u), (rank, _))| (u.key.clone(), *rank))
        .collect();
    let prizes = award_ranked(
        &by_rank,
        &AwardRules {
            tiers: rules.tiers.clone(),
            cap_percent: None,
        },
    );
    let ranked = list
        .iter()
        .zip(&ranks)
        .enumerate()
        .map(|(i, ((figures, u), (rank, tied)))| {
            let decided_by = match i.checked_sub(1) {
                Some(prev) if *rank as usize == i + 1 => rules
                    .chain
                    .iter()
                    .zip(list[prev].0.iter().zip(figures))
                    .find(|(_, (above, mine))| above.compare(mine).is_ne())
                    .map(|(c, _)| *c),
                _ => None,
            };
            UnitStanding {
                rank: *rank,
                tied: *tied,
                key: u.key.clone(),
                figures: figures.clone(),
                decided_by,
                tier: prizes
                    .iter()
                    .find(|(k, _)| *k == u.key)
                    .map(|(_, tier)| *tier),
            }
        })
        .collect();
    Collective { ranked, left_out }
}

/// "10, 8, 6, 4" as points per prize tier.
pub fn parse_points(s: &str) -> Result<Vec<u32>, String> {
    s.split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| {
            p.parse::<u32>()
                .map_err(|_| format!("Điểm giải “{p}” phải là số nguyên không âm."))
        })
        .collect()
}

/// "ward, commune" (codes or labels, with or without diacritics) as the kinds that compete.
pub fn parse_kinds(s: &str) -> Result<Vec<String>, String> {
    let mut kinds: Vec<String> = Vec::new();
    for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let k = super::units::parse_kind(part)
            .ok_or_else(|| format!("Loại đơn vị “{part}” không hợp lệ."))?;
        if !kinds.iter().any(|have| have == k) {
            kinds.push(k.to_string());
        }
    }
    Ok(kinds)
}

#[cfg(test)]
mod tests {
    use super::*;
    use UnitCriterion::*;

    const HOUR: i64 = 3_600_000;

    fn unit(
        key: u32,
        headcount: u32,
        quota: Option<u32>,
        entrants: u32,
        winners: &[u32],
    ) -> UnitResult<u32> {
        UnitResult {
            key,
            kind: "ward".into(),
            headcount,
            quota_percent: quota,
            entrants,
            attempts: entrants,
            // Entrant i first finished at hour i + 1.
            entry_times: (1..=i64::from(entrants)).map(|h| h * HOUR).collect(),
            winners_by_tier: winners.to_vec(),
            rules_short: 0,
        }
    }

    fn rules(chain: &[UnitCriterion], tiers: &str) -> CollectiveRules {
        CollectiveRules {
            chain: chain.to_vec(),
            tiers: super::super::awards::parse_tiers(tiers).unwrap(),
            kinds: Vec::new(),
            quota_required: true,
            points: vec![10, 8, 6, 4],
        }
    }

    /// (rank, key, tier) of each ranked unit.
    fn ranked(units: &[UnitResult<u32>], r: &CollectiveRules) -> Vec<(u32, u32, Option<usize>)> {
        rank_units(units, r)
            .ranked
            .into_iter()
            .map(|s| (s.rank, s.key, s.tier))
            .collect()
    }

    fn shown(units: &[UnitResult<u32>], c: UnitCriterion) -> Vec<(u32, u32, String)> {
        rank_units(units, &rules(&[c], "Giải:10"))
            .ranked
            .into_iter()
            .map(|s| {
                (
                    s.rank,
                    s.key,
                    s.figures[0].display(&["Nhất".into(), "Nhì".into()]),
                )
            })
            .collect()
    }

    #[test]
    fn each_criterion_ranks_the_eligible_units() {
        let units = [
            unit(1, 50, Some(30), 40, &[1, 0, 0, 0]), // 80%, one Nhất: 10 points
            unit(2, 20, None, 20, &[0, 1, 1, 0]),     // 100%, Nhì + Ba: 14 points
            unit(3, 100, Some(50), 49, &[2, 0, 0, 0]), // below its 50% quota: never eligible
            unit(4, 0, None, 40, &[]),                // no headcount, no prizes
        ];
        let s = |r: u32, k: u32, v: &str| (r, k, v.to_string());
        assert_eq!(
            shown(&units, MostEntrants),
            [s(1, 1, "40"), s(1, 4, "40"), s(3, 2, "20")]
        );
        // Nothing at the first link (no share without a headcount, no prize-winners): unit 4
        // is not ranked by it.
        assert_eq!(
            shown(&units, HighestShare),
            [s(1, 2, "100,0%"), s(2, 1, "80,0%")]
        );
        assert_eq!(shown(&units, AllTookPart), [s(1, 2, "20")]);
        assert_eq!(shown(&units, MostWinners), [s(1, 2, "2"), s(2, 1, "1")]);
        assert_eq!(shown(&units, PrizePoints), [s(1, 2, "14"), s(2, 1, "10")]);
        // One Nhất beats any number of lower prizes.
        assert_eq!(
            shown(&units, HighPrizes),
            [s(1, 1, "1 Nhất"), s(2, 2, "1 Nhì, 1 giải bậc 3")]
        );
        // Unit 1 met 30% of 50 (15 people) with its 15th entrant; units 2 and 4 have no quota:
        // they completed when their last entrant (the 20th, the 40th) took part.
        let t = |h: i64| super::super::vntime::format_vn_time(h * HOUR);
        assert_eq!(
            shown(&units, EarliestQuota),
            [s(1, 1, &t(15)), s(2, 2, &t(20)), s(3, 4, &t(40))]
        );
        assert_eq!(Figure::Instant(None).display(&[]), "chưa đạt");
        assert_eq!(Figure::Tiers(vec![0, 0]).display(&[]), "0");
        let left_out = rank_units(&units, &rules(&[MostEntrants], "Giải:1")).left_out;
        assert_eq!(left_out, [(3, Ineligible::BelowQuota(1))]);
    }

    #[test]
    fn shares_are_capped_at_the_headcount_and_quota_is_met_at_the_boundary() {
        // 23 of 45 meets a 50% quota (23 needed); 60 of 45 counts as 100%.
        let units = [
            unit(1, 45, Some(50), 23, &[]),
            unit(2, 45, Some(50), 60, &[]),
        ];
        let s = |r: u32, k: u32, v: &str| (r, k, v.to_string());
        assert_eq!(
            shown(&units, HighestShare),
            [s(1, 2, "100,0%"), s(2, 1, "51,1%")]
        );
        assert!(shown(&[unit(1, 45, Some(50), 22, &[])], MostEntrants).is_empty());
        // With the quota condition switched off, the unit below it is ranked.
        let mut r = rules(&[MostEntrants], "Giải:1");
        r.quota_required = false;
        assert_eq!(
            ranked(&[unit(1, 45, Some(50), 22, &[])], &r),
            [(1, 1, Some(0))]
        );
        // Short of a line of the rules by position: out while the condition holds.
        let mut short = unit(2, 45, None, 40, &[]);
        short.rules_short = 2;
        let c = rank_units(
            std::slice::from_ref(&short),
            &rules(&[MostEntrants], "Giải:1"),
        );
        assert_eq!(c.left_out, [(2, Ineligible::RulesShort(2))]);
        assert_eq!(ranked(&[short], &r), [(1, 2, Some(0))]);
    }

    /// Quảng Trị 2022: share of the headcount, then the earliest to meet the quota, then the
    /// most high prizes; a tie at each link, broken by the next, and one that is never broken.
    #[test]
    fn the_quang_tri_chain_breaks_a_tie_at_each_link() {
        // Entrant i of each unit first finished at hour i + 1, so a 50% quota of 10 is met at
        // hour 5.
        let mut units = vec![
            unit(1, 10, Some(50), 5, &[0, 1]),  // 50%, met at hour 5, a Nhì
            unit(2, 10, Some(50), 5, &[1, 0]),  // the same with a Nhất instead: above unit 1
            unit(3, 10, Some(50), 8, &[]),      // 80%: first
            unit(4, 20, Some(25), 10, &[0, 1]), // 50%, 25% of 20 met at hour 5, a Nhì: as unit 1
            unit(5, 10, Some(50), 5, &[3, 0]),  // 50%, three Nhất, but met its quota at hour 6
        ];
        units[4].entry_times = (2..=6).map(|h| h * HOUR).collect();
        let r = rules(
            &[HighestShare, EarliestQuota, HighPrizes],
            "Nhất:1:1.000.000, Nhì:1:600.000, Ba:1:400.000",
        );
        let c = rank_units(&units, &r);
        // (rank, unit, tied, the link that put it below the unit above, prize tier)
        type Row = (u32, u32, bool, Option<UnitCriterion>, Option<usize>);
        let got: Vec<Row> = c
            .ranked
            .iter()
            .map(|s| (s.rank, s.key, s.tied, s.decided_by, s.tier))
            .collect();
        assert_eq!(
            got,
            [
                (1, 3, false, None, Some(0)),
                (2, 2, false, Some(HighestShare), Some(1)),
                // 1 and 4 are level on every link: both take the Ba, the last prize.
                (3, 1, true, Some(HighPrizes), Some(2)),
                (3, 4, true, None, Some(2)),
                (5, 5, false, Some(EarliestQuota), None),
            ]
        );
    }

    /// Thái Nguyên 2023: wards and communes only, by attempts ("lượt"), Nhất 1, Nhì 1, Ba 1,
    /// Khuyến khích 5; a tie at the boundary of a tier takes it whole.
    #[test]
    fn the_thai_nguyen_tiers_over_wards_and_communes_by_attempts() {
        let attempts = [30, 25, 20, 20, 12, 11, 10, 9, 8, 7];
        let mut units: Vec<UnitResult<u32>> = attempts
            .iter()
            .enumerate()
            .map(|(i, a)| {
                let mut u = unit(i as u32 + 1, 0, None, 3, &[]);
                u.attempts = *a;
                u.kind = if i % 2 == 0 { "ward" } else { "commune" }.into();
                u
            })
            .collect();
        let mut agency = unit(99, 0, None, 50, &[]);
        agency.kind = "agency".into();
        agency.attempts = 100;
        units.push(agency);
        let mut r = rules(&[MostAttempts], "Nhất:1, Nhì:1, Ba:1, Khuyến khích:5");
        r.kinds = parse_kinds("Phường, xa").unwrap();
        assert_eq!(r.kinds, ["ward", "commune"]);
        let got = ranked(&units, &r);
        assert_eq!(
            got,
            [
                (1, 1, Some(0)),
                (2, 2, Some(1)),
                // 3 and 4 tie for the Ba: both get it, and Khuyến khích shrinks to four.
                (3, 3, Some(2)),
                (3, 4, Some(2)),
                (5, 5, Some(3)),
                (6, 6, Some(3)),
                (7, 7, Some(3)),
                (8, 8, Some(3)),
                (9, 9, None),
                (10, 10, None),
            ]
        );
    }

    #[test]
    fn chains_kinds_and_points_parse() {
        assert_eq!(parse_points("10, 8,6 ,4").unwrap(), [10, 8, 6, 4]);
        assert!(parse_points("10, mười").unwrap_err().contains("mười"));
        for c in UnitCriterion::ALL {
            assert_eq!(UnitCriterion::parse(c.as_str()), Some(c));
        }
        let chain = parse_unit_chain(" share, quota_time ,high_prizes").unwrap();
        assert_eq!(chain, [HighestShare, EarliestQuota, HighPrizes]);
        assert_eq!(format_unit_chain(&chain), "share,quota_time,high_prizes");
        assert!(parse_unit_chain("share,share")
            .unwrap_err()
            .contains("lặp lại"));
        assert!(parse_unit_chain("speed").unwrap_err().contains("speed"));
        assert!(parse_unit_chain(" ").is_err());
        assert!(parse_kinds("ward, thôn").unwrap_err().contains("thôn"));
        assert_eq!(parse_kinds("").unwrap(), Vec::<String>::new());
    }
}
