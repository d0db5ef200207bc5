use crate::domain::{self, AttemptRules, RoundPhase, RoundWindow, StartRefusal};
use crate::error::AppError;
use crate::model::{ContestOverview, Eligibility, Phase, RoundInfo, UserInfo};
use crate::server::clock::{from_ms, to_ms};
use crate::server::repo::contests::{self, ContestRow, RoundRow};
use crate::server::repo::{attempts, users};
use crate::server::service::auth::excluded_message;
use crate::server::AppState;

pub fn rules_of(c: &ContestRow) -> AttemptRules {
    AttemptRules {
        questions_per_attempt: c.questions_per_attempt.max(1) as u32,
        time_limit_secs: c.time_limit_secs,
        grace_secs: c.grace_secs,
        max_attempts_per_round: c.max_attempts_per_round.max(0) as u32,
    }
}

pub fn window_of(r: &RoundRow) -> RoundWindow {
    RoundWindow {
        opens_at: from_ms(r.opens_at),
        closes_at: from_ms(r.closes_at),
    }
}

pub fn refusal_message(r: StartRefusal) -> &'static str {
    match r {
        StartRefusal::RoundNotOpenYet => "Vòng thi chưa mở.",
        StartRefusal::RoundClosed => "Vòng thi đã kết thúc.",
        StartRefusal::NoAttemptsLeft => "Bạn đã dùng hết số lượt dự thi của vòng này.",
    }
}

/// The contest page: rules, rounds, and (for a logged-in viewer) what they may do in each round.
pub async fn overview(
    state: &AppState,
    slug: &str,
    viewer: Option<UserInfo>,
) -> Result<ContestOverview, AppError> {
    let now = state.clock.now();
    let mut conn = state.db.pool.acquire().await?;
    let contest = crate::server::service::contests::resolve(&mut conn, slug).await?;
    let rules = rules_of(&contest);
    let mut rounds = contests::rounds_of(&mut conn, contest.id).await?;
    // A retired round is kept in results but no longer offered.
    rounds.retain(|r| r.retired_at.is_none());
    let mut eligibility = Vec::new();
    let (mut profile_choices, mut my_profile) = (None, String::new());
    if let Some(user) = &viewer {
        (profile_choices, my_profile) =
            crate::server::service::people::choices_for(&mut conn, &contest, user.id).await?;
        let excluded = users::exclusion_reason_for_user(&mut conn, user.id).await?;
        for r in &rounds {
            let mine = attempts::attempts_of_user_in_round(&mut conn, user.id, r.id).await?;
            let running = mine.iter().find(|a| !a.is_final()).map(|a| a.id);
            let used = mine.len() as u32;
            let decision =
                domain::decide_start(&rules, &window_of(r), used, running.is_some(), now);
            let (can_start, reason) = match (&excluded, decision) {
                (Some(why), _) => (false, Some(excluded_message(why))),
                (None, Ok(_)) => (true, None),
                (None, Err(e)) => (false, Some(refusal_message(e).to_string())),
            };
            eligibility.push(Eligibility {
                round_id: r.id,
                attempts_used: used,
                attempts_left: domain::attempts_left(&rules, used),
                running_attempt: running,
                can_start,
                reason,
                finished_attempts: mine.iter().filter(|a| a.is_final()).map(|a| a.id).collect(),
            });
        }
    }
    Ok(ContestOverview {
        id: contest.id,
        slug: contest.slug,
        name: contest.name,
        rules_text: contest.rules_text,
        questions_per_attempt: rules.questions_per_attempt,
        time_limit_secs: rules.time_limit_secs,
        max_attempts_per_round: rules.max_attempts_per_round,
        min_age: contest.min_age.max(0) as u32,
        points_per_question: contest.points_per_question,
        bank_published: contest.bank_published != 0,
        rounds: rounds
            .iter()
            .map(|r| RoundInfo {
                id: r.id,
                name: r.name.clone(),
                opens_at_ms: r.opens_at,
                closes_at_ms: r.closes_at,
                phase: match window_of(r).phase(now) {
                    RoundPhase::Upcoming => Phase::Upcoming,
                    RoundPhase::Open => Phase::Open,
                    RoundPhase::Closed => Phase::Closed,
                },
            })
            .collect(),
        viewer,
        eligibility,
        server_now_ms: to_ms(now),
        profile_choices,
        my_profile,
    })
}
