use sqlx::{AnyConnection, FromRow};

#[derive(Debug, Clone, FromRow)]
pub struct BankRow {
    pub id: i64,
    pub topic: String,
    pub difficulty: i64,
    pub text: String,
    pub explanation: String,
    pub reference: String,
    pub status: String,
    pub author_id: Option<i64>,
    pub review_comment: String,
    pub revision_of: Option<i64>,
    pub study_only: i64,
}

const BANK_COLUMNS: &str = "id, topic, difficulty, text, explanation, reference, status, \
     author_id, review_comment, revision_of, study_only";

pub async fn questions_of(conn: &mut AnyConnection, contest_id: i64) -> sqlx::Result<Vec<BankRow>> {
    sqlx::query_as(&format!(
        "SELECT {BANK_COLUMNS} FROM questions WHERE contest_id = $1 ORDER BY id DESC"
    ))
    .bind(contest_id)
    .fetch_all(conn)
    .await
}

pub async fn question(
    conn: &mut AnyConnection,
    id: i64,
    lock: &str,
) -> sqlx::Result<Option<BankRow>> {
    sqlx::query_as(&format!(
        "SELECT {BANK_COLUMNS} FROM questions WHERE id = $1{lock}"
    ))
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// (question id, position, text, is_correct) for the given contest's questions.
pub async fn options_of_contest(
    conn: &mut AnyConnection,
    contest_id: i64,
) -> sqlx::Result<Vec<(i64, i64, String, i64)>> {
    sqlx::query_as(
        "SELECT o.question_id, o.position, o.text, o.is_correct FROM options o \
         JOIN questions q ON q.id = o.question_id WHERE q.contest_id = $1 ORDER BY o.question_id, o.position",
    )
    .bind(contest_id)
    .fetch_all(conn)
    .await
}

pub async fn topics(conn: &mut AnyConnection, contest_id: i64) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar(
        "SELECT name FROM topics WHERE contest_id = $1 AND retired_at IS NULL ORDER BY id",
    )
    .bind(contest_id)
    .fetch_all(conn)
    .await
}

pub async fn insert_topic(
    conn: &mut AnyConnection,
    contest_id: i64,
    name: &str,
) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO topics (contest_id, name) VALUES ($1, $2)")
        .bind(contest_id)
        .bind(name)
        .execute(conn)
        .await?;
    Ok(())
}

pub struct NewQuestion<'a> {
    pub contest_id: i64,
    pub topic: &'a str,
    pub difficulty: i64,
    pub text: &'a str,
    pub explanation: &'a str,
    pub reference: &'a str,
    pub status: &'a str,
    pub author_id: Option<i64>,
    pub revision_of: Option<i64>,
    pub study_only: bool,
    pub now: i64,
}

pub async fn insert_question(conn: &mut AnyConnection, q: NewQuestion<'_>) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO questions (contest_id, topic, difficulty, text, explanation, reference, status, author_id, \
         revision_of, updated_at, study_only) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
         RETURNING id",
    )
    .bind(q.contest_id)
    .bind(q.topic)
    .bind(q.difficulty)
    .bind(q.text)
    .bind(q.explanation)
    .bind(q.reference)
    .bind(q.status)
    .bind(q.author_id)
    .bind(q.revision_of)
    .bind(q.now)
    .bind(i64::from(q.study_only))
    .fetch_one(conn)
    .await
}

pub async fn set_status(
    conn: &mut AnyConnection,
    id: i64,
    status: &str,
    reviewer_id: Option<i64>,
    comment: &str,
    now: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE questions SET status = $2, reviewer_id = COALESCE($3, reviewer_id), review_comment = $4, \
         updated_at = $5 WHERE id = $1",
    )
    .bind(id)
    .bind(status)
    .bind(reviewer_id)
    .bind(comment)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}
