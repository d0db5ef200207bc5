use chrono::Duration;
use serde_json::Value;

use crate::helpers::{location, spawn_app, Backend};
use crate::on_both_backends;

on_both_backends!(
    start_draws_questions_without_the_key,
    autosave_and_resume_on_another_device,
    saves_follow_deadline_and_grace,
    submit_scores_and_twice_is_harmless,
    abandoned_attempt_is_finalized_by_the_server,
    another_persons_attempt_is_refused,
    attempts_per_round_are_limited,
    form_posts_work_without_javascript,
    form_palette_and_submit_save_the_choice_first,
    leaderboard_ranks_best_attempts,
    abandoned_attempts_close_together_each_with_its_own_score,
    a_start_turned_away_by_a_busy_server_sends_itself_again,
);

async fn start_draws_questions_without_the_key(backend: Backend) {
    let app = spawn_app(backend).await;
    let token = app.participant("0911000001").await;
    let id = app.start(&token).await;
    // Starting again resumes the same attempt.
    assert_eq!(app.start(&token).await, id);

    let r = app.view(id, &token).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let v = r.json();
    let questions = v["questions"].as_array().unwrap();
    assert_eq!(questions.len(), 20);
    assert!(questions
        .iter()
        .all(|q| q["options"].as_array().unwrap().len() == 4));
    let deadline = v["deadline_ms"].as_i64().unwrap();
    let now = v["server_now_ms"].as_i64().unwrap();
    assert!(
        (deadline - now - 30 * 60 * 1000).abs() < 5_000,
        "30 minutes from the server's now"
    );

    // No field of the reply, and no explanation text, gives the key away.
    assert_no_key(&v);
    let explanations: Vec<String> = sqlx::query_scalar(
        "SELECT q.explanation FROM questions q JOIN attempt_questions aq ON aq.question_id = q.id WHERE aq.attempt_id = $1",
    )
    .bind(id)
    .fetch_all(&app.state.db.pool)
    .await
    .unwrap();
    for e in explanations.iter().filter(|e| !e.is_empty()) {
        assert!(
            !r.body.contains(e.as_str()),
            "explanation leaked before the end"
        );
    }
    // Nor does the save reply, nor the result endpoint before the end.
    let s = app.save(id, 0, Some(1), &token).await;
    assert_no_key(&s.json());
    let early = app
        .post_json(
            "/api/attempt/result",
            serde_json::json!({ "attempt_id": id }),
            Some(&token),
        )
        .await;
    assert_eq!(early.status, 409, "{}", early.body);
    // Nor the attempt page rendered on the server.
    let page = app.get(&format!("/bai-thi/{id}"), Some(&token)).await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains(questions[0]["text"].as_str().unwrap())
            || page.body.contains("Câu 1/20")
    );
    assert!(!page.body.contains("is_correct") && !page.body.contains("\"correct\""));
}

fn assert_no_key(v: &Value) {
    match v {
        Value::Object(map) => {
            for (k, val) in map {
                assert!(
                    !matches!(
                        k.as_str(),
                        "correct" | "is_correct" | "explanation" | "reference" | "review" | "score"
                    ),
                    "field {k} must not be sent before the attempt is final"
                );
                assert_no_key(val);
            }
        }
        Value::Array(items) => items.iter().for_each(assert_no_key),
        _ => {}
    }
}

async fn autosave_and_resume_on_another_device(backend: Backend) {
    let app = spawn_app(backend).await;
    let phone_session = app.participant("0911000002").await;
    let id = app.start(&phone_session).await;
    for (seq, choice) in [(0u32, 2u8), (1, 0), (5, 3), (19, 1)] {
        let r = app.save(id, seq, Some(choice), &phone_session).await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(r.json()["choice"], choice);
    }
    // Change one answer and clear another.
    assert_eq!(app.save(id, 0, Some(3), &phone_session).await.status, 200);
    assert_eq!(app.save(id, 1, None, &phone_session).await.status, 200);

    // The same person logs in on a PC: a second session sees the same attempt.
    let login = app
        .post_form(
            "/api/auth/login",
            &[
                ("phone", "0911000002".into()),
                ("password", "mat-khau-123".into()),
            ],
            None,
        )
        .await;
    let pc_session = login.session().unwrap();
    let before = app.view(id, &phone_session).await.json();
    app.state.clock.advance(Duration::minutes(7));
    let v = app.view(id, &pc_session).await.json();
    let answers = v["answers"].as_array().unwrap();
    assert_eq!(answers[0], 3);
    assert_eq!(answers[1], Value::Null);
    assert_eq!(answers[5], 3);
    assert_eq!(answers[19], 1);
    assert_eq!(answers.iter().filter(|a| !a.is_null()).count(), 3);
    assert_eq!(
        v["deadline_ms"], before["deadline_ms"],
        "the deadline never moves"
    );
    let remaining = v["deadline_ms"].as_i64().unwrap() - v["server_now_ms"].as_i64().unwrap();
    assert!(
        remaining <= 23 * 60 * 1000 + 1000,
        "true remaining time, not a fresh 30 minutes: {remaining}"
    );
    // Same questions in the same order with the same option order.
    assert_eq!(v["questions"], before["questions"]);
}

async fn saves_follow_deadline_and_grace(backend: Backend) {
    let app = spawn_app(backend).await;
    let token = app.participant("0911000003").await;
    let id = app.start(&token).await;
    // One second before the deadline.
    app.state
        .clock
        .advance(Duration::minutes(30) - Duration::seconds(1));
    assert_eq!(app.save(id, 0, Some(1), &token).await.status, 200);
    // Inside the 15-second grace: a save sent just in time still counts.
    app.state.clock.advance(Duration::seconds(14));
    assert_eq!(app.save(id, 1, Some(1), &token).await.status, 200);
    // Past deadline + grace.
    app.state.clock.advance(Duration::seconds(3));
    let late = app.save(id, 2, Some(1), &token).await;
    assert_eq!(late.status, 410, "{}", late.body);
    assert!(late.body.contains("hết giờ"), "{}", late.body);
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM answers WHERE attempt_id = $1")
        .bind(id)
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
    assert_eq!(stored, 2, "the late answer was not written");
    // Bad question numbers and options are refused clearly.
    let token2 = app.participant("0911000033").await;
    let id2 = app.start(&token2).await;
    assert_eq!(app.save(id2, 20, Some(0), &token2).await.status, 400);
    assert_eq!(app.save(id2, 0, Some(4), &token2).await.status, 400);
}

async fn submit_scores_and_twice_is_harmless(backend: Backend) {
    let app = spawn_app(backend).await;
    let token = app.participant("0911000004").await;
    let id = app.start(&token).await;
    let key = app.answer_key(id).await;
    // 7 right, 2 wrong, the rest unanswered.
    app.answer_correctly(id, 0..7, &token).await;
    for seq in 7..9u32 {
        let wrong = (key[seq as usize] + 1) % 4;
        assert_eq!(app.save(id, seq, Some(wrong), &token).await.status, 200);
    }
    app.state.clock.advance(Duration::seconds(125));
    let first = app.submit(id, &token).await;
    assert_eq!(first.status, 200, "{}", first.body);
    let r = first.json();
    assert_eq!(r["correct"], 7);
    assert_eq!(r["score"], 35);
    assert_eq!(r["max_score"], 100);
    assert_eq!(r["finalized_by"], "participant");
    let elapsed = r["elapsed_ms"].as_i64().unwrap();
    assert!((125_000..130_000).contains(&elapsed), "{elapsed}");
    // The demo allows three attempts: the first one's review keeps the key back (see
    // `integrity::a_first_attempt_review_shows_no_key`), and shows what was chosen.
    assert!(r["review"][0]["correct"].is_null(), "{r}");
    assert_eq!(r["review"][0]["chosen"], key[0]);

    app.state.clock.advance(Duration::seconds(60));
    let second = app.submit(id, &token).await;
    assert_eq!(second.status, 200);
    assert_eq!(second.json(), r, "submitting twice changes nothing");
    let after = app.save(id, 10, Some(0), &token).await;
    assert_eq!(
        after.status, 409,
        "no answer after submission: {}",
        after.body
    );
}

async fn abandoned_attempt_is_finalized_by_the_server(backend: Backend) {
    let app = spawn_app(backend).await;
    let token = app.participant("0911000005").await;
    let id = app.start(&token).await;
    app.answer_correctly(id, 0..3, &token).await;
    // Still inside the grace: not closed yet.
    app.state
        .clock
        .advance(Duration::minutes(30) + Duration::seconds(10));
    assert_eq!(
        cuocthi::server::service::attempt::finalize_overdue(&app.state)
            .await
            .unwrap(),
        0
    );
    app.state.clock.advance(Duration::minutes(60));
    assert_eq!(
        cuocthi::server::service::attempt::finalize_overdue(&app.state)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        cuocthi::server::service::attempt::finalize_overdue(&app.state)
            .await
            .unwrap(),
        0
    );

    let r = app
        .post_json(
            "/api/attempt/result",
            serde_json::json!({ "attempt_id": id }),
            Some(&token),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let r = r.json();
    assert_eq!(r["finalized_by"], "server");
    assert_eq!(r["correct"], 3, "scored from the saved answers");
    assert_eq!(
        r["elapsed_ms"],
        30 * 60 * 1000,
        "time counted to the deadline, not to the sweep"
    );
}

async fn another_persons_attempt_is_refused(backend: Backend) {
    let app = spawn_app(backend).await;
    let owner = app.participant("0911000006").await;
    let other = app.participant("0911000007").await;
    let id = app.start(&owner).await;
    assert_eq!(app.save(id, 0, Some(1), &owner).await.status, 200);

    for r in [
        app.view(id, &other).await,
        app.save(id, 0, Some(2), &other).await,
        app.submit(id, &other).await,
        app.post_json(
            "/api/attempt/result",
            serde_json::json!({ "attempt_id": id }),
            Some(&other),
        )
        .await,
    ] {
        assert_eq!(r.status, 404, "{}", r.body);
    }
    let anon = app
        .post_json(
            "/api/attempt/get",
            serde_json::json!({ "attempt_id": id }),
            None,
        )
        .await;
    assert_eq!(anon.status, 401);
    assert_eq!(anon.json()["kind"], "unauthorized", "{}", anon.body);
    // The owner's answer is untouched and the attempt still runs.
    let v = app.view(id, &owner).await.json();
    assert_eq!(v["answers"][0], 1);
    assert_eq!(v["is_final"], false);
}

async fn attempts_per_round_are_limited(backend: Backend) {
    let app = spawn_app(backend).await;
    let token = app.participant("0911000008").await;
    for _ in 0..3 {
        let id = app.start(&token).await;
        assert_eq!(app.submit(id, &token).await.status, 200);
    }
    let r = app.try_start(&token).await;
    assert_eq!(r.status, 403, "{}", r.body);
    assert!(r.body.contains("hết số lượt"));
    let overview = app
        .post_form("/api/contest/overview", &[], Some(&token))
        .await
        .json();
    let e = &overview["eligibility"][0];
    assert_eq!(e["attempts_left"], 0);
    assert_eq!(e["can_start"], false);
    // The upcoming round cannot be started yet.
    let upcoming = overview["rounds"][1]["id"].as_i64().unwrap();
    let r = app
        .post_form(
            "/api/attempt/start",
            &[("round_id", upcoming.to_string())],
            Some(&token),
        )
        .await;
    assert_eq!(r.status, 403);
    assert!(r.body.contains("chưa mở"));
}

async fn form_posts_work_without_javascript(backend: Backend) {
    let app = spawn_app(backend).await;
    let token = app.participant("0911000009").await;
    let round = app.open_round_id().await;
    let r = app
        .post_html_form(
            "/api/attempt/start",
            &[("round_id", round.to_string())],
            Some(&token),
        )
        .await;
    assert_eq!(r.status, 302);
    let location = r.headers["location"].to_str().unwrap().to_string();
    assert!(location.starts_with("/bai-thi/"), "{location}");
    let id: i64 = location.trim_start_matches("/bai-thi/").parse().unwrap();

    let r = app
        .post_html_form(
            "/api/attempt/save_form",
            &[
                ("attempt_id", id.to_string()),
                ("seq", "0".into()),
                ("choice", "2".into()),
                ("go", "1".into()),
            ],
            Some(&token),
        )
        .await;
    assert_eq!(r.status, 302, "{}", r.body);
    assert_eq!(
        r.headers["location"],
        format!("/bai-thi/{id}?cau=2&luu=1").as_str()
    );
    assert_eq!(app.view(id, &token).await.json()["answers"][0], 2);

    // Moving on without choosing keeps the saved answer.
    app.post_html_form(
        "/api/attempt/save_form",
        &[
            ("attempt_id", id.to_string()),
            ("seq", "0".into()),
            ("go", "1".into()),
        ],
        Some(&token),
    )
    .await;
    assert_eq!(app.view(id, &token).await.json()["answers"][0], 2);

    let page = app.get(&format!("/bai-thi/{id}?cau=2"), Some(&token)).await;
    assert!(page.body.contains("Câu 2/20"), "server-rendered question 2");

    let r = app
        .post_html_form(
            "/api/attempt/submit",
            &[("attempt_id", id.to_string())],
            Some(&token),
        )
        .await;
    assert_eq!(r.status, 302);
    assert_eq!(r.headers["location"], format!("/ket-qua/{id}").as_str());
    let result = app.get(&format!("/ket-qua/{id}"), Some(&token)).await;
    assert!(result.body.contains("Kết quả bài thi"));

    // An error after a form post comes back to the page, in Vietnamese.
    let r = app
        .post_html_form(
            "/api/attempt/save_form",
            &[
                ("attempt_id", id.to_string()),
                ("seq", "3".into()),
                ("choice", "1".into()),
            ],
            Some(&token),
        )
        .await;
    assert_eq!(r.status, 302);
    let location = r.headers["location"].to_str().unwrap();
    assert!(!location.contains("loi"), "never in the URL: {location}");
    let page = app.follow(&r, Some(&token)).await;
    assert!(
        page.body.contains("không thể thay đổi"),
        "the error is shown on the page"
    );
    assert!(
        page.set_cookie_header().contains("cuocthi_flash=;"),
        "read once, then cleared"
    );
}

/// Without JavaScript the palette and "Nộp bài" post the answer form: the choice on screen is
/// saved before moving or submitting, and unanswered questions ask for a confirmation.
async fn form_palette_and_submit_save_the_choice_first(backend: Backend) {
    let app = spawn_app(backend).await;
    let token = app.participant("0911000029").await;
    let id = app.start(&token).await;
    let save_form = |fields: Vec<(&'static str, String)>| {
        let app = &app;
        let token = &token;
        async move {
            let fields: Vec<(&str, String)> = fields;
            app.post_html_form("/api/attempt/save_form", &fields, Some(token))
                .await
        }
    };

    // A palette entry: save question 1, show question 5.
    let r = save_form(vec![
        ("attempt_id", id.to_string()),
        ("seq", "0".into()),
        ("choice", "1".into()),
        ("go", "4".into()),
    ])
    .await;
    assert_eq!(r.status, 302, "{}", r.body);
    assert_eq!(
        r.headers["location"],
        format!("/bai-thi/{id}?cau=5&luu=1").as_str()
    );
    assert_eq!(app.view(id, &token).await.json()["answers"][0], 1);

    // "Nộp bài" with 19 questions unanswered: the choice is saved, then a confirmation step.
    let r = save_form(vec![
        ("attempt_id", id.to_string()),
        ("seq", "4".into()),
        ("choice", "3".into()),
        ("submit", "1".into()),
        ("prediction", "".into()),
    ])
    .await;
    assert_eq!(r.status, 302, "{}", r.body);
    let location = r.headers["location"].to_str().unwrap().to_string();
    assert!(
        location.starts_with(&format!("/bai-thi/{id}?cau=5&nop=1")),
        "{location}"
    );
    let v = app.view(id, &token).await.json();
    assert_eq!(v["answers"][4], 3);
    assert_eq!(
        v["is_final"], false,
        "not submitted before the confirmation"
    );
    let page = app.get(&location, Some(&token)).await;
    assert!(
        page.body.contains("data-testid=\"confirm-submit\""),
        "confirmation shown"
    );
    assert!(
        page.body.contains("còn 18 câu chưa trả lời"),
        "unanswered count"
    );

    // Reopened without a question number: the first unanswered one (question 2).
    let page = app.get(&format!("/bai-thi/{id}"), Some(&token)).await;
    assert!(
        page.body.contains("Câu 2/20"),
        "opens at the first unanswered question"
    );

    // Every question answered: "Nộp bài" submits at once.
    for seq in 0..20u32 {
        assert_eq!(app.save(id, seq, Some(0), &token).await.status, 200);
    }
    let r = save_form(vec![
        ("attempt_id", id.to_string()),
        ("seq", "19".into()),
        ("choice", "2".into()),
        ("submit", "1".into()),
    ])
    .await;
    assert_eq!(r.status, 302, "{}", r.body);
    assert_eq!(r.headers["location"], format!("/ket-qua/{id}").as_str());
    let v = app.view(id, &token).await.json();
    assert_eq!(v["is_final"], true);
    assert_eq!(
        v["answers"][19], 2,
        "the last choice was saved before the submission"
    );
}

async fn leaderboard_ranks_best_attempts(backend: Backend) {
    let app = spawn_app(backend).await;
    let round = app.open_round_id().await;
    let finish = |phone: &'static str, right: usize| {
        let app = &app;
        async move {
            let token = app.participant(phone).await;
            let id = app.start(&token).await;
            let key = app.answer_key(id).await;
            for (seq, choice) in key.iter().take(right).enumerate() {
                app.save(id, seq as u32, Some(*choice), &token).await;
            }
            app.submit(id, &token).await;
            token
        }
    };
    finish("0911000010", 5).await;
    let best = finish("0911000011", 12).await;
    finish("0911000012", 9).await;
    // The best person tries again and does worse: the best attempt counts.
    let id = app.start(&best).await;
    app.submit(id, &best).await;

    let b = app.round_board(round).await.json();
    assert_eq!(b["entrants"], 3);
    let scores = board_scores(&b);
    assert_eq!(scores, [60, 45, 25]);
    assert_eq!(b["rows"][0]["rank"], 1);
    let page = app.get(&format!("/bang-xep-hang/{round}"), None).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Bảng xếp hạng"));
}

/// The sweeper closes overdue attempts a batch at a time (one query for every attempt's
/// marks, one update, one read of the board entries): each keeps its own answers and score,
/// and the board that was already showing moves every one of them into place.
async fn abandoned_attempts_close_together_each_with_its_own_score(backend: Backend) {
    let app = spawn_app(backend).await;
    let round = app.open_round_id().await;
    let before = app.round_board(round).await.json();
    assert_eq!(before["entrants"], 0);
    let mut ids = Vec::new();
    for (phone, right, wrong) in [
        ("0911000030", 5, 0),
        ("0911000031", 12, 3),
        ("0911000032", 0, 2),
        ("0911000033", 9, 0),
    ] {
        let token = app.participant(phone).await;
        let id = app.start(&token).await;
        let key = app.answer_key(id).await;
        for (seq, choice) in key.iter().enumerate().take(right) {
            assert_eq!(
                app.save(id, seq as u32, Some(*choice), &token).await.status,
                200
            );
        }
        for (seq, choice) in key.iter().enumerate().skip(right).take(wrong) {
            let not_right = (choice + 1) % 4;
            assert_eq!(
                app.save(id, seq as u32, Some(not_right), &token)
                    .await
                    .status,
                200
            );
        }
        ids.push((id, right as i64));
    }
    // On Postgres, other app servers hear of each closed entry.
    let mut listener = match backend {
        Backend::Postgres => {
            let mut l = sqlx::postgres::PgListener::connect(&app.database_url)
                .await
                .unwrap();
            l.listen(cuocthi::server::live::CHANNEL).await.unwrap();
            Some(l)
        }
        Backend::Sqlite => None,
    };
    app.state.clock.advance(Duration::minutes(90));
    assert_eq!(
        cuocthi::server::service::attempt::finalize_overdue(&app.state)
            .await
            .unwrap(),
        4
    );
    if let Some(l) = listener.as_mut() {
        let mut told = Vec::new();
        while told.len() < ids.len() {
            let n = tokio::time::timeout(std::time::Duration::from_secs(5), l.recv())
                .await
                .expect("a notification per closed entry")
                .unwrap();
            let entry: Value = serde_json::from_str(
                n.payload()
                    .split_once(" E ")
                    .expect("an entry's notification")
                    .1,
            )
            .unwrap();
            told.push(entry["entry"]["attempt_id"].as_i64().unwrap());
        }
        told.sort_unstable();
        let mut closed: Vec<i64> = ids.iter().map(|(id, _)| *id).collect();
        closed.sort_unstable();
        assert_eq!(told, closed);
    }
    for (id, right) in &ids {
        let closed = format!(
            "SELECT COUNT(*) FROM attempts WHERE id = {id} AND status = 'final' \
             AND finalized_by = 'server' AND correct_count = {right} AND score = {} \
             AND elapsed_ms = {}",
            right * 5,
            30 * 60 * 1000
        );
        assert_eq!(
            app.count(&closed).await,
            1,
            "attempt {id} with {right} right"
        );
    }
    let b = app.round_board(round).await.json();
    assert_eq!(b["entrants"], 4, "{b}");
    let scores = board_scores(&b);
    assert_eq!(scores, [60, 45, 25, 0]);
}

/// Every database connection is taken (thousands starting in the same instant): the start
/// form's post is turned away with "busy, retry in 2 s", never a 500, and the page it comes
/// back to sends the same form again by itself after those 2 s, with the person's choices.
async fn a_start_turned_away_by_a_busy_server_sends_itself_again(backend: Backend) {
    let app = spawn_app(backend).await;
    let token = app.participant("0911000088").await;
    let round = app.open_round_id().await;

    // Take every connection the pool will give.
    let mut held = Vec::new();
    while let Ok(Ok(conn)) = tokio::time::timeout(
        std::time::Duration::from_millis(500),
        app.state.db.pool.acquire(),
    )
    .await
    {
        held.push(conn);
    }
    assert!(!held.is_empty());
    let fields = [("round_id", round.to_string())];
    let turned_away = app
        .post_html_form("/api/attempt/start", &fields, Some(&token))
        .await;
    drop(held);
    assert!(
        [302, 303].contains(&turned_away.status),
        "sent back to the form, not an error page: {} {}",
        turned_away.status,
        turned_away.body
    );
    assert_eq!(
        turned_away.flash_error(&app),
        Some(serde_json::json!({"kind": "busy", "detail": {"retry_after_secs": 2}}))
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM attempts").await,
        0,
        "nothing was started"
    );

    let page = app.follow(&turned_away, Some(&token)).await;
    assert_eq!(page.status, 200);
    assert!(page
        .body
        .contains("Hệ thống đang có quá nhiều người truy cập cùng lúc"));
    assert!(
        page.body.contains("data-testid=\"busy-retry\""),
        "{}",
        page.body
    );
    let form = format!("id=\"start-{round}\"");
    assert!(page.body.contains(&form), "the round's form can be found");
    // The script that sends it again carries this response's CSP nonce, and waits 2 s.
    let csp = page.header("content-security-policy").unwrap();
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|n| n.split('\'').next())
        .expect("a nonce in the CSP");
    let script = page
        .body
        .split(&format!("<script nonce=\"{nonce}\">"))
        .nth(1)
        .and_then(|s| s.split("</script>").next())
        .expect("an inline script with the nonce");
    assert!(
        script.contains(&format!("getElementById(\"start-{round}\")"))
            && script.contains("requestSubmit")
            && script.contains("2000"),
        "{script}"
    );

    // The retry it sends is an ordinary start.
    let started = app
        .post_html_form("/api/attempt/start", &fields, Some(&token))
        .await;
    assert!([302, 303].contains(&started.status), "{}", started.status);
    assert!(location(&started).starts_with("/bai-thi/"));
    // The page after a success does not retry anything.
    let home = app.get("/", Some(&token)).await;
    assert!(!home.body.contains("busy-retry"));
}

/// The scores on a board's rows, top first.
fn board_scores(board: &serde_json::Value) -> Vec<i64> {
    board["rows"]
        .as_array()
        .expect("a board has rows")
        .iter()
        .map(|r| r["score"].as_i64().expect("a row has a score"))
        .collect()
}
