//! Organizer functions added on top of the bank and contest pages: question import and
//! export as Excel, draw quotas, which attempt counts, publication times, practice sets,
//! and spreadsheet exports. Units and their quotas are in `units`.
//! Just over 500 lines because each of its six scenarios walks one workflow end to end.

use chrono::Duration;
use cuocthi::server::sheet::{read_table, write_xlsx, Cell, Sheet, XLSX_MIME};
use serde_json::Value;

use crate::helpers::{location, spawn_app, Backend, TestApp};
use crate::manage::{settings, vn_local};
use crate::on_both_backends;

on_both_backends!(
    questions_import_from_excel_and_export_back,
    draw_quotas_give_every_attempt_the_same_mix,
    counting_mode_decides_which_attempt_counts,
    rounds_keep_a_publication_time,
    practice_sets_are_untimed_and_never_stored,
    exports_list_participants_and_attempts_for_the_committee,
);

const Q_HEADER: [&str; 12] = [
    "Chủ đề",
    "Mức độ",
    "Câu hỏi",
    "Phương án A",
    "Phương án B",
    "Phương án C",
    "Phương án D",
    "Phương án E",
    "Phương án F",
    "Đáp án",
    "Giải thích",
    "Căn cứ",
];

fn question_row(topic: &str, text: &str, answer: &str) -> Vec<Cell> {
    let mut row: Vec<Cell> = vec![topic.into(), 2.into(), text.into()];
    row.extend(["Một", "Hai", "Ba", "Bốn", "", ""].map(Cell::from));
    row.extend([answer, "Giải thích", "Điều 1"].map(Cell::from));
    row
}

/// Uploads questions as an Excel file; returns where the import sent the browser.
async fn import_questions_xlsx(app: &TestApp, admin: &str, rows: Vec<Vec<Cell>>) -> String {
    let file = write_xlsx(Sheet {
        name: "Câu hỏi",
        header: &Q_HEADER,
        widths: &[],
        rows,
    })
    .unwrap();
    let r = app
        .upload_file("/quan-tri/nhap-cau-hoi", file, "cau-hoi.xlsx", Some(admin))
        .await;
    location(&r)
}

async fn questions_import_from_excel_and_export_back(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.staff("0914000021", "admin").await;
    let before = app.count("SELECT COUNT(*) FROM questions").await;
    // Decomposed diacritics (as some keyboards type them) must be stored composed (NFC).
    let decomposed = "Thu\u{309} tu\u{323}c ha\u{300}nh chi\u{301}nh là gì?";
    let composed = "Thủ tục hành chính là gì?";
    let rows = vec![
        question_row("PAR Index", decomposed, "A"),
        question_row("PAR Index", "Câu không có đáp án?", ""),
        question_row("Chủ đề lạ", "Câu có chủ đề lạ?", "B"),
    ];
    let back = import_questions_xlsx(&app, &admin, rows).await;
    let kept = url::form_urlencoded::parse(back.split_once('?').unwrap().1.as_bytes())
        .find(|(k, _)| k == "loi_nhap")
        .unwrap_or_else(|| panic!("{back}"))
        .1
        .to_string();
    let r = app
        .post_form("/api/form/outcome", &[("id", kept)], Some(&admin))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let error = r.json();
    assert_eq!(error["kind"], "import_rejected");
    let rows: Vec<(i64, String)> = error["detail"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["row"].as_i64().unwrap(),
                e["column"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(rows, [(3, "Đáp án".to_string()), (4, "Chủ đề".to_string())]);
    assert_eq!(app.count("SELECT COUNT(*) FROM questions").await, before);

    let rows = vec![
        question_row("PAR Index", decomposed, "A"),
        question_row("PAR Index", "Câu thứ hai?", "D"),
    ];
    assert_eq!(
        import_questions_xlsx(&app, &admin, rows).await,
        "/quan-tri/cau-hoi?nhap=2"
    );
    let stored: String = sqlx::query_scalar(
        "SELECT text FROM questions WHERE text LIKE 'Th%' ORDER BY id DESC LIMIT 1",
    )
    .fetch_one(&app.state.db.pool)
    .await
    .unwrap();
    assert_eq!(stored, composed);

    // Export: the approved bank in the import layout, text byte for byte.
    let (status, kind, bytes) = app
        .download("/quan-tri/xuat/cau-hoi.xlsx", Some(&admin))
        .await;
    assert_eq!((status, kind.as_str()), (200, XLSX_MIME));
    let table = read_table(&bytes).unwrap();
    // The layout the file above was imported in (an older file without the optional "Ôn tập"
    // column still imports), with that column last.
    let mut header = Q_HEADER.map(String::from).to_vec();
    header.push("Ôn tập".into());
    assert_eq!(table[0].1, header);
    assert_eq!(
        table.len() as i64 - 1,
        before + 2,
        "every approved question"
    );
    let mine = table
        .iter()
        .find(|(_, r)| r[2] == composed)
        .expect("exported");
    assert_eq!(mine.1[..4].to_vec(), ["PAR Index", "2", composed, "Một"]);
    assert_eq!(mine.1[9], "A");
    let second = table.iter().find(|(_, r)| r[2] == "Câu thứ hai?").unwrap();
    assert_eq!(second.1[9], "D");

    // Exported questions are duplicates now: importing the export again is refused whole.
    let r = app
        .upload_file("/quan-tri/nhap-cau-hoi", bytes, "xuat.xlsx", Some(&admin))
        .await;
    assert!(location(&r).contains("loi_nhap="));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM questions").await,
        before + 2
    );

    // The template downloads as Excel; participants cannot export the bank.
    let (status, kind, template) = app.download("/quan-tri/mau-nhap-cau-hoi.xlsx", None).await;
    assert_eq!((status, kind.as_str()), (200, XLSX_MIME));
    assert_eq!(read_table(&template).unwrap()[0].1, header);
    let participant = app.participant("0914000022").await;
    assert_eq!(
        app.download("/quan-tri/xuat/cau-hoi.xlsx", Some(&participant))
            .await
            .0,
        403
    );
    assert_eq!(
        app.download("/quan-tri/xuat/cau-hoi.xlsx", None).await.0,
        303
    );
}

async fn contest_admin(app: &TestApp, admin: &str) -> Value {
    let r = app
        .post_form("/api/admin/contest/get", &[], Some(admin))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()
}

/// Saves the contest settings (the demo's, with `questions` per attempt) plus `extra` fields.
async fn update(
    app: &TestApp,
    admin: &str,
    questions: &str,
    extra: &[(&'static str, &str)],
) -> crate::helpers::Reply {
    let form = with(settings(questions, "30"), extra);
    app.post_form("/api/admin/contest/update", &form, Some(admin))
        .await
}

fn with(
    mut form: Vec<(&'static str, String)>,
    extra: &[(&'static str, &str)],
) -> Vec<(&'static str, String)> {
    form.extend(extra.iter().map(|(k, v)| (*k, v.to_string())));
    form
}

async fn draw_quotas_give_every_attempt_the_same_mix(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.staff("0914000031", "admin").await;
    let supply = contest_admin(&app, &admin).await["available"].clone();
    let topics: Vec<(String, u64)> = supply
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            let total = t["by_difficulty"]
                .as_array()
                .unwrap()
                .iter()
                .map(|n| n.as_u64().unwrap())
                .sum();
            (t["topic"].as_str().unwrap().to_string(), total)
        })
        .collect();
    let (a, b) = (&topics[0].0, &topics[1].0);

    // Quotas that do not add up are refused, naming the field, and nothing is stored.
    let wrong = format!("{a} | * | 3\n{b} | * | 3");
    let r = update(&app, &admin, "5", &[("input[quotas]", &wrong)]).await;
    assert_eq!(r.status, 400, "{}", r.body);
    assert_eq!(r.json()["detail"][0]["field"], "quotas");
    assert!(
        r.body.contains("phải bằng số câu hỏi mỗi lượt (5)"),
        "{}",
        r.body
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM draw_quotas").await, 0);
    let unknown = "Chủ đề không có | 1 | 5";
    let r = update(&app, &admin, "5", &[("input[quotas]", unknown)]).await;
    assert!(
        r.body.contains("Dòng 1: chủ đề “Chủ đề không có”"),
        "{}",
        r.body
    );

    let quotas = format!("{a} | * | 3\n{b} | * | 2");
    let r = update(&app, &admin, "5", &[("input[quotas]", &quotas)]).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(contest_admin(&app, &admin).await["form"]["quotas"], quotas);

    for i in 0..3 {
        let player = app.participant(&format!("091400004{i}")).await;
        let attempt = app.start(&player).await;
        let per_topic: Vec<(String, i64)> = sqlx::query_as(
            "SELECT q.topic, COUNT(*) FROM attempt_questions aq JOIN questions q ON q.id = aq.question_id \
             WHERE aq.attempt_id = $1 GROUP BY q.topic ORDER BY COUNT(*) DESC",
        )
        .bind(attempt)
        .fetch_all(&app.state.db.pool)
        .await
        .unwrap();
        assert_eq!(per_topic, [(a.clone(), 3), (b.clone(), 2)]);
    }

    // A quota the approved bank cannot fill, while a round is open: the change is refused
    // with the reason, and the stored quotas stay.
    let too_many = topics[0].1 + 1;
    let greedy = format!("{a} | * | {too_many}");
    let r = update(
        &app,
        &admin,
        &too_many.to_string(),
        &[("input[quotas]", &greedy)],
    )
    .await;
    assert_eq!(r.status, 400, "{}", r.body);
    assert!(r.body.contains("không đủ cho lượt"), "{}", r.body);
    assert_eq!(
        contest_admin(&app, &admin).await["form"]["quotas"],
        quotas.as_str(),
        "nothing was written"
    );
    // The bank shrinks under a stored quota (questions retired by review): starting is
    // refused, nothing is half-made.
    sqlx::query("UPDATE questions SET status = 'retired' WHERE topic = $1")
        .bind(a)
        .execute(&app.state.db.pool)
        .await
        .unwrap();
    let attempts = app.count("SELECT COUNT(*) FROM attempts").await;
    let late = app.participant("0914000049").await;
    let r = app.try_start(&late).await;
    assert_eq!(r.status, 409, "{}", r.body);
    assert!(r.body.contains("chưa đủ câu đã duyệt"), "{}", r.body);
    assert_eq!(app.count("SELECT COUNT(*) FROM attempts").await, attempts);
}

pub(crate) async fn take(app: &TestApp, token: &str, right: usize) {
    let id = app.start(token).await;
    let key = app.answer_key(id).await;
    for (seq, choice) in key.iter().take(right).enumerate() {
        assert_eq!(
            app.save(id, seq as u32, Some(*choice), token).await.status,
            200
        );
    }
    assert_eq!(app.submit(id, token).await.status, 200);
}

async fn board_score(app: &TestApp) -> i64 {
    let round = app.open_round_id().await;
    app.round_board(round).await.json()["rows"][0]["score"]
        .as_i64()
        .unwrap()
}

async fn counting_mode_decides_which_attempt_counts(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.staff("0914000051", "admin").await;
    let player = app.participant("0914000052").await;
    take(&app, &player, 4).await; // first: 20 points
    take(&app, &player, 10).await; // best: 50 points
    take(&app, &player, 2).await; // last: 10 points
    for (mode, score) in [("first", 20), ("last", 10), ("best", 50)] {
        let r = update(&app, &admin, "20", &[("input[counting_mode]", mode)]).await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(board_score(&app).await, score, "{mode}");
    }
    let r = update(&app, &admin, "20", &[("input[counting_mode]", "average")]).await;
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["detail"][0]["field"], "counting_mode");

    // The prediction question is a setting; an empty prompt gets the standard one.
    let r = update(&app, &admin, "20", &[("input[prediction_enabled]", "on")]).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let form = contest_admin(&app, &admin).await["form"].clone();
    assert_eq!(form["prediction_enabled"], "on");
    assert!(form["prediction_prompt"]
        .as_str()
        .unwrap()
        .starts_with("Dự đoán"));
}

async fn rounds_keep_a_publication_time(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.staff("0914000061", "admin").await;
    let (opens, closes) = (
        vn_local(&app, Duration::days(20)),
        vn_local(&app, Duration::days(27)),
    );
    let results = vn_local(&app, Duration::days(28));
    let round = |results: &str| {
        vec![
            ("name", "Tuần 3".to_string()),
            ("opens_at", opens.clone()),
            ("closes_at", closes.clone()),
            ("results_at", results.to_string()),
        ]
    };
    let r = app
        .post_form("/api/admin/round/save", &round(&opens), Some(&admin))
        .await;
    assert_eq!(r.status, 400, "{}", r.body);
    assert_eq!(r.json()["detail"][0]["field"], "results_at");
    let r = app
        .post_form("/api/admin/round/save", &round(&results), Some(&admin))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let rounds = contest_admin(&app, &admin).await["rounds"].clone();
    let third = rounds
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "Tuần 3")
        .unwrap();
    assert_eq!(third["results_at"], results.as_str());
    // Without a publication time (older clients send none): stays unset.
    // Rounds of one contest follow each other: one over Tuần 3's window is refused.
    let r = app
        .post_form(
            "/api/admin/round/save",
            &[
                ("name", "Tuần 4".to_string()),
                ("opens_at", opens.clone()),
                ("closes_at", closes.clone()),
            ],
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, 400, "{}", r.body);
    assert_eq!(r.json()["detail"][0]["field"], "opens_at");
    assert!(r.body.contains("trùng với Tuần 3"), "{}", r.body);
    let r = app
        .post_form(
            "/api/admin/round/save",
            &[
                ("name", "Tuần 4".to_string()),
                ("opens_at", vn_local(&app, Duration::days(30))),
                ("closes_at", vn_local(&app, Duration::days(37))),
            ],
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let unset: Option<i64> =
        sqlx::query_scalar("SELECT results_at FROM rounds WHERE name = 'Tuần 4'")
            .fetch_one(&app.state.db.pool)
            .await
            .unwrap();
    assert_eq!(unset, None);
}

async fn practice_sets_are_untimed_and_never_stored(backend: Backend) {
    let app = spawn_app(backend).await;
    let fresh = app.post_form("/api/study/practice", &[], None).await;
    assert_eq!(fresh.status, 200, "{}", fresh.body);
    let set = fresh.json();
    let questions = set["questions"].as_array().unwrap();
    assert_eq!(questions.len(), 20, "the contest's size");
    assert!(questions
        .iter()
        .all(|q| q["correct"].is_null() && q["explanation"] == ""));
    let ids: Vec<i64> = questions
        .iter()
        .map(|q| q["id"].as_i64().unwrap())
        .collect();

    // Check: choose the right option for the first three (read from the database).
    let mut choices = Vec::new();
    for id in &ids[..3] {
        let right: i64 = sqlx::query_scalar(
            "SELECT position FROM options WHERE question_id = $1 AND is_correct = 1",
        )
        .bind(id)
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
        choices.push(format!("{id}:{}", right - first_position(&app, *id).await));
    }
    choices.push(format!("{}:9", ids[3])); // out of range: ignored
    let ids_text = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
    let checked = app
        .post_form(
            "/api/study/practice",
            &[
                ("ids", ids_text.clone()),
                ("choices", choices.join(",")),
                ("check", "true".into()),
            ],
            None,
        )
        .await
        .json();
    assert_eq!(checked["checked"], true);
    assert_eq!(checked["correct"], 3);
    assert!(checked["questions"][0]["correct"].is_u64());
    assert_eq!(checked["questions"][3]["chosen"], Value::Null);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM attempts").await,
        0,
        "nothing stored"
    );

    // The page works as a plain GET form.
    let page = app
        .get(
            &format!("/on-tap/luyen-tap?ds={ids_text}&c{}=0&nop=1", ids[0]),
            None,
        )
        .await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("data-testid=\"practice-score\""),
        "{}",
        page.body
    );

    // Without a published bank there is nothing to practise.
    let admin = app.staff("0914000071", "admin").await;
    let mut unpublished = settings("20", "30");
    unpublished.retain(|(k, _)| *k != "input[bank_published]");
    assert_eq!(
        app.post_form("/api/admin/contest/update", &unpublished, Some(&admin))
            .await
            .status,
        200
    );
    assert_eq!(
        app.post_form("/api/study/practice", &[], None).await.status,
        404
    );
}

async fn first_position(app: &TestApp, question: i64) -> i64 {
    sqlx::query_scalar("SELECT MIN(position) FROM options WHERE question_id = $1")
        .bind(question)
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap()
}

async fn exports_list_participants_and_attempts_for_the_committee(backend: Backend) {
    let app = spawn_app(backend).await;
    let secretary = app.staff("0914000091", "secretary").await;
    let player = app.participant("0914000092").await;
    take(&app, &player, 3).await;
    app.start(&player).await; // a second attempt, still running

    let (status, kind, bytes) = app
        .download("/quan-tri/xuat/thi-sinh.xlsx", Some(&secretary))
        .await;
    assert_eq!((status, kind.as_str()), (200, XLSX_MIME));
    let people = read_table(&bytes).unwrap();
    assert_eq!(
        people.len(),
        2,
        "the header and the one participant (staff left out)"
    );
    assert_eq!(
        people[1].1[1..4].to_vec(),
        ["Nguyễn Văn Thí", "30/04/1990", "0914000092"]
    );
    assert_eq!(people[1].1[7..].to_vec(), ["2", "15"]);

    let (status, _, bytes) = app
        .download("/quan-tri/xuat/luot-thi.xlsx", Some(&secretary))
        .await;
    assert_eq!(status, 200);
    let attempts = read_table(&bytes).unwrap();
    assert_eq!(attempts.len(), 3);
    assert_eq!(attempts[1].1[6..9].to_vec(), ["Đã nộp", "15", "3"]);
    assert_eq!(attempts[2].1[6], "Đang làm");

    assert_eq!(
        app.download("/quan-tri/xuat/thi-sinh.xlsx", Some(&player))
            .await
            .0,
        403
    );
    assert_eq!(
        app.download("/quan-tri/xuat/luot-thi.xlsx", Some(&player))
            .await
            .0,
        403
    );
    assert_eq!(
        app.download("/quan-tri/xuat/luot-thi.xlsx", None).await.0,
        303
    );
}
