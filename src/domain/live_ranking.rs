//! A round's ranking kept up to date one entry at a time. Each person's counted entry sits in
//! an ordered set keyed by the contest's chain (`OsTree`), so a new final attempt moves its
//! person into place in O(log n), and the top of the board, anyone's place and the units'
//! figures are read without ranking everyone again. Built from every final attempt, it gives
//! exactly what `awards::rank_chain` gives for the same entries (the tests use that as the
//! oracle), and applying an entry twice, or an older one after a newer, changes nothing.
//!
//! A link known only at the close (prediction closeness) is fixed when the ranking is built:
//! once the actual value is known, the server builds the ranking again instead of applying
//! entries one by one.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::{Deserialize, Serialize};

use super::awards::{RankRules, TieBreak};
use super::ostree::OsTree;
use super::ranking::{CountingMode, Entry};

/// A final attempt as the board and the awards need it (read by
/// `repo::participants::finished_entries`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct BoardEntry {
    pub attempt_id: i64,
    pub user_id: i64,
    pub registered_at: i64,
    pub prediction: Option<i64>,
    pub question_count: i64,
    pub correct_count: i64,
    pub score: i64,
    pub elapsed_ms: i64,
    pub submitted_at: i64,
    pub full_name: String,
    pub unit_name: String,
}

impl BoardEntry {
    pub fn all_correct(&self) -> bool {
        self.question_count > 0 && self.correct_count == self.question_count
    }

    /// The figures a person's counted attempt is chosen by.
    pub fn as_entry(&self) -> Entry<i64> {
        Entry {
            key: self.user_id,
            score: self.score,
            elapsed_ms: self.elapsed_ms,
            submitted_at: self.submitted_at,
        }
    }
}

const LINKS: usize = TieBreak::ALL.len();

/// The chain's figures, lower first, then the person: the order of the board.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct RankKey {
    links: [i64; LINKS],
    user_id: i64,
}

/// 1 when both neighbours are there and equal after the whole chain, else 0.
fn level(a: Option<RankKey>, b: Option<RankKey>) -> usize {
    matches!((a, b), (Some(a), Some(b)) if a.links == b.links) as usize
}

struct Person {
    counted: BoardEntry,
    /// Final attempts in the round (the "fewer attempts" link).
    attempts: u32,
}

#[derive(Default)]
struct UnitTally {
    ranked: u32,
    /// Scores of the unit's ranked entries, with how many have each.
    scores: BTreeMap<i64, u32>,
}

/// A place on the board: rank (1, 2, 2, 4), whether it is shared, and the counted entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LivePlace<'a> {
    pub rank: u32,
    pub tied: bool,
    pub entry: &'a BoardEntry,
}

/// A unit's figures on the board: its ranked entrants and its best score.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnitFigures {
    pub unit_name: String,
    pub entrants: u32,
    pub best_score: i64,
}

pub struct LiveRanking {
    rules: RankRules,
    mode: CountingMode,
    set_aside: BTreeSet<i64>,
    people: HashMap<i64, Person>,
    order: OsTree<RankKey>,
    units: HashMap<String, UnitTally>,
    /// Neighbours on the board equal after the whole chain: more than 0 means ties.
    equal_neighbours: usize,
}

impl LiveRanking {
    /// An empty ranking: `set_aside` people count as entrants but are never ranked.
    pub fn new(rules: RankRules, mode: CountingMode, set_aside: BTreeSet<i64>) -> Self {
        Self {
            rules,
            mode,
            set_aside,
            people: HashMap::new(),
            order: OsTree::new(),
            units: HashMap::new(),
            equal_neighbours: 0,
        }
    }

    /// The ranking of every final attempt given (in any order).
    pub fn build(
        rules: RankRules,
        mode: CountingMode,
        set_aside: BTreeSet<i64>,
        entries: Vec<BoardEntry>,
    ) -> Self {
        let mut attempts: HashMap<i64, u32> = HashMap::with_capacity(entries.len());
        for e in &entries {
            *attempts.entry(e.user_id).or_default() += 1;
        }
        let mut r = Self::new(rules, mode, set_aside);
        r.people.reserve(attempts.len());
        r.order = OsTree::with_capacity(attempts.len());
        for e in entries {
            let n = attempts.get(&e.user_id).copied().unwrap_or(1);
            r.apply(e, n);
        }
        r
    }

    /// The same entries ranked once the prediction's actual value is known.
    pub fn with_prediction_actual(self, actual: i64) -> Self {
        let mut rules = self.rules.clone();
        rules.prediction_actual = Some(actual);
        if !rules.chain.contains(&TieBreak::Prediction) {
            return Self { rules, ..self };
        }
        let mut r = Self::new(rules, self.mode, self.set_aside);
        r.people.reserve(self.people.len());
        for (_, p) in self.people {
            r.apply(p.counted, p.attempts);
        }
        r
    }

    /// Each person's counted entry (set-aside people included), in no order.
    pub fn counted(&self) -> impl Iterator<Item = &BoardEntry> {
        self.people.values().map(|p| &p.counted)
    }

    pub fn rules(&self) -> &RankRules {
        &self.rules
    }

    /// People with a final attempt (set-aside ones included).
    pub fn entrants(&self) -> u32 {
        self.people.len() as u32
    }

    /// Entries on the board.
    pub fn ranked(&self) -> usize {
        self.order.len()
    }

    pub fn has_ties(&self) -> bool {
        self.equal_neighbours > 0
    }

    fn key_of(&self, p: &Person) -> Option<RankKey> {
        let e = &p.counted;
        if self.set_aside.contains(&e.user_id) || (self.rules.all_correct_only && !e.all_correct())
        {
            return None;
        }
        let mut links = [0i64; LINKS];
        for (slot, link) in links.iter_mut().zip(&self.rules.chain) {
            *slot = match link {
                TieBreak::Score => e.score.saturating_neg(),
                TieBreak::Elapsed => e.elapsed_ms,
                TieBreak::Prediction => match (e.prediction, self.rules.prediction_actual) {
                    (Some(p), Some(a)) => p.abs_diff(a).min(i64::MAX as u64) as i64,
                    _ => i64::MAX,
                },
                TieBreak::FewerAttempts => i64::from(p.attempts),
                TieBreak::EarlierSubmission => e.submitted_at,
                TieBreak::EarlierRegistration => e.registered_at,
            };
        }
        Some(RankKey {
            links,
            user_id: e.user_id,
        })
    }

    /// A final attempt, and how many final attempts its person has in the round (at least
    /// as many as counted when it was read). Returns whether the board changed.
    pub fn apply(&mut self, entry: BoardEntry, attempts: u32) -> bool {
        let user = entry.user_id;
        let replace = match self.people.get(&user) {
            None => true,
            Some(p) => {
                let replace = self.replaces(&entry, &p.counted);
                if !replace && attempts <= p.attempts {
                    return false;
                }
                replace
            }
        };
        let old = self.people.remove(&user);
        if let Some(p) = &old {
            if let Some(k) = self.key_of(p) {
                self.leave(&k, &p.counted);
            }
        }
        let person = match old {
            None => Person {
                counted: entry,
                attempts: attempts.max(1),
            },
            Some(mut p) => {
                if replace {
                    p.counted = entry;
                }
                p.attempts = p.attempts.max(attempts);
                p
            }
        };
        if let Some(k) = self.key_of(&person) {
            self.join(k, &person.counted);
        }
        self.people.insert(user, person);
        true
    }

    /// Whether `new` counts instead of `cur` for its person. Equal figures: the lower
    /// attempt id counts, whichever arrives first.
    fn replaces(&self, new: &BoardEntry, cur: &BoardEntry) -> bool {
        let (n, c) = (new.as_entry(), cur.as_entry());
        new.attempt_id != cur.attempt_id
            && (self.mode.prefers(&n, &c)
                || (!self.mode.prefers(&c, &n) && new.attempt_id < cur.attempt_id))
    }

    fn neighbours(&self, at: usize) -> (Option<RankKey>, Option<RankKey>) {
        let before = at.checked_sub(1).and_then(|i| self.order.nth(i)).copied();
        (before, self.order.nth(at).copied())
    }

    fn join(&mut self, k: RankKey, e: &BoardEntry) {
        let at = self.order.count_below(&k);
        let (before, after) = self.neighbours(at);
        let eq = level;
        self.equal_neighbours =
            self.equal_neighbours + eq(before, Some(k)) + eq(Some(k), after) - eq(before, after);
        self.order.insert(k);
        let u = self.units.entry(e.unit_name.clone()).or_default();
        u.ranked += 1;
        *u.scores.entry(e.score).or_default() += 1;
    }

    fn leave(&mut self, k: &RankKey, e: &BoardEntry) {
        self.order.remove(k);
        let at = self.order.count_below(k);
        let (before, after) = self.neighbours(at);
        let eq = level;
        self.equal_neighbours =
            self.equal_neighbours + eq(before, after) - eq(before, Some(*k)) - eq(Some(*k), after);
        if let Some(u) = self.units.get_mut(&e.unit_name) {
            u.ranked -= 1;
            if let Some(n) = u.scores.get_mut(&e.score) {
                *n -= 1;
                if *n == 0 {
                    u.scores.remove(&e.score);
                }
            }
            if u.ranked == 0 {
                self.units.remove(&e.unit_name);
            }
        }
    }

    /// Someone's place on the board, if they are ranked.
    pub fn place_of(&self, user_id: i64) -> Option<LivePlace<'_>> {
        let p = self.people.get(&user_id)?;
        let k = self.key_of(p)?;
        let low = RankKey {
            links: k.links,
            user_id: i64::MIN,
        };
        let high = RankKey {
            links: k.links,
            user_id: i64::MAX,
        };
        let above = self.order.count_below(&low);
        let level = self.order.count_below(&high) - above;
        Some(LivePlace {
            rank: above as u32 + 1,
            tied: level > 1,
            entry: &p.counted,
        })
    }

    /// The first `n` places, best first (people with equal places by id, as `rank_chain`).
    pub fn top(&self, n: usize) -> Vec<LivePlace<'_>> {
        let keys = self.order.first(n.saturating_add(1));
        let mut out: Vec<LivePlace<'_>> = Vec::with_capacity(n.min(keys.len()));
        for (i, k) in keys.iter().enumerate() {
            let same_as_before = i > 0 && keys[i - 1].links == k.links;
            if i == n {
                if same_as_before {
                    if let Some(last) = out.last_mut() {
                        last.tied = true;
                    }
                }
                break;
            }
            let Some(p) = self.people.get(&k.user_id) else {
                continue;
            };
            let rank = match out.last_mut() {
                Some(prev) if same_as_before => {
                    prev.tied = true;
                    prev.rank
                }
                _ => i as u32 + 1,
            };
            out.push(LivePlace {
                rank,
                tied: same_as_before,
                entry: &p.counted,
            });
        }
        out
    }

    /// Every unit with a ranked entry: its entrants on the board and its best score.
    pub fn units(&self) -> Vec<UnitFigures> {
        self.units
            .iter()
            .map(|(name, t)| UnitFigures {
                unit_name: name.clone(),
                entrants: t.ranked,
                best_score: t.scores.keys().next_back().copied().unwrap_or(0),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::awards::{rank_chain, Candidate};
    use crate::domain::ranking::counted_per_person;
    use TieBreak::*;

    use crate::domain::test_rng::Lcg;

    impl Lcg {
        fn entry(&mut self, attempt_id: i64, people: u64) -> BoardEntry {
            let user_id = self.below(people) as i64 + 1;
            BoardEntry {
                attempt_id,
                user_id,
                registered_at: user_id % 3,
                prediction: (self.below(4) > 0).then(|| self.below(6) as i64 + 47),
                question_count: 3,
                correct_count: self.below(4) as i64,
                score: self.below(4) as i64 * 10,
                elapsed_ms: self.below(3) as i64,
                // Distinct per attempt, as real submissions are (ms apart at least).
                submitted_at: attempt_id * 7 % 23 + attempt_id * 100,
                full_name: format!("Người {user_id}"),
                unit_name: format!("Đơn vị {}", user_id % 4),
            }
        }
    }

    /// The full computation the board used before: each person's counted attempt, ranked
    /// by the chain. (rank, tied, user) in order, and each unit's (entrants, best score).
    #[allow(clippy::type_complexity)]
    fn oracle(
        entries: &[BoardEntry],
        rules: &RankRules,
        mode: CountingMode,
        set_aside: &BTreeSet<i64>,
    ) -> (Vec<(u32, bool, i64)>, BTreeMap<String, (u32, i64)>, u32) {
        let mut attempts: BTreeMap<i64, u32> = BTreeMap::new();
        for e in entries {
            *attempts.entry(e.user_id).or_default() += 1;
        }
        let counted = counted_per_person(entries.iter().cloned(), |e| e.as_entry(), mode);
        let candidates: Vec<Candidate<i64>> = counted
            .values()
            .filter(|e| !set_aside.contains(&e.user_id))
            .map(|e| Candidate {
                key: e.user_id,
                score: e.score,
                all_correct: e.all_correct(),
                elapsed_ms: e.elapsed_ms,
                prediction: e.prediction,
                attempts: attempts[&e.user_id],
                submitted_at: e.submitted_at,
                registered_at: e.registered_at,
            })
            .collect();
        let placed = rank_chain(&candidates, rules);
        let mut units: BTreeMap<String, (u32, i64)> = BTreeMap::new();
        for p in &placed {
            let u = units
                .entry(counted[&p.entry.key].unit_name.clone())
                .or_insert((0, i64::MIN));
            u.0 += 1;
            u.1 = u.1.max(p.entry.score);
        }
        (
            placed
                .iter()
                .map(|p| (p.rank, p.tied, p.entry.key))
                .collect(),
            units,
            counted.len() as u32,
        )
    }

    fn check(live: &LiveRanking, entries: &[BoardEntry], set_aside: &BTreeSet<i64>, what: &str) {
        let (want, want_units, entrants) = oracle(entries, &live.rules, live.mode, set_aside);
        let got: Vec<(u32, bool, i64)> = live
            .top(usize::MAX - 1)
            .iter()
            .map(|p| (p.rank, p.tied, p.entry.user_id))
            .collect();
        assert_eq!(got, want, "{what}: the whole board");
        assert_eq!(live.entrants(), entrants, "{what}: entrants");
        assert_eq!(
            live.has_ties(),
            want.iter().any(|w| w.1),
            "{what}: has ties"
        );
        for (i, w) in want.iter().enumerate() {
            let p = live.place_of(w.2).expect("ranked");
            assert_eq!((p.rank, p.tied), (w.0, w.1), "{what}: place of {}", w.2);
            // A short top gives the same first places, the last one's tie included.
            if i < 6 {
                let short: Vec<(u32, bool, i64)> = live
                    .top(i + 1)
                    .iter()
                    .map(|p| (p.rank, p.tied, p.entry.user_id))
                    .collect();
                assert_eq!(short, want[..=i], "{what}: top {}", i + 1);
            }
        }
        let units: BTreeMap<String, (u32, i64)> = live
            .units()
            .into_iter()
            .map(|u| (u.unit_name, (u.entrants, u.best_score)))
            .collect();
        assert_eq!(units, want_units, "{what}: units");
    }

    #[test]
    fn property_incremental_equals_the_full_ranking_after_every_entry() {
        let mut g = Lcg(11);
        let chains: [&[TieBreak]; 5] = [
            &[Score, Elapsed],
            &[Score, FewerAttempts, Elapsed],
            &[Score, Prediction, Elapsed, EarlierRegistration],
            &[Elapsed, Score],
            &[Score, EarlierSubmission],
        ];
        for case in 0..120 {
            let rules = RankRules {
                chain: chains[case % chains.len()].to_vec(),
                all_correct_only: case % 7 == 3,
                prediction_actual: (case % 2 == 0).then_some(49),
            };
            let mode = CountingMode::ALL[case % 3];
            let set_aside: BTreeSet<i64> = (case % 4 == 1).then_some(2).into_iter().collect();
            let people = 3 + g.below(9);
            let mut live = LiveRanking::new(rules.clone(), mode, set_aside.clone());
            let mut entries: Vec<BoardEntry> = Vec::new();
            for a in 0..(4 + g.below(20) as i64) {
                let e = g.entry(a + 1, people);
                entries.push(e.clone());
                let n = entries.iter().filter(|x| x.user_id == e.user_id).count() as u32;
                live.apply(e.clone(), n);
                check(
                    &live,
                    &entries,
                    &set_aside,
                    &format!("case {case} after {a}"),
                );
                // The same entry again, and an older one again: nothing moves.
                assert!(!live.apply(e, n), "case {case}: applied twice");
                let older = entries[g.below(entries.len() as u64) as usize].clone();
                let before_older = live.place_of(older.user_id).map(|p| (p.rank, p.tied));
                live.apply(older.clone(), 1);
                assert_eq!(
                    live.place_of(older.user_id).map(|p| (p.rank, p.tied)),
                    before_older,
                    "case {case}: an older entry again"
                );
            }
            // Built at once from the same entries, in reverse order: the same board.
            let mut reversed = entries.clone();
            reversed.reverse();
            let built = LiveRanking::build(rules.clone(), mode, set_aside.clone(), reversed);
            check(&built, &entries, &set_aside, &format!("case {case} built"));
            // Built before the close, then given the actual value: the same board again.
            if let Some(actual) = rules.prediction_actual {
                let before_close = RankRules {
                    prediction_actual: None,
                    ..rules.clone()
                };
                let late =
                    LiveRanking::build(before_close, mode, set_aside.clone(), entries.clone())
                        .with_prediction_actual(actual);
                check(
                    &late,
                    &entries,
                    &set_aside,
                    &format!("case {case} at the close"),
                );
            }
        }
    }

    #[test]
    fn a_worse_entry_never_moves_the_ones_above_it() {
        let rules = RankRules {
            chain: vec![Score, Elapsed],
            all_correct_only: false,
            prediction_actual: None,
        };
        let mut g = Lcg(5);
        let mut live = LiveRanking::new(rules, CountingMode::Best, BTreeSet::new());
        for a in 1..200 {
            live.apply(g.entry(a, 60), 1);
        }
        let before: Vec<(u32, i64)> = live
            .top(usize::MAX - 1)
            .iter()
            .map(|p| (p.rank, p.entry.user_id))
            .collect();
        let mut worst = g.entry(1_000, 1);
        worst.user_id = 999;
        worst.score = -1;
        live.apply(worst, 1);
        let after: Vec<(u32, i64)> = live
            .top(usize::MAX - 1)
            .iter()
            .map(|p| (p.rank, p.entry.user_id))
            .collect();
        assert_eq!(after[..before.len()], before[..]);
        assert_eq!(after.last(), Some(&(before.len() as u32 + 1, 999)));
    }

    #[test]
    fn edge_cases() {
        let rules = RankRules {
            chain: vec![Score, FewerAttempts],
            all_correct_only: false,
            prediction_actual: None,
        };
        let mut g = Lcg(1);
        let mut live = LiveRanking::new(rules, CountingMode::Best, BTreeSet::from([7]));
        assert!(live.top(100).is_empty() && live.place_of(1).is_none() && !live.has_ties());
        let mut a = g.entry(1, 1);
        a.score = 30;
        assert!(live.apply(a.clone(), 1));
        assert_eq!(live.place_of(1).map(|p| p.rank), Some(1));
        // A second, worse attempt counts only as one more attempt.
        let mut b = a.clone();
        b.attempt_id = 2;
        b.score = 10;
        assert!(live.apply(b, 2), "the attempt count changed");
        assert_eq!(live.place_of(1).map(|p| p.entry.score), Some(30));
        // A set-aside person counts as an entrant, never on the board.
        let mut c = a.clone();
        c.attempt_id = 3;
        c.user_id = 7;
        assert!(live.apply(c, 1));
        assert_eq!((live.entrants(), live.ranked()), (2, 1));
        assert!(live.place_of(7).is_none());
        // Two equal entries share the first place; the top of one still says so.
        let mut d = a.clone();
        d.attempt_id = 4;
        d.user_id = 8;
        live.apply(d, 2);
        let top: Vec<(u32, bool)> = live.top(1).iter().map(|p| (p.rank, p.tied)).collect();
        assert_eq!(top, [(1, true)]);
        assert!(live.has_ties());
    }
}
