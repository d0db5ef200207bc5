//! Drawing questions, shuffling options, and scoring an attempt from its stored answers.

use serde::{Deserialize, Serialize};

/// Fisher-Yates shuffle driven by `rand_below(n)`, which must return a value in `0..n`.
/// Taking the randomness as a function keeps this pure and testable.
pub fn shuffle<T>(items: &mut [T], rand_below: &mut impl FnMut(usize) -> usize) {
    for i in (1..items.len()).rev() {
        let j = rand_below(i + 1).min(i);
        items.swap(i, j);
    }
}

/// Picks `n` distinct items from the bank at random (all of them when the bank is smaller).
pub fn draw<T: Clone>(bank: &[T], n: usize, rand_below: &mut impl FnMut(usize) -> usize) -> Vec<T> {
    let mut pool = bank.to_vec();
    shuffle(&mut pool, rand_below);
    pool.truncate(n);
    pool
}

/// How many questions an attempt draws from one topic at one difficulty (`None`: any).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DrawQuota {
    pub topic: String,
    pub difficulty: Option<i64>,
    pub count: u32,
}

/// An approved question as the draw sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Drawable {
    pub id: i64,
    pub topic: String,
    pub difficulty: i64,
}

/// A quota the bank cannot fill: (topic, difficulty, wanted, available).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Shortage {
    pub quota: DrawQuota,
    pub available: u32,
}

/// Draws an attempt's questions: `count` from each quota's pool, so every attempt has the
/// same mix of topics and difficulties, then shuffles them together. Without quotas, `n`
/// from the whole bank. Refuses (listing every short pool) rather than hand out a lighter set.
pub fn draw_by_quota(
    bank: &[Drawable],
    quotas: &[DrawQuota],
    n: usize,
    rand_below: &mut impl FnMut(usize) -> usize,
) -> Result<Vec<i64>, Vec<Shortage>> {
    let ids: Vec<i64> = bank.iter().map(|q| q.id).collect();
    if quotas.is_empty() {
        return Ok(draw(&ids, n, rand_below));
    }
    let mut picked = Vec::new();
    let mut short = Vec::new();
    for quota in quotas {
        let pool: Vec<i64> = bank
            .iter()
            .filter(|q| {
                q.topic == quota.topic && quota.difficulty.is_none_or(|d| d == q.difficulty)
            })
            .map(|q| q.id)
            .collect();
        if pool.len() < quota.count as usize {
            short.push(Shortage {
                quota: quota.clone(),
                available: pool.len() as u32,
            });
        } else {
            picked.extend(draw(&pool, quota.count as usize, rand_below));
        }
    }
    if !short.is_empty() {
        return Err(short);
    }
    shuffle(&mut picked, rand_below);
    Ok(picked)
}

/// One question of an attempt as the scorer sees it: which stored option is right,
/// and which one (if any) the participant chose.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MarkedQuestion {
    pub correct_option: i64,
    pub chosen_option: Option<i64>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Score {
    pub correct: u32,
    pub total: u32,
    pub points: i64,
}

pub fn score(questions: &[MarkedQuestion], points_per_question: i64) -> Score {
    let correct = questions
        .iter()
        .filter(|q| q.chosen_option == Some(q.correct_option))
        .count() as u32;
    Score {
        correct,
        total: questions.len() as u32,
        points: i64::from(correct) * points_per_question,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(correct: i64, chosen: Option<i64>) -> MarkedQuestion {
        MarkedQuestion {
            correct_option: correct,
            chosen_option: chosen,
        }
    }

    #[test]
    fn scoring_table() {
        let cases: Vec<(Vec<MarkedQuestion>, u32, i64)> = vec![
            (vec![], 0, 0),
            (vec![q(1, None)], 0, 0),
            (vec![q(1, Some(1))], 1, 5),
            (vec![q(1, Some(2))], 0, 0),
            (
                vec![q(1, Some(1)), q(2, Some(2)), q(3, None), q(4, Some(5))],
                2,
                10,
            ),
            ((0..20).map(|i| q(i, Some(i))).collect(), 20, 100),
        ];
        for (qs, correct, points) in cases {
            let s = score(&qs, 5);
            assert_eq!(
                (s.correct, s.points, s.total),
                (correct, points, qs.len() as u32)
            );
        }
    }

    fn drawable(id: i64, topic: &str, difficulty: i64) -> Drawable {
        Drawable {
            id,
            topic: topic.into(),
            difficulty,
        }
    }

    fn quota(topic: &str, difficulty: Option<i64>, count: u32) -> DrawQuota {
        DrawQuota {
            topic: topic.into(),
            difficulty,
            count,
        }
    }

    #[test]
    fn quotas_give_every_attempt_the_same_mix() {
        let mut bank = Vec::new();
        for i in 0..10 {
            bank.push(drawable(i, "PAR", 1 + i % 2)); // 5 easy, 5 medium
            bank.push(drawable(100 + i, "DTI", 3));
        }
        let quotas = [
            quota("PAR", Some(1), 3),
            quota("PAR", Some(2), 2),
            quota("DTI", None, 4),
        ];
        let by_id: std::collections::HashMap<i64, &Drawable> =
            bank.iter().map(|q| (q.id, q)).collect();
        let mut state = 7usize;
        let mut rng = |n: usize| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 33) % n
        };
        for _ in 0..20 {
            let ids = draw_by_quota(&bank, &quotas, 99, &mut rng).unwrap();
            assert_eq!(ids.len(), 9);
            let distinct: std::collections::HashSet<_> = ids.iter().collect();
            assert_eq!(distinct.len(), 9);
            let count = |t: &str, d: i64| {
                ids.iter()
                    .filter(|id| by_id[id].topic == t && by_id[id].difficulty == d)
                    .count()
            };
            assert_eq!(
                (count("PAR", 1), count("PAR", 2), count("DTI", 3)),
                (3, 2, 4)
            );
        }
    }

    #[test]
    fn quotas_the_bank_cannot_fill_are_all_listed() {
        let bank = [drawable(1, "PAR", 1), drawable(2, "PAR", 2)];
        let mut rng = |_n: usize| 0;
        let short = draw_by_quota(
            &bank,
            &[
                quota("PAR", Some(1), 2),
                quota("PAR", Some(2), 1),
                quota("PCI", None, 1),
            ],
            3,
            &mut rng,
        )
        .unwrap_err();
        let got: Vec<(String, u32, u32)> = short
            .into_iter()
            .map(|s| (s.quota.topic, s.quota.count, s.available))
            .collect();
        assert_eq!(got, [("PAR".to_string(), 2, 1), ("PCI".to_string(), 1, 0)]);
        // No quotas: n from the whole bank.
        assert_eq!(draw_by_quota(&bank, &[], 5, &mut rng).unwrap().len(), 2);
    }

    #[test]
    fn draw_takes_distinct_items_and_caps_at_bank_size() {
        let bank: Vec<u32> = (0..40).collect();
        let mut seed = 7usize;
        let mut rng = |n: usize| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) % n
        };
        let picked = draw(&bank, 20, &mut rng);
        assert_eq!(picked.len(), 20);
        let mut sorted = picked.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), 20, "no question twice");
        assert_eq!(draw(&bank[..5], 20, &mut rng).len(), 5);
        assert!(draw::<u32>(&[], 20, &mut rng).is_empty());
    }

    #[test]
    fn shuffle_with_identity_choice_reverses_nothing_unexpected() {
        // rand_below(i+1) = i keeps every element in place.
        let mut v = vec![1, 2, 3, 4];
        shuffle(&mut v, &mut |n| n - 1);
        assert_eq!(v, vec![1, 2, 3, 4]);
        // rand_below = 0 always: a known rotation.
        let mut v = vec![1, 2, 3, 4];
        shuffle(&mut v, &mut |_| 0);
        assert_eq!(v, vec![2, 3, 4, 1]);
        // An out-of-range source cannot index out of bounds.
        let mut v = vec![1, 2, 3];
        shuffle(&mut v, &mut |_| 99);
        assert_eq!(v.len(), 3);
    }
}
