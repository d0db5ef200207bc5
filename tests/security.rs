//! The security baseline across every endpoint: cross-site writes refused and nothing changed
//! over GET, malformed bodies answered with a clear 4xx (never a 5xx or a half-written row),
//! markup shown as text, rate limits on logins, registrations and starts, and the audit log.

use std::collections::BTreeMap;

use chrono::Duration;
use rand::Rng;

use crate::helpers::{spawn_app, Backend, TestApp};
use crate::on_both_backends;

on_both_backends!(
    every_server_function_refuses_cross_site_posts_and_gets,
    malformed_bodies_never_cause_a_server_error_or_a_write,
    random_bodies_for_every_function_never_cause_a_server_error,
    markup_in_questions_is_shown_as_text,
    logins_registrations_and_starts_are_rate_limited,
    the_audit_log_records_logins_changes_and_refusals,
    no_participant_reaches_an_organizer_function,
);

/// Every registered server function, as `/api/...` paths.
fn server_functions() -> Vec<String> {
    let mut paths: Vec<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.to_string())
        .collect();
    paths.sort();
    paths.dedup();
    assert!(
        paths.len() >= 40,
        "the registry lists the app's functions: {paths:?}"
    );
    paths
}

/// Row counts of every table the application writes (the audit log and sessions aside).
async fn table_counts(app: &TestApp) -> BTreeMap<&'static str, i64> {
    let mut counts = BTreeMap::new();
    for table in [
        "users",
        "units",
        "contests",
        "rounds",
        "questions",
        "options",
        "topics",
        "attempts",
        "attempt_questions",
        "answers",
        "awards",
        "overall_awards",
        "unit_awards",
        "disqualifications",
        "excluded_people",
        "draw_quotas",
    ] {
        counts.insert(
            table,
            app.count(&format!("SELECT COUNT(*) FROM {table}")).await,
        );
    }
    counts
}

async fn every_server_function_refuses_cross_site_posts_and_gets(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.staff("0916000001", "admin").await;
    let before = table_counts(&app).await;
    let uploads = ["/quan-tri/nhap-cau-hoi", "/quan-tri/nhap-don-vi"];
    for path in server_functions().iter().map(String::as_str).chain(uploads) {
        for (name, value) in [
            ("sec-fetch-site", "cross-site"),
            ("origin", "https://evil.example"),
        ] {
            let r = app
                .client
                .post(app.url(path))
                .header("cookie", format!("cuocthi_sid={admin}"))
                .header(name, value)
                .form(&[("round_id", "1")])
                .send()
                .await
                .unwrap();
            assert_eq!(r.status().as_u16(), 403, "{path} with {name}: {value}");
        }
        if path.starts_with("/api/") {
            let r = app.get(path, Some(&admin)).await;
            assert_eq!(r.status, 405, "GET {path}: {}", r.body);
        }
    }
    assert_eq!(table_counts(&app).await, before, "nothing changed");
    // The administrator's session survived: no logout went through either.
    let me = app.post_form("/api/auth/me", &[], Some(&admin)).await;
    assert_eq!(me.json()["role"], "admin", "{}", me.body);
}

async fn malformed_bodies_never_cause_a_server_error_or_a_write(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.staff("0916000011", "admin").await;
    let participant = app.participant("0916000012").await;
    app.start(&participant).await;
    let before = table_counts(&app).await;
    let nested = format!("{}1{}", "[".repeat(2000), "]".repeat(2000));
    let bodies: Vec<(&str, Vec<u8>)> = vec![
        ("application/json", b"{".to_vec()),
        ("application/json", b"[]".to_vec()),
        (
            "application/json",
            b"{\"round_id\": \"x\", \"input\": 7}".to_vec(),
        ),
        ("application/json", nested.into_bytes()),
        ("application/json", vec![0xff, 0xfe, 0x00, 0x80]),
        (
            "application/x-www-form-urlencoded",
            b"round_id=-1&attempt_id=abc&seq=%FF".to_vec(),
        ),
        (
            "application/x-www-form-urlencoded",
            b"input[name]=&input[questions_per_attempt]=99999999999999999999".to_vec(),
        ),
        ("text/plain", b"hello".to_vec()),
        ("application/x-www-form-urlencoded", vec![b'a'; 70 * 1024]),
    ];
    for path in server_functions() {
        if path == "/api/auth/logout" {
            continue; // it takes no input; ending the session is what it is for
        }
        for session in [Some(admin.as_str()), Some(participant.as_str()), None] {
            for (kind, body) in &bodies {
                let r = app.post_raw(&path, kind, body.clone(), session).await;
                assert!(
                    r.status < 500,
                    "{path} {kind} {:?}: {} {}",
                    String::from_utf8_lossy(&body[..body.len().min(40)]),
                    r.status,
                    r.body
                );
                if r.status >= 400 {
                    assert!(!r.body.trim().is_empty(), "{path}: a refusal says why");
                }
            }
        }
    }
    assert_eq!(table_counts(&app).await, before, "no half-written rows");
    // Still serving.
    assert_eq!(app.get("/", None).await.status, 200);
}

/// Field names the server functions take, and names no function knows.
const FIELD_NAMES: &[&str] = &[
    "round_id",
    "attempt_id",
    "seq",
    "choice",
    "prediction",
    "id",
    "user_id",
    "unit_id",
    "contest",
    "kind",
    "reason",
    "name",
    "csv",
    "phone",
    "password",
    "page",
    "person",
    "from",
    "to",
    "check",
    "ids",
    "choices",
    "q",
    "state",
    "role",
    "title",
    "body",
    "entry_id",
    "input[name]",
    "input[phone]",
    "input[birth_date]",
    "input[unit_id]",
    "input[topic]",
    "input[options][0]",
    "input[options][9999]",
    "input[correct]",
    "input[rank_links][0]",
    "input[round_prize_rows][0][amount]",
    "input[extra][0]",
    "input[a][b][c][d]",
    "input",
    "input[]",
    "[]",
    "",
    "x",
    "%00",
];

/// Values no valid request carries: none of them names a round, attempt or unit that exists.
const FIELD_VALUES: &[&str] = &[
    "",
    "-1",
    "0",
    "-9223372036854775808",
    "99999999999999999999",
    "1e309",
    "NaN",
    "true",
    "null",
    "[]",
    "{}",
    "\u{0}",
    "%FF%FE",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "2026-02-30",
    "Ā̈́͂",
    "Z",
    "🎉🎉🎉",
];

/// A random form body: a few fields, names and values from the lists above or random junk.
fn random_form(rng: &mut impl rand::Rng) -> Vec<u8> {
    let fields = rng.gen_range(0..8);
    let mut pairs: Vec<(String, String)> = Vec::new();
    for _ in 0..fields {
        let name = if rng.gen_bool(0.9) {
            FIELD_NAMES[rng.gen_range(0..FIELD_NAMES.len())].to_string()
        } else {
            (0..rng.gen_range(1..20))
                .map(|_| rng.gen::<char>())
                .collect()
        };
        let value = match rng.gen_range(0..10) {
            0 => "ư".repeat(rng.gen_range(1..5000)),
            1 => (0..rng.gen_range(1..50))
                .map(|_| rng.gen::<char>())
                .collect(),
            _ => FIELD_VALUES[rng.gen_range(0..FIELD_VALUES.len())].to_string(),
        };
        pairs.push((name, value));
    }
    url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish()
        .into_bytes()
}

/// A random JSON body: an object of such fields, or a mutated one (cut short, a byte flipped).
fn random_json(rng: &mut impl rand::Rng) -> Vec<u8> {
    let mut object = serde_json::Map::new();
    for _ in 0..rng.gen_range(0..6) {
        let name = FIELD_NAMES[rng.gen_range(0..FIELD_NAMES.len())].to_string();
        let value = match rng.gen_range(0..6) {
            0 => serde_json::json!(rng.gen::<i64>()),
            1 => serde_json::json!(rng.gen::<f64>() * 1e300),
            2 => serde_json::json!([rng.gen::<u8>(), null, "x"]),
            3 => serde_json::json!({ "a": { "b": [] } }),
            _ => serde_json::json!(FIELD_VALUES[rng.gen_range(0..FIELD_VALUES.len())]),
        };
        object.insert(name, value);
    }
    let mut bytes = serde_json::to_vec(&object).unwrap();
    match rng.gen_range(0..4) {
        0 if !bytes.is_empty() => bytes.truncate(rng.gen_range(0..bytes.len())),
        1 if !bytes.is_empty() => {
            let at = rng.gen_range(0..bytes.len());
            bytes[at] = rng.gen();
        }
        _ => {}
    }
    bytes
}

/// Random and mutated bodies, from a fixed seed (a failure replays), to every server
/// function: never a 5xx or a dropped connection, a refusal always says why, and nothing
/// from a participant or a stranger is written.
async fn random_bodies_for_every_function_never_cause_a_server_error(backend: Backend) {
    use rand::SeedableRng;
    let app = spawn_app(backend).await;
    let admin = app.staff("0916000061", "admin").await;
    let participant = app.participant("0916000062").await;
    app.start(&participant).await;
    let mut rng = rand::rngs::StdRng::seed_from_u64(13);
    let check = |path: &str, kind: &str, body: &[u8], r: &crate::helpers::Reply| {
        assert!(
            r.status < 500,
            "{path} {kind} {:?}: {} {}",
            String::from_utf8_lossy(&body[..body.len().min(80)]),
            r.status,
            r.body
        );
        if r.status >= 400 {
            assert!(!r.body.trim().is_empty(), "{path}: a refusal says why");
        }
    };
    let before = table_counts(&app).await;
    let paths: Vec<String> = server_functions()
        .into_iter()
        .filter(|p| p != "/api/auth/logout")
        .collect();
    for path in &paths {
        for session in [Some(participant.as_str()), None] {
            for _ in 0..25 {
                let (kind, body) = if rng.gen_bool(0.5) {
                    ("application/x-www-form-urlencoded", random_form(&mut rng))
                } else {
                    ("application/json", random_json(&mut rng))
                };
                let r = app.post_raw(path, kind, body.clone(), session).await;
                check(path, kind, &body, &r);
            }
        }
    }
    assert_eq!(table_counts(&app).await, before, "nothing written");
    // An administrator's random bodies may be valid now and then; they never fail the server.
    for path in &paths {
        for _ in 0..10 {
            let body = random_form(&mut rng);
            let kind = "application/x-www-form-urlencoded";
            let r = app.post_raw(path, kind, body.clone(), Some(&admin)).await;
            check(path, kind, &body, &r);
        }
    }
    assert_eq!(app.get("/", None).await.status, 200, "still serving");
}

async fn markup_in_questions_is_shown_as_text(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.staff("0916000021", "admin").await;
    let payload = "<img src=x onerror=alert(1)> Thủ tục nào?";
    let r = app
        .post_form(
            "/api/admin/bank/create",
            &crate::bank::draft(payload),
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let page = app.get("/quan-tri/cau-hoi", Some(&admin)).await;
    assert_eq!(page.status, 200);
    assert!(
        page.body
            .contains("&lt;img src=x onerror=alert(1)&gt; Thủ tục nào?"),
        "escaped as text"
    );
    assert!(!page.body.contains("<img src=x"), "never as markup");
}

async fn logins_registrations_and_starts_are_rate_limited(backend: Backend) {
    let app = spawn_app(backend).await;
    // The buckets refill with time; only the test moves it here.
    app.state.clock.freeze();
    app.participant("0916000031").await;
    let login = |password: &'static str| {
        let app = &app;
        async move {
            app.post_form(
                "/api/auth/login",
                &[
                    ("phone", "0916000031".to_string()),
                    ("password", password.to_string()),
                ],
                None,
            )
            .await
        }
    };
    // Guessing one account's password from one place: five free failures, then a wait that
    // doubles with each further failure, told in Retry-After and in the same words.
    for _ in 0..5 {
        assert_eq!(login("sai-mat-khau").await.status, 403);
    }
    let r = login("sai-mat-khau").await;
    assert_eq!(r.status, 429, "{}", r.body);
    assert_eq!(r.header("retry-after").as_deref(), Some("30"));
    assert!(
        r.body.contains("Vui lòng thử lại sau 30 giây"),
        "{}",
        r.body
    );
    // During the wait even the right password is not heard from this place.
    assert_eq!(login(crate::helpers::PASSWORD).await.status, 429);
    app.state.clock.advance(Duration::seconds(29));
    let r = login("sai-mat-khau").await;
    assert_eq!(
        r.header("retry-after").as_deref(),
        Some("1"),
        "the real wait"
    );
    app.state.clock.advance(Duration::seconds(1));
    assert_eq!(
        login("sai-mat-khau").await.status,
        403,
        "heard again, and failed"
    );
    let r = login("sai-mat-khau").await;
    assert_eq!(
        r.header("retry-after").as_deref(),
        Some("60"),
        "the wait doubled"
    );
    assert!(r.body.contains("1 phút"), "{}", r.body);
    app.state.clock.advance(Duration::seconds(60));
    assert_eq!(login(crate::helpers::PASSWORD).await.status, 200);

    // An invalid registration: refused by validation, but it still counts against the limit.
    let register = || async {
        app.post_form(
            "/api/auth/register",
            &[("input[full_name]", "A".into())],
            None,
        )
        .await
    };
    // Registrations from one address: 60 a minute (the bucket is full again after the wait
    // above), counted before any work is done.
    for _ in 0..60 {
        let r = register().await;
        assert_eq!(r.status, 400, "{}", r.body);
    }
    let r = register().await;
    assert_eq!(r.status, 429, "the 61st");
    assert!(r.body.contains("Vui lòng thử lại sau"), "{}", r.body);
    app.state.clock.advance(Duration::seconds(1));
    let r = register().await;
    assert_eq!(r.status, 400, "one more a second later");

    // Starts: ten a minute per session (a start that resumes counts too).
    app.state.clock.advance(Duration::seconds(60));
    let token = app.participant("0916000032").await;
    for _ in 0..10 {
        assert_eq!(app.try_start(&token).await.status, 200);
    }
    let r = app.try_start(&token).await;
    assert_eq!(r.status, 429, "{}", r.body);
    assert_eq!(r.header("retry-after").as_deref(), Some("6"));
    // Another participant is not affected.
    let other = app.participant("0916000033").await;
    assert_eq!(app.try_start(&other).await.status, 200);
    app.state.clock.advance(Duration::seconds(6));
    assert_eq!(app.try_start(&token).await.status, 200);
}

async fn the_audit_log_records_logins_changes_and_refusals(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.staff("0916000041", "admin").await;
    let participant = app.participant("0916000042").await;
    let r = app
        .post_form(
            "/api/auth/login",
            &[
                ("phone", "0916000042".to_string()),
                ("password", "sai-mat-khau".to_string()),
            ],
            None,
        )
        .await;
    assert_eq!(r.status, 403);
    let r = app
        .post_form(
            "/api/auth/login",
            &[
                ("phone", "0916000042".to_string()),
                ("password", crate::helpers::PASSWORD.to_string()),
            ],
            None,
        )
        .await;
    assert_eq!(r.status, 200);
    // An organizer's change, a participant reaching for an admin function, a cross-site post.
    let r = app
        .post_form(
            "/api/admin/contest/update",
            &crate::manage::settings("20", "30"),
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let r = app
        .post_form("/api/admin/awards/overall/compute", &[], Some(&participant))
        .await;
    assert_eq!(r.status, 403);
    let r = app
        .client
        .post(app.url("/api/attempt/start"))
        .header("sec-fetch-site", "cross-site")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 403);

    let log = |kind: &'static str| {
        let (app, admin) = (&app, admin.clone());
        async move {
            let r = app
                .post_form(
                    "/api/admin/audit/list",
                    &[("kind", kind.to_string())],
                    Some(&admin),
                )
                .await;
            assert_eq!(r.status, 200, "{}", r.body);
            r.json()["entries"].as_array().unwrap().clone()
        }
    };
    let failed = log("login_failed").await;
    assert_eq!(failed.len(), 1, "{failed:?}");
    assert_eq!(failed[0]["detail"], "0916000042");
    assert_eq!(failed[0]["status"], 403);
    let logins = log("login").await;
    assert_eq!(logins.len(), 1);
    assert!(logins[0]["who"].as_str().unwrap().contains("0916000042"));
    let registered = log("register").await;
    assert_eq!(registered.len(), 2, "both accounts");
    let changes = log("admin").await;
    let update = changes
        .iter()
        .find(|e| e["action"] == "/api/admin/contest/update")
        .unwrap_or_else(|| panic!("{changes:?}"));
    assert!(update["who"].as_str().unwrap().contains("0916000041"));
    assert_eq!(update["status"], 200);
    let refused = log("refused").await;
    let actions: Vec<(&str, i64)> = refused
        .iter()
        .map(|e| (e["action"].as_str().unwrap(), e["status"].as_i64().unwrap()))
        .collect();
    assert!(
        actions.contains(&("/api/admin/awards/overall/compute", 403)),
        "{actions:?}"
    );
    assert!(
        actions.contains(&("/api/attempt/start", 403)),
        "{actions:?}"
    );
    assert!(refused
        .iter()
        .all(|e| !e["ip"].as_str().unwrap().is_empty()));
    // Newest first; reading is not a change and is not recorded; only administrators read it.
    assert_eq!(log("").await[0]["action"], "/api/attempt/start");
    let r = app
        .post_form("/api/admin/audit/list", &[], Some(&participant))
        .await;
    assert_eq!(r.status, 403);
    let page = app
        .get("/quan-tri/nhat-ky?loai=refused", Some(&admin))
        .await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Nhật ký hệ thống"));
    assert!(page.body.contains("/api/admin/awards/overall/compute"));
}

async fn no_participant_reaches_an_organizer_function(backend: Backend) {
    let app = spawn_app(backend).await;
    let participant = app.participant("0916000051").await;
    let before = table_counts(&app).await;
    // Arguments most functions accept, so the refusal comes from the permission check rather
    // than from a missing field.
    let fields: Vec<(&str, String)> = [
        ("round_id", "1"),
        ("user_id", "1"),
        ("reason", "thử"),
        ("criterion", "entrants"),
        ("kind", ""),
        ("id", "1"),
        ("csv", "a"),
        ("contest", ""),
        ("name", "thử"),
        ("action", "retire"),
        ("state", "archive"),
        ("account_id", "1"),
        ("unit_id", "1"),
        ("topic_id", "1"),
        ("role", "admin"),
        ("title", "thử"),
        ("body", "thử"),
    ]
    .iter()
    .map(|(k, v)| (*k, v.to_string()))
    .collect();
    let mut refused_by_permission = 0;
    let admin_functions: Vec<String> = server_functions()
        .into_iter()
        .filter(|p| p.starts_with("/api/admin/"))
        .collect();
    for path in &admin_functions {
        let as_participant = app.post_form(path, &fields, Some(&participant)).await;
        let anonymous = app.post_form(path, &fields, None).await;
        assert!(
            matches!(as_participant.status, 400 | 403),
            "{path} as a participant: {} {}",
            as_participant.status,
            as_participant.body
        );
        assert!(
            matches!(anonymous.status, 400 | 401),
            "{path} anonymous: {} {}",
            anonymous.status,
            anonymous.body
        );
        refused_by_permission += usize::from(as_participant.status == 403);
    }
    assert!(
        refused_by_permission * 3 >= admin_functions.len() * 2,
        "most functions got as far as the permission check: {refused_by_permission} of {}",
        admin_functions.len()
    );
    assert_eq!(table_counts(&app).await, before);
}
