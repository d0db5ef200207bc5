use crate::helpers::{spawn_app, Backend, TestApp};
use crate::on_both_backends;

on_both_backends!(
    organizer_functions_refuse_participants_and_anonymous,
    questions_go_through_review_before_use,
    import_is_all_or_nothing_with_row_errors,
    bank_search_ignores_diacritics,
    a_revision_replaces_a_used_question_without_changing_old_scores,
    import_from_an_uploaded_file,
);

pub(crate) fn draft(text: &str) -> Vec<(&'static str, String)> {
    vec![
        ("input[topic]", "PAR Index".into()),
        ("input[difficulty]", "2".into()),
        ("input[text]", text.into()),
        ("input[options][0]", "Bộ Nội vụ".into()),
        ("input[options][1]", "Bộ Tư pháp".into()),
        ("input[options][2]", "Văn phòng Chính phủ".into()),
        ("input[correct]", "A".into()),
        ("input[explanation]", "Bộ Nội vụ chủ trì.".into()),
        ("input[reference]", "Quyết định số 876/QĐ-BNV".into()),
    ]
}

async fn approved_count(app: &TestApp) -> i64 {
    app.count("SELECT COUNT(*) FROM questions WHERE status = 'approved'")
        .await
}

async fn organizer_functions_refuse_participants_and_anonymous(backend: Backend) {
    let app = spawn_app(backend).await;
    let participant = app.participant("0912000001").await;
    let calls: Vec<(&str, Vec<(&str, String)>)> = vec![
        ("/api/admin/bank/list", vec![]),
        ("/api/admin/bank/create", draft("Câu hỏi thử quyền?")),
        (
            "/api/admin/bank/transition",
            vec![("question_id", "1".into()), ("action", "retire".into())],
        ),
        (
            "/api/admin/bank/import",
            vec![("csv", "Chủ đề,Câu hỏi\n".into())],
        ),
    ];
    for (path, fields) in &calls {
        let anon = app.post_form(path, fields, None).await;
        assert_eq!(anon.status, 401, "{path} anonymous: {}", anon.body);
        let r = app.post_form(path, fields, Some(&participant)).await;
        assert_eq!(r.status, 403, "{path} participant: {}", r.body);
    }
    // A secretary may look but not change.
    let secretary = app.staff("0912000002", "secretary").await;
    assert_eq!(
        app.post_form("/api/admin/bank/list", &[], Some(&secretary))
            .await
            .status,
        200
    );
    for (path, fields) in &calls[1..] {
        assert_eq!(
            app.post_form(path, fields, Some(&secretary)).await.status,
            403,
            "{path} secretary"
        );
    }
    let questions: i64 = app.count("SELECT COUNT(*) FROM questions").await;
    assert_eq!(questions, 48, "nothing changed");
    // Organizer pages are not for participants either.
    let page = app.get("/quan-tri/cau-hoi", Some(&participant)).await;
    assert!(page.body.contains("không có quyền"));
}

async fn questions_go_through_review_before_use(backend: Backend) {
    let app = spawn_app(backend).await;
    let author = app.staff("0912000011", "author").await;
    let reviewer = app.staff("0912000012", "reviewer").await;
    let before = approved_count(&app).await;

    let r = app
        .post_form(
            "/api/admin/bank/create",
            &draft("Ai chủ trì xác định Chỉ số PAR Index?"),
            Some(&author),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let id = r.json().as_i64().unwrap();
    let step = |action: &'static str, comment: &'static str, token: &'static str| {
        let app = &app;
        let token = if token == "author" {
            author.clone()
        } else {
            reviewer.clone()
        };
        async move {
            app.post_form(
                "/api/admin/bank/transition",
                &[
                    ("question_id", id.to_string()),
                    ("action", action.into()),
                    ("comment", comment.into()),
                ],
                Some(&token),
            )
            .await
        }
    };
    // A draft cannot be approved; a reviewer cannot submit; an author cannot approve.
    assert_eq!(step("approve", "", "reviewer").await.status, 403);
    assert_eq!(step("submit", "", "reviewer").await.status, 403);
    assert_eq!(step("submit", "", "author").await.json(), "in_review");
    assert_eq!(step("approve", "", "author").await.status, 403);
    // Returning needs a comment, which the author then sees.
    let r = step("return", "", "reviewer").await;
    assert_eq!(r.status, 403);
    assert!(r.body.contains("nhận xét"));
    assert_eq!(
        step("return", "Bổ sung căn cứ pháp lý", "reviewer")
            .await
            .json(),
        "draft"
    );
    let list = app
        .post_form(
            "/api/admin/bank/list",
            &[("status", "draft".into())],
            Some(&author),
        )
        .await
        .json();
    assert_eq!(
        list["questions"][0]["review_comment"],
        "Bổ sung căn cứ pháp lý"
    );
    assert_eq!(
        approved_count(&app).await,
        before,
        "not drawable while in review"
    );

    assert_eq!(step("submit", "", "author").await.json(), "in_review");
    assert_eq!(step("approve", "", "reviewer").await.json(), "approved");
    assert_eq!(approved_count(&app).await, before + 1);
    // Approving twice is refused with the current state named.
    let again = step("approve", "", "reviewer").await;
    assert_eq!(again.status, 403);
    assert!(again.body.contains("Đã duyệt"));

    // Invalid drafts are refused field by field.
    let mut bad = draft("");
    bad[6].1 = "E".into();
    let r = app
        .post_form("/api/admin/bank/create", &bad, Some(&author))
        .await;
    assert_eq!(r.status, 400);
    let fields: Vec<String> = r.json()["detail"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(fields, ["text", "correct"]);
}

const HEADER: &str = "Chủ đề,Mức độ,Câu hỏi,Phương án A,Phương án B,Phương án C,Phương án D,Đáp án,Giải thích,Căn cứ\n";

async fn import_is_all_or_nothing_with_row_errors(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.staff("0912000021", "admin").await;
    let before: i64 = app.count("SELECT COUNT(*) FROM questions").await;
    // The first question is written in decomposed Unicode (NFD), as some editors save it.
    let nfd_text =
        "Ca\u{309}i ca\u{301}ch thu\u{309} tu\u{323}c ha\u{300}nh chi\u{301}nh nhằm mục tiêu gì?";
    let bad = format!(
        "{HEADER}\
         Cải cách hành chính,1,{nfd_text},Giảm phiền hà cho người dân,Tăng giấy tờ,Kéo dài thời gian,Không mục tiêu,A,,\n\
         PAR Index,2,Câu hỏi thiếu đáp án?,Một,Hai,Ba,Bốn,,,\n\
         Chủ đề lạ,1,Câu hỏi có chủ đề lạ?,Một,Hai,,,B,,\n\
         PAPI,1,Câu hỏi hai đáp án?,Một,Hai,Ba,,\"A,B\",,\n\
         PAPI,1,CẢI CÁCH THỦ TỤC HÀNH CHÍNH NHẰM MỤC TIÊU GÌ?,X,Y,,,A,,\n"
    );
    let r = app
        .post_form("/api/admin/bank/import", &[("csv", bad)], Some(&admin))
        .await;
    assert_eq!(r.status, 400, "{}", r.body);
    let body = r.json();
    assert_eq!(body["kind"], "import_rejected");
    let errors: Vec<(u64, String)> = body["detail"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["row"].as_u64().unwrap(),
                e["column"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        errors,
        [
            (3, "Đáp án".into()),
            (4, "Chủ đề".into()),
            (5, "Đáp án".into()),
            (6, "Câu hỏi".into())
        ],
        "{body}"
    );
    assert!(
        r.body.contains("trùng với dòng 2"),
        "duplicate found across case and Unicode forms"
    );
    let after: i64 = app.count("SELECT COUNT(*) FROM questions").await;
    assert_eq!(after, before, "nothing imported");

    // Fixed file: everything goes in, Vietnamese stored in NFC.
    let good = format!(
        "{HEADER}\
         Cải cách hành chính,1,{nfd_text},Giảm phiền hà cho người dân,Tăng giấy tờ,Kéo dài thời gian,Không mục tiêu,A,,\n\
         PAR Index,2,Câu hỏi đủ đáp án?,Một,Hai,Ba,Bốn,D,,\n"
    );
    let r = app
        .post_form(
            "/api/admin/bank/import",
            &[("csv", good.clone())],
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["imported"], 2);
    let stored = |text: &'static str| {
        let pool = app.state.db.pool.clone();
        async move {
            sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM questions WHERE text = $1")
                .bind(text)
                .fetch_one(&pool)
                .await
                .unwrap()
        }
    };
    assert_eq!(
        stored("Cải cách thủ tục hành chính nhằm mục tiêu gì?").await,
        1,
        "stored in NFC"
    );
    assert_eq!(
        stored(nfd_text).await,
        0,
        "not in the decomposed form it arrived in"
    );
    // Importing the same file again finds the duplicates in the bank.
    let r = app
        .post_form("/api/admin/bank/import", &[("csv", good)], Some(&admin))
        .await;
    assert_eq!(r.status, 400);
    assert!(r.body.contains("đã có trong ngân hàng"));
    // A file without the required columns says which.
    let r = app
        .post_form(
            "/api/admin/bank/import",
            &[("csv", "Câu hỏi,Đáp án\nX,A\n".into())],
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, 400);
    assert!(r.body.contains("Thiếu cột “Chủ đề”"));
    // The template downloads and imports cleanly after its example is removed from the bank's way.
    let template = app.get("/quan-tri/mau-nhap-cau-hoi.csv", None).await;
    assert_eq!(template.status, 200);
    assert!(template.body.contains("Phương án A"));
    // A whole bank is bigger than a participant's request may be: 400 questions, ~80 KB.
    let mut big = String::from(HEADER);
    for i in 0..400 {
        big.push_str(&format!(
            "PCI,2,Câu hỏi số {i} về chỉ số năng lực cạnh tranh cấp tỉnh có nội dung đủ dài để đo kích thước?,Phương án một,Phương án hai,Phương án ba,Phương án bốn,C,,\n"
        ));
    }
    assert!(big.len() > 64 * 1024);
    let r = app
        .post_form("/api/admin/bank/import", &[("csv", big)], Some(&admin))
        .await;
    assert_eq!(r.status, 200, "{}", &r.body[..r.body.len().min(300)]);
    assert_eq!(r.json()["imported"], 400);
    // Without JavaScript, the errors come back to the page.
    let bad = format!("{HEADER}PAR Index,1,Thiếu đáp án?,Một,Hai,,,,,\n");
    let r = app
        .post_html_form("/api/admin/bank/import", &[("csv", bad)], Some(&admin))
        .await;
    assert_eq!(r.status, 302);
    let page = app.follow(&r, Some(&admin)).await;
    assert!(
        page.body.contains("data-testid=\"import-errors\""),
        "row errors shown on the page"
    );
    assert!(page.body.contains("Thiếu đáp án đúng."));
}

async fn bank_search_ignores_diacritics(backend: Backend) {
    let app = spawn_app(backend).await;
    let secretary = app.staff("0912000031", "secretary").await;
    let all = app
        .post_form("/api/admin/bank/list", &[], Some(&secretary))
        .await
        .json();
    // One page at a time: 48 questions, 25 a page.
    assert_eq!(all["matching"], 48);
    assert_eq!(
        (all["page"].as_u64(), all["pages"].as_u64()),
        (Some(1), Some(2))
    );
    assert_eq!(all["questions"].as_array().unwrap().len(), 25);
    let second = app
        .post_form(
            "/api/admin/bank/list",
            &[("page", "2".into())],
            Some(&secretary),
        )
        .await
        .json();
    assert_eq!(second["questions"].as_array().unwrap().len(), 23);
    let first_ids: Vec<&serde_json::Value> = all["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| &q["id"])
        .collect();
    assert!(second["questions"]
        .as_array()
        .unwrap()
        .iter()
        .all(|q| !first_ids.contains(&&q["id"])));
    // Filtered by topic and difficulty.
    let topic = all["topics"][0].as_str().unwrap().to_string();
    let narrowed = app
        .post_form(
            "/api/admin/bank/list",
            &[("topic", topic.clone()), ("difficulty", "1".into())],
            Some(&secretary),
        )
        .await
        .json();
    let narrowed = narrowed["questions"].as_array().unwrap();
    assert!(!narrowed.is_empty());
    assert!(narrowed
        .iter()
        .all(|q| q["topic"] == topic.as_str() && q["difficulty"] == 1));
    let found = app
        .post_form(
            "/api/admin/bank/list",
            &[("q", "de an 06".into())],
            Some(&secretary),
        )
        .await
        .json();
    let found = found["questions"].as_array().unwrap();
    assert!(!found.is_empty());
    assert!(found.len() < 48);
    assert!(found.iter().all(|q| {
        let t = format!("{} {}", q["text"], q["topic"]).to_lowercase();
        t.contains("đề án 06")
    }));
}

async fn a_revision_replaces_a_used_question_without_changing_old_scores(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.staff("0912000041", "admin").await;
    let player = app.participant("0912000042").await;
    let attempt = app.start(&player).await;
    let key = app.answer_key(attempt).await;
    for (seq, choice) in key.iter().enumerate() {
        app.save(attempt, seq as u32, Some(*choice), &player).await;
    }
    // The first question of that attempt is revised (new text, another correct option) and approved.
    let used: i64 = sqlx::query_scalar(
        "SELECT question_id FROM attempt_questions WHERE attempt_id = $1 AND seq = 0",
    )
    .bind(attempt)
    .fetch_one(&app.state.db.pool)
    .await
    .unwrap();
    let mut revised = draft("Câu hỏi đã được sửa đổi?");
    revised[6].1 = "B".into();
    revised.push(("revision_of", used.to_string()));
    let r = app
        .post_form("/api/admin/bank/create", &revised, Some(&admin))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let new_id = r.json().as_i64().unwrap();
    for action in ["submit", "approve"] {
        let r = app
            .post_form(
                "/api/admin/bank/transition",
                &[
                    ("question_id", new_id.to_string()),
                    ("action", action.into()),
                ],
                Some(&admin),
            )
            .await;
        assert_eq!(r.status, 200, "{action}: {}", r.body);
    }
    let old_status: String = sqlx::query_scalar("SELECT status FROM questions WHERE id = $1")
        .bind(used)
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
    assert_eq!(old_status, "retired");
    // The attempt that saw the old question still scores against it: all 20 right.
    let result = app.submit(attempt, &player).await.json();
    assert_eq!(result["correct"], 20, "{result}");
}

async fn upload(app: &TestApp, content: &str, token: Option<&str>) -> crate::helpers::Reply {
    app.upload_file(
        "/quan-tri/nhap-cau-hoi",
        content.as_bytes().to_vec(),
        "cau-hoi.csv",
        token,
    )
    .await
}

async fn import_from_an_uploaded_file(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.staff("0912000051", "admin").await;
    let before: i64 = app.count("SELECT COUNT(*) FROM questions").await;
    let bad =
        format!("{HEADER}PAR Index,1,Câu một?,A1,B1,,,A,,\nPAR Index,1,Câu hai?,A2,B2,,,,,\n");
    let r = upload(&app, &bad, Some(&admin)).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let location = r.headers["location"].to_str().unwrap().to_string();
    assert!(
        location.starts_with("/quan-tri/cau-hoi?loi_nhap="),
        "{location}"
    );
    let page = app.get(&location, Some(&admin)).await;
    assert!(page.body.contains("data-testid=\"import-error\""));
    assert!(page.body.contains("Thiếu đáp án đúng."));
    let after: i64 = app.count("SELECT COUNT(*) FROM questions").await;
    assert_eq!(after, before, "nothing imported");

    // Many refused rows: the redirect stays small (proxies refuse large headers) and the page
    // still lists every error, for the person who imported only.
    let many: String = std::iter::once(HEADER.to_string())
        .chain(
            (0..80).map(|i| format!("PAR Index,1,Câu số {i} về cải cách hành chính?,A,B,,,,,\n")),
        )
        .collect();
    let r = upload(&app, &many, Some(&admin)).await;
    let location = r.headers["location"].to_str().unwrap().to_string();
    assert!(location.len() < 200, "{} bytes: {location}", location.len());
    let page = app.get(&location, Some(&admin)).await;
    // 50 rows, then how many more.
    assert_eq!(
        page.body.matches("data-testid=\"import-error\"").count(),
        51
    );
    assert!(page.body.contains("Còn 30 lỗi khác."));
    let other_admin = app.staff("0912000053", "admin").await;
    let page = app.get(&location, Some(&other_admin)).await;
    assert!(
        !page.body.contains("data-testid=\"import-error\""),
        "someone else's errors"
    );

    let good = bad.replace(",,,,,\n", ",,,B,,\n");
    let r = upload(&app, &good, Some(&admin)).await;
    assert_eq!(r.headers["location"], "/quan-tri/cau-hoi?nhap=2");
    // Not UTF-8 (a legacy Windows encoding): refused with advice.
    let latin1 = reqwest::multipart::Part::bytes(vec![0x43, 0x68, 0xe1, 0xff]).file_name("x.csv");
    let res = app
        .client
        .post(app.url("/quan-tri/nhap-cau-hoi"))
        .header("cookie", format!("cuocthi_sid={admin}"))
        .multipart(reqwest::multipart::Form::new().part("file", latin1))
        .send()
        .await
        .unwrap();
    let location = res.headers()["location"].to_str().unwrap().to_string();
    let page = app.get(&location, Some(&admin)).await;
    assert!(page.body.contains("UTF-8"), "{location}");
    // Participants and strangers cannot import.
    let participant = app.participant("0912000052").await;
    let r = upload(&app, &good, Some(&participant)).await;
    let location = r.headers["location"].to_str().unwrap().to_string();
    assert!(location.contains("loi_nhap="), "{location}");
    let page = app.get(&location, Some(&participant)).await;
    assert!(page.body.contains("không có quyền"), "the refusal is shown");
    let r = upload(&app, &good, None).await;
    assert_eq!(r.headers["location"], "/dang-nhap");
    let last: i64 = app.count("SELECT COUNT(*) FROM questions").await;
    assert_eq!(last, before + 2);
}
