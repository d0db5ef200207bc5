use chrono::Duration;

use crate::helpers::{spawn_app, Backend, TestApp};
use crate::on_both_backends;

on_both_backends!(
    only_administrators_manage_the_contest,
    settings_changes_never_touch_running_attempts,
    rounds_are_created_and_moved_with_checked_windows,
    dashboard_counts_participation_by_unit,
    administrators_keep_the_exclusion_list,
    the_published_bank_can_be_studied,
);

pub(crate) fn settings(questions: &str, minutes: &str) -> Vec<(&'static str, String)> {
    vec![
        (
            "input[name]",
            "Tìm hiểu về cải cách hành chính và chuyển đổi số".into(),
        ),
        ("input[rules_text]", "Thể lệ mới".into()),
        ("input[min_age]", "15".into()),
        ("input[questions_per_attempt]", questions.into()),
        ("input[time_limit_minutes]", minutes.into()),
        ("input[grace_secs]", "15".into()),
        ("input[max_attempts_per_round]", "3".into()),
        ("input[points_per_question]", "5".into()),
        ("input[bank_published]", "on".into()),
    ]
}

pub(crate) fn vn_local(app: &TestApp, from_now: Duration) -> String {
    cuocthi::domain::vntime::format_vn_local(app.state.clock.now() + from_now)
}

async fn only_administrators_manage_the_contest(backend: Backend) {
    let app = spawn_app(backend).await;
    let author = app.staff("0913000001", "author").await;
    let participant = app.participant("0913000002").await;
    let round = vec![
        ("name", "Tuần 3".to_string()),
        ("opens_at", vn_local(&app, Duration::days(20))),
        ("closes_at", vn_local(&app, Duration::days(27))),
    ];
    let calls: Vec<(&str, Vec<(&str, String)>)> = vec![
        ("/api/admin/contest/get", vec![]),
        ("/api/admin/contest/update", settings("10", "10")),
        ("/api/admin/round/save", round),
    ];
    for (path, fields) in &calls {
        assert_eq!(
            app.post_form(path, fields, None).await.status,
            401,
            "{path}"
        );
        assert_eq!(
            app.post_form(path, fields, Some(&participant)).await.status,
            403,
            "{path}"
        );
        assert_eq!(
            app.post_form(path, fields, Some(&author)).await.status,
            403,
            "{path}"
        );
    }
    let rounds: i64 = app.count("SELECT COUNT(*) FROM rounds").await;
    assert_eq!(rounds, 2);
    let admin = app.staff("0913000003", "admin").await;
    let r = app
        .post_form("/api/admin/contest/get", &[], Some(&admin))
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["form"]["time_limit_minutes"], "30");
}

async fn settings_changes_never_touch_running_attempts(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.staff("0913000011", "admin").await;
    let early = app.participant("0913000012").await;
    let attempt = app.start(&early).await;
    let before = app.view(attempt, &early).await.json();

    // Mid-attempt the committee shortens everything and closes the round in 5 minutes.
    let r = app
        .post_form(
            "/api/admin/contest/update",
            &settings("10", "10"),
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let round = app.open_round_id().await;
    let opens = vn_local(&app, -Duration::days(1));
    let closes = vn_local(&app, Duration::minutes(5));
    let r = app
        .post_form(
            "/api/admin/round/save",
            &[
                ("round_id", round.to_string()),
                ("name", "Tuần 1".into()),
                ("opens_at", opens),
                ("closes_at", closes),
            ],
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);

    // The running attempt keeps its 20 questions and its 30-minute deadline...
    let after = app.view(attempt, &early).await.json();
    assert_eq!(after["questions"], before["questions"]);
    assert_eq!(after["deadline_ms"], before["deadline_ms"]);
    // ...and still accepts answers after the round's new close, until its own deadline.
    app.state.clock.advance(Duration::minutes(20));
    assert_eq!(app.save(attempt, 19, Some(1), &early).await.status, 200);
    let result = app.submit(attempt, &early).await.json();
    assert_eq!(result["total"], 20);

    // Someone starting now gets the new rules: 10 questions, deadline capped by the new close.
    app.state.clock.advance(-Duration::minutes(20));
    let late = app.participant("0913000013").await;
    let second = app.start(&late).await;
    let v = app.view(second, &late).await.json();
    assert_eq!(v["questions"].as_array().unwrap().len(), 10);
    let left = v["deadline_ms"].as_i64().unwrap() - v["server_now_ms"].as_i64().unwrap();
    assert!(
        left <= 5 * 60 * 1000,
        "capped by the round's new close: {left}"
    );
}

async fn rounds_are_created_and_moved_with_checked_windows(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.staff("0913000021", "admin").await;
    let bad = app
        .post_form(
            "/api/admin/round/save",
            &[
                ("name", "Tuần 3".into()),
                ("opens_at", "2026-12-10T08:00".into()),
                ("closes_at", "2026-12-01T22:00".into()),
            ],
            Some(&admin),
        )
        .await;
    assert_eq!(bad.status, 400);
    assert_eq!(bad.json()["detail"][0]["field"], "closes_at");
    let r = app
        .post_form(
            "/api/admin/round/save",
            &[
                ("name", "Tuần 3".into()),
                ("opens_at", "2030-12-09T08:00".into()),
                ("closes_at", "2030-12-15T22:00".into()),
            ],
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let id = r.json().as_i64().unwrap();
    // Stored in UTC: 08:00 in Hà Nội is 01:00 UTC.
    let opens: i64 = sqlx::query_scalar("SELECT opens_at FROM rounds WHERE id = $1")
        .bind(id)
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
    assert_eq!(
        opens,
        chrono::DateTime::parse_from_rfc3339("2030-12-09T01:00:00Z")
            .unwrap()
            .timestamp_millis()
    );
    let view = app
        .post_form("/api/admin/contest/get", &[], Some(&admin))
        .await
        .json();
    let shown = view["rounds"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == id)
        .unwrap()
        .clone();
    assert_eq!(
        shown["opens_at"], "2030-12-09T08:00",
        "shown back in Vietnam time"
    );
    // Invalid settings are refused field by field and change nothing.
    let r = app
        .post_form(
            "/api/admin/contest/update",
            &settings("0", "x"),
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, 400);
    let body = r.json();
    let fields: Vec<&str> = body["detail"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["questions_per_attempt", "time_limit_minutes"]);
    let n: i64 = sqlx::query_scalar("SELECT questions_per_attempt FROM contests")
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
    assert_eq!(n, 20);
    // Unknown round id.
    let r = app
        .post_form(
            "/api/admin/round/save",
            &[
                ("round_id", "99999".into()),
                ("name", "X".into()),
                ("opens_at", "2030-12-09T08:00".into()),
                ("closes_at", "2030-12-15T22:00".into()),
            ],
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, 400);
    let page = app.get("/quan-tri/cuoc-thi", Some(&admin)).await;
    assert!(page.body.contains("Các vòng thi (giờ Việt Nam)"));
}

async fn dashboard_counts_participation_by_unit(backend: Backend) {
    let app = spawn_app(backend).await;
    let secretary = app.staff("0913000031", "secretary").await;
    assert_eq!(
        app.post_form("/api/admin/dashboard", &[], None)
            .await
            .status,
        401
    );
    let a = app.participant("0913000032").await;
    let b = app.participant("0913000033").await;
    let _c = app.participant("0913000034").await;
    assert_eq!(
        app.post_form("/api/admin/dashboard", &[], Some(&a))
            .await
            .status,
        403
    );
    let first = app.start(&a).await;
    app.submit(first, &a).await;
    app.start(&b).await;
    // Staff attempts are never counted.
    app.start(&secretary).await;

    let r = app
        .post_form("/api/admin/dashboard", &[], Some(&secretary))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let d = r.json();
    assert_eq!(d["registered"], 3);
    assert_eq!(d["entrants"], 2);
    assert_eq!(d["attempts_total"], 2);
    assert_eq!(d["attempts_today"], 2);
    assert_eq!(d["in_progress"], 1);
    // Everyone registered in the first unit of the list.
    let units = app.post_form("/api/units", &[], None).await.json();
    let first_unit = units[0]["name"].as_str().unwrap().to_string();
    let headcount: i64 = sqlx::query_scalar("SELECT headcount FROM units WHERE name = $1")
        .bind(&first_unit)
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
    let row = d["units"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["unit_name"] == first_unit.as_str())
        .unwrap()
        .clone();
    assert_eq!(row["registered"], 3);
    assert_eq!(row["entrants"], 2);
    assert_eq!(row["share_per_mille"], (2000 / headcount).min(1000));
    assert_eq!(
        d["units"][0]["unit_name"],
        first_unit.as_str(),
        "highest participation first"
    );
    let page = app.get("/quan-tri/theo-doi", Some(&secretary)).await;
    assert!(page.body.contains("Tham gia theo đơn vị") && page.body.contains("<svg"));
}

async fn administrators_keep_the_exclusion_list(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.staff("0913000041", "admin").await;
    let reviewer = app.staff("0913000042", "reviewer").await;
    let player = app.participant("0913000043").await;
    let add = |phone: &'static str, id: &'static str, reason: &'static str| {
        vec![
            ("full_name", "Ngô Văn Kỹ".to_string()),
            ("phone", phone.into()),
            ("citizen_id", id.into()),
            ("reason", reason.into()),
        ]
    };
    assert_eq!(
        app.post_form(
            "/api/admin/excluded/add",
            &add("0913000099", "", "x"),
            Some(&reviewer)
        )
        .await
        .status,
        403
    );
    assert_eq!(
        app.post_form("/api/admin/excluded/add", &add("0913000099", "", "x"), None)
            .await
            .status,
        401
    );

    // The player takes part and appears on the board...
    let attempt = app.start(&player).await;
    app.submit(attempt, &player).await;
    let round = app.open_round_id().await;
    let entrants = |b: serde_json::Value| b["entrants"].as_i64().unwrap();
    let b = app
        .post_form(
            "/api/leaderboard/round",
            &[("round_id", round.to_string())],
            None,
        )
        .await
        .json();
    assert_eq!(entrants(b), 1);
    // ...then turns out to be technical staff: listed, they vanish from results and cannot start.
    let r = app
        .post_form(
            "/api/admin/excluded/add",
            &add("0913 000 043", "", "cán bộ kỹ thuật của hệ thống thi"),
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let excluded_id = r.json().as_i64().unwrap();
    let b = app
        .post_form(
            "/api/leaderboard/round",
            &[("round_id", round.to_string())],
            None,
        )
        .await
        .json();
    assert_eq!(entrants(b), 0);
    assert_eq!(
        app.post_form(
            "/api/attempt/start",
            &[("round_id", round.to_string())],
            Some(&player)
        )
        .await
        .status,
        403
    );

    // Bad entries are refused clearly; duplicates too.
    let r = app
        .post_form("/api/admin/excluded/add", &add("", "", ""), Some(&admin))
        .await;
    assert_eq!(r.status, 400);
    let fields: Vec<String> = r.json()["detail"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(fields, ["phone", "reason"]);
    let r = app
        .post_form(
            "/api/admin/excluded/add",
            &add("0913000043", "", "lần hai"),
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, 400);
    assert!(r.body.contains("đã có trong danh sách"));

    let view = app
        .post_form("/api/admin/contest/get", &[], Some(&admin))
        .await
        .json();
    assert_eq!(
        view["exclusions"].as_array().unwrap().len(),
        4,
        "three seeded plus one"
    );
    // Removing the entry restores them.
    let r = app
        .post_form(
            "/api/admin/excluded/remove",
            &[("id", excluded_id.to_string())],
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, 200);
    let b = app
        .post_form(
            "/api/leaderboard/round",
            &[("round_id", round.to_string())],
            None,
        )
        .await
        .json();
    assert_eq!(entrants(b), 1);
}

async fn the_published_bank_can_be_studied(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.staff("0913000051", "admin").await;
    let author = app.staff("0913000052", "author").await;
    // A draft is never shown for study.
    let draft = vec![
        ("input[topic]", "PCI".to_string()),
        ("input[difficulty]", "1".into()),
        ("input[text]", "Bản nháp không được công bố?".into()),
        ("input[options][0]", "Có".into()),
        ("input[options][1]", "Không".into()),
        ("input[correct]", "B".into()),
    ];
    assert_eq!(
        app.post_form("/api/admin/bank/create", &draft, Some(&author))
            .await
            .status,
        200
    );

    let all = app.post_form("/api/study/bank", &[], None).await;
    assert_eq!(all.status, 200, "{}", all.body);
    let all = all.json();
    let items = all.as_array().unwrap();
    assert_eq!(items.len(), 48, "approved questions only, for anyone");
    assert!(items.iter().all(|q| q["status"] == "approved"
        && !q["options"][q["correct"].as_u64().unwrap() as usize].is_null()));
    let found = app
        .post_form("/api/study/bank", &[("q", "dich vu cong".into())], None)
        .await
        .json();
    assert!(!found.as_array().unwrap().is_empty() && found.as_array().unwrap().len() < 48);
    let page = app.get("/on-tap?q=PAPI", None).await;
    assert!(page.body.contains("Ôn tập bộ câu hỏi") && page.body.contains("✓"));

    // Unpublished: nothing to study.
    let mut unpublish = settings("20", "30");
    unpublish.retain(|(k, _)| *k != "input[bank_published]");
    assert_eq!(
        app.post_form("/api/admin/contest/update", &unpublish, Some(&admin))
            .await
            .status,
        200
    );
    let r = app.post_form("/api/study/bank", &[], None).await;
    assert_eq!(r.status, 404);
    assert!(r.body.contains("chưa được công bố"));
}
