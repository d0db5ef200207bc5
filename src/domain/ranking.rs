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

/// Keeps each person's best entry and ranks them by score (desc) then time (asc).
/// Entries equal on both share a rank, and the next rank skips (1, 2, 2, 4).
pub fn rank_best_per_person<K: Clone + Ord>(entries: &[Entry<K>]) -> Vec<(u32, Entry<K>)> {
    let mut best: std::collections::BTreeMap<K, Entry<K>> = std::collections::BTreeMap::new();
    for e in entries {
        match best.get(&e.key) {
            Some(cur) if better(cur, e) != std::cmp::Ordering::Greater => {}
            _ => {
                best.insert(e.key.clone(), e.clone());
            }
        }
    }
    let mut list: Vec<Entry<K>> = best.into_values().collect();
    list.sort_by(|a, b| better(a, b).then_with(|| a.key.cmp(&b.key)));
    let mut ranked = Vec::with_capacity(list.len());
    for (i, e) in list.into_iter().enumerate() {
        let rank = match ranked.last() {
            Some((r, prev)) if same_result(prev, &e) => *r,
            _ => i as u32 + 1,
        };
        ranked.push((rank, e));
    }
    ranked
}

fn same_result<K>(a: &Entry<K>, b: &Entry<K>) -> bool {
    a.score == b.score && a.elapsed_ms == b.elapsed_ms
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
    fn empty_board() {
        assert!(rank_best_per_person::<u32>(&[]).is_empty());
    }
}
