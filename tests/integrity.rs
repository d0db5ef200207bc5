//! Contest integrity, part of the security suite: a script that looks answers up (in the study
//! bank, in practice, in the review of a first attempt) must not win the round.

use chrono::Duration;
use serde_json::Value;

use crate::helpers::{spawn_app, Backend, TestApp};
use crate::manage::settings;
use crate::on_both_backends;

on_both_backends!(
    the_study_bank_holds_back_answers_a_round_can_draw,
    a_separate_study_bank_is_never_drawn,
    a_first_attempt_review_shows_no_key,
    the_prize_review_flags_a_script_and_the_board_says_nothing,
);

async fn set_policy(app: &TestApp, admin: &str, extra: &[(&'static str, &str)]) {
    let mut form = settings("20", "30");
    form.extend(extra.iter().map(|(k, v)| (*k, v.to_string())));
    let r = app
        .post_form("/api/admin/contest/update", &form, Some(admin))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
}

async fn study_bank(app: &TestApp) -> Vec<Value> {
    let r = app.post_form("/api/study/bank", &[], None).await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.json().as_array().unwrap().clone()
}

/// A practice set of the given questions with every option A chosen, checked.
async fn checked_practice(app: &TestApp, ids: &[i64]) -> Value {
    let ids_text = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
    let choices = ids
        .iter()
        .map(|id| format!("{id}:0"))
        .collect::<Vec<_>>()
        .join(",");
    let r = app
        .post_form(
            "/api/study/practice",
            &[
                ("ids", ids_text),
                ("choices", choices),
                ("check", "true".into()),
            ],
            None,
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()
}

async fn the_study_bank_holds_back_answers_a_round_can_draw(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.staff("0918000001", "admin").await;
    // The demo publishes its answers, as many plans do: the organizer's informed choice.
    let published = study_bank(&app).await;
    assert!(published.iter().all(|q| q["answer_held"] == false));

    set_policy(&app, &admin, &[("input[study_answers]", "hold")]).await;
    let held = study_bank(&app).await;
    assert_eq!(held.len(), published.len(), "every question still listed");
    for q in &held {
        assert_eq!(q["answer_held"], true, "{q}");
        assert_eq!(q["correct"], 0, "no key: {q}");
        assert_eq!(q["explanation"], "", "{q}");
    }
    // Practice follows the same rule, whatever ids a script names: nothing is checked.
    let ids: Vec<i64> = held.iter().map(|q| q["id"].as_i64().unwrap()).collect();
    let set = checked_practice(&app, &ids[..20]).await;
    assert_eq!(set["correct"], 0);
    assert!(set["questions"]
        .as_array()
        .unwrap()
        .iter()
        .all(|q| q["correct"].is_null() && q["explanation"] == "" && q["answer_held"] == true));
    let page = app.get("/on-tap", None).await;
    assert!(page.body.contains("data-testid=\"answer-held\""));
    assert!(!page.body.contains('✓'), "no option marked right");

    // Once no round is open, the answers are published again.
    app.state.clock.advance(Duration::days(400));
    let after = study_bank(&app).await;
    assert!(after.iter().all(|q| q["answer_held"] == false));
    let set = checked_practice(&app, &ids[..20]).await;
    assert!(set["questions"]
        .as_array()
        .unwrap()
        .iter()
        .all(|q| q["correct"].is_u64()));
}

async fn a_separate_study_bank_is_never_drawn(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.staff("0918000011", "admin").await;
    set_policy(&app, &admin, &[("input[study_answers]", "separate")]).await;
    // Nothing marked for study yet: nothing listed, and no contest question leaks.
    assert!(study_bank(&app).await.is_empty());

    let csv = "Chủ đề,Mức độ,Câu hỏi,Phương án A,Phương án B,Đáp án,Giải thích,Ôn tập\n\
               PAR Index,1,Câu ôn tập về PAR Index?,Đúng,Sai,A,Vì đúng.,x\n\
               PAR Index,1,Câu ôn tập thứ hai?,Đúng,Sai,B,Vì sai.,có\n";
    let r = app
        .upload_file(
            "/quan-tri/nhap-cau-hoi",
            csv.as_bytes().to_vec(),
            "cau-hoi.csv",
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(
        r.headers["location"].to_str().unwrap().contains("nhap=2"),
        "{:?}",
        r.headers["location"]
    );
    let bank = study_bank(&app).await;
    assert_eq!(bank.len(), 2, "only the study questions");
    assert!(bank
        .iter()
        .all(|q| q["study_only"] == true && q["answer_held"] == false && q["explanation"] != ""));
    // A wrong mark is refused with its row and column.
    let bad = "Chủ đề,Mức độ,Câu hỏi,Phương án A,Phương án B,Đáp án,Ôn tập\n\
               PAR Index,1,Câu khác?,Đúng,Sai,A,có lẽ\n";
    let r = app
        .upload_file(
            "/quan-tri/nhap-cau-hoi",
            bad.as_bytes().to_vec(),
            "cau-hoi.csv",
            Some(&admin),
        )
        .await;
    let page = app
        .get(r.headers["location"].to_str().unwrap(), Some(&admin))
        .await;
    assert!(page.body.contains("Ôn tập") && page.body.contains("ghi “x”"));

    // The study questions are never drawn: many attempts, none of them.
    let study_ids: Vec<i64> = bank.iter().map(|q| q["id"].as_i64().unwrap()).collect();
    for i in 0..6 {
        let token = app.participant(&format!("09180001{i:02}")).await;
        app.start(&token).await;
    }
    let drawn = app
        .count(&format!(
            "SELECT COUNT(*) FROM attempt_questions WHERE question_id IN ({}, {})",
            study_ids[0], study_ids[1]
        ))
        .await;
    assert_eq!(drawn, 0);
    let mut conn = app.state.db.pool.acquire().await.unwrap();
    let contest = cuocthi::server::repo::contests::latest_contest(&mut conn)
        .await
        .unwrap()
        .unwrap();
    let drawable = cuocthi::server::repo::contests::approved_drawables(&mut conn, contest.id)
        .await
        .unwrap();
    assert!(drawable.iter().all(|d| !study_ids.contains(&d.id)));
}

async fn result(app: &TestApp, attempt: i64, token: &str) -> Value {
    let r = app
        .post_json(
            "/api/attempt/result",
            serde_json::json!({ "attempt_id": attempt }),
            Some(token),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()
}

fn shows_key(r: &Value) -> bool {
    let items = r["review"].as_array().unwrap();
    assert!(!items.is_empty());
    let with_key = items.iter().filter(|i| i["correct"].is_u64()).count();
    assert!(
        with_key == 0 || with_key == items.len(),
        "all or nothing: {r}"
    );
    with_key > 0
}

/// Takes an attempt in the open round, answers the first question and submits it.
async fn take(app: &TestApp, token: &str) -> i64 {
    let id = app.start(token).await;
    app.answer_correctly(id, 0..1, token).await;
    app.state.clock.advance(Duration::seconds(90));
    let r = app.submit(id, token).await;
    assert_eq!(r.status, 200, "{}", r.body);
    id
}

async fn a_first_attempt_review_shows_no_key(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.staff("0918000021", "admin").await;
    // The demo allows 3 attempts; the default shows the key after the last one.
    let token = app.participant("0918000022").await;
    let first = take(&app, &token).await;
    let r = result(&app, first, &token).await;
    assert!(!shows_key(&r), "{r}");
    assert!(r["review"]
        .as_array()
        .unwrap()
        .iter()
        .all(|i| i["explanation"] == "" && i["reference"] == ""));
    assert!(r["key_withheld"]
        .as_str()
        .unwrap()
        .contains("lượt thi cuối"));
    assert_eq!(r["correct"], 1, "the score is still told");
    let page = app.get(&format!("/ket-qua/{first}"), Some(&token)).await;
    assert!(page.body.contains("data-testid=\"key-withheld\""));
    assert!(!page.body.contains("Đáp án đúng"));

    take(&app, &token).await;
    let last = take(&app, &token).await;
    assert!(shows_key(&result(&app, last, &token).await));
    assert!(
        shows_key(&result(&app, first, &token).await),
        "after the last attempt, every review"
    );

    // After the round closes only: three attempts are not enough.
    set_policy(&app, &admin, &[("input[answer_review]", "after_close")]).await;
    let other = app.participant("0918000023").await;
    let ids = [
        take(&app, &other).await,
        take(&app, &other).await,
        take(&app, &other).await,
    ];
    assert!(!shows_key(&result(&app, ids[2], &other).await));
    // Never: not even then.
    set_policy(&app, &admin, &[("input[answer_review]", "never")]).await;
    // The demo's first round lasts a week.
    app.state.clock.advance(Duration::days(8));
    assert!(!shows_key(&result(&app, ids[2], &other).await));
    set_policy(&app, &admin, &[("input[answer_review]", "after_close")]).await;
    assert!(shows_key(&result(&app, ids[0], &other).await));
}

/// Registers someone from a browser whose device id is `device`; returns their session.
async fn register_on_device(app: &TestApp, phone: &str, device: &str) -> String {
    let unit = app.first_unit_id().await;
    let res = app
        .client
        .post(app.url("/api/auth/register"))
        .header("cookie", format!("cuocthi_dev={device}"))
        .form(&crate::helpers::registration(
            "Người Dùng Chung",
            phone,
            unit,
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200);
    res.headers()
        .get_all("set-cookie")
        .iter()
        .find_map(|v| {
            let v = v.to_str().ok()?;
            v.strip_prefix("cuocthi_sid=")?
                .split(';')
                .next()
                .map(str::to_string)
        })
        .unwrap()
}

async fn the_prize_review_flags_a_script_and_the_board_says_nothing(backend: Backend) {
    let app = spawn_app(backend).await;
    app.state.clock.freeze();
    let admin = app.staff("0918000031", "admin").await;
    let round = app.open_round_id().await;

    // A script: every answer right, all saved in the same instant, submitted a second later.
    let script = app.participant("0918000032").await;
    let scripted = app.start(&script).await;
    app.answer_correctly(scripted, 0..20, &script).await;
    app.state.clock.advance(Duration::seconds(1));
    assert_eq!(app.submit(scripted, &script).await.status, 200);
    // A person: reads each question for 12 s, gets 15 right, takes 4 minutes.
    let person = app.participant("0918000033").await;
    let read = app.start(&person).await;
    let key = app.answer_key(read).await;
    for seq in 0..20u32 {
        app.state.clock.advance(Duration::seconds(12));
        let choice = if seq < 15 {
            key[seq as usize]
        } else {
            (key[seq as usize] + 1) % 4
        };
        assert_eq!(app.save(read, seq, Some(choice), &person).await.status, 200);
    }
    assert_eq!(app.submit(read, &person).await.status, 200);
    // Two accounts registered on one browser, each entering at a person's pace.
    for phone in ["0918000034", "0918000035"] {
        let token = register_on_device(&app, phone, "may-dung-chung").await;
        let id = app.start(&token).await;
        for seq in 0..10u32 {
            app.state.clock.advance(Duration::seconds(9));
            app.save(id, seq, Some(0), &token).await;
        }
        assert_eq!(app.submit(id, &token).await.status, 200);
    }

    let review = app
        .post_form(
            "/api/admin/awards/get",
            &[("round_id", round.to_string())],
            Some(&admin),
        )
        .await;
    assert_eq!(review.status, 200, "{}", review.body);
    let flagged = review.json()["flagged"].as_array().unwrap().clone();
    let evidence = |attempt: i64| -> String {
        flagged
            .iter()
            .find(|f| f["attempt_id"] == attempt)
            .map(|f| f["evidence"].to_string())
            .unwrap_or_default()
    };
    let e = evidence(scripted);
    assert!(e.contains("quá nhanh") && e.contains("giây mỗi câu"), "{e}");
    assert!(e.contains("nhanh hơn tốc độ đọc"), "{e}");
    assert_eq!(evidence(read), "", "a person who reads is not flagged");
    let twins: Vec<&serde_json::Value> = flagged
        .iter()
        .filter(|f| f["evidence"].to_string().contains("Cùng trình duyệt"))
        .collect();
    assert_eq!(twins.len(), 2, "{flagged:?}");
    assert_eq!(flagged[0]["attempt_id"], scripted, "highest score first");
    let page = app
        .get(&format!("/quan-tri/giai-thuong?vong={round}"), Some(&admin))
        .await;
    assert!(page.body.contains("data-testid=\"flagged\""));

    // Flags change no rank, and nothing public mentions them.
    let board = app.round_board(round).await.json();
    assert_eq!(
        board["rows"][0]["score"], 100,
        "the script still ranks first: {board}"
    );
    for public in [
        board.to_string(),
        app.get(&format!("/bang-xep-hang/{round}"), None).await.body,
    ] {
        assert!(
            !public.contains("quá nhanh") && !public.contains("flag"),
            "{public}"
        );
    }
    // The committee sets the entry aside with its own reason, as before.
    let r = app
        .post_form(
            "/api/admin/awards/disqualify",
            &[
                ("round_id", round.to_string()),
                ("user_id", flagged[0]["user_id"].to_string()),
                ("reason", "Trả lời 20 câu trong 1 giây".into()),
            ],
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
}
