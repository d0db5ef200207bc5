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
