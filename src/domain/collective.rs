//! Collective (unit) prizes: units ranked by one criterion the contest chooses. Units below
//! their mandatory participation quota are not eligible.

use serde::{Deserialize, Serialize};

use super::ranking::competition_ranks;

use super::units::{quota_status, QuotaStatus};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum UnitCriterion {
    /// Most people taking part.
    MostEntrants,
    /// Highest share of the headcount taking part.
    HighestShare,
    /// Everyone in the headcount took part; ranked by entrants.
    AllTookPart,
    /// Most prize-winners.
    MostWinners,
    /// Most points from its members' prizes (e.g. Nhất 10, Nhì 8, Ba 6, Khuyến khích 4).
    PrizePoints,
}

impl UnitCriterion {
    pub const ALL: [UnitCriterion; 5] = [
        UnitCriterion::MostEntrants,
        UnitCriterion::HighestShare,
        UnitCriterion::AllTookPart,
        UnitCriterion::MostWinners,
        UnitCriterion::PrizePoints,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::MostEntrants => "entrants",
            Self::HighestShare => "share",
            Self::AllTookPart => "all",
            Self::MostWinners => "winners",
            Self::PrizePoints => "points",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::MostEntrants => "Nhiều người dự thi nhất",
            Self::HighestShare => "Tỷ lệ người dự thi trên biên chế cao nhất",
            Self::AllTookPart => "100% biên chế tham gia",
            Self::MostWinners => "Nhiều người đạt giải nhất",
            Self::PrizePoints => "Tổng điểm giải cao nhất",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == s.trim())
    }
}

/// What a unit achieved over the contest.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitResult<K> {
    pub key: K,
    pub headcount: u32,
    pub quota_percent: Option<u32>,
    pub entrants: u32,
    /// Prize-winners by tier (index 0 = the best prize).
    pub winners_by_tier: Vec<u32>,
}

/// A unit's standing: its rank (ties share it) and the value it was ranked by.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitStanding<K> {
    pub rank: u32,
    pub key: K,
    pub value: u64,
}

/// The value a criterion ranks by (higher is better), or `None` when the unit cannot take
/// part in that ranking: below its quota, no headcount for a share, not everyone took part.
pub fn value_of<K>(u: &UnitResult<K>, c: UnitCriterion, points: &[u32]) -> Option<u64> {
    if matches!(
        quota_status(u.entrants, u.headcount, u.quota_percent),
        QuotaStatus::Short(_)
    ) {
        return None;
    }
    let winners: u64 = u.winners_by_tier.iter().map(|n| u64::from(*n)).sum();
    match c {
        UnitCriterion::MostEntrants => (u.entrants > 0).then_some(u64::from(u.entrants)),
        UnitCriterion::HighestShare => (u.headcount > 0 && u.entrants > 0)
            .then(|| (u64::from(u.entrants.min(u.headcount)) * 10_000) / u64::from(u.headcount)),
        UnitCriterion::AllTookPart => {
            (u.headcount > 0 && u.entrants >= u.headcount).then_some(u64::from(u.entrants))
        }
        UnitCriterion::MostWinners => (winners > 0).then_some(winners),
        UnitCriterion::PrizePoints => {
            let total: u64 = u
                .winners_by_tier
                .iter()
                .enumerate()
                .map(|(tier, n)| u64::from(*n) * u64::from(points.get(tier).copied().unwrap_or(0)))
                .sum();
            (total > 0).then_some(total)
        }
    }
}

/// Eligible units ranked by the criterion, best first, with competition ranks (1, 2, 2, 4).
pub fn rank_units<K: Clone + Ord>(
    units: &[UnitResult<K>],
    c: UnitCriterion,
    points: &[u32],
) -> Vec<UnitStanding<K>> {
    let mut list: Vec<(u64, &UnitResult<K>)> = units
        .iter()
        .filter_map(|u| value_of(u, c, points).map(|v| (v, u)))
        .collect();
    list.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.key.cmp(&b.1.key)));
    let ranks = competition_ranks(&list, |a, b| a.0 == b.0);
    list.into_iter()
        .zip(ranks)
        .map(|((value, u), (rank, _))| UnitStanding {
            rank,
            key: u.key.clone(),
            value,
        })
        .collect()
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

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(
        key: u32,
        headcount: u32,
        quota: Option<u32>,
        entrants: u32,
        winners: &[u32],
    ) -> UnitResult<u32> {
        UnitResult {
            key,
            headcount,
            quota_percent: quota,
            entrants,
            winners_by_tier: winners.to_vec(),
        }
    }

    fn ranked(units: &[UnitResult<u32>], c: UnitCriterion) -> Vec<(u32, u32, u64)> {
        rank_units(units, c, &[10, 8, 6, 4])
            .into_iter()
            .map(|s| (s.rank, s.key, s.value))
            .collect()
    }

    #[test]
    fn each_criterion_ranks_the_eligible_units() {
        let units = [
            unit(1, 50, Some(30), 40, &[1, 0, 0, 0]), // 80%, one Nhất: 10 points
            unit(2, 20, None, 20, &[0, 1, 1, 0]),     // 100%, Nhì + Ba: 14 points
            unit(3, 100, Some(50), 49, &[2, 0, 0, 0]), // below its 50% quota: never eligible
            unit(4, 0, None, 40, &[]),                // no headcount: no share
        ];
        assert_eq!(
            ranked(&units, UnitCriterion::MostEntrants),
            [(1, 1, 40), (1, 4, 40), (3, 2, 20)]
        );
        assert_eq!(
            ranked(&units, UnitCriterion::HighestShare),
            [(1, 2, 10_000), (2, 1, 8_000)]
        );
        assert_eq!(ranked(&units, UnitCriterion::AllTookPart), [(1, 2, 20)]);
        assert_eq!(
            ranked(&units, UnitCriterion::MostWinners),
            [(1, 2, 2), (2, 1, 1)]
        );
        assert_eq!(
            ranked(&units, UnitCriterion::PrizePoints),
            [(1, 2, 14), (2, 1, 10)]
        );
    }

    #[test]
    fn shares_are_capped_at_the_headcount_and_quota_is_met_at_the_boundary() {
        // 23 of 45 meets a 50% quota (23 needed); 60 of 45 counts as 100%.
        let units = [
            unit(1, 45, Some(50), 23, &[]),
            unit(2, 45, Some(50), 60, &[]),
        ];
        assert_eq!(
            ranked(&units, UnitCriterion::HighestShare),
            [(1, 2, 10_000), (2, 1, 5_111)]
        );
        assert!(ranked(
            &[unit(1, 45, Some(50), 22, &[])],
            UnitCriterion::MostEntrants
        )
        .is_empty());
    }

    #[test]
    fn points_and_criteria_parse() {
        assert_eq!(parse_points("10, 8,6 ,4").unwrap(), [10, 8, 6, 4]);
        assert!(parse_points("10, mười").unwrap_err().contains("mười"));
        for c in UnitCriterion::ALL {
            assert_eq!(UnitCriterion::parse(c.as_str()), Some(c));
        }
    }
}
