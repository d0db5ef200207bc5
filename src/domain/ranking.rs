//! Ordering finished entries into a leaderboard.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry<K> {
    pub key: K,
    pub score: i64,
    pub elapsed_ms: i64,
    /// When the attempt was submitted, in ms: the earlier of two identical results wins
    /// the "best attempt" choice, so a person's counted attempt never flips.
    pub submitted_at: i64,
}

/// A person's best entry: highest score, then shortest time, then earliest submission.
pub fn better<K>(a: &Entry<K>, b: &Entry<K>) -> std::cmp::Ordering {
    b.score
        .cmp(&a.score)
        .then(a.elapsed_ms.cmp(&b.elapsed_ms))
        .then(a.submitted_at.cmp(&b.submitted_at))
}

/// Which of a person's attempts in a round counts (a contest setting).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum CountingMode {
    #[default]
    Best,
    First,
    Last,
}

impl CountingMode {
    pub const ALL: [CountingMode; 3] =
        [CountingMode::Best, CountingMode::First, CountingMode::Last];

    pub fn parse(s: &str) -> Option<Self> {
        match s.trim() {
            "best" => Some(Self::Best),
            "first" => Some(Self::First),
            "last" => Some(Self::Last),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Best => "best",
            Self::First => "first",
            Self::Last => "last",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Best => "Lượt có kết quả cao nhất",
            Self::First => "Lượt thi đầu tiên",
            Self::Last => "Lượt thi cuối cùng",
        }
    }

    /// Whether `candidate` should replace `current` as the person's counted entry.
    pub fn prefers<K>(self, candidate: &Entry<K>, current: &Entry<K>) -> bool {
        use std::cmp::Ordering::Less;
        match self {
            Self::Best => better(candidate, current) == Less,
            Self::First => candidate.submitted_at < current.submitted_at,
            Self::Last => candidate.submitted_at > current.submitted_at,
        }
    }
}

/// Standard competition ranks (1, 2, 2, 4) for a list sorted best first: `same` says whether
/// two neighbours are equal. Each item gets its rank and whether it shares that rank.
pub fn competition_ranks<T>(sorted: &[T], same: impl Fn(&T, &T) -> bool) -> Vec<(u32, bool)> {
    let mut out: Vec<(u32, bool)> = Vec::with_capacity(sorted.len());
    for (i, item) in sorted.iter().enumerate() {
        match out.last_mut() {
            Some(prev) if same(&sorted[i - 1], item) => {
                prev.1 = true;
                let rank = prev.0;
                out.push((rank, true));
            }
            _ => out.push((i as u32 + 1, false)),
        }
    }
    out
}

/// Each person's item that counts (`mode`: best, first or last), keyed by person; `entry`
/// gives the figures an item is judged by.
pub fn counted_per_person<K: Clone + Ord, T>(
    items: impl IntoIterator<Item = T>,
    entry: impl Fn(&T) -> Entry<K>,
    mode: CountingMode,
) -> std::collections::BTreeMap<K, T> {
    let mut counted: std::collections::BTreeMap<K, (Entry<K>, T)> =
        std::collections::BTreeMap::new();
    for item in items {
        let e = entry(&item);
        match counted.get(&e.key) {
            Some((cur, _)) if !mode.prefers(&e, cur) => {}
            _ => {
                counted.insert(e.key.clone(), (e, item));
            }
        }
    }
    counted
        .into_iter()
        .map(|(k, (_, item))| (k, item))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(key: u32, score: i64, elapsed_ms: i64, submitted_at: i64) -> Entry<u32> {
        Entry {
            key,
            score,
            elapsed_ms,
            submitted_at,
        }
    }

    /// Each person's counted entry, ranked by score then time (the board's plainest chain).
    fn rank_per_person(entries: &[Entry<u32>], mode: CountingMode) -> Vec<(u32, Entry<u32>)> {
        let counted = counted_per_person(entries.iter().cloned(), Entry::clone, mode);
        let mut list: Vec<Entry<u32>> = counted.into_values().collect();
        list.sort_by(|a, b| better(a, b).then_with(|| a.key.cmp(&b.key)));
        let ranks = competition_ranks(&list, |a, b| {
            a.score == b.score && a.elapsed_ms == b.elapsed_ms
        });
        ranks.into_iter().map(|(r, _)| r).zip(list).collect()
    }

    fn rank_best_per_person(entries: &[Entry<u32>]) -> Vec<(u32, Entry<u32>)> {
        rank_per_person(entries, CountingMode::Best)
    }

    #[test]
    fn competition_ranks_share_a_place_and_skip_after_it() {
        // (values sorted best first, expected (rank, tied) per item)
        type Case<'a> = (&'a [i32], &'a [(u32, bool)]);
        let table: [Case; 8] = [
            (&[], &[]),
            (&[7], &[(1, false)]),
            (&[9, 8, 7], &[(1, false), (2, false), (3, false)]),
            (
                &[9, 8, 8, 7],
                &[(1, false), (2, true), (2, true), (4, false)],
            ),
            (&[9, 9, 8], &[(1, true), (1, true), (3, false)]),
            (&[9, 8, 8], &[(1, false), (2, true), (2, true)]),
            (&[5, 5, 5], &[(1, true), (1, true), (1, true)]),
            (
                &[9, 9, 8, 7, 7, 7, 1],
                &[
                    (1, true),
                    (1, true),
                    (3, false),
                    (4, true),
                    (4, true),
                    (4, true),
                    (7, false),
                ],
            ),
        ];
        for (values, want) in table {
            assert_eq!(competition_ranks(values, |a, b| a == b), want, "{values:?}");
        }
    }

    #[test]
    fn ranks_with_ties_and_best_attempt() {
        let entries = vec![
            e(1, 80, 600_000, 10),
            e(2, 90, 700_000, 11),
            e(1, 90, 650_000, 12), // person 1's better attempt
            e(3, 90, 650_000, 13), // ties person 1 exactly
            e(4, 50, 100_000, 14),
            e(2, 70, 100_000, 15), // worse: ignored
        ];
        let ranked: Vec<(u32, u32)> = rank_best_per_person(&entries)
            .into_iter()
            .map(|(r, e)| (r, e.key))
            .collect();
        assert_eq!(ranked, vec![(1, 1), (1, 3), (3, 2), (4, 4)]);
    }

    #[test]
    fn equal_attempts_keep_the_earlier() {
        let ranked = rank_best_per_person(&[e(1, 90, 5, 20), e(1, 90, 5, 10)]);
        assert_eq!(ranked.len(), 1);
        assert_eq!(ranked[0].1.submitted_at, 10);
    }

    #[test]
    fn counting_mode_picks_the_attempt_that_counts() {
        // Person 1: a weak first attempt, a strong second, a middling last.
        let entries = vec![
            e(1, 40, 100, 10),
            e(1, 90, 500, 20),
            e(1, 60, 300, 30),
            e(2, 70, 400, 15),
        ];
        let table = [
            (CountingMode::Best, vec![(1, 1, 90), (2, 2, 70)]),
            (CountingMode::First, vec![(1, 2, 70), (2, 1, 40)]),
            (CountingMode::Last, vec![(1, 2, 70), (2, 1, 60)]),
        ];
        for (mode, want) in table {
            let got: Vec<(u32, u32, i64)> = rank_per_person(&entries, mode)
                .into_iter()
                .map(|(r, e)| (r, e.key, e.score))
                .collect();
            assert_eq!(got, want, "{mode:?}");
        }
        for m in CountingMode::ALL {
            assert_eq!(CountingMode::parse(m.as_str()), Some(m));
        }
        assert_eq!(CountingMode::parse("average"), None);
    }

    #[test]
    fn empty_board() {
        assert!(rank_best_per_person(&[]).is_empty());
    }
}
