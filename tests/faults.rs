//! Concurrency edges: autosaves racing the final submit, and many writers at once on one
//! database. An acknowledged answer is always stored and counted; one that arrives after the
//! attempt is final is refused, never silently dropped.

use futures::future::join_all;

use crate::helpers::{spawn_app, Backend, TestApp};
use crate::on_both_backends;

on_both_backends!(
    autosaves_racing_the_submit_are_either_counted_or_refused,
    concurrent_writers_never_lose_an_acknowledged_answer,
);

/// (seq, stored option position) for an attempt, from the database.
async fn stored_choices(app: &TestApp, attempt: i64) -> Vec<(u32, Option<u8>)> {
    let key_order: Vec<(i64, String)> = sqlx::query_as(
        "SELECT seq, option_order FROM attempt_questions WHERE attempt_id = $1 ORDER BY seq",
    )
    .bind(attempt)
    .fetch_all(&app.state.db.pool)
    .await
    .unwrap();
    let rows: Vec<(i64, Option<i64>)> =
        sqlx::query_as("SELECT seq, option_id FROM answers WHERE attempt_id = $1 ORDER BY seq")
            .bind(attempt)
            .fetch_all(&app.state.db.pool)
            .await
            .unwrap();
    rows.into_iter()
        .map(|(seq, option)| {
            let order = &key_order[seq as usize].1;
            let position = option.and_then(|o| {
                order
                    .split(',')
                    .position(|id| id.trim() == o.to_string())
                    .map(|p| p as u8)
            });
            (seq as u32, position)
        })
        .collect()
}

async fn autosaves_racing_the_submit_are_either_counted_or_refused(backend: Backend) {
    let app = spawn_app(backend).await;
    let token = app.participant("0917000001").await;
    let id = app.start(&token).await;
    let key = app.answer_key(id).await;
    // Ten answers saved, then ten more sent at the same moment as the submit (all right).
    app.answer_correctly(id, 0..10, &token).await;
    let saves = (10..20u32).map(|seq| app.save(id, seq, Some(key[seq as usize]), &token));
    let (replies, submitted) = tokio::join!(join_all(saves), app.submit(id, &token));
    assert_eq!(submitted.status, 200, "{}", submitted.body);
    let mut acknowledged: Vec<u32> = (0..10).collect();
    for (i, r) in replies.iter().enumerate() {
        let seq = 10 + i as u32;
        match r.status {
            200 => acknowledged.push(seq),
            409 | 410 => assert!(!r.body.trim().is_empty(), "a refusal says why"),
            other => panic!("save {seq}: unexpected {other}: {}", r.body),
        }
    }
    // Exactly the acknowledged answers are stored, and the score counts exactly those.
    let stored = stored_choices(&app, id).await;
    let stored_seqs: Vec<u32> = stored.iter().map(|(s, _)| *s).collect();
    assert_eq!(stored_seqs, acknowledged, "acknowledged = stored");
    for (seq, choice) in &stored {
        assert_eq!(*choice, Some(key[*seq as usize]));
    }
    let score: i64 = sqlx::query_scalar("SELECT score FROM attempts WHERE id = $1")
        .bind(id)
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
    assert_eq!(score, 5 * acknowledged.len() as i64);
    assert_eq!(submitted.json()["score"], score);
    // Nothing more is accepted after the end.
    let late = app.save(id, 0, Some((key[0] + 1) % 4), &token).await;
    assert!(matches!(late.status, 409 | 410), "{}", late.body);
    assert_eq!(stored_choices(&app, id).await, stored);
}

async fn concurrent_writers_never_lose_an_acknowledged_answer(backend: Backend) {
    let app = spawn_app(backend).await;
    let mut people = Vec::new();
    for i in 0..8 {
        let token = app.participant(&format!("09170001{i:02}")).await;
        let id = app.start(&token).await;
        people.push((token, id));
    }
    // 8 people × 20 answers, every request in flight at once.
    let app = &app;
    let saves = people.iter().flat_map(|(token, id)| {
        (0..20u32).map(move |seq| async move {
            let choice = (seq % 4) as u8;
            (
                *id,
                seq,
                choice,
                app.save(*id, seq, Some(choice), token).await,
            )
        })
    });
    let results = join_all(saves).await;
    for (id, seq, choice, r) in &results {
        assert_eq!(r.status, 200, "attempt {id} question {seq}: {}", r.body);
        assert_eq!(r.json()["choice"], *choice);
    }
    for (_, id) in &people {
        let stored = stored_choices(app, *id).await;
        let expected: Vec<(u32, Option<u8>)> =
            (0..20u32).map(|seq| (seq, Some((seq % 4) as u8))).collect();
        assert_eq!(stored, expected, "attempt {id}");
    }
}
