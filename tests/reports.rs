//! The committee's reports on a round whose figures were worked out by hand: four entrants
//! who each meet all 48 questions of the bank, answering as planned below.

use serde_json::Value;

use crate::helpers::{spawn_app, Backend, TestApp};
use crate::manage::settings;
use crate::on_both_backends;

on_both_backends!(reports_match_the_figures_worked_out_by_hand);

/// (seq, question id, option ids in display order) of an attempt.
async fn layout(app: &TestApp, attempt: i64) -> Vec<(u32, i64, Vec<i64>)> {
    let rows: Vec<(i64, i64, String)> = sqlx::query_as(
        "SELECT seq, question_id, option_order FROM attempt_questions WHERE attempt_id = $1 ORDER BY seq",
    )
    .bind(attempt)
    .fetch_all(&app.state.db.pool)
    .await
    .unwrap();
    rows.into_iter()
        .map(|(seq, q, order)| {
            (
                seq as u32,
                q,
                order
                    .split(',')
                    .map(|o| o.trim().parse().unwrap())
                    .collect(),
            )
        })
        .collect()
}

async fn correct_option(app: &TestApp, question: i64) -> i64 {
    sqlx::query_scalar("SELECT id FROM options WHERE question_id = $1 AND is_correct = 1")
        .bind(question)
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap()
}

/// What an entrant does with one question.
#[derive(Clone, Copy)]
enum Plan {
    Right,
    Wrong(i64),
    Blank,
}

async fn take(app: &TestApp, phone: &str, plan: impl Fn(i64) -> Plan) {
    let token = app.participant(phone).await;
    let id = app.start(&token).await;
    for (seq, question, order) in layout(app, id).await {
        let option = match plan(question) {
            Plan::Right => correct_option(app, question).await,
            Plan::Wrong(o) => o,
            Plan::Blank => continue,
        };
        let position = order.iter().position(|o| *o == option).unwrap() as u8;
        assert_eq!(app.save(id, seq, Some(position), &token).await.status, 200);
    }
    assert_eq!(app.submit(id, &token).await.status, 200);
}

/// (entrants, attempts) of a round in a report.
pub(crate) fn round_figures(report: &Value, round: i64) -> (i64, i64) {
    let r = report["by_round"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["round_id"] == round)
        .unwrap();
    (
        r["entrants"].as_i64().unwrap(),
        r["attempts"].as_i64().unwrap(),
    )
}

async fn report(app: &TestApp, admin: &str, round: Option<i64>) -> Value {
    let fields: Vec<(&str, String)> = round
        .map(|r| vec![("round_id", r.to_string())])
        .unwrap_or_default();
    let r = app
        .post_form("/api/admin/reports", &fields, Some(admin))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()
}

/// The plan, and the figures it must give (points per question 5, 48 questions, max 240):
///
/// | entrant | question A            | question B | every other question | score |
/// |---------|-----------------------|------------|----------------------|-------|
/// | 1       | right                 | right      | right                | 240   |
/// | 2       | wrong option W        | right      | right                | 235   |
/// | 3       | wrong option W        | blank      | right                | 230   |
/// | 4       | right                 | blank      | blank                | 5     |
///
/// Scores: mean (240+235+230+5)/4 = 177.5, median (230+235)/2 = 232.5; histogram of 10 bars
/// of 24 points: 216–240 holds 3, 0–23 holds 1. Discrimination groups: 27% of 4 rounds to
/// one entrant each (strongest: 1, weakest: 4).
/// Question A: 2 of 4 right (50.0%), strongest right and weakest right: index 0.00; option W
/// chosen twice, the most chosen wrong option. Question B: 2 of 4 (50.0%), 2 blank,
/// strongest right, weakest blank: 1.00. Any other question: 3 of 4 (75.0%), index 1.00.
async fn reports_match_the_figures_worked_out_by_hand(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.staff("0918000001", "admin").await;
    let bank: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM questions WHERE status = 'approved' ORDER BY id")
            .fetch_all(&app.state.db.pool)
            .await
            .unwrap();
    assert_eq!(bank.len(), 48, "every attempt meets the whole bank");
    let r = app
        .post_form(
            "/api/admin/contest/update",
            &settings("48", "30"),
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let (a, b) = (bank[0], bank[1]);
    let key_a = correct_option(&app, a).await;
    let options_a: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM options WHERE question_id = $1 ORDER BY id")
            .bind(a)
            .fetch_all(&app.state.db.pool)
            .await
            .unwrap();
    let w = *options_a.iter().find(|o| **o != key_a).unwrap();
    let w_letter = char::from(b'A' + options_a.iter().position(|o| *o == w).unwrap() as u8);
    let a_letter = char::from(b'A' + options_a.iter().position(|o| *o == key_a).unwrap() as u8);

    take(&app, "0918000011", |_| Plan::Right).await;
    take(&app, "0918000012", |q| {
        if q == a {
            Plan::Wrong(w)
        } else {
            Plan::Right
        }
    })
    .await;
    take(&app, "0918000013", |q| match q {
        q if q == a => Plan::Wrong(w),
        q if q == b => Plan::Blank,
        _ => Plan::Right,
    })
    .await;
    take(&app, "0918000014", |q| {
        if q == a {
            Plan::Right
        } else {
            Plan::Blank
        }
    })
    .await;

    let round = app.open_round_id().await;
    let v = report(&app, &admin, Some(round)).await;
    let s = &v["summary"];
    assert_eq!(
        (&s["count"], &s["mean"], &s["median"], &s["min"], &s["max"]),
        (
            &Value::from(4),
            &Value::from(177.5),
            &Value::from(232.5),
            &Value::from(5),
            &Value::from(240)
        )
    );
    assert_eq!(v["max_score"], 240);
    let bins = v["bins"].as_array().unwrap();
    assert_eq!(bins.len(), 10);
    assert_eq!(
        (&bins[9]["from"], &bins[9]["to"], &bins[9]["count"]),
        (&Value::from(216), &Value::from(240), &Value::from(3))
    );
    assert_eq!(
        (&bins[0]["to"], &bins[0]["count"]),
        (&Value::from(23), &Value::from(1))
    );

    let items = v["items"].as_array().unwrap();
    assert_eq!(items.len(), 48);
    let item = |q: i64| {
        items
            .iter()
            .find(|i| i["question_id"] == q)
            .unwrap()
            .clone()
    };
    let qa = item(a);
    assert_eq!(
        (&qa["presented"], &qa["correct"], &qa["blank"]),
        (&Value::from(4), &Value::from(2), &Value::from(0))
    );
    assert_eq!(qa["facility"], 0.5);
    assert_eq!(qa["discrimination"], 0.0);
    assert_eq!(qa["correct_letter"], a_letter.to_string());
    assert_eq!(
        qa["top_wrong"],
        serde_json::json!([w_letter.to_string(), 2])
    );
    let qb = item(b);
    assert_eq!(
        (&qb["correct"], &qb["blank"]),
        (&Value::from(2), &Value::from(2))
    );
    assert_eq!(qb["discrimination"], 1.0);
    assert_eq!(qb["top_wrong"], Value::Null);
    let other = item(bank[2]);
    assert_eq!(
        (
            &other["correct"],
            &other["blank"],
            &other["facility"],
            &other["discrimination"]
        ),
        (
            &Value::from(3),
            &Value::from(1),
            &Value::from(0.75),
            &Value::from(1.0)
        )
    );
    assert!(
        items.iter().all(|i| i["flag"].is_null()),
        "four entrants are too few to judge"
    );

    // Participation: one day, one round, one unit (everyone registers in the first).
    assert_eq!(v["by_day"].as_array().unwrap().len(), 1);
    let day = &v["by_day"][0];
    assert_eq!(
        (&day["registrations"], &day["entrants"], &day["attempts"]),
        (&Value::from(4), &Value::from(4), &Value::from(4))
    );
    assert_eq!(round_figures(&v, round), (4, 4));
    let (first_unit, _) = crate::units::first_unit(&app).await;
    let unit = v["units"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["unit_name"] == first_unit.as_str())
        .unwrap();
    assert_eq!(unit["entrants"], 4);
    let round_index = v["rounds"]
        .as_array()
        .unwrap()
        .iter()
        .position(|r| r[0] == round)
        .unwrap();
    for (name, per_round) in v["unit_rounds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| (u[0].as_str().unwrap(), &u[1]))
    {
        let expected = if name == first_unit { 4 } else { 0 };
        assert_eq!(per_round[round_index], expected, "{name}");
        assert_eq!(
            per_round
                .as_array()
                .unwrap()
                .iter()
                .map(|n| n.as_i64().unwrap())
                .sum::<i64>(),
            expected
        );
    }

    // Another round: no scores, no items; participation is the same.
    let other_round = v["by_round"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["round_id"] != round)
        .unwrap()["round_id"]
        .as_i64()
        .unwrap();
    let empty = report(&app, &admin, Some(other_round)).await;
    assert!(empty["summary"].is_null());
    assert!(empty["items"].as_array().unwrap().is_empty());
    assert_eq!(empty["by_day"], v["by_day"]);

    // The workbook: the same figures, one sheet each.
    let path = format!("/quan-tri/xuat/bao-cao.xlsx?vong={round}");
    let (status, _, bytes) = app.download(&path, Some(&admin)).await;
    assert_eq!(status, 200);
    let scores = cuocthi::server::sheet::read_xlsx_sheet(&bytes, 4).unwrap();
    assert_eq!(scores[0].1[0], "Khoảng điểm");
    assert_eq!(scores[10].1, ["216–240", "3"]);
    let questions = cuocthi::server::sheet::read_xlsx_sheet(&bytes, 5).unwrap();
    let row_a = questions
        .iter()
        .find(|(_, r)| r[0] == a.to_string())
        .unwrap();
    assert_eq!(
        (
            row_a.1[3].as_str(),
            row_a.1[4].as_str(),
            row_a.1[5].as_str()
        ),
        ("4", "2", "50")
    );
    assert_eq!(row_a.1[8], format!("{w_letter} (2)"));

    // The page, with its charts; only the committee sees it.
    let page = app
        .get(&format!("/quan-tri/bao-cao?vong={round}"), Some(&admin))
        .await;
    assert_eq!(page.status, 200);
    if let Ok(path) = std::env::var("CUOCTHI_DUMP_REPORT") {
        std::fs::write(path, &page.body).unwrap();
    }
    for text in [
        "Phổ điểm",
        "Thống kê câu hỏi",
        "<svg",
        "50,0%",
        "trung vị 232,5",
    ] {
        assert!(page.body.contains(text), "{text}");
    }
    let participant = app.participant("0918000015").await;
    let r = app
        .post_form("/api/admin/reports", &[], Some(&participant))
        .await;
    assert_eq!(r.status, 403);
}
