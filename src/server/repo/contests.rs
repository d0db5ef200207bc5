use sqlx::{AnyConnection, FromRow};

use crate::domain::awards::{format_chain, format_tiers};
use crate::domain::scoring::{DrawQuota, Drawable};

#[derive(Debug, Clone, FromRow)]
pub struct ContestRow {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub rules_text: String,
    pub min_age: i64,
    pub questions_per_attempt: i64,
    pub time_limit_secs: i64,
    pub grace_secs: i64,
    pub max_attempts_per_round: i64,
    pub points_per_question: i64,
    pub bank_published: i64,
    pub counting_mode: String,
    pub prediction_enabled: i64,
    pub prediction_prompt: String,
    pub rank_chain: String,
    pub all_correct_only: i64,
    pub prediction_target: String,
    pub round_prizes: String,
    pub prize_cap_percent: Option<i64>,
    pub one_prize_per_person: i64,
    pub freeze_minutes: i64,
    pub overall_prizes: String,
    pub overall_published_at: Option<i64>,
    pub unit_awards_published_at: Option<i64>,
    pub archived_at: Option<i64>,
    pub is_trial: i64,
    pub board_hidden: i64,
    pub organizer_name: String,
    pub logo_url: String,
    pub contact_phone: String,
    pub contact_email: String,
    pub contact_address: String,
    pub help_text: String,
    pub cert_title: String,
    pub cert_issuer: String,
    pub cert_signer_name: String,
    pub cert_signer_title: String,
    pub cert_place: String,
    /// Participation rules by position or category, as written (see `domain::quota`).
    pub quota_rules: String,
    /// Questions added to each participant's profile (see `domain::people::FieldSpec`).
    pub extra_fields: String,
    /// See `domain::integrity::StudyAnswers`.
    pub study_answers: String,
    /// See `domain::integrity::AnswerReview`.
    pub answer_review: String,
    pub min_secs_per_question: i64,
}

#[derive(Debug, Clone, FromRow)]
pub struct RoundRow {
    pub id: i64,
    pub contest_id: i64,
    pub name: String,
    pub opens_at: i64,
    pub closes_at: i64,
    pub results_at: Option<i64>,
    pub awards_published_at: Option<i64>,
    /// The round's own prize structure; `None`: the contest's.
    pub prizes: Option<String>,
    pub retired_at: Option<i64>,
}

const CONTEST_COLUMNS: &str = "id, slug, name, rules_text, min_age, questions_per_attempt, \
     time_limit_secs, grace_secs, max_attempts_per_round, points_per_question, bank_published, \
     counting_mode, prediction_enabled, prediction_prompt, rank_chain, all_correct_only, \
     prediction_target, round_prizes, prize_cap_percent, one_prize_per_person, freeze_minutes, \
     overall_prizes, overall_published_at, unit_awards_published_at, archived_at, \
     is_trial, board_hidden, organizer_name, logo_url, \
     contact_phone, contact_email, contact_address, help_text, cert_title, cert_issuer, \
     cert_signer_name, cert_signer_title, cert_place, quota_rules, extra_fields, \
     study_answers, answer_review, min_secs_per_question";
const ROUND_COLUMNS: &str = "id, contest_id, name, opens_at, closes_at, results_at, \
     awards_published_at, prizes, retired_at";

pub async fn contest_by_slug(
    conn: &mut AnyConnection,
    slug: &str,
) -> sqlx::Result<Option<ContestRow>> {
    sqlx::query_as(&format!(
        "SELECT {CONTEST_COLUMNS} FROM contests WHERE slug = $1"
    ))
    .bind(slug)
    .fetch_optional(conn)
    .await
}

pub async fn contest_by_id(conn: &mut AnyConnection, id: i64) -> sqlx::Result<Option<ContestRow>> {
    sqlx::query_as(&format!(
        "SELECT {CONTEST_COLUMNS} FROM contests WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// The contest a page works on when it names none: the most recently created one that is
/// not archived, a real contest before a trial run.
pub async fn latest_contest(conn: &mut AnyConnection) -> sqlx::Result<Option<ContestRow>> {
    sqlx::query_as(&format!(
        "SELECT {CONTEST_COLUMNS} FROM contests WHERE archived_at IS NULL \
         ORDER BY is_trial, id DESC LIMIT 1"
    ))
    .fetch_optional(conn)
    .await
}

/// The contest named by `slug`, or the default one (`latest_contest`) when `slug` is empty.
pub async fn resolve(conn: &mut AnyConnection, slug: &str) -> sqlx::Result<Option<ContestRow>> {
    if slug.trim().is_empty() {
        latest_contest(conn).await
    } else {
        contest_by_slug(conn, slug.trim()).await
    }
}

/// The lowest minimum age among contests that are not archived (0 without any): an account
/// is for every contest of the installation, and each start checks its own contest's age.
pub async fn lowest_min_age(conn: &mut AnyConnection) -> sqlx::Result<i64> {
    let age: Option<i64> =
        sqlx::query_scalar("SELECT MIN(min_age) FROM contests WHERE archived_at IS NULL")
            .fetch_one(conn)
            .await?;
    Ok(age.unwrap_or(0))
}

/// Every contest, newest first.
pub async fn all_contests(conn: &mut AnyConnection) -> sqlx::Result<Vec<ContestRow>> {
    sqlx::query_as(&format!(
        "SELECT {CONTEST_COLUMNS} FROM contests ORDER BY id DESC"
    ))
    .fetch_all(conn)
    .await
}

/// (contest, first opening, last closing, latest results time) of every contest with rounds
/// that are not retired.
pub async fn contest_spans(
    conn: &mut AnyConnection,
) -> sqlx::Result<Vec<(i64, i64, i64, Option<i64>)>> {
    sqlx::query_as(
        "SELECT contest_id, MIN(opens_at), MAX(closes_at), MAX(results_at) FROM rounds \
         WHERE retired_at IS NULL GROUP BY contest_id",
    )
    .fetch_all(conn)
    .await
}

pub async fn set_archived(conn: &mut AnyConnection, id: i64, at: Option<i64>) -> sqlx::Result<()> {
    sqlx::query("UPDATE contests SET archived_at = $2 WHERE id = $1")
        .bind(id)
        .bind(at)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn set_trial(conn: &mut AnyConnection, id: i64, trial: bool) -> sqlx::Result<()> {
    sqlx::query("UPDATE contests SET is_trial = $2 WHERE id = $1")
        .bind(id)
        .bind(i64::from(trial))
        .execute(conn)
        .await?;
    Ok(())
}

/// The branding and documents of a contest.
pub struct Profile<'a> {
    pub organizer_name: &'a str,
    pub logo_url: &'a str,
    pub contact_phone: &'a str,
    pub contact_email: &'a str,
    pub contact_address: &'a str,
    pub help_text: &'a str,
    pub cert_title: &'a str,
    pub cert_issuer: &'a str,
    pub cert_signer_name: &'a str,
    pub cert_signer_title: &'a str,
    pub cert_place: &'a str,
}

impl<'a> Profile<'a> {
    pub fn of(c: &'a ContestRow) -> Self {
        Self {
            organizer_name: &c.organizer_name,
            logo_url: &c.logo_url,
            contact_phone: &c.contact_phone,
            contact_email: &c.contact_email,
            contact_address: &c.contact_address,
            help_text: &c.help_text,
            cert_title: &c.cert_title,
            cert_issuer: &c.cert_issuer,
            cert_signer_name: &c.cert_signer_name,
            cert_signer_title: &c.cert_signer_title,
            cert_place: &c.cert_place,
        }
    }
}

pub async fn update_profile(
    conn: &mut AnyConnection,
    id: i64,
    p: &Profile<'_>,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE contests SET organizer_name = $2, logo_url = $3, contact_phone = $4, \
         contact_email = $5, contact_address = $6, help_text = $7, cert_title = $8, \
         cert_issuer = $9, cert_signer_name = $10, cert_signer_title = $11, cert_place = $12 \
         WHERE id = $1",
    )
    .bind(id)
    .bind(p.organizer_name)
    .bind(p.logo_url)
    .bind(p.contact_phone)
    .bind(p.contact_email)
    .bind(p.contact_address)
    .bind(p.help_text)
    .bind(p.cert_title)
    .bind(p.cert_issuer)
    .bind(p.cert_signer_name)
    .bind(p.cert_signer_title)
    .bind(p.cert_place)
    .execute(conn)
    .await?;
    Ok(())
}

/// Whether another contest already uses `slug`.
pub async fn slug_taken(conn: &mut AnyConnection, slug: &str) -> sqlx::Result<bool> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM contests WHERE slug = $1")
        .bind(slug)
        .fetch_one(conn)
        .await?;
    Ok(n > 0)
}

pub async fn count_contests(conn: &mut AnyConnection) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM contests")
        .fetch_one(conn)
        .await
}

pub struct NewContest<'a> {
    pub slug: &'a str,
    pub name: &'a str,
    pub rules_text: &'a str,
    pub min_age: i64,
    pub questions_per_attempt: i64,
    pub time_limit_secs: i64,
    pub grace_secs: i64,
    pub max_attempts_per_round: i64,
    pub points_per_question: i64,
    pub bank_published: bool,
    pub study_answers: crate::domain::integrity::StudyAnswers,
    pub created_at: i64,
}

pub async fn insert_contest(conn: &mut AnyConnection, c: NewContest<'_>) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO contests (slug, name, rules_text, min_age, questions_per_attempt, time_limit_secs, \
         grace_secs, max_attempts_per_round, points_per_question, created_at, bank_published, \
         study_answers) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
    )
    .bind(c.slug)
    .bind(c.name)
    .bind(c.rules_text)
    .bind(c.min_age)
    .bind(c.questions_per_attempt)
    .bind(c.time_limit_secs)
    .bind(c.grace_secs)
    .bind(c.max_attempts_per_round)
    .bind(c.points_per_question)
    .bind(c.created_at)
    .bind(i64::from(c.bank_published))
    .bind(c.study_answers.as_str())
    .fetch_one(conn)
    .await
}

pub async fn insert_round(
    conn: &mut AnyConnection,
    contest_id: i64,
    name: &str,
    opens_at: i64,
    closes_at: i64,
    results_at: Option<i64>,
) -> sqlx::Result<i64> {
    sqlx::query_scalar("INSERT INTO rounds (contest_id, name, opens_at, closes_at, results_at) VALUES ($1, $2, $3, $4, $5) RETURNING id")
        .bind(contest_id)
        .bind(name)
        .bind(opens_at)
        .bind(closes_at)
        .bind(results_at)
        .fetch_one(conn)
        .await
}

pub async fn rounds_of(conn: &mut AnyConnection, contest_id: i64) -> sqlx::Result<Vec<RoundRow>> {
    sqlx::query_as(&format!(
        "SELECT {ROUND_COLUMNS} FROM rounds WHERE contest_id = $1 ORDER BY opens_at, id"
    ))
    .bind(contest_id)
    .fetch_all(conn)
    .await
}

pub async fn round_by_id(conn: &mut AnyConnection, id: i64) -> sqlx::Result<Option<RoundRow>> {
    sqlx::query_as(&format!("SELECT {ROUND_COLUMNS} FROM rounds WHERE id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await
}

pub async fn insert_option(
    conn: &mut AnyConnection,
    question_id: i64,
    position: i64,
    text: &str,
    is_correct: bool,
) -> sqlx::Result<i64> {
    sqlx::query_scalar("INSERT INTO options (question_id, position, text, is_correct) VALUES ($1, $2, $3, $4) RETURNING id")
        .bind(question_id)
        .bind(position)
        .bind(text)
        .bind(i64::from(is_correct))
        .fetch_one(conn)
        .await
}

/// Whether a round of the contest (retired ones too: their attempts may still run) is open at
/// `now_ms`.
pub async fn round_open_at(
    conn: &mut AnyConnection,
    contest_id: i64,
    now_ms: i64,
) -> sqlx::Result<bool> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM rounds WHERE contest_id = $1 AND opens_at <= $2 AND closes_at > $2",
    )
    .bind(contest_id)
    .bind(now_ms)
    .fetch_one(conn)
    .await?;
    Ok(n > 0)
}

/// The questions that may be drawn for an attempt (never those for study only).
pub async fn approved_drawables(
    conn: &mut AnyConnection,
    contest_id: i64,
) -> sqlx::Result<Vec<Drawable>> {
    let rows: Vec<(i64, String, i64)> = sqlx::query_as(
        "SELECT id, topic, difficulty FROM questions \
         WHERE contest_id = $1 AND status = 'approved' AND study_only = 0 ORDER BY id",
    )
    .bind(contest_id)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, topic, difficulty)| Drawable {
            id,
            topic,
            difficulty,
        })
        .collect())
}

pub async fn quotas_of(conn: &mut AnyConnection, contest_id: i64) -> sqlx::Result<Vec<DrawQuota>> {
    let rows: Vec<(String, Option<i64>, i64)> = sqlx::query_as(
        "SELECT topic, difficulty, count FROM draw_quotas WHERE contest_id = $1 ORDER BY id",
    )
    .bind(contest_id)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(topic, difficulty, count)| DrawQuota {
            topic,
            difficulty,
            count: count.max(0) as u32,
        })
        .collect())
}

pub async fn replace_quotas(
    conn: &mut AnyConnection,
    contest_id: i64,
    quotas: &[DrawQuota],
) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM draw_quotas WHERE contest_id = $1")
        .bind(contest_id)
        .execute(&mut *conn)
        .await?;
    for q in quotas {
        sqlx::query(
            "INSERT INTO draw_quotas (contest_id, topic, difficulty, count) VALUES ($1, $2, $3, $4)",
        )
        .bind(contest_id)
        .bind(&q.topic)
        .bind(q.difficulty)
        .bind(i64::from(q.count))
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

pub async fn option_ids_of(conn: &mut AnyConnection, question_id: i64) -> sqlx::Result<Vec<i64>> {
    sqlx::query_scalar("SELECT id FROM options WHERE question_id = $1 ORDER BY position")
        .bind(question_id)
        .fetch_all(conn)
        .await
}

pub async fn update_contest(
    conn: &mut AnyConnection,
    id: i64,
    s: &crate::domain::settings::ContestSettings,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE contests SET name = $2, rules_text = $3, min_age = $4, questions_per_attempt = $5, \
         time_limit_secs = $6, grace_secs = $7, max_attempts_per_round = $8, points_per_question = $9, \
         bank_published = $10, counting_mode = $11, prediction_enabled = $12, prediction_prompt = $13, \
         rank_chain = $14, all_correct_only = $15, prediction_target = $16, round_prizes = $17, \
         prize_cap_percent = $18, one_prize_per_person = $19, freeze_minutes = $20, \
         overall_prizes = $21, board_hidden = $22, study_answers = $23, answer_review = $24, \
         min_secs_per_question = $25 WHERE id = $1",
    )
    .bind(id)
    .bind(&s.name)
    .bind(&s.rules_text)
    .bind(s.min_age)
    .bind(s.questions_per_attempt)
    .bind(s.time_limit_secs)
    .bind(s.grace_secs)
    .bind(s.max_attempts_per_round)
    .bind(s.points_per_question)
    .bind(i64::from(s.bank_published))
    .bind(s.counting_mode.as_str())
    .bind(i64::from(s.prediction_enabled))
    .bind(&s.prediction_prompt)
    .bind(format_chain(&s.rank_chain))
    .bind(i64::from(s.all_correct_only))
    .bind(s.prediction_target.as_str())
    .bind(format_tiers(&s.round_prizes))
    .bind(s.prize_cap_percent)
    .bind(i64::from(s.one_prize_per_person))
    .bind(s.freeze_minutes)
    .bind(format_tiers(&s.overall_prizes))
    .bind(i64::from(s.board_hidden))
    .bind(s.study_answers.as_str())
    .bind(s.answer_review.as_str())
    .bind(s.min_secs_per_question)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn update_round(
    conn: &mut AnyConnection,
    id: i64,
    name: &str,
    opens_at: i64,
    closes_at: i64,
    results_at: Option<i64>,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE rounds SET name = $2, opens_at = $3, closes_at = $4, results_at = $5 WHERE id = $1",
    )
    .bind(id)
    .bind(name)
    .bind(opens_at)
    .bind(closes_at)
    .bind(results_at)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The demo's prize structure (the contest form edits it afterwards).
pub async fn set_round_prizes(conn: &mut AnyConnection, id: i64, prizes: &str) -> sqlx::Result<()> {
    sqlx::query("UPDATE contests SET round_prizes = $2 WHERE id = $1")
        .bind(id)
        .bind(prizes)
        .execute(conn)
        .await?;
    Ok(())
}

/// Attempts still running in any round of the contest.
pub async fn running_attempts(conn: &mut AnyConnection, contest_id: i64) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM attempts a JOIN rounds r ON r.id = a.round_id \
         WHERE r.contest_id = $1 AND a.status = 'in_progress'",
    )
    .bind(contest_id)
    .fetch_one(conn)
    .await
}
