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

    /// Back to full by `now_ms`: the key can be forgotten.
    pub fn is_full(&self, rule: Rule, now_ms: i64) -> bool {
        let mut b = *self;
        b.refill(rule, now_ms);
        b.level >= rule.full()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
