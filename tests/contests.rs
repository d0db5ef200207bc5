//! Many contests on one installation: an empty start and its first administrator, creating,
//! duplicating, archiving and trial runs, rounds, topics and units removed or retired, the
//! live board hidden until the results, and account care (roles, one-time codes, passwords).

use crate::helpers::{spawn_app, spawn_empty_app, Backend, TestApp, PASSWORD};

macro_rules! both {
    ($($name:ident),* $(,)?) => {
        mod sqlite { $( #[tokio::test(flavor = "multi_thread", worker_threads = 2)] async fn $name() { super::$name(crate::helpers::Backend::Sqlite).await } )* }
        mod postgres { $( #[tokio::test(flavor = "multi_thread", worker_threads = 2)] async fn $name() { super::$name(crate::helpers::Backend::Postgres).await } )* }
    };
}

both!(
    an_empty_installation_is_set_up_from_the_command_line,
    a_duplicate_copies_settings_and_bank_never_people,
    trial_runs_stay_off_the_home_page_and_are_wiped_on_request,
    rounds_topics_and_units_are_deleted_or_retired,
    imports_match_topics_by_name,
    a_hidden_board_opens_at_the_results_time,
    roles_and_passwords_are_cared_for_from_pages,
    a_contests_own_questions_are_asked_once_at_the_first_start,
);

const ADMIN_PHONE: &str = "0987000001";

async fn login(app: &TestApp, phone: &str, password: &str) -> crate::helpers::Reply {
    app.post_form(
        "/api/auth/login",
        &[("phone", phone.into()), ("password", password.into())],
        None,
    )
    .await
}

/// A three-question CSV bank on `topic`, each question's first option right.
fn bank_csv(topic: &str, n: usize, tag: &str) -> String {
    let mut csv = String::from("Chủ đề,Mức độ,Câu hỏi,Phương án A,Phương án B,Đáp án\n");
    for i in 0..n {
        csv.push_str(&format!("{topic},1,Câu hỏi {tag} số {i}?,Đúng,Sai,A\n"));
    }
    csv
}

async fn an_empty_installation_is_set_up_from_the_command_line(backend: Backend) {
    let app = spawn_empty_app(backend).await;
    let home = app.get("/", None).await;
    assert_eq!(home.status, 200);
    assert!(home.body.contains("chưa được thiết lập"), "{}", home.body);
    assert!(home.body.contains("create-admin"), "{}", home.body);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM contests").await,
        0,
        "no demo"
    );
    // The first administrator, from the real binary on the same database.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_cuocthi"))
        .args([
            "create-admin",
            ADMIN_PHONE,
            "Trần Quản Trị",
            "UBND phường Hoài Xuân",
        ])
        .env("DATABASE_URL", &app.database_url)
        .env("CUOCTHI_ADMIN_PASSWORD", PASSWORD)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let home = app.get("/", None).await;
    assert!(home.body.contains("Chưa có cuộc thi nào"), "{}", home.body);
    let r = login(&app, ADMIN_PHONE, PASSWORD).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let admin = r.session().unwrap();
    // Bad input: named fields, nothing written.
    let r = app
        .post_form(
            "/api/admin/contests/create",
            &[("name", " ".into()), ("slug", "Có Dấu".into())],
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, 400, "{}", r.body);
    let fields: Vec<String> = r.json()["detail"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(fields, ["name", "slug"]);
    assert_eq!(app.count("SELECT COUNT(*) FROM contests").await, 0);
    let r = app
        .post_form(
            "/api/admin/contests/create",
            &[("name", "Tìm hiểu Cải cách hành chính 2024".into())],
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json(), "tim-hieu-cai-cach-hanh-chinh-2024");
    let again = app
        .post_form(
            "/api/admin/contests/create",
            &[
                ("name", "Khác".into()),
                ("slug", "tim-hieu-cai-cach-hanh-chinh-2024".into()),
            ],
            Some(&admin),
        )
        .await;
    assert_eq!(again.status, 400);
    assert!(
        again.body.contains("đã được cuộc thi khác dùng"),
        "{}",
        again.body
    );
    let page = app
        .get("/cuoc-thi/tim-hieu-cai-cach-hanh-chinh-2024", None)
        .await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Tìm hiểu Cải cách hành chính 2024"));
    let home = app.get("/", None).await;
    assert!(
        home.body.contains("Tìm hiểu Cải cách hành chính 2024"),
        "{}",
        home.body
    );
    let unknown = app.get("/cuoc-thi/khong-co", None).await;
    assert!(
        unknown.body.contains("Không tìm thấy cuộc thi"),
        "{}",
        unknown.body
    );
}

async fn demo_admin(app: &TestApp) -> String {
    app.staff("0987000002", "admin").await
}

async fn a_duplicate_copies_settings_and_bank_never_people(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = demo_admin(&app).await;
    let player = app.participant("0987000003").await;
    let attempt = app.start(&player).await;
    app.submit(attempt, &player).await;
    let r = app
        .post_form(
            "/api/admin/contests/duplicate",
            &[
                ("contest", cuocthi::server::seed::DEMO_SLUG.into()),
                ("name", "Cuộc thi năm sau".into()),
                ("slug", "nam-sau".into()),
                ("shift_days", "364".into()),
                ("copy_bank", "on".into()),
            ],
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let shifted: i64 = app
        .count(
            "SELECT MIN(b.opens_at) - MIN(a.opens_at) FROM rounds a, rounds b \
             WHERE a.contest_id = 1 AND b.contest_id = 2",
        )
        .await;
    assert_eq!(shifted, 364 * 86_400_000);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM questions WHERE contest_id = 2 AND status = 'approved'")
            .await,
        app.count("SELECT COUNT(*) FROM questions WHERE contest_id = 1 AND status = 'approved'")
            .await
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM topics WHERE contest_id = 2")
            .await,
        app.count("SELECT COUNT(*) FROM topics WHERE contest_id = 1")
            .await
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM attempts a JOIN rounds r ON r.id = a.round_id WHERE r.contest_id = 2").await,
        0,
        "never attempts"
    );
    let view = app
        .post_form(
            "/api/admin/contest/get",
            &[("contest", "nam-sau".into())],
            Some(&admin),
        )
        .await
        .json();
    assert_eq!(view["form"]["name"], "Cuộc thi năm sau");
    assert_eq!(view["form"]["questions_per_attempt"], "20");
    assert_eq!(view["profile"]["cert_title"], "GIẤY CHỨNG NHẬN");
    // The copy's report counts nothing of the original's.
    let report = app
        .post_form(
            "/api/admin/reports",
            &[("contest", "nam-sau".into())],
            Some(&admin),
        )
        .await
        .json();
    assert_eq!(
        report["by_round"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["attempts"].as_u64().unwrap())
            .sum::<u64>(),
        0
    );
    // Archived: off the home page, still at its address.
    let r = app
        .post_form(
            "/api/admin/contests/state",
            &[("contest", "nam-sau".into()), ("state", "archive".into())],
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let home = app.post_form("/api/contests/home", &[], None).await.json();
    assert!(home["contests"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["slug"] != "nam-sau"));
    assert_eq!(app.get("/cuoc-thi/nam-sau", None).await.status, 200);
}

async fn trial_runs_stay_off_the_home_page_and_are_wiped_on_request(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = demo_admin(&app).await;
    let demo = cuocthi::server::seed::DEMO_SLUG;
    let player = app.participant("0987000004").await;
    let attempt = app.start(&player).await;
    app.submit(attempt, &player).await;
    let wipe = |confirm: &'static str| {
        vec![
            ("contest", demo.to_string()),
            ("confirm", confirm.to_string()),
        ]
    };
    // A contest that is not a trial keeps its attempts.
    let r = app
        .post_form(
            "/api/admin/contests/wipe",
            &wipe(demo_static()),
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, 409, "{}", r.body);
    assert!(r.body.contains("chế độ thi thử"), "{}", r.body);
    let r = app
        .post_form(
            "/api/admin/contests/state",
            &[("contest", demo.into()), ("state", "trial".into())],
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let home = app.post_form("/api/contests/home", &[], None).await.json();
    assert!(home["contests"].as_array().unwrap().is_empty(), "{home}");
    let r = app
        .post_form("/api/admin/contests/wipe", &wipe("sai"), Some(&admin))
        .await;
    assert_eq!(r.status, 400, "a confirmation is asked for");
    assert_eq!(app.count("SELECT COUNT(*) FROM attempts").await, 1);
    let r = app
        .post_form(
            "/api/admin/contests/wipe",
            &wipe(demo_static()),
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json(), 1);
    assert_eq!(app.count("SELECT COUNT(*) FROM attempts").await, 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM answers").await, 0);
    // Audited, and the entry names the contest.
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM audit_log WHERE action = '/api/admin/contests/wipe' \
             AND status = 200 AND contest_id = 1"
        )
        .await,
        1
    );
}

fn demo_static() -> &'static str {
    cuocthi::server::seed::DEMO_SLUG
}

async fn rounds_topics_and_units_are_deleted_or_retired(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = demo_admin(&app).await;
    let open = app.open_round_id().await;
    let player = app.participant("0987000005").await;
    app.start(&player).await;
    let remove = |round: i64, action: &str| {
        vec![
            ("round_id", round.to_string()),
            ("action", action.to_string()),
        ]
    };
    let r = app
        .post_form(
            "/api/admin/round/remove",
            &remove(open, "delete"),
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, 409);
    assert!(r.body.contains("đã có 1 lượt thi"), "{}", r.body);
    let r = app
        .post_form(
            "/api/admin/round/remove",
            &remove(open, "retire"),
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let other = app.participant("0987000006").await;
    let r = app
        .post_form(
            "/api/attempt/start",
            &[("round_id", open.to_string())],
            Some(&other),
        )
        .await;
    assert_eq!(r.status, 403);
    assert!(r.body.contains("ngừng"), "{}", r.body);
    let r = app
        .post_form(
            "/api/admin/round/remove",
            &remove(open, "restore"),
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let unused = app.count("SELECT MAX(id) FROM rounds").await;
    let r = app
        .post_form(
            "/api/admin/round/remove",
            &remove(unused, "delete"),
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        app.count(&format!("SELECT COUNT(*) FROM rounds WHERE id = {unused}"))
            .await,
        0
    );

    // Topics: created, renamed with their questions, refused deletion while in use.
    let r = app
        .post_form(
            "/api/admin/topics/add",
            &[("name", "Chủ đề mới".into())],
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let r = app
        .post_form(
            "/api/admin/topics/add",
            &[("name", "Chủ đề mới".into())],
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, 400, "a duplicate name");
    let used = app.count("SELECT MIN(id) FROM topics").await;
    let change = |id: i64, action: &str, name: &str| {
        vec![
            ("topic_id", id.to_string()),
            ("action", action.to_string()),
            ("name", name.to_string()),
        ]
    };
    let r = app
        .post_form(
            "/api/admin/topics/change",
            &change(used, "delete", ""),
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, 409);
    assert!(r.body.contains("câu hỏi thuộc chủ đề"), "{}", r.body);
    let before = app.count(&format!("SELECT COUNT(*) FROM questions q JOIN topics t ON t.name = q.topic AND t.contest_id = q.contest_id WHERE t.id = {used}")).await;
    let r = app
        .post_form(
            "/api/admin/topics/change",
            &change(used, "rename", "Tên mới của chủ đề"),
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM questions WHERE topic = 'Tên mới của chủ đề'")
            .await,
        before
    );
    let fresh = app.count("SELECT MAX(id) FROM topics").await;
    let r = app
        .post_form(
            "/api/admin/topics/change",
            &change(fresh, "delete", ""),
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);

    // Units: one with people is only retired, and then leaves the registration list.
    let unit = app.first_unit_id().await;
    let r = app
        .post_form(
            "/api/admin/unit/remove",
            &[("unit_id", unit.to_string()), ("action", "delete".into())],
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, 409);
    assert!(r.body.contains("người đã đăng ký"), "{}", r.body);
    let r = app
        .post_form(
            "/api/admin/unit/remove",
            &[("unit_id", unit.to_string()), ("action", "retire".into())],
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let units = app.post_form("/api/units", &[], None).await.json();
    assert!(units.as_array().unwrap().iter().all(|u| u["id"] != unit));
}

async fn imports_match_topics_by_name(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = demo_admin(&app).await;
    let csv = bank_csv("Chủ đề lạ", 2, "x");
    let r = app
        .post_form(
            "/api/admin/bank/import",
            &[("csv", csv.clone())],
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, 400, "{}", r.body);
    let rows = r.json()["detail"].as_array().unwrap().clone();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["row"], 2, "{rows:?}");
    assert!(rows[0]["message"].as_str().unwrap().contains("Chủ đề lạ"));
    let r = app
        .post_form(
            "/api/admin/bank/import",
            &[("csv", csv), ("create_topics", "true".into())],
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM topics WHERE name = 'Chủ đề lạ'")
            .await,
        1
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM questions WHERE topic = 'Chủ đề lạ'")
            .await,
        2
    );
}

async fn a_hidden_board_opens_at_the_results_time(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = demo_admin(&app).await;
    let round = app.open_round_id().await;
    let player = app.participant("0987000007").await;
    let attempt = app.start(&player).await;
    app.answer_correctly(attempt, 0..3, &player).await;
    app.submit(attempt, &player).await;
    let board = || async {
        app.post_form(
            "/api/leaderboard/round",
            &[("round_id", round.to_string())],
            None,
        )
        .await
        .json()
    };
    assert_eq!(board().await["rows"].as_array().unwrap().len(), 1);
    let mut form = crate::manage::settings("20", "30");
    form.push(("input[board_hidden]", "on".into()));
    let r = app
        .post_form("/api/admin/contest/update", &form, Some(&admin))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let hidden = board().await;
    assert_eq!(hidden["hidden"], true, "{hidden}");
    assert!(hidden["rows"].as_array().unwrap().is_empty());
    assert_eq!(hidden["entrants"], 0);
    let me = app
        .post_form(
            "/api/leaderboard/me",
            &[("round_id", round.to_string())],
            Some(&player),
        )
        .await;
    assert_eq!(me.json(), serde_json::Value::Null, "no rank while hidden");
    // The demo's first round publishes its results a day after it closes.
    app.state.clock.advance(chrono::Duration::days(8));
    let shown = board().await;
    assert_eq!(shown["hidden"], false, "{shown}");
    assert_eq!(shown["rows"].as_array().unwrap().len(), 1);
}

async fn roles_and_passwords_are_cared_for_from_pages(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = demo_admin(&app).await;
    let secretary = app.staff("0987000008", "secretary").await;
    let person = app.participant("0987000009").await;
    let id = app
        .count("SELECT id FROM users WHERE phone = '0987000009'")
        .await;
    let admin_id = app
        .count("SELECT id FROM users WHERE phone = '0987000002'")
        .await;
    let role =
        |who: i64, role: &str| vec![("account_id", who.to_string()), ("role", role.to_string())];
    // Only an administrator grants roles; never their own; the last one stays.
    let r = app
        .post_form(
            "/api/admin/accounts/role",
            &role(id, "reviewer"),
            Some(&secretary),
        )
        .await;
    assert_eq!(r.status, 403);
    let r = app
        .post_form(
            "/api/admin/accounts/role",
            &role(admin_id, "participant"),
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, 409);
    let r = app
        .post_form(
            "/api/admin/accounts/role",
            &role(id, "reviewer"),
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM users WHERE id = {id} AND role = 'reviewer'"
        ))
        .await,
        1
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE action = '/api/admin/accounts/role' AND status = 200").await, 1);
    let r = app
        .post_form(
            "/api/admin/accounts/role",
            &role(id, "participant"),
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, 200);
    // A forgotten password: the secretariat issues a one-time code; it works once.
    let r = app
        .post_form(
            "/api/admin/accounts/reset",
            &[("account_id", id.to_string())],
            Some(&secretary),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let code = r.json()["code"].as_str().unwrap().to_string();
    assert_eq!(code.len(), 8);
    let redeem = |code: &str, password: &str| {
        vec![
            ("phone", "0987000009".to_string()),
            ("code", code.to_string()),
            ("new_password", password.to_string()),
        ]
    };
    let r = app
        .post_form(
            "/api/auth/reset",
            &redeem("00000000", "mat-khau-moi-1"),
            None,
        )
        .await;
    assert_eq!(r.status, 400);
    let r = app
        .post_form("/api/auth/reset", &redeem(&code, "mat-khau-moi-1"), None)
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        login(&app, "0987000009", PASSWORD).await.status,
        403,
        "the old password is gone"
    );
    assert_eq!(
        login(&app, "0987000009", "mat-khau-moi-1").await.status,
        200
    );
    let r = app
        .post_form("/api/auth/reset", &redeem(&code, "mat-khau-moi-2"), None)
        .await;
    assert_eq!(r.status, 400, "a code is used once");
    let r = app.get("/", Some(&person)).await;
    assert!(!r.body.contains("viewer-name"), "the old session ended");
    // The person changes it again themselves.
    let session = login(&app, "0987000009", "mat-khau-moi-1")
        .await
        .session()
        .unwrap();
    let change = |current: &str| {
        vec![
            ("current_password", current.to_string()),
            ("new_password", "mat-khau-moi-3".to_string()),
        ]
    };
    let r = app
        .post_form(
            "/api/auth/password",
            &change("sai-mat-khau"),
            Some(&session),
        )
        .await;
    assert_eq!(r.status, 400);
    let r = app
        .post_form(
            "/api/auth/password",
            &change("mat-khau-moi-1"),
            Some(&session),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        login(&app, "0987000009", "mat-khau-moi-3").await.status,
        200
    );
    // An organizer corrects a participant's unit.
    let units = app.post_form("/api/units", &[], None).await.json();
    let last = units.as_array().unwrap().last().unwrap()["id"]
        .as_i64()
        .unwrap();
    let r = app
        .post_form(
            "/api/admin/accounts/unit",
            &[
                ("account_id", id.to_string()),
                ("unit_id", last.to_string()),
            ],
            Some(&secretary),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        app.count(&format!("SELECT unit_id FROM users WHERE id = {id}"))
            .await,
        last
    );
    let page = app
        .get("/quan-tri/tai-khoan?q=0987000009", Some(&admin))
        .await;
    assert!(page.body.contains("0987000009"), "{}", page.body);
}

/// The organizer adds questions to the participant's profile in a contest (a required choice,
/// an optional number): the first start asks them, a wrong or missing answer is refused by
/// field and starts nothing, the answers are kept and shown, and they are not asked again.
async fn a_contests_own_questions_are_asked_once_at_the_first_start(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.staff("0917400001", "admin").await;
    let save = |fields: &str| {
        let app = &app;
        let admin = admin.clone();
        let form = vec![("extra_fields", fields.to_string())];
        async move {
            app.post_form("/api/admin/people/groups", &form, Some(&admin))
                .await
        }
    };
    let r = save("Giới tính | bắt buộc | Nam\nSố năm công tác | cần | số").await;
    assert_eq!(r.status, 400, "{}", r.body);
    assert!(r.body.contains("Dòng 1 (thông tin thêm)"), "{}", r.body);
    assert!(r.body.contains("Dòng 2 (thông tin thêm)"), "{}", r.body);
    let r = save("Giới tính | bắt buộc | Nam; Nữ\nSố năm công tác | không bắt buộc | số").await;
    assert_eq!(r.status, 200, "{}", r.body);

    let player = app.participant("0917400002").await;
    let overview = app
        .post_form("/api/contest/overview", &[], Some(&player))
        .await
        .json();
    let fields = &overview["profile_choices"]["fields"];
    assert_eq!(fields[0]["options"], serde_json::json!(["Nam", "Nữ"]));
    assert_eq!(
        (&fields[1]["number"], &fields[1]["required"]),
        (&true.into(), &false.into())
    );
    let round = app.open_round_id().await;
    let start = |extra: &[&str]| {
        let app = &app;
        let player = player.clone();
        let mut form = vec![("round_id".to_string(), round.to_string())];
        for (i, a) in extra.iter().enumerate() {
            form.push((format!("extra[{i}]"), a.to_string()));
        }
        async move {
            let form: Vec<(&str, String)> =
                form.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
            app.post_form("/api/attempt/start", &form, Some(&player))
                .await
        }
    };
    let r = start(&["Khác", "mười"]).await;
    assert_eq!(r.status, 400, "{}", r.body);
    assert!(
        r.body.contains("extra[0]") && r.body.contains("extra[1]"),
        "{}",
        r.body
    );
    let r = start(&[]).await;
    assert_eq!(r.status, 400, "the choice is required: {}", r.body);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM attempts").await,
        0,
        "nothing started"
    );
    let r = start(&["nu", "12"]).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let overview = app
        .post_form("/api/contest/overview", &[], Some(&player))
        .await
        .json();
    assert!(overview["profile_choices"].is_null(), "asked once");
    assert_eq!(
        overview["my_profile"],
        "Giới tính: Nữ · Số năm công tác: 12"
    );
    // Not asked again: a later start (the same round, resumed) needs no answers.
    assert_eq!(start(&[]).await.status, 200);
}
