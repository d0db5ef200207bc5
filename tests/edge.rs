//! The hardened edge, part of the security suite: no attacker-chosen text on the site's pages,
//! the lockout an owner always gets through, the headers, unknown paths and files.

use reqwest::header::COOKIE;

use crate::helpers::{location, spawn_app, Backend, PASSWORD};
use crate::on_both_backends;

on_both_backends!(no_link_puts_text_on_the_site,);

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
