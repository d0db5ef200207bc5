//! Group commit of answer saves (`server::saves`): saves that arrive together share one
//! commit, each is answered with its own outcome (stored, or refused for its own reason),
//! and a group that fails on the database is tried again save by save, so one bad row
//! never costs the others their save.

use std::sync::atomic::Ordering::Relaxed;

use cuocthi::error::AppError;
use cuocthi::server::saves::SaveRequest;
use futures::future::join_all;

use crate::helpers::{answer_choice_in, spawn_app, Backend, TestApp};
use crate::on_both_backends;

on_both_backends!(
    saves_that_arrive_together_share_a_commit_and_each_gets_its_own_answer,
    a_group_that_fails_on_the_database_is_tried_save_by_save,
);

/// `n` participants with a running attempt each: (session, attempt, user id).
async fn runners(app: &TestApp, n: usize, phone_prefix: &str) -> Vec<(String, i64, i64)> {
    let mut out = Vec::new();
    for i in 0..n {
        let token = app.participant(&format!("{phone_prefix}{i:02}")).await;
        let attempt = app.start(&token).await;
        let user: i64 = sqlx::query_scalar("SELECT user_id FROM attempts WHERE id = $1")
            .bind(attempt)
            .fetch_one(&app.state.db.pool)
            .await
            .unwrap();
        out.push((token, attempt, user));
    }
    out
}

fn request(user_id: i64, attempt_id: i64, seq: u32, choice: Option<u8>) -> SaveRequest {
    SaveRequest {
        user_id,
        attempt_id,
        seq,
        choice,
        at: chrono::Utc::now(),
    }
}

async fn saves_that_arrive_together_share_a_commit_and_each_gets_its_own_answer(backend: Backend) {
    let app = spawn_app(backend).await;
    let people = runners(&app, 9, "09120000").await;
    let (finished_token, finished, finished_user) = people[8].clone();
    assert_eq!(app.submit(finished, &finished_token).await.status, 200);
    let live = &people[..8];

    // 8 × 20 saves and four refusals, all sent at once.
    let mut requests = Vec::new();
    for (k, (_, attempt, user)) in live.iter().enumerate() {
        for seq in 0..20u32 {
            let choice = ((seq as usize + k) % 4) as u8;
            requests.push(request(*user, *attempt, seq, Some(choice)));
        }
    }
    let (_, first, first_user) = live[0].clone();
    let refusals = [
        // Someone else's attempt looks like a missing one.
        (request(live[1].2, first, 0, Some(1)), 404),
        // A submitted attempt.
        (request(finished_user, finished, 0, Some(1)), 409),
        // No option 9, no question 99.
        (request(first_user, first, 1, Some(9)), 400),
        (request(first_user, first, 99, Some(0)), 400),
    ];
    // The refusals go in the middle of the saves, so they share their groups.
    let middle = requests.len() / 2;
    for (i, (r, _)) in refusals.iter().enumerate() {
        requests.insert(middle + i * 7, r.clone());
    }
    let commits_before = app.state.metrics.save_commits.load(Relaxed);
    let outcomes = join_all(requests.iter().cloned().map(|r| {
        let saves = app.state.saves.clone();
        async move { saves.save(r).await }
    }))
    .await;
    let commits = app.state.metrics.save_commits.load(Relaxed) - commits_before;

    let mut refused = Vec::new();
    for (r, outcome) in requests.iter().zip(&outcomes) {
        match outcome {
            Ok(ack) => {
                assert_eq!((ack.seq, ack.choice), (r.seq, r.choice));
                assert_eq!(
                    answer_choice_in(&app.state.db.pool, r.attempt_id, r.seq).await,
                    r.choice,
                    "an acknowledged save is stored"
                );
            }
            Err(e) => refused.push((r.attempt_id, r.seq, e.status_code())),
        }
    }
    let expected: Vec<_> = refusals
        .iter()
        .map(|(r, status)| (r.attempt_id, r.seq, *status))
        .collect();
    assert_eq!(
        refused, expected,
        "exactly the four refusals, each for its reason"
    );
    // Question 1 of the first attempt keeps the valid choice saved beside the refused one.
    assert_eq!(
        answer_choice_in(&app.state.db.pool, first, 1).await,
        Some(1)
    );
    assert!(
        commits * 4 <= requests.len() as u64,
        "{} saves at once took {commits} commits: they were not grouped",
        requests.len()
    );
    // The submitted attempt has no answer stored after its submission.
    assert_eq!(
        answer_choice_in(&app.state.db.pool, finished, 0).await,
        None
    );
}

async fn a_group_that_fails_on_the_database_is_tried_save_by_save(backend: Backend) {
    let app = spawn_app(backend).await;
    let people = runners(&app, 3, "09120001").await;
    // A damaged row: question 0 of the second attempt lists options that do not exist, so
    // storing its answer breaks a foreign key.
    let (_, broken, broken_user) = people[1].clone();
    sqlx::query(
        "UPDATE attempt_questions SET option_order = '999999991,999999992,999999993,999999994' \
         WHERE attempt_id = $1 AND seq = 0",
    )
    .bind(broken)
    .execute(&app.state.db.pool)
    .await
    .unwrap();

    let mut requests = Vec::new();
    for (_, attempt, user) in &people {
        for seq in 0..10u32 {
            requests.push(request(*user, *attempt, seq, Some((seq % 4) as u8)));
        }
    }
    let retried_before = app.state.metrics.save_batches_retried.load(Relaxed);
    let outcomes = join_all(requests.iter().cloned().map(|r| {
        let saves = app.state.saves.clone();
        async move { saves.save(r).await }
    }))
    .await;

    for (r, outcome) in requests.iter().zip(&outcomes) {
        if (r.attempt_id, r.seq) == (broken, 0) {
            assert_eq!(
                outcome,
                &Err(AppError::Internal),
                "the damaged row fails alone"
            );
            assert_eq!(answer_choice_in(&app.state.db.pool, broken, 0).await, None);
        } else {
            assert!(outcome.is_ok(), "{r:?}: {outcome:?}");
            assert_eq!(
                answer_choice_in(&app.state.db.pool, r.attempt_id, r.seq).await,
                r.choice
            );
        }
    }
    assert!(
        app.state.metrics.save_batches_retried.load(Relaxed) > retried_before,
        "the failing group was tried again save by save"
    );
    // The writer goes on: the damaged attempt's other questions still save.
    let again = app
        .state
        .saves
        .save(request(broken_user, broken, 5, Some(3)))
        .await;
    assert!(again.is_ok(), "{again:?}");
}
