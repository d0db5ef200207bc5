//! Who counts as a participant, everywhere a count is shown: the leaderboard, the collective
//! prizes, the reports and the monitoring dashboard. Staff and people on the exclusion list
//! (even when listed after taking part) count nowhere; collective prizes count only the
//! contest's own rounds.

use chrono::Duration;
use serde_json::Value;

use crate::helpers::{spawn_app, Backend, TestApp};
use crate::manage::settings;
use crate::on_both_backends;

on_both_backends!(
    staff_and_excluded_people_count_nowhere,
    collective_prizes_count_only_the_contests_own_rounds,
    a_listed_person_under_another_phone_is_recognised_by_name_and_birth_date,
);

/// Round prizes to win, and the first unit (where everyone registers) with no quota to
/// meet, so that it is ranked for collective prizes.
async fn with_round_prizes(app: &TestApp, admin: &str) {
    let (name, code) = crate::units::first_unit(app).await;
    let form = crate::units::unit(&code, &name, "agency", "", "40", "");
    let r = app
        .post_form("/api/admin/unit/save", &form, Some(admin))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let mut form = settings("20", "30");
    form.push(("input[round_prizes]", "Nhất:1, Nhì:1, Ba:1".to_string()));
    let r = app
        .post_form("/api/admin/contest/update", &form, Some(admin))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
}

async fn close_and_award(app: &TestApp, admin: &str, round: i64) {
    let closes_at: i64 = sqlx::query_scalar("SELECT closes_at FROM rounds WHERE id = $1")
        .bind(round)
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
    let now = cuocthi::server::clock::to_ms(app.state.clock.now());
    app.state
        .clock
        .advance(Duration::milliseconds(closes_at + 1000 - now));
    let r = app
        .post_form(
            "/api/admin/awards/compute",
            &[("round_id", round.to_string())],
            Some(admin),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
}

/// The collective ranking by a criterion: (unit name, value) of each ranked unit.
async fn collective(app: &TestApp, admin: &str, criterion: &str) -> Vec<(String, String)> {
    let r = app
        .post_form(
            "/api/admin/awards/units",
            &[("criterion", criterion.to_string())],
            Some(admin),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            (
                u["unit_name"].as_str().unwrap().to_string(),
                u["value"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

async fn staff_and_excluded_people_count_nowhere(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.staff("0916000001", "admin").await;
    with_round_prizes(&app, &admin).await;
    let round = app.open_round_id().await;
    let kept = app.participant("0916000011").await;
    let listed = app.participant("0916000012").await;
    let secretary = app.staff("0916000013", "secretary").await;
    crate::organizer::take(&app, &kept, 10).await;
    crate::organizer::take(&app, &listed, 4).await;
    crate::organizer::take(&app, &secretary, 8).await;
    // Prizes computed while both took part: the listed person wins the second prize.
    close_and_award(&app, &admin, round).await;
    let awards = app
        .post_form(
            "/api/admin/awards/get",
            &[("round_id", round.to_string())],
            Some(&admin),
        )
        .await
        .json();
    assert_eq!(awards["awards"].as_array().unwrap().len(), 2, "{awards}");
    // ...and then turns out to be on the exclusion list.
    let r = app
        .post_form(
            "/api/admin/excluded/add",
            &[
                ("full_name", "Nguyễn Văn Thí".to_string()),
                ("phone", "0916000012".to_string()),
                ("citizen_id", String::new()),
                ("reason", "thành viên Ban Tổ chức".to_string()),
            ],
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);

    // The board.
    let board = app
        .post_form(
            "/api/leaderboard/round",
            &[("round_id", round.to_string())],
            None,
        )
        .await
        .json();
    assert_eq!(board["entrants"], 1, "{board}");
    assert_eq!(board["rows"].as_array().unwrap().len(), 1);
    assert_eq!(board["units"][0]["entrants"], 1);

    // The collective prizes.
    let (unit, _) = crate::units::first_unit(&app).await;
    assert_eq!(
        collective(&app, &admin, "entrants").await,
        [(unit.clone(), "1".to_string())]
    );
    assert_eq!(
        collective(&app, &admin, "winners").await,
        [(unit.clone(), "1".to_string())],
        "only the kept participant's prize counts"
    );

    // The reports.
    let v = app
        .post_form(
            "/api/admin/reports",
            &[("round_id", round.to_string())],
            Some(&admin),
        )
        .await
        .json();
    assert_eq!(v["summary"]["count"], 1, "{}", v["summary"]);
    let day = &v["by_day"][0];
    assert_eq!(
        (&day["registrations"], &day["entrants"], &day["attempts"]),
        (&Value::from(1), &Value::from(1), &Value::from(1))
    );
    assert_eq!(crate::reports::round_figures(&v, round), (1, 1));
    let unit_row = |v: &Value| {
        v["units"]
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["unit_name"] == unit.as_str())
            .unwrap()
            .clone()
    };
    let row = unit_row(&v);
    assert_eq!(
        (&row["registered"], &row["entrants"]),
        (&Value::from(1), &Value::from(1))
    );
    let per_round: i64 = v["unit_rounds"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|u| u[0] == unit.as_str())
        .flat_map(|u| u[1].as_array().unwrap().clone())
        .map(|n| n.as_i64().unwrap())
        .sum();
    assert_eq!(per_round, 1);
    for item in v["items"].as_array().unwrap() {
        assert_eq!(item["presented"], 1, "{item}");
    }

    // The dashboard.
    let d = app
        .post_form("/api/admin/dashboard", &[], Some(&secretary))
        .await
        .json();
    assert_eq!(
        (&d["registered"], &d["entrants"], &d["attempts_total"]),
        (&Value::from(1), &Value::from(1), &Value::from(1)),
        "{d}"
    );
    let row = unit_row(&d);
    assert_eq!(
        (&row["registered"], &row["entrants"]),
        (&Value::from(1), &Value::from(1))
    );
}

async fn collective_prizes_count_only_the_contests_own_rounds(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.staff("0916000101", "admin").await;
    with_round_prizes(&app, &admin).await;
    let round = app.open_round_id().await;
    let player = app.participant("0916000111").await;
    crate::organizer::take(&app, &player, 10).await;
    close_and_award(&app, &admin, round).await;
    let (unit, _) = crate::units::first_unit(&app).await;
    let counted = [(unit.clone(), "1".to_string())];
    assert_eq!(collective(&app, &admin, "entrants").await, counted);
    assert_eq!(collective(&app, &admin, "winners").await, counted);

    // A new contest becomes the current one: the last contest's entries and prizes are not its.
    let now = cuocthi::server::clock::to_ms(app.state.clock.now());
    let mut conn = app.state.db.pool.acquire().await.unwrap();
    let next = cuocthi::server::repo::contests::insert_contest(
        &mut conn,
        cuocthi::server::repo::contests::NewContest {
            slug: "cuoc-thi-nam-sau",
            name: "Cuộc thi năm sau",
            rules_text: "Thể lệ",
            min_age: 15,
            questions_per_attempt: 20,
            time_limit_secs: 1800,
            grace_secs: 15,
            max_attempts_per_round: 3,
            points_per_question: 5,
            bank_published: false,
            study_answers: cuocthi::domain::integrity::StudyAnswers::Hold,
            created_at: now,
        },
    )
    .await
    .unwrap();
    cuocthi::server::repo::contests::insert_round(
        &mut conn,
        next,
        "Tuần 1",
        now,
        now + 7 * 24 * 3600 * 1000,
        None,
    )
    .await
    .unwrap();
    drop(conn);
    assert!(collective(&app, &admin, "entrants").await.is_empty());
    assert!(collective(&app, &admin, "winners").await.is_empty());
}

/// Registered entrants on the open round's board.
async fn board_entrants(app: &TestApp) -> i64 {
    let round = app.open_round_id().await;
    let form = [("round_id", round.to_string())];
    let board = app.post_form("/api/leaderboard/round", &form, None).await;
    board.json()["entrants"].as_i64().unwrap()
}

async fn matches(app: &TestApp, admin: &str) -> Vec<String> {
    let r = app
        .post_form("/api/admin/contest/get", &[], Some(admin))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let list = r.json()["exclusion_matches"].as_array().unwrap().clone();
    list.iter()
        .map(|m| m["phone"].as_str().unwrap().to_string())
        .collect()
}

/// A member of the secretariat listed with a date of birth registers under another phone and
/// no citizen ID: nothing stops the registration (a namesake may be someone else), the
/// organizer sees the match and decides. Confirmed, the account counts nowhere and cannot
/// start; dismissed, it is an ordinary participant.
async fn a_listed_person_under_another_phone_is_recognised_by_name_and_birth_date(
    backend: Backend,
) {
    let app = spawn_app(backend).await;
    let admin = app.staff("0916500000", "admin").await;
    let add = |birth: &str| {
        vec![
            ("full_name", "Trần Thị Loại".to_string()),
            ("phone", "0916500001".to_string()),
            ("citizen_id", String::new()),
            ("reason", "thành viên Tổ Thư ký".to_string()),
            ("birth_date", birth.to_string()),
        ]
    };
    let r = app
        .post_form("/api/admin/excluded/add", &add("31/02/1990"), Some(&admin))
        .await;
    assert_eq!(r.status, 400, "{}", r.body);
    assert!(r.body.contains("birth_date"), "{}", r.body);
    let r = app
        .post_form("/api/admin/excluded/add", &add("30/04/1990"), Some(&admin))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);

    // The same name and birth date (every test registration is born 30/04/1990): under a
    // new phone, with no citizen ID; with a citizen ID (someone else); another name.
    let r = app.register_with("Trần Thị Loại", "0916500002", "").await;
    assert_eq!(r.status, 200, "not refused on a name: {}", r.body);
    let listed = r.session().unwrap();
    let r = app
        .register_with("Trần Thị Loại", "0916500003", "012345678901")
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    app.participant("0916500004").await;
    let id = app.start(&listed).await;
    assert_eq!(app.submit(id, &listed).await.status, 200);
    assert_eq!(board_entrants(&app).await, 1);
    assert_eq!(matches(&app, &admin).await, ["0916500002"]);

    let excluded_id: i64 = app.count("SELECT MAX(id) FROM excluded_people").await;
    let review = |user: i64, confirm: bool, who: String| {
        let app = &app;
        async move {
            let mut form = vec![
                ("excluded_id", excluded_id.to_string()),
                ("user_id", user.to_string()),
            ];
            if confirm {
                form.push(("confirm", "true".to_string()));
            }
            app.post_form("/api/admin/excluded/review", &form, Some(&who))
                .await
        }
    };
    let user_of = |phone: &'static str| {
        let app = &app;
        async move {
            app.count(&format!("SELECT id FROM users WHERE phone = '{phone}'"))
                .await
        }
    };
    let listed_id = user_of("0916500002").await;
    assert_eq!(
        review(listed_id, true, listed.clone()).await.status,
        403,
        "not for participants"
    );
    assert_eq!(board_entrants(&app).await, 1, "nothing decided yet");
    let r = review(listed_id, true, admin.clone()).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(board_entrants(&app).await, 0, "confirmed: counts nowhere");
    let again = app.try_start(&listed).await;
    assert_eq!(again.status, 403, "{}", again.body);
    assert!(
        again.body.contains("thành viên Tổ Thư ký"),
        "{}",
        again.body
    );
    assert!(matches(&app, &admin).await.is_empty(), "decided once");
    assert_eq!(review(listed_id, false, admin.clone()).await.status, 409);
    // A namesake who is someone else: dismissed, and takes part as anyone.
    let r = app.register_with("Trần Thị Loại", "0916500005", "").await;
    let namesake = r.session().unwrap();
    assert_eq!(matches(&app, &admin).await, ["0916500005"]);
    let namesake_id = user_of("0916500005").await;
    assert_eq!(review(namesake_id, false, admin.clone()).await.status, 200);
    assert!(matches(&app, &admin).await.is_empty());
    let id = app.start(&namesake).await;
    assert_eq!(app.submit(id, &namesake).await.status, 200);
    assert_eq!(board_entrants(&app).await, 1);
    // An account that does not match cannot be reviewed.
    let other = user_of("0916500004").await;
    assert_eq!(review(other, true, admin.clone()).await.status, 404);
}
