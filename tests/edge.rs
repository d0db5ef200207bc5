//! The hardened edge, part of the security suite: no attacker-chosen text on the site's pages,
//! the lockout an owner always gets through, the headers, unknown paths and files.

use reqwest::header::COOKIE;

use crate::helpers::{
    database_url, location, spawn_app, spawn_app_on, spawn_https_app, Backend, PASSWORD,
};
use crate::on_both_backends;

on_both_backends!(
    no_link_puts_text_on_the_site,
    knowing_a_phone_number_never_locks_the_owner_out,
    pages_carry_a_nonce_policy_and_personal_replies_are_not_stored,
    unknown_endpoints_and_hidden_files_answer_a_short_404,
    the_audit_log_keeps_junk_out_and_pages_through_everything,
);

const PLANTED: &str = "Tài khoản bị khoá. Gọi 0999999999";

async fn no_link_puts_text_on_the_site(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.staff("0919000001", "admin").await;
    let planted = serde_json::json!({ "kind": "bad_request", "message": PLANTED }).to_string();
    let encoded: String = url::form_urlencoded::byte_serialize(planted.as_bytes()).collect();
    for (path, session) in [
        ("/", None),
        ("/dang-ky", None),
        ("/dang-nhap", None),
        ("/quan-tri/cuoc-thi", Some(admin.as_str())),
        ("/quan-tri/don-vi", Some(admin.as_str())),
    ] {
        let page = app.get(&format!("{path}?loi={encoded}"), session).await;
        assert_eq!(page.status, 200, "{path}");
        assert!(
            !page.body.contains("0999999999"),
            "{path} shows the link's text"
        );
    }

    // A forged flash cookie (any signature but the installation's) shows nothing either.
    use base64::Engine;
    let body = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(
        serde_json::to_vec(&serde_json::json!({
            "error": { "kind": "bad_request", "message": PLANTED },
            "fields": [["dien_thoai", "0999999999"]],
            "expires_at": i64::MAX,
        }))
        .unwrap(),
    );
    let page = app
        .client
        .get(app.url("/dang-nhap"))
        .header(COOKIE, format!("cuocthi_flash={body}.AAAA"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!page.contains("0999999999"));

    // A refused registration: back to the form with the error and the fields filled in again,
    // and neither the phone number nor the citizen ID in any URL.
    app.participant("0919000002").await;
    let unit = app.first_unit_id().await;
    let r = app
        .post_html_form(
            "/api/auth/register",
            &[
                ("input[full_name]", "Trần Thị Trùng".into()),
                ("input[birth_date]", "1990-04-30".into()),
                ("input[phone]", "0919000002".into()),
                ("input[citizen_id]", "001190000123".into()),
                ("input[unit_id]", unit.to_string()),
                ("input[password]", PASSWORD.into()),
            ],
            None,
        )
        .await;
    assert_eq!(r.status, 302, "{}", r.body);
    let to = location(&r);
    assert!(
        !to.contains("0919000002") && !to.contains("001190000123") && !to.contains("loi"),
        "{to}"
    );
    let page = app.follow(&r, None).await;
    assert!(
        page.body.contains("data-testid=\"error\""),
        "the error is shown"
    );
    assert!(
        page.body.contains("value=\"0919000002\""),
        "the phone filled in again"
    );
    assert!(page.body.contains("value=\"001190000123\""));
    assert!(page.body.contains("value=\"Trần Thị Trùng\""));
    // Read once: the next visit shows the empty form.
    let again = app.get("/dang-ky", None).await;
    assert!(!again.body.contains("0919000002"));

    // A refused login keeps the phone out of the URL as well.
    let r = app
        .post_html_form(
            "/api/auth/login",
            &[
                ("phone", "0919000002".into()),
                ("password", "sai-mat-khau".into()),
            ],
            None,
        )
        .await;
    assert_eq!(r.status, 302);
    assert!(!location(&r).contains("0919000002"), "{}", location(&r));
    let page = app.follow(&r, None).await;
    assert!(page.body.contains("không đúng") && page.body.contains("value=\"0919000002\""));
}

/// The value of the cookie `name` a reply sets, if any.
fn cookie_set(r: &crate::helpers::Reply, name: &str) -> Option<String> {
    r.headers.get_all("set-cookie").iter().find_map(|v| {
        let (pair, _) = v.to_str().ok()?.split_once(';')?;
        let (n, value) = pair.split_once('=')?;
        (n == name && !value.is_empty()).then(|| value.to_string())
    })
}

async fn knowing_a_phone_number_never_locks_the_owner_out(backend: Backend) {
    let app = spawn_app(backend).await;
    app.state.clock.freeze();
    let phone = "0919000011";
    let registered = app.register_with("Lê Thị Chủ", phone, "").await;
    assert_eq!(registered.status, 200, "{}", registered.body);
    let known = cookie_set(&registered, "cuocthi_known").expect("the browser's proof");
    let login = |password: &'static str, cookie: Option<String>| {
        let app = &app;
        async move {
            let req = app
                .client
                .post(app.url("/api/auth/login"))
                .form(&[("phone", phone), ("password", password)]);
            let req = match cookie {
                Some(c) => req.header(COOKIE, format!("cuocthi_known={c}")),
                None => req,
            };
            let res = req.send().await.unwrap();
            (
                res.status().as_u16(),
                res.headers()
                    .get("retry-after")
                    .map(|v| v.to_str().unwrap().to_string()),
            )
        }
    };
    // Someone who knows the phone number keeps guessing (from the same address, even).
    for _ in 0..40 {
        let (status, retry) = login("doan-mo", None).await;
        assert!(status == 403 || status == 429, "{status}");
        if status == 429 {
            assert!(retry.is_some(), "every 429 says when to come back");
        }
    }
    assert_eq!(
        login(PASSWORD, None).await.0,
        429,
        "the stranger's place waits"
    );
    // The owner, on the browser that signed in before, gets in at once.
    assert_eq!(login(PASSWORD, Some(known.clone())).await.0, 200);
    // A proof for another account, or a forged one, is a stranger's place.
    assert_eq!(login(PASSWORD, Some("gia-mao".into())).await.0, 429);
}

async fn pages_carry_a_nonce_policy_and_personal_replies_are_not_stored(backend: Backend) {
    let app = spawn_app(backend).await;
    let token = app.participant("0919000021").await;
    let home = app.get("/", None).await;
    let policy = home.header("content-security-policy").expect("a policy");
    let nonce = policy
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .expect("a nonce");
    assert!(nonce.len() >= 16, "{policy}");
    assert!(policy.contains("'wasm-unsafe-eval'") && policy.contains("object-src 'none'"));
    assert!(policy.contains("frame-ancestors 'none'"), "{policy}");
    // Every inline script carries this response's nonce, and no markup has an inline handler.
    let scripts = home.body.matches("<script").count();
    assert!(scripts > 0);
    assert_eq!(
        home.body.matches(&format!("nonce=\"{nonce}\"")).count(),
        scripts,
        "{}",
        home.body
    );
    for handler in [
        " onclick=",
        " onload=",
        " onerror=",
        " onsubmit=",
        " onchange=",
    ] {
        assert!(!home.body.contains(handler), "{handler}");
    }
    let again = app.get("/", None).await;
    assert_ne!(
        again.header("content-security-policy"),
        Some(policy.clone()),
        "a fresh nonce per response"
    );

    // Personal pages and replies: never stored by a shared computer's browser or a proxy.
    assert_eq!(
        home.header("cache-control"),
        None,
        "the public page may be cached"
    );
    let attempt = app.start(&token).await;
    for r in [
        app.get("/", Some(&token)).await,
        app.get(&format!("/bai-thi/{attempt}"), Some(&token)).await,
        app.view(attempt, &token).await,
        app.post_form("/api/contest/overview", &[], None).await,
    ] {
        assert_eq!(r.header("cache-control").as_deref(), Some("no-store"));
    }
    // HSTS only where the site says it is reached over HTTPS.
    assert_eq!(home.header("strict-transport-security"), None);
    let https = spawn_https_app(backend).await;
    assert_eq!(
        https
            .get("/", None)
            .await
            .header("strict-transport-security")
            .as_deref(),
        Some("max-age=31536000")
    );
}

async fn unknown_endpoints_and_hidden_files_answer_a_short_404(backend: Backend) {
    let app = spawn_app(backend).await;
    let r = app.post_form("/api/khong-co-ham-nay", &[], None).await;
    assert_eq!(r.status, 404);
    assert_eq!(r.body, "Không tìm thấy.");
    let r = app
        .post_form("/api/admin/contest/update/x", &[], None)
        .await;
    assert_eq!((r.status, r.body.as_str()), (404, "Không tìm thấy."));
}

async fn the_audit_log_keeps_junk_out_and_pages_through_everything(backend: Backend) {
    let app = spawn_app(backend).await;
    app.state.clock.freeze();
    let admin = app.staff("0919000031", "admin").await;
    let rows = || app.count("SELECT COUNT(*) FROM audit_log");
    let before = rows().await;
    // Anyone, signed in or not, hammering paths nothing answers: no row at all.
    for i in 0..100 {
        let junk = format!("/quan-tri/rac-{i}");
        assert_eq!(app.post_form(&junk, &[], None).await.status / 100, 4);
        app.post_form(&format!("/api/admin/rac-{i}"), &[], None)
            .await;
        app.get(&format!("/quan-tri/xuat/rac-{i}.xlsx"), None).await;
        app.post_form(&junk, &[], Some(&admin)).await;
    }
    assert_eq!(rows().await, before, "junk wrote rows");
    // Anonymous refusals of real functions: summarized, a few rows per address, not one each.
    for _ in 0..100 {
        let r = app.post_form("/api/admin/audit/list", &[], None).await;
        assert_eq!(r.status, 401);
    }
    let refusals = rows().await - before;
    assert!((1..=30).contains(&refusals), "{refusals} rows");

    // 250 older entries of two people over ten days: filtered and paged through, all of them.
    let now = cuocthi::server::clock::to_ms(app.state.clock.now());
    let day = 24 * 3_600_000;
    let someone = app
        .count("SELECT id FROM users WHERE phone = '0919000031'")
        .await;
    let mut conn = app.state.db.pool.acquire().await.unwrap();
    for i in 0..250i64 {
        cuocthi::server::repo::audit::insert_entry(
            &mut conn,
            cuocthi::server::repo::audit::NewAuditEntry {
                at: now - (10 - i % 10) * day,
                kind: "admin",
                user_id: (i % 2 == 0).then_some(someone),
                ip: "10.0.0.1",
                action: "/api/admin/contest/update",
                status: 200,
                detail: "",
                contest: None,
            },
        )
        .await
        .unwrap();
    }
    drop(conn);
    let list = |fields: Vec<(&'static str, String)>| {
        let (app, admin) = (&app, admin.clone());
        async move {
            let r = app
                .post_form("/api/admin/audit/list", &fields, Some(&admin))
                .await;
            assert_eq!(r.status, 200, "{}", r.body);
            r.json()
        }
    };
    let mut seen = 0;
    for page in 0..3 {
        let p = list(vec![("kind", "admin".into()), ("page", page.to_string())]).await;
        assert_eq!(p["total"], 250);
        seen += p["entries"].as_array().unwrap().len();
    }
    assert_eq!(seen, 250, "every entry, page by page");
    let theirs = list(vec![
        ("kind", "admin".into()),
        ("person", "0919000031".into()),
    ])
    .await;
    assert_eq!(theirs["total"], 125);
    let date = |d: i64| {
        cuocthi::domain::vntime::format_vn_local(app.state.clock.now() - chrono::Duration::days(d))
            [..10]
            .to_string()
    };
    let one_day = list(vec![
        ("kind", "admin".into()),
        ("from", date(10)),
        ("to", date(10)),
    ])
    .await;
    assert_eq!(one_day["total"], 25, "{one_day}");
    let bad = app
        .post_form(
            "/api/admin/audit/list",
            &[("from", "hôm qua".into())],
            Some(&admin),
        )
        .await;
    assert_eq!(bad.status, 400);
    let page = app
        .get(
            "/quan-tri/nhat-ky?loai=admin&nguoi=0919000031&trang=2",
            Some(&admin),
        )
        .await;
    assert!(page.body.contains("125 mục · trang 2/2"), "{}", page.body);
    assert!(page.body.contains("data-testid=\"audit-newer\""));

    // Retention: entries older than the setting go.
    let pruned = cuocthi::server::audit::prune(&app.state, 5).await.unwrap();
    assert_eq!(pruned, 125, "the five oldest days");
    assert_eq!(list(vec![("kind", "admin".into())]).await["total"], 125);
}

/// Two app servers on one Postgres share their limits: guesses spread over both add up, and a
/// wait set on one holds on the other.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn limits_hold_across_app_servers_on_one_postgres() {
    let url = database_url(Backend::Postgres).await;
    let a = spawn_app_on(url.clone()).await;
    let b = spawn_app_on(url).await;
    let phone = "0919000021";
    let registered = a.register_with("Lê Văn Hai Máy", phone, "").await;
    assert_eq!(registered.status, 200, "{}", registered.body);
    let login = |app: &crate::helpers::TestApp, password: &'static str| {
        let req = app
            .client
            .post(app.url("/api/auth/login"))
            .form(&[("phone", phone), ("password", password)]);
        async move { req.send().await.unwrap().status().as_u16() }
    };
    // Five failures from one place, counted together: three here, two there. Then that place
    // waits, on both servers, even with the right password.
    for app in [&a, &a, &a, &b, &b] {
        assert_eq!(login(app, "doan-sai").await, 403);
    }
    assert_eq!(
        login(&b, PASSWORD).await,
        429,
        "server B counts A's failures"
    );
    assert_eq!(login(&a, PASSWORD).await, 429);
    // Starts per session: ten a minute, whichever server hears them.
    let token = b.participant("0919000022").await;
    let round = a.open_round_id().await;
    let mut statuses = Vec::new();
    for i in 0..11 {
        let app = if i % 2 == 0 { &a } else { &b };
        let r = app
            .post_form(
                "/api/attempt/start",
                &[("round_id", round.to_string())],
                Some(&token),
            )
            .await;
        statuses.push(r.status);
    }
    assert_eq!(statuses.last(), Some(&429), "{statuses:?}");
    assert!(statuses[..10].iter().all(|s| *s != 429), "{statuses:?}");
}
