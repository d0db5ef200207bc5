//! Initiative contests (sáng kiến): submissions with files checked by content, access-checked
//! downloads, the jury's scores, combination and prizes, compliance, publication.
//! Long because it is one feature's scenarios, from submission to published results, over
//! shared upload and scoring helpers.

use chrono::Duration;
use cuocthi::domain::vntime::format_vn_local;
use reqwest::header::{CONTENT_DISPOSITION, COOKIE, LOCATION};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::helpers::{Backend, Reply, TestApp, PASSWORD};
use crate::on_both_backends;

pub(crate) const PDF: &[u8] =
    b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n";

pub(crate) fn docx() -> Vec<u8> {
    // Enough of a ZIP for the content check: the local header and the entry name.
    [
        b"PK\x03\x04\x14\x00\x00\x00".as_slice(),
        b"\x00\x00word/document.xml<w:document/>",
    ]
    .concat()
}

pub(crate) fn mp4() -> Vec<u8> {
    [
        b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom".as_slice(),
        &[0u8; 64],
    ]
    .concat()
}

/// Creates a contest (deadline in a day, results in two) and returns (admin, contest id).
pub(crate) async fn contest(
    app: &TestApp,
    rubric: &str,
    prizes: &str,
    requirements: &str,
) -> (String, i64) {
    let admin = app.staff("0916000001", "admin").await;
    let now = app.state.clock.now();
    let r = app
        .post_form(
            "/api/admin/initiatives/save",
            &[
                ("input[name]", "Sáng kiến cải cách hành chính 2024".into()),
                (
                    "input[topics]",
                    "Cải cách thủ tục hành chính\nChuyển đổi số".into(),
                ),
                ("input[rubric]", rubric.into()),
                ("input[prizes]", prizes.into()),
                ("input[requirements]", requirements.into()),
                ("input[deadline]", format_vn_local(now + Duration::days(1))),
                (
                    "input[results_at]",
                    format_vn_local(now + Duration::days(2)),
                ),
            ],
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    (admin, r.json().as_i64().unwrap())
}

pub(crate) async fn default_contest(app: &TestApp) -> (String, i64) {
    contest(app, "Tính mới: 10\nHiệu quả: 10", "Nhất:1, Nhì:1, Ba:1", "").await
}

/// A multipart submission as the form sends it; `video` is optional.
async fn submit(
    app: &TestApp,
    session: &str,
    contest: i64,
    title: &str,
    writeup: Option<(Vec<u8>, &str)>,
    video: Option<(Vec<u8>, &str)>,
) -> Reply {
    let files = [("writeup", writeup), ("video", video)]
        .into_iter()
        .filter_map(|(field, f)| f.map(|(bytes, name)| (field, bytes, name.to_string())))
        .collect();
    let text = [
        ("title", title),
        ("topic", "Chuyển đổi số"),
        ("lead_author", "Trần Thị Hoà"),
        ("co_authors", "Lê Văn An, Phạm Thị Bình"),
    ];
    upload(
        app,
        session,
        &format!("/sang-kien/{contest}/nop"),
        &text,
        files,
    )
    .await
}

/// A multipart form with text fields and files (field, bytes, file name), as a browser posts
/// it to `path`.
pub(crate) async fn upload(
    app: &TestApp,
    session: &str,
    path: &str,
    text: &[(&str, &str)],
    files: Vec<(&str, Vec<u8>, String)>,
) -> Reply {
    let mut form = reqwest::multipart::Form::new();
    for (name, value) in text {
        form = form.text(name.to_string(), value.to_string());
    }
    for (field, bytes, name) in files {
        form = form.part(
            field.to_string(),
            reqwest::multipart::Part::bytes(bytes)
                .file_name(name)
                // The browser's claim is ignored; only the content counts.
                .mime_str("application/pdf")
                .unwrap(),
        );
    }
    let res = app
        .client
        .post(app.url(path))
        .header(COOKIE, format!("cuocthi_sid={session}"))
        .multipart(form)
        .send()
        .await
        .expect("sent");
    Reply {
        status: res.status().as_u16(),
        headers: res.headers().clone(),
        body: res.text().await.unwrap_or_default(),
    }
}

/// The entry id from a successful submission's redirect, or the refusal (as JSON, carried to
/// the page in the flash cookie, never in the URL).
pub(crate) fn outcome(app: &TestApp, r: &Reply) -> Result<i64, String> {
    assert_eq!(r.status, 303, "{}", r.body);
    let location = r
        .headers
        .get(LOCATION)
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    assert!(!location.contains("loi"), "{location}");
    let query = location
        .split_once('?')
        .map(|(_, q)| q.split('#').next().unwrap_or(""))
        .unwrap_or("");
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect();
    if let Some((_, id)) = pairs.iter().find(|(k, _)| k == "nop") {
        return Ok(id.parse().unwrap());
    }
    Err(r.flash_error(app).expect("nop or an error").to_string())
}

pub(crate) async fn entry_of(app: &TestApp, session: &str, contest: i64, title: &str) -> i64 {
    let r = submit(
        app,
        session,
        contest,
        title,
        Some((PDF.to_vec(), "a.pdf")),
        None,
    )
    .await;
    outcome(app, &r).unwrap_or_else(|e| panic!("submission refused: {e}"))
}

pub(crate) fn upload_files(app: &TestApp) -> Vec<String> {
    let dir = &app.state.upload_dir;
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().to_string())
                .filter(|n| n != ".tmp")
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

pub(crate) fn temp_files(app: &TestApp) -> usize {
    std::fs::read_dir(app.state.upload_dir.join(".tmp"))
        .map(|d| d.count())
        .unwrap_or(0)
}

pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    format!("{:x}", Sha256::digest(bytes))
}

async fn score(app: &TestApp, session: &str, entry: i64, points: &[&str]) -> Reply {
    let mut fields = vec![("input[entry_id]".to_string(), entry.to_string())];
    for (i, p) in points.iter().enumerate() {
        fields.push((format!("input[points][{i}]"), p.to_string()));
    }
    let fields: Vec<(&str, String)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.clone()))
        .collect();
    app.post_form("/api/jury/initiatives/score", &fields, Some(session))
        .await
}

pub(crate) async fn admin_view(app: &TestApp, admin: &str, contest: i64) -> Value {
    let r = app
        .post_form(
            "/api/admin/initiatives/get",
            &[("id", contest.to_string())],
            Some(admin),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()["current"].clone()
}

async fn compute(app: &TestApp, admin: &str, contest: i64) -> Reply {
    app.post_form(
        "/api/admin/initiatives/compute",
        &[("id", contest.to_string())],
        Some(admin),
    )
    .await
}

async fn publish(app: &TestApp, admin: &str, contest: i64) -> Reply {
    app.post_form(
        "/api/admin/initiatives/publish",
        &[("id", contest.to_string())],
        Some(admin),
    )
    .await
}

async fn public_results(app: &TestApp, contest: i64) -> Value {
    let r = app
        .post_form("/api/initiatives/get", &[("id", contest.to_string())], None)
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()["results"].clone()
}

async fn submit_before_and_after_the_deadline(backend: Backend) {
    let app = crate::helpers::spawn_app(backend).await;
    let (admin, id) = default_contest(&app).await;
    let unit = app.participant("0916000101").await;

    let entry = entry_of(&app, &unit, id, "Một cửa số hoá hồ sơ").await;
    let (sha, size, kind, slot): (String, i64, String, String) = sqlx::query_as(
        "SELECT sha256, size_bytes, detected_type, slot FROM initiative_files WHERE entry_id = $1",
    )
    .bind(entry)
    .fetch_one(&app.state.db.pool)
    .await
    .unwrap();
    assert_eq!(sha, sha256_hex(PDF));
    assert_eq!(size, PDF.len() as i64);
    assert_eq!((kind.as_str(), slot.as_str()), ("pdf", "writeup"));
    let stored = std::fs::read(app.state.upload_dir.join(&sha)).expect("file on disk");
    assert_eq!(stored, PDF);
    let lead: String =
        sqlx::query_scalar("SELECT lead_author FROM initiative_entries WHERE id = $1")
            .bind(entry)
            .fetch_one(&app.state.db.pool)
            .await
            .unwrap();
    assert_eq!(lead, "Trần Thị Hoà");

    // Another site cannot make a signed-in browser submit.
    let cross = app
        .client
        .post(app.url(&format!("/sang-kien/{id}/nop")))
        .header(COOKIE, format!("cuocthi_sid={unit}"))
        .header("sec-fetch-site", "cross-site")
        .multipart(reqwest::multipart::Form::new().text("title", "X"))
        .send()
        .await
        .unwrap();
    assert_eq!(cross.status().as_u16(), 403);
    // The committee's accounts do not submit for a unit.
    let refused = outcome(
        &app,
        &submit(&app, &admin, id, "X", Some((PDF.to_vec(), "a.pdf")), None).await,
    );
    assert!(refused.unwrap_err().contains("forbidden"));

    // One second past the deadline: refused, and nothing is stored.
    app.state
        .clock
        .advance(Duration::days(1) + Duration::seconds(1));
    let late = submit(
        &app,
        &unit,
        id,
        "Muộn",
        Some((b"%PDF-1.7 other".to_vec(), "b.pdf")),
        None,
    )
    .await;
    let err = outcome(&app, &late).unwrap_err();
    assert!(err.contains("hết hạn"), "{err}");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM initiative_entries").await,
        1
    );
    assert_eq!(upload_files(&app), vec![sha]);
    assert_eq!(temp_files(&app), 0);
}

async fn files_are_checked_by_content_and_size(backend: Backend) {
    let app = crate::helpers::spawn_app(backend).await;
    let (_, id) = default_contest(&app).await;
    let unit = app.participant("0916000201").await;

    // An executable named .pdf and sent as application/pdf.
    let exe = submit(
        &app,
        &unit,
        id,
        "Giả",
        Some((b"MZ\x90\x00\x03 not a pdf".to_vec(), "x.pdf")),
        None,
    )
    .await;
    assert!(outcome(&app, &exe).unwrap_err().contains("PDF hoặc Word"));
    // An image is not a write-up; a PDF is not a video.
    let png = submit(
        &app,
        &unit,
        id,
        "Ảnh",
        Some((b"\x89PNG\r\n\x1a\n0000".to_vec(), "x.docx")),
        None,
    )
    .await;
    assert!(outcome(&app, &png).unwrap_err().contains("PDF hoặc Word"));
    let bad_video = submit(
        &app,
        &unit,
        id,
        "Kèm",
        Some((PDF.to_vec(), "a.pdf")),
        Some((PDF.to_vec(), "v.mp4")),
    )
    .await;
    let refusal = outcome(&app, &bad_video).unwrap_err();
    assert!(
        refusal.contains("“v.mp4”") && refusal.contains("MP4") && refusal.contains("tệp PDF"),
        "{refusal}"
    );
    // A ZIP that is not a Word document.
    let zip = [b"PK\x03\x04".as_slice(), b"xl/workbook.xml"].concat();
    let xlsx = submit(&app, &unit, id, "Bảng", Some((zip, "x.docx")), None).await;
    assert!(outcome(&app, &xlsx).unwrap_err().contains("PDF hoặc Word"));
    // No write-up at all.
    let none = submit(&app, &unit, id, "Trống", None, None).await;
    assert!(outcome(&app, &none).unwrap_err().contains("thuyết minh"));
    // One byte over 20 MB.
    let mut big = b"%PDF-1.4\n".to_vec();
    big.resize(20 * 1024 * 1024 + 1, b' ');
    let too_big = submit(&app, &unit, id, "Lớn", Some((big, "big.pdf")), None).await;
    assert!(outcome(&app, &too_big).unwrap_err().contains("20 MB"));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM initiative_entries").await,
        0
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM initiative_files").await, 0);
    assert!(upload_files(&app).is_empty(), "{:?}", upload_files(&app));
    assert_eq!(temp_files(&app), 0);

    // A Word write-up with a video: both stored, typed by content.
    let ok = submit(
        &app,
        &unit,
        id,
        "Có video",
        Some((docx(), "thuyet-minh.docx")),
        Some((mp4(), "clip.mp4")),
    )
    .await;
    let entry = outcome(&app, &ok).unwrap();
    let kinds: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT slot, detected_type, sha256 FROM initiative_files WHERE entry_id = $1 ORDER BY slot",
    )
    .bind(entry)
    .fetch_all(&app.state.db.pool)
    .await
    .unwrap();
    assert_eq!(
        kinds,
        vec![
            ("video".into(), "mp4".into(), sha256_hex(&mp4())),
            ("writeup".into(), "docx".into(), sha256_hex(&docx())),
        ]
    );
    let mut want = vec![sha256_hex(&mp4()), sha256_hex(&docx())];
    want.sort();
    assert_eq!(upload_files(&app), want);
}

async fn downloads_are_access_checked(backend: Backend) {
    let app = crate::helpers::spawn_app(backend).await;
    let (admin, id) = default_contest(&app).await;
    let author = app.participant("0916000301").await;
    let other = app.participant("0916000302").await;
    let juror = app.staff("0916000303", "juror").await;
    let secretary = app.staff("0916000304", "secretary").await;
    let entry = entry_of(&app, &author, id, "Tra cứu hồ sơ qua Zalo").await;
    let file: i64 = sqlx::query_scalar("SELECT id FROM initiative_files WHERE entry_id = $1")
        .bind(entry)
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
    let path = format!("/sang-kien/tep/{file}");

    let mine = app.get(&path, Some(&author)).await;
    assert_eq!(mine.status, 200);
    assert_eq!(mine.body.as_bytes(), PDF);
    assert_eq!(
        mine.header("content-type").as_deref(),
        Some("application/pdf")
    );
    assert!(mine
        .header(CONTENT_DISPOSITION.as_str())
        .unwrap()
        .starts_with("attachment;"));
    assert_eq!(
        mine.header("x-content-type-options").as_deref(),
        Some("nosniff")
    );
    assert_eq!(app.get(&path, Some(&juror)).await.status, 200);
    assert_eq!(app.get(&path, Some(&admin)).await.status, 200);
    // Someone who may not see a file is told what a missing file tells: nothing about which
    // ids are in use.
    let missing = app.get("/sang-kien/tep/999999", Some(&admin)).await;
    assert_eq!(missing.status, 404);
    for who in [Some(other.as_str()), Some(secretary.as_str()), None] {
        let r = app.get(&path, who).await;
        assert_eq!((r.status, r.body.as_str()), (404, missing.body.as_str()));
    }

    // Scored, computed and published: public from the results time, not before.
    assert_eq!(score(&app, &juror, entry, &["8", "7"]).await.status, 200);
    app.state
        .clock
        .advance(Duration::days(1) + Duration::minutes(1));
    assert_eq!(compute(&app, &admin, id).await.status, 200);
    assert_eq!(publish(&app, &admin, id).await.status, 200);
    assert_eq!(app.get(&path, Some(&other)).await.status, 404);
    assert_eq!(app.get(&path, None).await.status, 404);
    app.state.clock.advance(Duration::days(1));
    assert_eq!(app.get(&path, Some(&other)).await.status, 200);
    assert_eq!(app.get(&path, None).await.status, 200);
}

async fn scores_are_validated_and_private_to_each_juror(backend: Backend) {
    let app = crate::helpers::spawn_app(backend).await;
    let (_, id) = default_contest(&app).await;
    let unit = app.participant("0916000401").await;
    let juror = app.staff("0916000402", "juror").await;
    let juror2 = app.staff("0916000403", "juror").await;
    let entry = entry_of(&app, &unit, id, "Bản đồ số thủ tục").await;

    let over = score(&app, &juror, entry, &["11", "5"]).await;
    assert_eq!(over.status, 400, "{}", over.body);
    assert!(over.body.contains("từ 0 đến 10"), "{}", over.body);
    assert_eq!(score(&app, &juror, entry, &["5"]).await.status, 400);
    assert_eq!(score(&app, &juror, entry, &["-1", "5"]).await.status, 400);
    assert_eq!(score(&app, &unit, entry, &["5", "5"]).await.status, 403);
    assert_eq!(score(&app, &juror, 999_999, &["5", "5"]).await.status, 404);
    assert_eq!(app.count("SELECT COUNT(*) FROM initiative_scores").await, 0);
    assert_eq!(score(&app, &juror, entry, &["10", "0"]).await.status, 200);
    // Scoring again replaces the juror's points.
    assert_eq!(score(&app, &juror, entry, &["9", "4"]).await.status, 200);
    assert_eq!(app.count("SELECT COUNT(*) FROM initiative_scores").await, 2);

    let view = |s: String| {
        let app = &app;
        async move {
            let r = app
                .post_form(
                    "/api/jury/initiatives/get",
                    &[("id", id.to_string())],
                    Some(&s),
                )
                .await;
            assert_eq!(r.status, 200, "{}", r.body);
            r.json()["entries"][0]["my_points"].clone()
        }
    };
    assert_eq!(view(juror.clone()).await, serde_json::json!([9, 4]));
    assert_eq!(view(juror2.clone()).await, Value::Null);
    // The jury's writes are in the audit log, with the juror; reading their page is not.
    let juror_id = app
        .count("SELECT id FROM users WHERE phone = '0916000402'")
        .await;
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM audit_log WHERE action = '/api/jury/initiatives/score' \
             AND status = 200 AND user_id = {juror_id}"
        ))
        .await,
        2
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = '/api/jury/initiatives/get'")
            .await,
        0
    );
    // Participants never see the jury's page.
    let r = app
        .post_form(
            "/api/jury/initiatives/get",
            &[("id", id.to_string())],
            Some(&unit),
        )
        .await;
    assert_eq!(r.status, 403);
}

async fn scores_combine_into_prizes_and_ties_share_one(backend: Backend) {
    let app = crate::helpers::spawn_app(backend).await;
    let (admin, id) = default_contest(&app).await;
    let j1 = app.staff("0916000501", "juror").await;
    let j2 = app.staff("0916000502", "juror").await;
    let mut entries = Vec::new();
    for (i, title) in ["A", "B", "C", "D", "E"].iter().enumerate() {
        let s = app.participant(&format!("091600051{i}")).await;
        entries.push(entry_of(&app, &s, id, title).await);
    }
    let (a, b, c, d, e) = (entries[0], entries[1], entries[2], entries[3], entries[4]);
    // Means of the jurors' totals: A 18, B 13 (6.5 + 6.5), C 13 (same as B), D 12,
    // E 13 (8 + 5): E beats B and C on the first criterion; B and C stay tied.
    for (entry, p1, p2) in [
        (a, ["10", "10"], ["8", "8"]),
        (b, ["6", "6"], ["7", "7"]),
        (c, ["7", "7"], ["6", "6"]),
        (d, ["7", "5"], ["7", "5"]),
        (e, ["8", "5"], ["8", "5"]),
    ] {
        assert_eq!(score(&app, &j1, entry, &p1).await.status, 200);
        assert_eq!(score(&app, &j2, entry, &p2).await.status, 200);
    }
    // Not before the deadline; nothing to publish before computing.
    assert_eq!(compute(&app, &admin, id).await.status, 409);
    assert_eq!(publish(&app, &admin, id).await.status, 409);
    app.state
        .clock
        .advance(Duration::days(1) + Duration::seconds(1));
    // Only the committee computes.
    assert_eq!(compute(&app, &j1, id).await.status, 403);
    let r = compute(&app, &admin, id).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json(), 4);
    let v = admin_view(&app, &admin, id).await;
    let got: Vec<(i64, i64, String, String)> = v["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["entry"]["id"].as_i64().unwrap(),
                r["rank"].as_i64().unwrap(),
                r["prize"].as_str().unwrap().to_string(),
                r["score"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (a, 1, "Nhất".into(), "18,00".into()),
            (e, 2, "Nhì".into(), "13,00".into()),
            (b, 3, "Ba".into(), "13,00".into()),
            (c, 3, "Ba".into(), "13,00".into()),
        ]
    );
    let d_row = v["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["entry"]["id"] == d)
        .unwrap()
        .clone();
    assert_eq!(
        (d_row["jurors"].as_i64(), d_row["combined"].as_str()),
        (Some(2), Some("12,00"))
    );

    // A juror changing a score after the computation sets the prizes aside.
    assert_eq!(score(&app, &j1, d, &["10", "10"]).await.status, 200);
    assert_eq!(publish(&app, &admin, id).await.status, 409);
    assert_eq!(app.count("SELECT COUNT(*) FROM initiative_awards").await, 0);
    assert_eq!(compute(&app, &admin, id).await.status, 200);
    // D now has (20 + 12) / 2 = 16: second; E, B, C follow.
    let v = admin_view(&app, &admin, id).await;
    let order: Vec<i64> = v["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["entry"]["id"].as_i64().unwrap())
        .collect();
    assert_eq!(order, vec![a, d, e]);
}

async fn compliance_lists_mandatory_units_short_of_entries(backend: Backend) {
    let app = crate::helpers::spawn_app(backend).await;
    let (admin, id) = contest(&app, "Chất lượng: 100", "Nhất:1", "school:2").await;
    let schools: Vec<(i64, String)> =
        sqlx::query_as("SELECT id, name FROM units WHERE kind = 'school' ORDER BY code")
            .fetch_all(&app.state.db.pool)
            .await
            .unwrap();
    assert!(!schools.is_empty(), "the demo has schools");
    let short = |v: &Value| -> Vec<(String, u64, u64)> {
        v["shortfalls"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                (
                    s["unit_name"].as_str().unwrap().to_string(),
                    s["submitted"].as_u64().unwrap(),
                    s["required"].as_u64().unwrap(),
                )
            })
            .collect()
    };
    let v = admin_view(&app, &admin, id).await;
    assert_eq!(short(&v).len(), schools.len());
    assert!(short(&v).iter().all(|(_, n, req)| *n == 0 && *req == 2));

    // A school's teacher submits once (still short), then twice (no longer listed).
    let (school_id, school_name) = schools[0].clone();
    let r = app
        .post_form(
            "/api/auth/register",
            &[
                ("input[full_name]", "Võ Thị Giáo".into()),
                ("input[birth_date]", "1985-09-05".into()),
                ("input[phone]", "0916000601".into()),
                ("input[citizen_id]", "".into()),
                ("input[unit_id]", school_id.to_string()),
                ("input[password]", PASSWORD.into()),
            ],
            None,
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let teacher = r.session().unwrap();
    entry_of(&app, &teacher, id, "Sổ liên lạc điện tử").await;
    let v = admin_view(&app, &admin, id).await;
    assert!(short(&v).contains(&(school_name.clone(), 1, 2)));
    entry_of(&app, &teacher, id, "Tuyển sinh trực tuyến").await;
    let v = admin_view(&app, &admin, id).await;
    assert_eq!(short(&v).len(), schools.len() - 1);
    assert!(!short(&v).iter().any(|(n, _, _)| *n == school_name));
    // A unit of a kind with no requirement is never listed, whatever it submits.
    let other = app.participant("0916000602").await;
    entry_of(&app, &other, id, "Khác").await;
    assert_eq!(
        short(&admin_view(&app, &admin, id).await).len(),
        schools.len() - 1
    );
    // Only the committee sees it.
    let r = app
        .post_form(
            "/api/admin/initiatives/get",
            &[("id", id.to_string())],
            Some(&teacher),
        )
        .await;
    assert_eq!(r.status, 403);
}

async fn results_are_public_once_published_and_due(backend: Backend) {
    let app = crate::helpers::spawn_app(backend).await;
    let (admin, id) = default_contest(&app).await;
    let unit = app.participant("0916000701").await;
    let juror = app.staff("0916000702", "juror").await;
    let entry = entry_of(&app, &unit, id, "Chữ ký số cho người dân").await;
    assert_eq!(score(&app, &juror, entry, &["9", "9"]).await.status, 200);
    app.state
        .clock
        .advance(Duration::days(1) + Duration::minutes(5));
    assert_eq!(compute(&app, &admin, id).await.status, 200);
    assert_eq!(public_results(&app, id).await, Value::Null);
    assert_eq!(publish(&app, &admin, id).await.status, 200);
    // Published, but the results time has not come.
    assert_eq!(public_results(&app, id).await, Value::Null);
    // Nothing changes after publication.
    assert_eq!(publish(&app, &admin, id).await.status, 409);
    assert_eq!(compute(&app, &admin, id).await.status, 409);
    assert_eq!(score(&app, &juror, entry, &["1", "1"]).await.status, 409);
    app.state.clock.advance(Duration::days(1));
    let results = public_results(&app, id).await;
    let first = &results[0];
    assert_eq!(first["prize"], "Nhất");
    assert_eq!(first["entry"]["lead_author"], "Trần Thị Hoà");
    assert_eq!(first["score"], "18,00");
    let page = app.get(&format!("/sang-kien/{id}"), None).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Chữ ký số cho người dân"));
    assert!(page.body.contains("Kết quả"));
}

on_both_backends!(
    submit_before_and_after_the_deadline,
    files_are_checked_by_content_and_size,
    downloads_are_access_checked,
    scores_are_validated_and_private_to_each_juror,
    scores_combine_into_prizes_and_ties_share_one,
    compliance_lists_mandatory_units_short_of_entries,
    results_are_public_once_published_and_due,
);
