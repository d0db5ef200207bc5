//! The demo contest, created on first start of an empty database.

use crate::server::nfc;
use chrono::{DateTime, Utc};

use crate::domain::vntime::vn_day_at;
use serde::Deserialize;

use crate::domain::units::ValidUnit;
use crate::server::clock::to_ms;
use crate::server::db::Db;
use crate::server::repo::{bank, contests, units, users};

const DEMO_JSON: &str = include_str!("seed/demo.json");
pub const DEMO_SLUG: &str = "cai-cach-hanh-chinh-chuyen-doi-so";

#[derive(Deserialize)]
struct DemoData {
    units: Vec<DemoUnit>,
    questions: Vec<DemoQuestion>,
}

#[derive(Deserialize)]
struct DemoUnit {
    code: String,
    name: String,
    kind: String,
    headcount: i64,
    #[serde(default)]
    parent: Option<String>,
    #[serde(default)]
    quota_percent: Option<i64>,
}

#[derive(Deserialize)]
struct DemoQuestion {
    topic: String,
    difficulty: i64,
    text: String,
    options: Vec<String>,
    correct: usize,
    explanation: String,
    reference: String,
}

const RULES: &str = "1. Đối tượng: cán bộ, công chức, viên chức, người lao động và người dân từ đủ 15 tuổi trở lên. \
Thành viên Ban Tổ chức, Tổ Thư ký, Tổ soạn thảo câu hỏi và cán bộ kỹ thuật không được dự thi.\n\
2. Mỗi người đăng ký một tài khoản duy nhất bằng số điện thoại, chọn đúng đơn vị công tác hoặc nơi cư trú.\n\
3. Cuộc thi chia thành các vòng theo tuần, mở từ 08 giờ 00 thứ Hai đến 22 giờ 00 Chủ nhật.\n\
4. Mỗi lượt thi gồm 20 câu hỏi trắc nghiệm chọn ngẫu nhiên từ bộ câu hỏi, thời gian làm bài 30 phút. \
Mỗi vòng được thi tối đa 3 lượt; kết quả cao nhất được tính.\n\
5. Câu trả lời được lưu ngay khi chọn. Hết giờ, hệ thống tự động nộp bài với các câu đã lưu.\n\
6. Xếp hạng theo số điểm từ cao xuống thấp; bằng điểm thì người làm bài nhanh hơn xếp trên.";

/// Seeds units, the demo contest, two weekly rounds (the first open now) and the bank.
/// Does nothing when a contest already exists. All in one transaction.
pub async fn seed_demo(db: &Db, now: DateTime<Utc>) -> Result<bool, sqlx::Error> {
    let data: DemoData = serde_json::from_str(DEMO_JSON).expect("demo.json is valid");
    let mut tx = db.begin_write().await?;
    // Never into a database that holds anything: an installation's own data stays its own.
    if contests::count_contests(&mut tx).await? > 0
        || !users::list_units(&mut tx).await?.is_empty()
        || crate::server::repo::lifecycle::has_admin(&mut tx).await?
    {
        return Ok(false);
    }
    // Parents come before their children in demo.json.
    let mut unit_ids: std::collections::HashMap<&str, i64> = std::collections::HashMap::new();
    for u in &data.units {
        let unit = ValidUnit {
            code: u.code.clone(),
            name: nfc(&u.name),
            kind: crate::domain::units::parse_kind(&u.kind).unwrap_or("other"),
            parent_code: u.parent.clone(),
            headcount: u.headcount,
            quota_percent: u.quota_percent,
        };
        let parent = u.parent.as_deref().and_then(|p| unit_ids.get(p).copied());
        unit_ids.insert(&u.code, units::upsert_unit(&mut tx, &unit, parent).await?);
    }
    let contest_id = contests::insert_contest(
        &mut tx,
        contests::NewContest {
            slug: DEMO_SLUG,
            name: "Tìm hiểu về cải cách hành chính và chuyển đổi số",
            rules_text: RULES,
            min_age: 15,
            questions_per_attempt: 20,
            time_limit_secs: 30 * 60,
            grace_secs: 15,
            max_attempts_per_round: 3,
            points_per_question: 5,
            bank_published: true,
            // The demo publishes its answers, as the plans do to spread knowledge.
            study_answers: crate::domain::integrity::StudyAnswers::Publish,
            created_at: to_ms(now),
        },
    )
    .await?;
    contests::set_round_prizes(&mut tx, contest_id, "Nhất:1, Nhì:2, Ba:3, Khuyến khích:10").await?;
    contests::update_profile(
        &mut tx,
        contest_id,
        &contests::Profile {
            organizer_name: "Ủy ban nhân dân thị xã (dữ liệu mẫu)",
            logo_url: "",
            contact_phone: "0234 3 555 555",
            contact_email: "",
            contact_address: "",
            help_text: "Mỗi người đăng ký một tài khoản bằng số điện thoại. Câu trả lời được lưu ngay khi chọn; mất mạng thì câu trả lời được gửi lại khi có mạng.",
            cert_title: "GIẤY CHỨNG NHẬN",
            cert_issuer: "BAN TỔ CHỨC CUỘC THI",
            cert_signer_name: "",
            cert_signer_title: "",
            cert_place: "",
        },
    )
    .await?;
    contests::insert_round(
        &mut tx,
        contest_id,
        "Tuần 1",
        to_ms(vn_day_at(now, -1, 8)),
        to_ms(vn_day_at(now, 6, 22)),
        Some(to_ms(vn_day_at(now, 7, 9))),
    )
    .await?;
    contests::insert_round(
        &mut tx,
        contest_id,
        "Tuần 2",
        to_ms(vn_day_at(now, 7, 8)),
        to_ms(vn_day_at(now, 13, 22)),
        Some(to_ms(vn_day_at(now, 14, 9))),
    )
    .await?;
    let mut topics: Vec<&str> = Vec::new();
    for q in &data.questions {
        if !topics.contains(&q.topic.as_str()) {
            topics.push(&q.topic);
            bank::insert_topic(&mut tx, contest_id, &nfc(&q.topic)).await?;
        }
    }
    for q in &data.questions {
        let qid = bank::insert_question(
            &mut tx,
            bank::NewQuestion {
                contest_id,
                topic: &nfc(&q.topic),
                difficulty: q.difficulty,
                text: &nfc(&q.text),
                explanation: &nfc(&q.explanation),
                reference: &nfc(&q.reference),
                status: "approved",
                author_id: None,
                revision_of: None,
                study_only: false,
                now: to_ms(now),
            },
        )
        .await?;
        for (i, text) in q.options.iter().enumerate() {
            contests::insert_option(&mut tx, qid, i as i64, &nfc(text), i == q.correct).await?;
        }
    }
    // The people the rules keep out (demo numbers), so the refusal can be tried.
    for (name, phone, reason) in [
        ("Trưởng Ban Tổ chức", "0900000001", "thành viên Ban Tổ chức"),
        (
            "Thành viên Tổ soạn thảo",
            "0900000002",
            "thành viên Tổ soạn thảo câu hỏi",
        ),
        (
            "Cán bộ kỹ thuật",
            "0900000003",
            "cán bộ kỹ thuật của hệ thống thi",
        ),
    ] {
        let person = users::NewExclusion {
            full_name: name,
            phone: Some(phone),
            citizen_id: None,
            birth_date: None,
            reason,
            created_at: to_ms(now),
        };
        users::insert_exclusion(&mut tx, person).await?;
    }
    crate::server::service::initiatives::seed_demo(&mut tx, now).await?;
    tx.commit().await?;
    Ok(true)
}
