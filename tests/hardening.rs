use crate::helpers::{spawn_app, Backend};
use crate::on_both_backends;

on_both_backends!(
    malformed_requests_get_clear_4xx,
    cross_site_writes_are_refused,
    pages_render_in_vietnamese,
    every_response_names_its_request,
    only_pages_with_an_island_load_the_wasm,
);

/// A page loads the WASM (the hydration script) exactly when it has an island: the list in
/// `app::page_has_islands` is checked against what each page really renders, for a
/// participant's pages and an administrator's. The attempt page loads the quiz's own package,
/// the others the package of every island.
async fn only_pages_with_an_island_load_the_wasm(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.staff("0911000031", "admin").await;
    let token = app.participant("0911000032").await;
    let attempt = app.start(&token).await;
    let round = app.open_round_id().await;
    // The demo's initiative contest, open: its submission page and an entry's edit page carry
    // upload bars; the contest's own page does not.
    let initiative: i64 = sqlx::query_scalar("SELECT MIN(id) FROM initiative_contests")
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
    let text = [
        ("title", "Một cửa số"),
        (
            "topic",
            "Ứng dụng công nghệ thông tin, dịch vụ công trực tuyến",
        ),
        ("lead_author", "Nguyễn Văn Thí"),
        ("co_authors", ""),
    ];
    let writeup = vec![(
        "writeup",
        crate::initiative::PDF.to_vec(),
        "a.pdf".to_string(),
    )];
    let path = format!("/sang-kien/{initiative}/nop");
    let sent = crate::initiative::upload(&app, &token, &path, &text, writeup).await;
    let entry = crate::initiative::outcome(&app, &sent).expect("the demo takes entries");
    let mut with_islands = 0;
    let pages: Vec<(String, &str)> = vec![
        ("/".into(), token.as_str()),
        (format!("/bai-thi/{attempt}"), token.as_str()),
        (format!("/bang-xep-hang/{round}"), token.as_str()),
        ("/on-tap".into(), token.as_str()),
        ("/dang-nhap".into(), ""),
        ("/dang-ky".into(), ""),
        ("/quan-tri/cuoc-thi".into(), admin.as_str()),
        ("/quan-tri/cau-hoi".into(), admin.as_str()),
        ("/quan-tri/don-vi".into(), admin.as_str()),
        ("/quan-tri/doi-tuong".into(), admin.as_str()),
        ("/quan-tri/theo-doi".into(), admin.as_str()),
        ("/quan-tri/giai-thuong".into(), admin.as_str()),
        ("/quan-tri/bao-cao".into(), admin.as_str()),
        ("/quan-tri/sang-kien".into(), admin.as_str()),
        ("/sang-kien".into(), token.as_str()),
        (format!("/sang-kien/{initiative}"), token.as_str()),
        (format!("/sang-kien/{initiative}/nop-bai"), token.as_str()),
        (format!("/sang-kien/bai/{entry}"), token.as_str()),
    ];
    for (path, session) in &pages {
        let r = app
            .get(path, (!session.is_empty()).then_some(*session))
            .await;
        assert_eq!(r.status, 200, "{path}");
        let island = r.body.contains("<leptos-island");
        let script = r.body.contains("rel=\"modulepreload\"");
        assert_eq!(
            script, island,
            "{path}: the WASM is loaded iff the page has an island"
        );
        assert_eq!(
            cuocthi::app::page_has_islands(path),
            island,
            "{path}: the list of pages with islands"
        );
        if let Some(package) = cuocthi::app::package_of(path) {
            assert!(
                r.body.contains(&format!("/pkg/{package}.js\"")),
                "{path}: loads the package {package}"
            );
            // The quiz's own package holds no other island: every island on its pages is the quiz.
            let islands: Vec<&str> = r
                .body
                .split("<leptos-island data-component=\"")
                .skip(1)
                .filter_map(|rest| rest.split('"').next())
                .collect();
            assert!(!islands.is_empty(), "{path}: names its islands");
            if package == cuocthi::app::QUIZ_PACKAGE {
                assert!(
                    islands.iter().all(|c| c.contains("Quiz")),
                    "{path}: {islands:?}"
                );
            }
        }
        with_islands += usize::from(island);
    }
    assert_eq!(with_islands, 7, "the quiz, the board and five upload forms");
}

/// Each response carries its request's id (the same id is on every log line of the request),
/// so a reported problem can be found in the logs; ids never repeat.
async fn every_response_names_its_request(backend: Backend) {
    let app = spawn_app(backend).await;
    let token = app.participant("0911000029").await;
    let replies = [
        app.get("/", None).await,
        app.get("/khong-co-trang-nay", None).await,
        app.post_form(
            "/api/attempt/start",
            &[("round_id", "999999".into())],
            Some(&token),
        )
        .await,
        app.get("/quan-tri/xuat/thi-sinh.xlsx", Some(&token)).await,
    ];
    let ids: Vec<String> = replies
        .iter()
        .map(|r| {
            r.header("x-request-id")
                .expect("x-request-id on every response")
        })
        .collect();
    let distinct: std::collections::HashSet<&String> = ids.iter().collect();
    assert_eq!(distinct.len(), ids.len(), "{ids:?}");
}

async fn malformed_requests_get_clear_4xx(backend: Backend) {
    let app = spawn_app(backend).await;
    let token = app.participant("0911000020").await;
    let id = app.start(&token).await;

    let cases: Vec<(&str, &str, Vec<u8>)> = vec![
        (
            "/api/attempt/save",
            "application/json",
            b"{not json".to_vec(),
        ),
        (
            "/api/attempt/save",
            "application/json",
            br#"{"attempt_id":"x","seq":0,"choice":1}"#.to_vec(),
        ),
        (
            "/api/attempt/save",
            "application/json",
            br#"{"attempt_id":1}"#.to_vec(),
        ),
        (
            "/api/attempt/save",
            "application/json",
            format!(r#"{{"attempt_id":{id},"seq":-1,"choice":1}}"#).into_bytes(),
        ),
        (
            "/api/attempt/save",
            "application/json",
            format!(r#"{{"attempt_id":{id},"seq":0,"choice":300}}"#).into_bytes(),
        ),
        (
            "/api/attempt/start",
            "application/x-www-form-urlencoded",
            b"round_id=abc".to_vec(),
        ),
        (
            "/api/auth/login",
            "application/x-www-form-urlencoded",
            b"%%%".to_vec(),
        ),
    ];
    for (path, ct, body) in cases {
        let r = app.post_raw(path, ct, body.clone(), Some(&token)).await;
        assert_eq!(
            r.status,
            400,
            "{path} {:?}: {}",
            String::from_utf8_lossy(&body),
            r.body
        );
        assert!(
            r.body.contains("không hợp lệ") || r.body.contains("Thiếu"),
            "clear message: {}",
            r.body
        );
    }
    // Oversized body.
    let huge = vec![b'a'; 200 * 1024];
    let r = app
        .post_raw(
            "/api/auth/login",
            "application/x-www-form-urlencoded",
            huge,
            None,
        )
        .await;
    assert_eq!(r.status, 413, "{}", r.body);
    // An unknown endpoint (a short 404, see `edge`), and GET on a server function.
    assert_eq!(app.post_form("/api/khong-co", &[], None).await.status, 404);
    assert_eq!(app.get("/api/attempt/save", None).await.status, 405);
    // Nothing was written by any of that.
    let answers: i64 = app.count("SELECT COUNT(*) FROM answers").await;
    assert_eq!(answers, 0);
}

async fn cross_site_writes_are_refused(backend: Backend) {
    let app = spawn_app(backend).await;
    let token = app.participant("0911000021").await;
    let round = app.open_round_id().await;
    let url = app.url("/api/attempt/start");
    for (name, value) in [
        ("sec-fetch-site", "cross-site"),
        ("sec-fetch-site", "same-site"),
        ("origin", "https://evil.example"),
    ] {
        let r = app
            .client
            .post(&url)
            .header("cookie", format!("cuocthi_sid={token}"))
            .header(name, value)
            .form(&[("round_id", round.to_string())])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 403, "{name}: {value}");
    }
    let attempts: i64 = app.count("SELECT COUNT(*) FROM attempts").await;
    assert_eq!(attempts, 0);
    // The same request from the site itself goes through.
    let r = app
        .client
        .post(&url)
        .header("cookie", format!("cuocthi_sid={token}"))
        .header("sec-fetch-site", "same-origin")
        .header("origin", format!("http://{}", app.addr))
        .form(&[("round_id", round.to_string())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
}

async fn pages_render_in_vietnamese(backend: Backend) {
    let app = spawn_app(backend).await;
    let home = app.get("/", None).await;
    assert_eq!(home.status, 200);
    assert!(home
        .body
        .contains("Tìm hiểu về cải cách hành chính và chuyển đổi số"));
    assert!(home.body.contains("Thể lệ"));
    assert!(home.body.contains("lang=\"vi\""));
    let register = app.get("/dang-ky", None).await;
    assert!(register.body.contains("Đăng ký dự thi"));
    assert!(
        register.body.contains("Phòng Nội vụ") || register.body.contains("UBND"),
        "units listed"
    );
    // An XSS attempt in a name is rejected by validation; markup never comes back as markup.
    let r = app
        .register_with("<script>alert(1)</script> Nguyễn", "0911000022", "")
        .await;
    assert_eq!(r.status, 400);
}
