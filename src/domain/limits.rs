//! Rate limits as token buckets: each key (an address, an account, a session) may spend
//! `capacity` requests at once and regains them evenly over `window_ms`. Pure: the time is
//! passed in, so the rules are tested with tables of moments.

/// `capacity` requests per `window_ms`, refilled continuously.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rule {
    pub capacity: u32,
    pub window_ms: i64,
}

impl Rule {
    pub const fn per_minute(capacity: u32) -> Rule {
        Rule {
            capacity,
            window_ms: 60_000,
        }
    }

    /// One request's worth, in the bucket's units (a request costs `window_ms` units and the
    /// bucket regains `capacity` units per millisecond: integers, no drift).
    fn cost(self) -> i64 {
        self.window_ms.max(1)
    }

    fn full(self) -> i64 {
        i64::from(self.capacity) * self.cost()
    }
}

/// One key's bucket.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Bucket {
    level: i64,
    updated_ms: i64,
}

impl Bucket {
    pub fn full(rule: Rule, now_ms: i64) -> Bucket {
        Bucket {
            level: rule.full(),
            updated_ms: now_ms,
        }
    }

    /// A bucket as stored: (level, updated_ms), e.g. in a table several servers share.
    pub fn from_parts((level, updated_ms): (i64, i64)) -> Bucket {
        Bucket { level, updated_ms }
    }

    pub fn parts(&self) -> (i64, i64) {
        (self.level, self.updated_ms)
    }

    /// The level of a full bucket under `rule`.
    pub fn full_level(rule: Rule) -> i64 {
        rule.full()
    }

    fn refill(&mut self, rule: Rule, now_ms: i64) {
        let elapsed = (now_ms - self.updated_ms).max(0);
        self.level = self
            .level
            .saturating_add(elapsed.saturating_mul(i64::from(rule.capacity)))
            .min(rule.full());
        self.updated_ms = self.updated_ms.max(now_ms);
    }

    /// Spends one request, or says how many milliseconds until one is available.
    pub fn take(&mut self, rule: Rule, now_ms: i64) -> Result<(), i64> {
        self.refill(rule, now_ms);
        if self.level >= rule.cost() {
            self.level -= rule.cost();
            Ok(())
        } else {
            let missing = rule.cost() - self.level;
            let per_ms = i64::from(rule.capacity.max(1));
            Err((missing + per_ms - 1) / per_ms)
        }
    }

    /// Whether one request could be spent now, without spending it.
    pub fn peek(&self, rule: Rule, now_ms: i64) -> Result<(), i64> {
        let mut b = *self;
        b.take(rule, now_ms)
    }

    /// Back to full by `now_ms`: the key can be forgotten.
    pub fn is_full(&self, rule: Rule, now_ms: i64) -> bool {
        let mut b = *self;
        b.refill(rule, now_ms);
        b.level >= rule.full()
    }
}

/// Failed sign-ins to one account from one place (an address, or a browser that signed in to
/// the account before). Each failure past the free ones doubles the wait, so guessing stalls,
/// while a stranger's failures elsewhere never lock the owner out of their own device.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Failures {
    pub count: u32,
    pub last_ms: i64,
}

/// Failures that cost nothing (typing mistakes).
pub const FREE_FAILURES: u32 = 5;
/// The first wait after the free failures; each further failure doubles it.
pub const FIRST_WAIT_MS: i64 = 30_000;
pub const MAX_WAIT_MS: i64 = 15 * 60_000;
/// A place with no failure for this long starts again from nothing.
pub const FORGET_AFTER_MS: i64 = 24 * 3_600_000;

impl Failures {
    /// Milliseconds until the next try from this place is heard (0: now).
    pub fn wait_ms(&self, now_ms: i64) -> i64 {
        if self.count < FREE_FAILURES || now_ms - self.last_ms > FORGET_AFTER_MS {
            return 0;
        }
        let doublings = (self.count - FREE_FAILURES).min(16);
        let wait = (FIRST_WAIT_MS << doublings).min(MAX_WAIT_MS);
        (self.last_ms + wait - now_ms).max(0)
    }

    pub fn record(&mut self, now_ms: i64) {
        if now_ms - self.last_ms > FORGET_AFTER_MS {
            self.count = 0;
        }
        self.count = self.count.saturating_add(1);
        self.last_ms = self.last_ms.max(now_ms);
    }
}

/// A wait in words that match it: "45 giây", "2 phút 30 giây", "15 phút".
pub fn wait_words(secs: u64) -> String {
    let (m, s) = (secs / 60, secs % 60);
    match (m, s) {
        (0, s) => format!("{s} giây"),
        (m, 0) => format!("{m} phút"),
        (m, s) => format!("{m} phút {s} giây"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_grow_the_wait_and_are_forgotten() {
        // (failures so far, ms since the last, expected wait ms)
        let table: &[(u32, i64, i64)] = &[
            (0, 0, 0),
            (4, 0, 0),
            (5, 0, 30_000),
            (5, 10_000, 20_000),
            (5, 30_000, 0),
            (6, 0, 60_000),
            (7, 0, 120_000),
            (9, 0, 480_000),
            (10, 0, MAX_WAIT_MS),
            (40, 0, MAX_WAIT_MS),
            (40, MAX_WAIT_MS, 0),
            (40, FORGET_AFTER_MS + 1, 0),
        ];
        for &(count, since, want) in table {
            let f = Failures {
                count,
                last_ms: 1_000_000,
            };
            assert_eq!(
                f.wait_ms(1_000_000 + since),
                want,
                "{count} failures, {since} ms"
            );
        }
        let mut f = Failures {
            count: 9,
            last_ms: 0,
        };
        f.record(FORGET_AFTER_MS + 1);
        assert_eq!(f.count, 1, "a day later, counting starts again");
    }

    #[test]
    fn waits_are_told_as_they_are() {
        assert_eq!(wait_words(45), "45 giây");
        assert_eq!(wait_words(90), "1 phút 30 giây");
        assert_eq!(wait_words(120), "2 phút");
        assert_eq!(wait_words(900), "15 phút");
    }

    /// Replays requests at the given moments and returns what each got.
    fn replay(rule: Rule, moments: &[i64]) -> Vec<Result<(), i64>> {
        let mut bucket = Bucket::full(rule, moments[0]);
        moments.iter().map(|&t| bucket.take(rule, t)).collect()
    }

    /// A name, the rule, the moments of the requests, and what each should get.
    type Case = (
        &'static str,
        Rule,
        &'static [i64],
        &'static [Result<(), i64>],
    );

    #[test]
    fn table() {
        let three_a_minute = Rule::per_minute(3);
        let cases: &[Case] = &[
            (
                "a burst up to the capacity passes, the next waits a third of a minute",
                three_a_minute,
                &[0, 0, 0, 0],
                &[Ok(()), Ok(()), Ok(()), Err(20_000)],
            ),
            (
                "after the wait one more passes, not a whole new burst",
                three_a_minute,
                &[0, 0, 0, 20_000, 20_000],
                &[Ok(()), Ok(()), Ok(()), Ok(()), Err(20_000)],
            ),
            (
                "a partial wait is counted: 5 s later, 15 s remain",
                three_a_minute,
                &[0, 0, 0, 5_000],
                &[Ok(()), Ok(()), Ok(()), Err(15_000)],
            ),
            (
                "an idle key refills only up to the capacity",
                three_a_minute,
                &[0, 3_600_000, 3_600_000, 3_600_000, 3_600_000],
                &[Ok(()), Ok(()), Ok(()), Ok(()), Err(20_000)],
            ),
            (
                "a steady pace at the rate never waits",
                three_a_minute,
                &[0, 20_000, 40_000, 60_000, 80_000, 100_000],
                &[Ok(()), Ok(()), Ok(()), Ok(()), Ok(()), Ok(())],
            ),
            (
                "a clock stepping back does not grant anything",
                Rule::per_minute(1),
                &[10_000, 0, 5_000],
                &[Ok(()), Err(60_000), Err(60_000)],
            ),
            (
                "ten per quarter hour: the eleventh waits 90 s",
                Rule {
                    capacity: 10,
                    window_ms: 15 * 60_000,
                },
                &[0; 11],
                &[
                    Ok(()),
                    Ok(()),
                    Ok(()),
                    Ok(()),
                    Ok(()),
                    Ok(()),
                    Ok(()),
                    Ok(()),
                    Ok(()),
                    Ok(()),
                    Err(90_000),
                ],
            ),
        ];
        for (name, rule, moments, expected) in cases {
            assert_eq!(&replay(*rule, moments), expected, "{name}");
        }
    }

    #[test]
    fn a_bucket_is_full_again_after_its_window() {
        let rule = Rule::per_minute(2);
        let mut b = Bucket::full(rule, 0);
        b.take(rule, 0).unwrap();
        b.take(rule, 0).unwrap();
        assert!(!b.is_full(rule, 59_999));
        assert!(b.is_full(rule, 60_000));
    }
}
