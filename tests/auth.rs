use crate::helpers::{spawn_app, Backend};
use crate::on_both_backends;

on_both_backends!(
    registration_reports_each_invalid_field,
    one_account_per_phone_and_citizen_id,
    login_renews_session_and_rejects_wrong_password,
    session_cookie_is_locked_down,
    logout_ends_the_session,
    excluded_people_are_kept_out,
);

async fn registration_reports_each_invalid_field(backend: Backend) {
    let app = spawn_app(backend).await;
    let r = app
        .post_form(
            "/api/auth/register",
            &[
                ("input[full_name]", "An".into()),
                ("input[birth_date]", "2020-01-01".into()),
                ("input[phone]", "12345".into()),
                ("input[citizen_id]", "123".into()),
                ("input[unit_id]", "".into()),
                ("input[password]", "short".into()),
            ],
            None,
        )
        .await;
    assert_eq!(r.status, 400, "{}", r.body);
    let body = r.json();
    assert_eq!(body["kind"], "invalid");
    let fields: Vec<&str> = body["detail"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        [
            "full_name",
            "birth_date",
            "phone",
            "citizen_id",
            "unit_id",
            "password"
        ]
    );
    // Messages are Vietnamese, and the minimum age comes from the contest (15).
    assert!(r.body.contains("15 tuổi"), "{}", r.body);
    assert!(r.body.contains("Số điện thoại"), "{}", r.body);
    assert!(r.session().is_none());

    // A unit that does not exist.
    let r = app
        .post_form(
            "/api/auth/register",
            &[
                ("input[full_name]", "Lê Thị Hoa".into()),
                ("input[birth_date]", "1995-02-03".into()),
                ("input[phone]", "0901234567".into()),
                ("input[citizen_id]", "".into()),
                ("input[unit_id]", "999999".into()),
                ("input[password]", "mat-khau-123".into()),
            ],
            None,
        )
        .await;
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["detail"][0]["field"], "unit_id");
    let users: i64 = app.count("SELECT COUNT(*) FROM users").await;
    assert_eq!(users, 0, "nothing half-written");
}

async fn one_account_per_phone_and_citizen_id(backend: Backend) {
    let app = spawn_app(backend).await;
    let first = app
        .register_with("Phạm Văn Đồng", "0912 345 678", "052090001234")
        .await;
    assert_eq!(first.status, 200, "{}", first.body);
    assert_eq!(first.json()["full_name"], "Phạm Văn Đồng");

    // The same phone written differently is the same person.
    let again = app.register_with("Phạm Văn Đồng", "+84912345678", "").await;
    assert_eq!(again.status, 400, "{}", again.body);
    assert_eq!(again.json()["detail"][0]["field"], "phone");
    assert!(again.body.contains("đã được đăng ký"));

    let same_id = app
        .register_with("Trần Thị Mai", "0987654321", "052090001234")
        .await;
    assert_eq!(same_id.status, 400, "{}", same_id.body);
    assert_eq!(same_id.json()["detail"][0]["field"], "citizen_id");

    let users: i64 = app.count("SELECT COUNT(*) FROM users").await;
    assert_eq!(users, 1);
}

async fn login_renews_session_and_rejects_wrong_password(backend: Backend) {
    let app = spawn_app(backend).await;
    let first = app.participant("0911111111").await;

    let wrong = app
        .post_form(
            "/api/auth/login",
            &[
                ("phone", "0911111111".into()),
                ("password", "sai-mat-khau".into()),
            ],
            None,
        )
        .await;
    assert_eq!(wrong.status, 403);
    assert!(wrong.body.contains("không đúng"));
    assert!(wrong.session().is_none());

    let unknown = app
        .post_form(
            "/api/auth/login",
            &[
                ("phone", "0922222222".into()),
                ("password", "mat-khau-123".into()),
            ],
            None,
        )
        .await;
    assert_eq!(
        unknown.status, 403,
        "same answer as a wrong password: {}",
        unknown.body
    );
    assert_eq!(unknown.body, wrong.body);

    let ok = app
        .post_form(
            "/api/auth/login",
            &[
                ("phone", "091 111 1111".into()),
                ("password", "mat-khau-123".into()),
            ],
            None,
        )
        .await;
    assert_eq!(ok.status, 200, "{}", ok.body);
    let second = ok.session().unwrap();
    assert_ne!(first, second, "a new token at every login");

    let me = app.post_form("/api/auth/me", &[], Some(&second)).await;
    assert_eq!(me.json()["full_name"], "Nguyễn Văn Thí");
    let anonymous = app
        .post_form("/api/auth/me", &[], Some("forged-token"))
        .await;
    assert_eq!(anonymous.json(), serde_json::Value::Null);
}

async fn session_cookie_is_locked_down(backend: Backend) {
    let app = spawn_app(backend).await;
    let r = app.register_with("Võ Thị Sáu", "0933333333", "").await;
    let cookie = r.set_cookie_header();
    for attr in ["HttpOnly", "Secure", "SameSite=Lax", "Path=/"] {
        assert!(cookie.contains(attr), "{attr} missing in {cookie}");
    }
    let token = r.session().unwrap();
    assert!(token.len() >= 43, "at least 256 bits");
    // Only a hash of the token is stored.
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sessions WHERE token_hash = $1")
        .bind(&token)
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
    assert_eq!(stored, 0);
    // Every response: no sniffing, no framing by another site, no URL leaked in Referer.
    let page = app.get("/", None).await;
    for (name, value) in [
        ("x-content-type-options", "nosniff"),
        ("x-frame-options", "DENY"),
        ("referrer-policy", "same-origin"),
    ] {
        assert_eq!(page.header(name).as_deref(), Some(value), "{name}");
        assert_eq!(
            r.header(name).as_deref(),
            Some(value),
            "{name} on a server function"
        );
    }
}

async fn logout_ends_the_session(backend: Backend) {
    let app = spawn_app(backend).await;
    let token = app.participant("0944444444").await;
    let r = app.post_form("/api/auth/logout", &[], Some(&token)).await;
    assert_eq!(r.status, 200);
    assert!(r.set_cookie_header().contains("Max-Age=0"));
    let me = app.post_form("/api/auth/me", &[], Some(&token)).await;
    assert_eq!(me.json(), serde_json::Value::Null);
}

async fn excluded_people_are_kept_out(backend: Backend) {
    let app = spawn_app(backend).await;
    // A member of the organizing committee (seeded list) cannot register, and is not told
    // why: anyone could type that phone number.
    let r = app.register_with("Trần Văn Tổ", "0900000001", "").await;
    assert_eq!(r.status, 403, "{}", r.body);
    assert!(
        r.body
            .contains("Không thể đăng ký dự thi với thông tin này"),
        "{}",
        r.body
    );
    assert!(!r.body.contains("thành viên Ban Tổ chức"), "{}", r.body);
    assert!(r.session().is_none());

    // Someone listed after registering can no longer start.
    let token = app.participant("0955555555").await;
    let mut conn = app.state.db.pool.acquire().await.unwrap();
    let person = cuocthi::server::repo::users::NewExclusion {
        full_name: "Nguyễn Văn Thí",
        phone: Some("0955555555"),
        citizen_id: None,
        birth_date: None,
        reason: "cán bộ kỹ thuật của hệ thống thi",
        created_at: 0,
    };
    cuocthi::server::repo::users::insert_exclusion(&mut conn, person)
        .await
        .unwrap();
    drop(conn);
    let r = app.try_start(&token).await;
    assert_eq!(r.status, 403, "{}", r.body);
    assert!(r.body.contains("cán bộ kỹ thuật"));
    let overview = app
        .post_form("/api/contest/overview", &[], Some(&token))
        .await
        .json();
    assert_eq!(overview["eligibility"][0]["can_start"], false);
    // Listed by citizen ID only: matched too.
    let r = app
        .register_with("Hồ Thị Lan", "0966666666", "079188000111")
        .await;
    assert_eq!(r.status, 200);
    let mut conn = app.state.db.pool.acquire().await.unwrap();
    let person = cuocthi::server::repo::users::NewExclusion {
        full_name: "Hồ Thị Lan",
        phone: None,
        citizen_id: Some("079188000111"),
        birth_date: None,
        reason: "thành viên Tổ Thư ký",
        created_at: 0,
    };
    cuocthi::server::repo::users::insert_exclusion(&mut conn, person)
        .await
        .unwrap();
    drop(conn);
    let token = r.session().unwrap();
    let r = app.try_start(&token).await;
    assert_eq!(r.status, 403, "{}", r.body);
    assert!(r.body.contains("Tổ Thư ký"));
}
