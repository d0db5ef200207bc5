//! Figures for the committee's dashboard and reports: participation, the spread of scores,
//! and item statistics that show which questions do not work (too easy, too hard, or
//! answered better by weaker entrants than by stronger ones).

/// Share of a unit's headcount that took part, in per mille (0..=1000, capped: people
/// outside the headcount may choose the unit). `None` when the headcount is unknown.
pub fn share_per_mille(entrants: u32, headcount: u32) -> Option<u32> {
    (headcount > 0).then(|| ((u64::from(entrants) * 1000 / u64::from(headcount)) as u32).min(1000))
}

/// "45,5%" from per mille.
pub fn format_share(per_mille: u32) -> String {
    format!("{},{}%", per_mille / 10, per_mille % 10)
}

/// One bar of a histogram: scores from `from` to `to`, both included.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Bin {
    pub from: i64,
    pub to: i64,
    pub count: u32,
}

/// Scores 0..=`max` in `bins` bars of equal width (the last one takes the remainder and the
/// maximum). Scores outside the range are clamped into it.
pub fn histogram(scores: &[i64], max: i64, bins: u32) -> Vec<Bin> {
    let max = max.max(0);
    let bins = i64::from(bins.max(1)).min(max + 1);
    let width = (max + 1) / bins;
    let mut out: Vec<Bin> = (0..bins)
        .map(|i| Bin {
            from: i * width,
            to: if i == bins - 1 {
                max
            } else {
                (i + 1) * width - 1
            },
            count: 0,
        })
        .collect();
    for &s in scores {
        let i = (s.clamp(0, max) / width).min(bins - 1) as usize;
        out[i].count += 1;
    }
    out
}

/// Count, mean and median of a list of scores (`None` when empty).
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Summary {
    pub count: u32,
    pub mean: f64,
    pub median: f64,
    pub min: i64,
    pub max: i64,
}

pub fn summary(scores: &[i64]) -> Option<Summary> {
    let mut sorted = scores.to_vec();
    sorted.sort_unstable();
    let n = sorted.len();
    if n == 0 {
        return None;
    }
    let median = if n % 2 == 1 {
        sorted[n / 2] as f64
    } else {
        (sorted[n / 2 - 1] + sorted[n / 2]) as f64 / 2.0
    };
    Some(Summary {
        count: n as u32,
        mean: sorted.iter().sum::<i64>() as f64 / n as f64,
        median,
        min: sorted[0],
        max: sorted[n - 1],
    })
}

/// One question as one attempt met it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Response {
    pub attempt: i64,
    pub question: i64,
    /// The option chosen (its id), `None` when left blank.
    pub chosen: Option<i64>,
    pub correct_option: i64,
}

/// How a question performed over a set of attempts.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ItemStat {
    pub question: i64,
    /// Attempts that were given the question.
    pub presented: u32,
    pub correct: u32,
    pub blank: u32,
    /// Share answering correctly (the facility index, 0..=1).
    pub facility: f64,
    /// Facility among the strongest 27% of attempts minus facility among the weakest 27%
    /// (-1..=1); `None` when either group never met the question.
    pub discrimination: Option<f64>,
    /// How often each option was chosen, by option id.
    pub chosen: Vec<(i64, u32)>,
    /// The wrong option chosen most (ties: the lower id), with its count.
    pub top_wrong: Option<(i64, u32)>,
}

/// The share of attempts in each discrimination group (Kelley's 27%).
const GROUP_SHARE: f64 = 0.27;

/// Item statistics for every question met, by question id. `totals` holds each attempt's
/// total score: it decides the strongest and weakest groups (ties broken by attempt id).
pub fn item_stats(responses: &[Response], totals: &[(i64, i64)]) -> Vec<ItemStat> {
    use std::collections::{BTreeMap, BTreeSet};
    let mut ranked = totals.to_vec();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let group = ((ranked.len() as f64 * GROUP_SHARE).round() as usize).max(1);
    let (upper, lower): (BTreeSet<i64>, BTreeSet<i64>) = if ranked.len() < 2 {
        (BTreeSet::new(), BTreeSet::new())
    } else {
        let group = group.min(ranked.len() / 2);
        (
            ranked[..group].iter().map(|t| t.0).collect(),
            ranked[ranked.len() - group..].iter().map(|t| t.0).collect(),
        )
    };
    let mut by_question: BTreeMap<i64, Vec<&Response>> = BTreeMap::new();
    for r in responses {
        by_question.entry(r.question).or_default().push(r);
    }
    by_question
        .into_iter()
        .map(|(question, rs)| {
            let is_right = |r: &Response| r.chosen == Some(r.correct_option);
            let correct = rs.iter().filter(|r| is_right(r)).count() as u32;
            let blank = rs.iter().filter(|r| r.chosen.is_none()).count() as u32;
            let mut chosen: BTreeMap<i64, u32> = BTreeMap::new();
            for r in &rs {
                if let Some(o) = r.chosen {
                    *chosen.entry(o).or_default() += 1;
                }
            }
            let facility_in = |set: &BTreeSet<i64>| {
                let met: Vec<&Response> = rs
                    .iter()
                    .copied()
                    .filter(|r| set.contains(&r.attempt))
                    .collect();
                (!met.is_empty())
                    .then(|| met.iter().filter(|r| is_right(r)).count() as f64 / met.len() as f64)
            };
            let discrimination = match (facility_in(&upper), facility_in(&lower)) {
                (Some(u), Some(l)) => Some(u - l),
                _ => None,
            };
            let key = rs[0].correct_option;
            let top_wrong = chosen
                .iter()
                .filter(|(o, _)| **o != key)
                .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
                .map(|(o, n)| (*o, *n));
            ItemStat {
                question,
                presented: rs.len() as u32,
                correct,
                blank,
                facility: correct as f64 / rs.len() as f64,
                discrimination,
                chosen: chosen.into_iter().collect(),
                top_wrong,
            }
        })
        .collect()
}

/// What a question's figures suggest to the committee, or `None` when it looks fine:
/// almost everyone right, almost everyone wrong, or weaker entrants doing better.
pub fn item_flag(s: &ItemStat) -> Option<&'static str> {
    if s.presented < 5 {
        return None;
    }
    if s.discrimination.is_some_and(|d| d < 0.0) {
        Some("Người yếu trả lời đúng nhiều hơn người giỏi: xem lại đáp án")
    } else if s.facility < 0.2 {
        Some("Quá khó hoặc đáp án có vấn đề")
    } else if s.facility > 0.95 {
        Some("Quá dễ")
    } else if s.discrimination.is_some_and(|d| d < 0.2) {
        Some("Phân loại kém")
    } else {
        None
    }
}

/// A share as "62,5%" (Vietnamese decimal comma).
pub fn format_percent(x: f64) -> String {
    format!("{:.1}%", x * 100.0).replace('.', ",")
}

/// A discrimination index as "0,25" (blank when there is none).
pub fn format_index(x: Option<f64>) -> String {
    x.map(|d| format!("{d:.2}").replace('.', ","))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares() {
        let cases = [
            (0, 40, Some(0)),
            (20, 40, Some(500)),
            (1, 3, Some(333)),
            (50, 40, Some(1000)),
            (3, 0, None),
        ];
        for (e, h, want) in cases {
            assert_eq!(share_per_mille(e, h), want, "{e}/{h}");
        }
        assert_eq!(format_share(333), "33,3%");
        assert_eq!(format_share(1000), "100,0%");
    }

    #[test]
    fn histograms() {
        let h = histogram(&[240, 235, 230, 5, 0, 999, -3], 240, 10);
        assert_eq!(h.len(), 10);
        assert_eq!(
            (h[0].from, h[0].to, h[0].count),
            (0, 23, 3),
            "0, 5 and the clamped -3"
        );
        assert_eq!(
            (h[9].from, h[9].to, h[9].count),
            (216, 240, 4),
            "the last bar ends at the maximum"
        );
        assert_eq!(h.iter().map(|b| b.count).sum::<u32>(), 7);
        // Fewer possible scores than bars: one bar per score.
        let small = histogram(&[0, 1, 1, 2], 2, 10);
        let counts: Vec<(i64, i64, u32)> = small.iter().map(|b| (b.from, b.to, b.count)).collect();
        assert_eq!(counts, [(0, 0, 1), (1, 1, 2), (2, 2, 1)]);
        assert_eq!(
            histogram(&[], 0, 5),
            [Bin {
                from: 0,
                to: 0,
                count: 0
            }]
        );
    }

    #[test]
    fn summaries() {
        let s = summary(&[240, 235, 230, 5]).unwrap();
        assert_eq!(
            (s.count, s.mean, s.median, s.min, s.max),
            (4, 177.5, 232.5, 5, 240)
        );
        assert_eq!(summary(&[7]).unwrap().median, 7.0);
        assert_eq!(summary(&[]), None);
    }

    fn r(attempt: i64, question: i64, chosen: Option<i64>, key: i64) -> Response {
        Response {
            attempt,
            question,
            chosen,
            correct_option: key,
        }
    }

    /// Four attempts (totals 48, 47, 46, 1); the strongest and weakest groups hold one each.
    /// Question 1 (key 10): right by the strongest and the weakest, option 11 chosen twice.
    /// Question 2 (key 20): right by the two strongest, blank for the others.
    #[test]
    fn item_statistics_worked_by_hand() {
        let totals = [(1, 48), (2, 47), (3, 46), (4, 1)];
        let responses = [
            r(1, 1, Some(10), 10),
            r(2, 1, Some(11), 10),
            r(3, 1, Some(11), 10),
            r(4, 1, Some(10), 10),
            r(1, 2, Some(20), 20),
            r(2, 2, Some(20), 20),
            r(3, 2, None, 20),
            r(4, 2, None, 20),
        ];
        let stats = item_stats(&responses, &totals);
        let q1 = &stats[0];
        assert_eq!((q1.presented, q1.correct, q1.blank), (4, 2, 0));
        assert_eq!(q1.facility, 0.5);
        assert_eq!(q1.discrimination, Some(0.0));
        assert_eq!(q1.top_wrong, Some((11, 2)));
        assert_eq!(q1.chosen, [(10, 2), (11, 2)]);
        let q2 = &stats[1];
        assert_eq!((q2.presented, q2.correct, q2.blank), (4, 2, 2));
        assert_eq!(q2.discrimination, Some(1.0));
        assert_eq!(q2.top_wrong, None);
    }

    #[test]
    fn discrimination_groups_are_27_percent_and_never_overlap() {
        // Ten attempts: groups of three (27% of 10, rounded). Weaker ones get the question right.
        let totals: Vec<(i64, i64)> = (1..=10).map(|a| (a, 100 - a)).collect();
        let responses: Vec<Response> = (1..=10)
            .map(|a| r(a, 7, Some(if a > 5 { 70 } else { 71 }), 70))
            .collect();
        let s = &item_stats(&responses, &totals)[0];
        assert_eq!(s.discrimination, Some(-1.0));
        assert_eq!(
            item_flag(s),
            Some("Người yếu trả lời đúng nhiều hơn người giỏi: xem lại đáp án")
        );
        // One attempt alone has no groups.
        let lone = item_stats(&[r(1, 7, Some(70), 70)], &[(1, 5)]);
        assert_eq!(lone[0].discrimination, None);
        // A question the weakest group never met has no index.
        let partial = item_stats(&[r(1, 8, Some(80), 80)], &[(1, 9), (2, 1)]);
        assert_eq!(partial[0].discrimination, None);
    }

    #[test]
    fn flags() {
        let base = ItemStat {
            question: 1,
            presented: 100,
            correct: 60,
            blank: 0,
            facility: 0.6,
            discrimination: Some(0.4),
            chosen: vec![],
            top_wrong: None,
        };
        let with = |facility: f64, d: Option<f64>| ItemStat {
            facility,
            discrimination: d,
            ..base.clone()
        };
        assert_eq!(item_flag(&base), None);
        assert_eq!(
            item_flag(&with(0.1, Some(0.3))),
            Some("Quá khó hoặc đáp án có vấn đề")
        );
        assert_eq!(item_flag(&with(0.97, Some(0.3))), Some("Quá dễ"));
        assert_eq!(item_flag(&with(0.6, Some(0.1))), Some("Phân loại kém"));
        assert_eq!(
            item_flag(&ItemStat {
                presented: 3,
                ..with(0.0, None)
            }),
            None,
            "too few to judge"
        );
    }
}
