//! When a round is open, when an attempt may start, accept answers, and must end.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// The per-contest settings that govern timing and attempts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttemptRules {
    pub questions_per_attempt: u32,
    pub time_limit_secs: i64,
    /// Answers that arrive this long after the deadline are still accepted:
    /// they absorb network latency for a save the participant made in time.
    pub grace_secs: i64,
    pub max_attempts_per_round: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoundWindow {
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RoundPhase {
    Upcoming,
    Open,
    Closed,
}

impl RoundWindow {
    /// A round is open from `opens_at` (inclusive) to `closes_at` (exclusive).
    pub fn phase(&self, now: DateTime<Utc>) -> RoundPhase {
        if now < self.opens_at {
            RoundPhase::Upcoming
        } else if now < self.closes_at {
            RoundPhase::Open
        } else {
            RoundPhase::Closed
        }
    }
}

/// Why a participant may not start an attempt now.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum StartRefusal {
    RoundNotOpenYet,
    RoundClosed,
    NoAttemptsLeft,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum StartDecision {
    /// An attempt is still running: continue it instead of starting another.
    Resume,
    Start,
}

/// Decides whether a participant may begin (or must resume) an attempt in a round.
/// `attempts_used` counts every attempt already begun in this round, including one in progress.
pub fn decide_start(
    rules: &AttemptRules,
    window: &RoundWindow,
    attempts_used: u32,
    has_running_attempt: bool,
    now: DateTime<Utc>,
) -> Result<StartDecision, StartRefusal> {
    if has_running_attempt {
        return Ok(StartDecision::Resume);
    }
    match window.phase(now) {
        RoundPhase::Upcoming => Err(StartRefusal::RoundNotOpenYet),
        RoundPhase::Closed => Err(StartRefusal::RoundClosed),
        RoundPhase::Open if attempts_used >= rules.max_attempts_per_round => {
            Err(StartRefusal::NoAttemptsLeft)
        }
        RoundPhase::Open => Ok(StartDecision::Start),
    }
}

pub fn attempts_left(rules: &AttemptRules, attempts_used: u32) -> u32 {
    rules.max_attempts_per_round.saturating_sub(attempts_used)
}

/// The deadline of an attempt: the time limit, but never past the round's close,
/// so nobody answers after the round has ended by starting at the last minute.
pub fn attempt_deadline(
    rules: &AttemptRules,
    window: &RoundWindow,
    started_at: DateTime<Utc>,
) -> DateTime<Utc> {
    (started_at + Duration::seconds(rules.time_limit_secs)).min(window.closes_at)
}

/// The last instant at which the server still accepts an answer for an attempt.
pub fn accept_until(deadline: DateTime<Utc>, grace_secs: i64) -> DateTime<Utc> {
    deadline + Duration::seconds(grace_secs.max(0))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SaveRefusal {
    AttemptFinished,
    TooLate,
}

/// Where an attempt stands. Stored as text: `in_progress` or `final`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AttemptStatus {
    InProgress,
    Final,
}

/// Who closed an attempt: its owner, or the server once its time was fully over.
/// Stored as text: `participant` or `server`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FinalizedBy {
    Participant,
    Server,
}

impl AttemptStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            AttemptStatus::InProgress => "in_progress",
            AttemptStatus::Final => "final",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        [AttemptStatus::InProgress, AttemptStatus::Final]
            .into_iter()
            .find(|v| v.as_str() == s)
    }
}

impl FinalizedBy {
    pub fn as_str(self) -> &'static str {
        match self {
            FinalizedBy::Participant => "participant",
            FinalizedBy::Server => "server",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        [FinalizedBy::Participant, FinalizedBy::Server]
            .into_iter()
            .find(|v| v.as_str() == s)
    }
}

/// May an answer that reached the server at `now` be stored? `accept_until` is the attempt's
/// own, frozen when it started (see `accept_until`).
pub fn check_save(
    is_final: bool,
    accept_until: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(), SaveRefusal> {
    if is_final {
        Err(SaveRefusal::AttemptFinished)
    } else if now > accept_until {
        Err(SaveRefusal::TooLate)
    } else {
        Ok(())
    }
}

/// An attempt nobody submitted is finalized by the server once no answer can arrive any more.
pub fn is_overdue(accept_until: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    now > accept_until
}

/// Time taken, as ranked: from start to submission, capped at the deadline
/// (a submission inside the grace period counts as the deadline, never more).
pub fn elapsed_ms(
    started_at: DateTime<Utc>,
    deadline: DateTime<Utc>,
    submitted_at: DateTime<Utc>,
) -> i64 {
    (submitted_at.min(deadline) - started_at)
        .num_milliseconds()
        .max(0)
}

/// Milliseconds left before the deadline, as the client should display it.
pub fn remaining_ms(deadline: DateTime<Utc>, now: DateTime<Utc>) -> i64 {
    (deadline - now).num_milliseconds().max(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t(h: u32, m: u32, s: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 23, h, m, s).unwrap()
    }

    fn rules() -> AttemptRules {
        AttemptRules {
            questions_per_attempt: 20,
            time_limit_secs: 30 * 60,
            grace_secs: 15,
            max_attempts_per_round: 3,
        }
    }

    fn window() -> RoundWindow {
        RoundWindow {
            opens_at: t(1, 0, 0),
            closes_at: t(15, 0, 0),
        }
    }

    #[test]
    fn round_phase_edges() {
        let cases = [
            (t(0, 59, 59), RoundPhase::Upcoming),
            (t(1, 0, 0), RoundPhase::Open),
            (t(14, 59, 59), RoundPhase::Open),
            (t(15, 0, 0), RoundPhase::Closed),
            (t(23, 0, 0), RoundPhase::Closed),
        ];
        for (now, want) in cases {
            assert_eq!(window().phase(now), want, "at {now}");
        }
    }

    #[test]
    fn start_decisions() {
        use StartDecision::*;
        use StartRefusal::*;
        let cases = [
            // (used, running, now, expected)
            (0, false, t(0, 59, 59), Err(RoundNotOpenYet)),
            (0, false, t(1, 0, 0), Ok(Start)),
            (2, false, t(10, 0, 0), Ok(Start)),
            (3, false, t(10, 0, 0), Err(NoAttemptsLeft)),
            (4, false, t(10, 0, 0), Err(NoAttemptsLeft)),
            (3, true, t(10, 0, 0), Ok(Resume)),
            (1, true, t(16, 0, 0), Ok(Resume)),
            (0, false, t(15, 0, 0), Err(RoundClosed)),
        ];
        for (used, running, now, want) in cases {
            assert_eq!(
                decide_start(&rules(), &window(), used, running, now),
                want,
                "used={used} running={running} now={now}"
            );
        }
    }

    #[test]
    fn attempts_left_never_underflows() {
        assert_eq!(attempts_left(&rules(), 0), 3);
        assert_eq!(attempts_left(&rules(), 3), 0);
        assert_eq!(attempts_left(&rules(), 7), 0);
    }

    #[test]
    fn deadline_is_capped_by_round_close() {
        let cases = [
            (t(10, 0, 0), t(10, 30, 0)),
            (t(14, 30, 0), t(15, 0, 0)),
            (t(14, 40, 0), t(15, 0, 0)),
            (t(14, 29, 59), t(14, 59, 59)),
        ];
        for (start, want) in cases {
            assert_eq!(
                attempt_deadline(&rules(), &window(), start),
                want,
                "start {start}"
            );
        }
    }

    #[test]
    fn saves_around_deadline_and_grace() {
        let deadline = t(10, 30, 0);
        let cases = [
            (t(10, 29, 59), false, Ok(())),
            (t(10, 30, 0), false, Ok(())),
            (t(10, 30, 14), false, Ok(())),
            (t(10, 30, 15), false, Ok(())),
            (t(10, 30, 16), false, Err(SaveRefusal::TooLate)),
            (t(12, 0, 0), false, Err(SaveRefusal::TooLate)),
            (t(10, 0, 0), true, Err(SaveRefusal::AttemptFinished)),
        ];
        for (now, is_final, want) in cases {
            assert_eq!(
                check_save(is_final, accept_until(deadline, 15), now),
                want,
                "now {now}"
            );
        }
        // A negative grace in bad configuration must not move the deadline earlier.
        assert_eq!(
            check_save(false, accept_until(deadline, -60), t(10, 30, 0)),
            Ok(())
        );
    }

    #[test]
    fn overdue_only_after_grace() {
        let deadline = t(10, 30, 0);
        assert!(!is_overdue(accept_until(deadline, 15), t(10, 30, 15)));
        assert!(is_overdue(accept_until(deadline, 15), t(10, 30, 16)));
        assert!(is_overdue(accept_until(deadline, 0), t(10, 30, 1)));
        assert!(!is_overdue(accept_until(deadline, 0), t(10, 30, 0)));
    }

    #[test]
    fn stored_names_round_trip() {
        for s in [AttemptStatus::InProgress, AttemptStatus::Final] {
            assert_eq!(AttemptStatus::parse(s.as_str()), Some(s));
        }
        for f in [FinalizedBy::Participant, FinalizedBy::Server] {
            assert_eq!(FinalizedBy::parse(f.as_str()), Some(f));
        }
        assert_eq!(AttemptStatus::parse("done"), None);
    }

    #[test]
    fn elapsed_is_capped_at_deadline() {
        let start = t(10, 0, 0);
        let deadline = t(10, 30, 0);
        let cases = [
            (t(10, 0, 0), 0),
            (t(10, 12, 34), (12 * 60 + 34) * 1000),
            (t(10, 30, 0), 30 * 60 * 1000),
            (t(10, 30, 10), 30 * 60 * 1000),
            (t(9, 59, 0), 0),
        ];
        for (submitted, want) in cases {
            assert_eq!(
                elapsed_ms(start, deadline, submitted),
                want,
                "submitted {submitted}"
            );
        }
    }

    #[test]
    fn remaining_never_negative() {
        assert_eq!(remaining_ms(t(10, 30, 0), t(10, 29, 0)), 60_000);
        assert_eq!(remaining_ms(t(10, 30, 0), t(10, 31, 0)), 0);
    }
}
