//! Ranking by a contest's tie-break chain, and individual prizes from the ranked list.
//! Pure: the same stored entries and rules always give the same ranks and prizes.
//! Long because of its table tests (~375 lines): the rules above them are ~280 lines.

use std::cmp::Ordering;
use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::ranking::competition_ranks;

/// One link of a ranking chain; entries still equal after the whole chain share a rank.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TieBreak {
    /// Higher score first.
    Score,
    /// Shorter time taken first.
    Elapsed,
    /// Prediction closer to the actual value first; no prediction counts as farthest.
    Prediction,
    /// Fewer attempts in the round first.
    FewerAttempts,
    /// Earlier submission first.
    EarlierSubmission,
    /// Earlier registration first.
    EarlierRegistration,
}

impl TieBreak {
    pub const ALL: [TieBreak; 6] = [
        TieBreak::Score,
        TieBreak::Elapsed,
        TieBreak::Prediction,
        TieBreak::FewerAttempts,
        TieBreak::EarlierSubmission,
        TieBreak::EarlierRegistration,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Score => "score",
            Self::Elapsed => "elapsed",
            Self::Prediction => "prediction",
            Self::FewerAttempts => "attempts",
            Self::EarlierSubmission => "submitted",
            Self::EarlierRegistration => "registered",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Score => "điểm cao hơn",
            Self::Elapsed => "thời gian làm bài ít hơn",
            Self::Prediction => "dự đoán gần đúng hơn",
            Self::FewerAttempts => "số lượt thi ít hơn",
            Self::EarlierSubmission => "nộp bài sớm hơn",
            Self::EarlierRegistration => "đăng ký sớm hơn",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == s.trim())
    }
}

/// "score,elapsed,prediction" as a chain: at least one link, each at most once.
pub fn parse_chain(s: &str) -> Result<Vec<TieBreak>, String> {
    let mut chain = Vec::new();
    for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let t = TieBreak::parse(part)
            .ok_or_else(|| format!("Tiêu chí xếp hạng “{part}” không hợp lệ."))?;
        if chain.contains(&t) {
            return Err(format!("Tiêu chí “{}” bị lặp lại.", t.label()));
        }
        chain.push(t);
    }
    if chain.is_empty() {
        return Err("Cần ít nhất một tiêu chí xếp hạng.".into());
    }
    Ok(chain)
}

pub fn format_chain(chain: &[TieBreak]) -> String {
    chain
        .iter()
        .map(|t| t.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

/// A person's counted entry with everything a chain may look at.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Candidate<K> {
    pub key: K,
    pub score: i64,
    pub all_correct: bool,
    pub elapsed_ms: i64,
    pub prediction: Option<i64>,
    pub attempts: u32,
    pub submitted_at: i64,
    pub registered_at: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RankRules {
    pub chain: Vec<TieBreak>,
    /// Only entries with every answer right are ranked.
    pub all_correct_only: bool,
    /// The value predictions are measured against, once the round has closed.
    pub prediction_actual: Option<i64>,
}

fn distance(prediction: Option<i64>, actual: Option<i64>) -> u64 {
    match (prediction, actual) {
        (Some(p), Some(a)) => p.abs_diff(a),
        _ => u64::MAX,
    }
}

/// How `a` compares with `b` at one link (Less: `a` ranks higher).
pub fn compare_at<K>(
    t: TieBreak,
    a: &Candidate<K>,
    b: &Candidate<K>,
    actual: Option<i64>,
) -> Ordering {
    match t {
        TieBreak::Score => b.score.cmp(&a.score),
        TieBreak::Elapsed => a.elapsed_ms.cmp(&b.elapsed_ms),
        TieBreak::Prediction => distance(a.prediction, actual).cmp(&distance(b.prediction, actual)),
        TieBreak::FewerAttempts => a.attempts.cmp(&b.attempts),
        TieBreak::EarlierSubmission => a.submitted_at.cmp(&b.submitted_at),
        TieBreak::EarlierRegistration => a.registered_at.cmp(&b.registered_at),
    }
}

pub fn compare<K>(a: &Candidate<K>, b: &Candidate<K>, rules: &RankRules) -> Ordering {
    rules
        .chain
        .iter()
        .map(|t| compare_at(*t, a, b, rules.prediction_actual))
        .find(|o| o.is_ne())
        .unwrap_or(Ordering::Equal)
}

/// A ranked entry. `decided_by` names the link that put it below the entry just above
/// (`None` for the first entry and for entries tied with the one above).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Placed<K> {
    pub rank: u32,
    pub entry: Candidate<K>,
    pub tied: bool,
    pub decided_by: Option<TieBreak>,
}

/// Standard competition ranking (1, 2, 2, 4) by the chain; entries equal after the whole
/// chain share a rank and are flagged `tied`. Their listing order (by key) carries no meaning.
pub fn rank_chain<K: Clone + Ord>(entries: &[Candidate<K>], rules: &RankRules) -> Vec<Placed<K>> {
    let mut list: Vec<&Candidate<K>> = entries
        .iter()
        .filter(|e| !rules.all_correct_only || e.all_correct)
        .collect();
    list.sort_by(|a, b| compare(a, b, rules).then_with(|| a.key.cmp(&b.key)));
    let ranks = competition_ranks(&list, |a, b| compare(a, b, rules).is_eq());
    list.iter()
        .zip(ranks)
        .enumerate()
        .map(|(i, (e, (rank, tied)))| {
            // The link that put it below the entry above; none when level with it.
            let decided_by = match i.checked_sub(1).map(|p| list[p]) {
                Some(prev) if rank as usize == i + 1 => rules
                    .chain
                    .iter()
                    .copied()
                    .find(|t| compare_at(*t, prev, e, rules.prediction_actual).is_ne()),
                _ => None,
            };
            Placed {
                rank,
                entry: (*e).clone(),
                tied,
                decided_by,
            }
        })
        .collect()
}

/// A prize level and how many of it a round (or the contest) gives.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrizeTier {
    pub name: String,
    pub count: u32,
    /// Prize money per winner, in đồng (0: none recorded).
    #[serde(default)]
    pub amount: u64,
}

/// "Nhất:1:2.000.000, Nhì:2, Ba:3, Khuyến khích:10" as tiers, best first: a name, how many,
/// and optionally the money per winner in đồng (dots or spaces may group the thousands).
pub fn parse_tiers(s: &str) -> Result<Vec<PrizeTier>, String> {
    let mut tiers = Vec::new();
    for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (part_wo_amount, amount) = match part.rsplit_once(':') {
            Some((head, last)) if head.contains(':') => {
                let digits: String = last.chars().filter(|c| !matches!(c, '.' | ' ')).collect();
                let amount = digits
                    .parse::<u64>()
                    .ok()
                    .filter(|a| *a <= 10_000_000_000)
                    .ok_or_else(|| {
                        format!("“{part}”: tiền thưởng phải là số đồng (ví dụ 2.000.000).")
                    })?;
                (head, amount)
            }
            _ => (part, 0),
        };
        let (name, count) = part_wo_amount.rsplit_once(':').ok_or_else(|| {
            format!("“{part}”: cần dạng “tên giải:số lượng” hoặc “tên giải:số lượng:tiền thưởng”.")
        })?;
        let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
        let count: u32 = count
            .trim()
            .parse()
            .ok()
            .filter(|n| (1..=10_000).contains(n))
            .ok_or_else(|| format!("“{part}”: số lượng giải phải là số nguyên dương."))?;
        if name.is_empty() {
            return Err(format!("“{part}”: thiếu tên giải."));
        }
        if tiers.iter().any(|t: &PrizeTier| t.name == name) {
            return Err(format!("Giải “{name}” bị lặp lại."));
        }
        tiers.push(PrizeTier {
            name,
            count,
            amount,
        });
    }
    Ok(tiers)
}

pub fn format_tiers(tiers: &[PrizeTier]) -> String {
    tiers
        .iter()
        .map(|t| match t.amount {
            0 => format!("{}:{}", t.name, t.count),
            a => format!("{}:{}:{}", t.name, t.count, group_thousands(a)),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// 2000000 as "2.000.000", the Vietnamese way.
pub fn group_thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AwardRules {
    pub tiers: Vec<PrizeTier>,
    /// At most this share of the ranked entries (in percent) receives a prize.
    pub cap_percent: Option<u32>,
}

/// Prizes for a ranked list, best tier first. Entries in `ineligible` (disqualified, or
/// already awarded when a person may win once) are passed over and keep no slot.
pub fn award<K: Clone + Ord>(
    placed: &[Placed<K>],
    rules: &AwardRules,
    ineligible: &BTreeSet<K>,
) -> Vec<(K, usize)> {
    let ranked: Vec<(K, u32)> = placed
        .iter()
        .filter(|p| !ineligible.contains(&p.entry.key))
        .map(|p| (p.entry.key.clone(), p.rank))
        .collect();
    award_ranked(&ranked, rules)
}

/// Prizes for keys in rank order (best first, competition ranks), best tier first: the one
/// rule for people and units alike. Equal ranks never get different prizes: a tie group that
/// reaches a tier gets it whole, and the following tiers shrink by the overflow (two tied for
/// a single Nhất both get it). A group that would take the total past the share cap gets
/// nothing, and awarding stops.
pub fn award_ranked<K: Clone>(ranked: &[(K, u32)], rules: &AwardRules) -> Vec<(K, usize)> {
    let cap = rules.cap_percent.map_or(u32::MAX, |c| {
        (ranked.len() as u64 * u64::from(c) / 100) as u32
    });
    let mut winners = Vec::new();
    let mut i = 0;
    let mut given = 0u32;
    let mut tier = 0usize;
    // Slots of the current tier still open (negative after a tie group overflowed it).
    let mut open: i64 = rules.tiers.first().map_or(0, |t| i64::from(t.count));
    while i < ranked.len() && tier < rules.tiers.len() {
        while open <= 0 {
            tier += 1;
            let Some(t) = rules.tiers.get(tier) else {
                return winners;
            };
            open += i64::from(t.count);
        }
        let rank = ranked[i].1;
        let group = ranked[i..].iter().take_while(|(_, r)| *r == rank).count();
        if given + group as u32 > cap {
            break;
        }
        winners.extend(ranked[i..i + group].iter().map(|(k, _)| (k.clone(), tier)));
        given += group as u32;
        open -= group as i64;
        i += group;
    }
    winners
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(key: u32, score: i64, elapsed_ms: i64) -> Candidate<u32> {
        Candidate {
            key,
            score,
            all_correct: score == 100,
            elapsed_ms,
            prediction: None,
            attempts: 1,
            submitted_at: 0,
            registered_at: 0,
        }
    }

    fn rules(chain: &[TieBreak]) -> RankRules {
        RankRules {
            chain: chain.to_vec(),
            all_correct_only: false,
            prediction_actual: Some(50),
        }
    }

    fn ranks(placed: &[Placed<u32>]) -> Vec<(u32, u32)> {
        placed.iter().map(|p| (p.rank, p.entry.key)).collect()
    }

    use TieBreak::*;

    #[test]
    fn every_link_of_the_chain_breaks_ties_in_its_direction() {
        let base = c(0, 90, 1000);
        // (link, better entry, worse entry): each differs from `base` at that link only.
        let table: Vec<(TieBreak, Candidate<u32>, Candidate<u32>)> = vec![
            (
                Score,
                Candidate {
                    key: 1,
                    score: 95,
                    ..base.clone()
                },
                Candidate {
                    key: 2,
                    score: 85,
                    ..base.clone()
                },
            ),
            (
                Elapsed,
                Candidate {
                    key: 1,
                    elapsed_ms: 900,
                    ..base.clone()
                },
                Candidate {
                    key: 2,
                    elapsed_ms: 901,
                    ..base.clone()
                },
            ),
            (
                Prediction,
                Candidate {
                    key: 1,
                    prediction: Some(48),
                    ..base.clone()
                },
                Candidate {
                    key: 2,
                    prediction: Some(53),
                    ..base.clone()
                },
            ),
            (
                Prediction,
                Candidate {
                    key: 1,
                    prediction: Some(60),
                    ..base.clone()
                },
                Candidate {
                    key: 2,
                    prediction: None,
                    ..base.clone()
                },
            ),
            (
                FewerAttempts,
                Candidate {
                    key: 1,
                    attempts: 1,
                    ..base.clone()
                },
                Candidate {
                    key: 2,
                    attempts: 3,
                    ..base.clone()
                },
            ),
            (
                EarlierSubmission,
                Candidate {
                    key: 1,
                    submitted_at: 5,
                    ..base.clone()
                },
                Candidate {
                    key: 2,
                    submitted_at: 6,
                    ..base.clone()
                },
            ),
            (
                EarlierRegistration,
                Candidate {
                    key: 1,
                    registered_at: 5,
                    ..base.clone()
                },
                Candidate {
                    key: 2,
                    registered_at: 6,
                    ..base.clone()
                },
            ),
        ];
        for (link, better, worse) in table {
            // Listed worse first (and with the larger key second) so order comes from the rule.
            let placed = rank_chain(&[worse.clone(), better.clone()], &rules(&[link]));
            assert_eq!(ranks(&placed), [(1, 1), (2, 2)], "{link:?}");
            assert_eq!(placed[1].decided_by, Some(link));
            // Without that link they are tied: same rank, flagged.
            let other = if link == Score { Elapsed } else { Score };
            let placed = rank_chain(&[worse, better], &rules(&[other]));
            assert_eq!(ranks(&placed), [(1, 1), (1, 2)], "{link:?} left out");
            assert!(placed.iter().all(|p| p.tied));
        }
    }

    #[test]
    fn chains_from_real_rules() {
        let mut a = c(1, 90, 500);
        let mut b = c(2, 90, 400);
        a.prediction = Some(50);
        b.prediction = Some(70);
        // Score, time, prediction: the faster one wins.
        assert_eq!(
            ranks(&rank_chain(
                &[a.clone(), b.clone()],
                &rules(&[Score, Elapsed, Prediction])
            ))[0]
                .1,
            2
        );
        // Score, prediction, time: the better prediction wins.
        assert_eq!(
            ranks(&rank_chain(
                &[a.clone(), b.clone()],
                &rules(&[Score, Prediction, Elapsed])
            ))[0]
                .1,
            1
        );
        // Only all-correct entries qualify, ordered by prediction.
        let mut perfect = c(3, 100, 900);
        perfect.prediction = Some(10);
        let only = RankRules {
            all_correct_only: true,
            ..rules(&[Prediction])
        };
        assert_eq!(ranks(&rank_chain(&[a, b, perfect], &only)), [(1, 3)]);
        // Until the actual value is known, predictions cannot separate anyone.
        let mut x = c(4, 90, 500);
        x.prediction = Some(1);
        let unknown = RankRules {
            prediction_actual: None,
            ..rules(&[Prediction])
        };
        assert!(rank_chain(&[x, c(5, 90, 500)], &unknown)
            .iter()
            .all(|p| p.rank == 1));
    }

    #[test]
    fn competition_ranks_skip_after_ties() {
        let placed = rank_chain(
            &[c(1, 90, 5), c(2, 80, 5), c(3, 80, 5), c(4, 70, 5)],
            &rules(&[Score, Elapsed]),
        );
        assert_eq!(ranks(&placed), [(1, 1), (2, 2), (2, 3), (4, 4)]);
        assert_eq!(
            placed.iter().map(|p| p.tied).collect::<Vec<_>>(),
            [false, true, true, false]
        );
    }

    #[test]
    fn chain_text_round_trips_and_rejects_bad_links() {
        assert_eq!(
            parse_chain("score, elapsed ,prediction").unwrap(),
            [Score, Elapsed, Prediction]
        );
        assert_eq!(
            format_chain(&[Score, FewerAttempts, EarlierRegistration]),
            "score,attempts,registered"
        );
        assert!(parse_chain("").is_err());
        assert!(parse_chain("score,luck").unwrap_err().contains("luck"));
        assert!(parse_chain("score,score").unwrap_err().contains("lặp"));
    }

    /// A small deterministic generator, so the property tests need no extra crate.
    use crate::domain::test_rng::Lcg;

    impl Lcg {
        fn candidate(&mut self, key: u32) -> Candidate<u32> {
            Candidate {
                key,
                score: self.below(4) as i64 * 10,
                all_correct: self.below(2) == 0,
                elapsed_ms: self.below(3) as i64,
                prediction: if self.below(4) == 0 {
                    None
                } else {
                    Some(self.below(6) as i64 + 47)
                },
                attempts: self.below(3) as u32 + 1,
                submitted_at: self.below(3) as i64,
                registered_at: self.below(3) as i64,
            }
        }
    }

    #[test]
    fn property_ranking_is_a_total_order() {
        let mut g = Lcg(42);
        for round in 0..300 {
            let chain: Vec<TieBreak> = TieBreak::ALL
                .iter()
                .copied()
                .filter(|_| g.below(2) == 0)
                .collect();
            let chain = if chain.is_empty() { vec![Score] } else { chain };
            let r = RankRules {
                chain,
                all_correct_only: round % 5 == 0,
                prediction_actual: Some(50),
            };
            let entries: Vec<Candidate<u32>> = (0..12).map(|k| g.candidate(k)).collect();
            let placed = rank_chain(&entries, &r);
            for (i, a) in placed.iter().enumerate() {
                for b in &placed[i + 1..] {
                    let o = compare(&a.entry, &b.entry, &r);
                    assert_ne!(o, Ordering::Greater, "sorted");
                    assert_eq!(o.is_eq(), a.rank == b.rank, "equal iff same rank");
                    assert_eq!(
                        compare(&b.entry, &a.entry, &r),
                        o.reverse(),
                        "antisymmetric"
                    );
                }
                assert!(a.rank as usize <= i + 1);
            }
        }
    }

    #[test]
    fn property_a_worse_entry_never_moves_the_ones_above_it() {
        let mut g = Lcg(7);
        for _ in 0..300 {
            let r = rules(&[Score, Prediction, Elapsed, FewerAttempts]);
            let mut entries: Vec<Candidate<u32>> = (0..10).map(|k| g.candidate(k)).collect();
            let before = rank_chain(&entries, &r);
            let newcomer = g.candidate(99);
            entries.push(newcomer.clone());
            let after = rank_chain(&entries, &r);
            for p in before
                .iter()
                .filter(|p| compare(&p.entry, &newcomer, &r).is_lt())
            {
                let now = after.iter().find(|q| q.entry.key == p.entry.key).unwrap();
                assert_eq!(
                    now.rank, p.rank,
                    "an entry above the newcomer kept its rank"
                );
            }
        }
    }

    fn tiers(spec: &str) -> AwardRules {
        AwardRules {
            tiers: parse_tiers(spec).unwrap(),
            cap_percent: None,
        }
    }

    #[test]
    fn prizes_follow_ranks_and_never_split_equal_entries() {
        let r = rules(&[Score]);
        let placed = rank_chain(
            &[
                c(1, 100, 0),
                c(2, 90, 0),
                c(3, 90, 0),
                c(4, 80, 0),
                c(5, 70, 0),
                c(6, 60, 0),
            ],
            &r,
        );
        let none = BTreeSet::new();
        // 1 Nhất, 1 Nhì, 2 Ba: persons 2 and 3 tie for Nhì, so Ba shrinks to one.
        assert_eq!(
            award(&placed, &tiers("Nhất:1, Nhì:1, Ba:2"), &none),
            [(1, 0), (2, 1), (3, 1), (4, 2)]
        );
        // No ties in the way: 1/2/3.
        assert_eq!(
            award(&placed, &tiers("Nhất:1, Nhì:2, Ba:3"), &none).len(),
            6
        );
        // Disqualified or already awarded: passed over, the next one moves up.
        let out = BTreeSet::from([1]);
        assert_eq!(
            award(&placed, &tiers("Nhất:1, Nhì:1"), &out),
            [(2, 0), (3, 0)]
        );
        // A cap of 50% of 6 entrants: 3 prizes at most; the tie group (2, 3) fits, 4 would not.
        let capped = AwardRules {
            cap_percent: Some(50),
            ..tiers("Nhất:1, Nhì:2, Ba:3")
        };
        assert_eq!(award(&placed, &capped, &none), [(1, 0), (2, 1), (3, 1)]);
        // A cap that a tie group would cross stops the awards before the group.
        let tight = AwardRules {
            cap_percent: Some(34),
            ..tiers("Nhất:1, Nhì:2")
        };
        assert_eq!(award(&placed, &tight, &none), [(1, 0)]);
        assert!(award::<u32>(&[], &tiers("Nhất:1"), &none).is_empty());
        // Two tied for the only prize: both get it, nobody else does.
        let tied = rank_chain(&[c(1, 90, 0), c(2, 90, 0), c(3, 80, 0)], &r);
        assert_eq!(award(&tied, &tiers("Nhất:1"), &none), [(1, 0), (2, 0)]);
    }

    #[test]
    fn tier_text_table() {
        assert_eq!(
            parse_tiers("Nhất:1, Nhì:2, Ba:3, Khuyến khích:10")
                .unwrap()
                .iter()
                .map(|t| t.count)
                .sum::<u32>(),
            16
        );
        assert_eq!(
            format_tiers(&parse_tiers(" Nhất : 1 ,Nhì:2").unwrap()),
            "Nhất:1, Nhì:2"
        );
        assert!(parse_tiers("Nhất")
            .unwrap_err()
            .contains("tên giải:số lượng"));
        assert!(parse_tiers("Nhất:0")
            .unwrap_err()
            .contains("số nguyên dương"));
        assert!(parse_tiers("Nhất:1,Nhất:2").unwrap_err().contains("lặp"));
        assert!(parse_tiers("").unwrap().is_empty());
    }

    #[test]
    fn prize_money_table() {
        let t = parse_tiers("Nhất:2:2.000.000, Nhì:5:1 500 000, Ba:8:1000000, Khuyến khích:10")
            .unwrap();
        assert_eq!(
            t.iter().map(|t| (t.count, t.amount)).collect::<Vec<_>>(),
            [(2, 2_000_000), (5, 1_500_000), (8, 1_000_000), (10, 0)]
        );
        assert_eq!(
            format_tiers(&t),
            "Nhất:2:2.000.000, Nhì:5:1.500.000, Ba:8:1.000.000, Khuyến khích:10"
        );
        assert_eq!(parse_tiers(&format_tiers(&t)).unwrap(), t);
        for bad in ["Nhất:1:hai triệu", "Nhất:1:-5", "Nhất:1:99999999999"] {
            assert!(
                parse_tiers(bad).unwrap_err().contains("tiền thưởng"),
                "{bad}"
            );
        }
        assert_eq!(group_thousands(0), "0");
        assert_eq!(group_thousands(999), "999");
        assert_eq!(group_thousands(1000), "1.000");
        assert_eq!(group_thousands(12_345_678), "12.345.678");
    }
}
