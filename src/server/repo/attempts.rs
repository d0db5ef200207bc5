use sqlx::any::AnyRow;
use sqlx::{AnyConnection, FromRow, Row};

use super::{placeholders, tuples};
use crate::domain::{AttemptStatus, FinalizedBy};

/// An attempt with the terms it was given at its start (deadline, accept-until, maximum
/// score): later changes to the contest never reach it.
#[derive(Debug, Clone)]
pub struct AttemptRow {
    pub id: i64,
    pub user_id: i64,
    pub round_id: i64,
    pub started_at: i64,
    pub deadline_at: i64,
    /// Deadline plus the grace in force at the start: no answer is stored after it.
    pub accept_until: i64,
    pub max_score: i64,
    pub status: AttemptStatus,
    pub submitted_at: Option<i64>,
    pub finalized_by: Option<FinalizedBy>,
    pub score: Option<i64>,
    pub correct_count: Option<i64>,
    pub elapsed_ms: Option<i64>,
}

impl AttemptRow {
    pub fn is_final(&self) -> bool {
        self.status == AttemptStatus::Final
    }
}

/// The `status` and `finalized_by` columns of an attempts row, as the enums they store.
pub fn attempt_state(row: &AnyRow) -> sqlx::Result<(AttemptStatus, Option<FinalizedBy>)> {
    let decode_error = |column: &str, value: &str| sqlx::Error::ColumnDecode {
        index: column.to_string(),
        source: format!("unknown value {value:?}").into(),
    };
    let status: String = row.try_get("status")?;
    let finalized_by: Option<String> = row.try_get("finalized_by")?;
    Ok((
        AttemptStatus::parse(&status).ok_or_else(|| decode_error("status", &status))?,
        finalized_by
            .map(|f| FinalizedBy::parse(&f).ok_or_else(|| decode_error("finalized_by", &f)))
            .transpose()?,
    ))
}

impl<'r> FromRow<'r, AnyRow> for AttemptRow {
    fn from_row(row: &'r AnyRow) -> sqlx::Result<Self> {
        let (status, finalized_by) = attempt_state(row)?;
        Ok(Self {
            id: row.try_get("id")?,
            user_id: row.try_get("user_id")?,
            round_id: row.try_get("round_id")?,
            started_at: row.try_get("started_at")?,
            deadline_at: row.try_get("deadline_at")?,
            accept_until: row.try_get("accept_until")?,
            max_score: row.try_get("max_score")?,
            status,
            finalized_by,
            submitted_at: row.try_get("submitted_at")?,
            score: row.try_get("score")?,
            correct_count: row.try_get("correct_count")?,
            elapsed_ms: row.try_get("elapsed_ms")?,
        })
    }
}

/// A question of an attempt with its text and options in the attempt's display order.
#[derive(Debug, Clone, FromRow)]
pub struct AttemptQuestionRow {
    pub seq: i64,
    pub question_id: i64,
    pub option_order: String,
    pub topic: String,
    pub text: String,
    pub explanation: String,
    pub reference: String,
}

#[derive(Debug, Clone)]
pub struct OptionRow {
    pub id: i64,
    pub question_id: i64,
    pub text: String,
    pub is_correct: bool,
}

impl<'r> FromRow<'r, AnyRow> for OptionRow {
    fn from_row(row: &'r AnyRow) -> sqlx::Result<Self> {
        Ok(Self {
            id: row.try_get("id")?,
            question_id: row.try_get("question_id")?,
            text: row.try_get("text")?,
            // Stored as 0/1 on both backends.
            is_correct: row.try_get::<i64, _>("is_correct")? != 0,
        })
    }
}

#[derive(Debug, Clone, FromRow)]
pub struct AnswerRow {
    pub seq: i64,
    pub option_id: Option<i64>,
}

const ATTEMPT_COLUMNS: &str =
    "id, user_id, round_id, started_at, deadline_at, accept_until, max_score, status, \
     submitted_at, finalized_by, score, correct_count, elapsed_ms";

pub async fn attempt_by_id(
    conn: &mut AnyConnection,
    id: i64,
    lock: &str,
) -> sqlx::Result<Option<AttemptRow>> {
    sqlx::query_as(&format!(
        "SELECT {ATTEMPT_COLUMNS} FROM attempts WHERE id = $1{lock}"
    ))
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// The listed attempts (locked when `lock` says so), in id order: a batch locks its rows
/// in the same order as every other, so two batches never deadlock.
pub async fn attempts_by_ids(
    conn: &mut AnyConnection,
    ids: &[i64],
    lock: &str,
) -> sqlx::Result<Vec<AttemptRow>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT {ATTEMPT_COLUMNS} FROM attempts WHERE id IN ({}) ORDER BY id{lock}",
        placeholders(1, ids.len())
    );
    let mut q = sqlx::query_as(&sql);
    for id in ids {
        q = q.bind(*id);
    }
    q.fetch_all(conn).await
}

/// (attempt, question, option order) of the listed (attempt, question) pairs.
pub async fn option_orders_of(
    conn: &mut AnyConnection,
    keys: &[(i64, i64)],
) -> sqlx::Result<Vec<(i64, i64, String)>> {
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    let pairs = tuples(keys.len(), 2);
    let sql = format!(
        "SELECT attempt_id, seq, option_order FROM attempt_questions WHERE (attempt_id, seq) IN ({pairs})"
    );
    let mut q = sqlx::query_as(&sql);
    for (attempt, seq) in keys {
        q = q.bind(*attempt).bind(*seq);
    }
    q.fetch_all(conn).await
}

pub async fn attempts_of_user_in_round(
    conn: &mut AnyConnection,
    user_id: i64,
    round_id: i64,
) -> sqlx::Result<Vec<AttemptRow>> {
    sqlx::query_as(&format!(
        "SELECT {ATTEMPT_COLUMNS} FROM attempts WHERE user_id = $1 AND round_id = $2 ORDER BY id"
    ))
    .bind(user_id)
    .bind(round_id)
    .fetch_all(conn)
    .await
}

/// The terms a new attempt is given, frozen for its whole life.
pub struct NewAttempt {
    pub user_id: i64,
    pub round_id: i64,
    pub started_at: i64,
    pub deadline_at: i64,
    pub accept_until: i64,
    pub max_score: i64,
}

pub async fn insert_attempt(conn: &mut AnyConnection, a: &NewAttempt) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO attempts (user_id, round_id, started_at, deadline_at, accept_until, max_score, status) \
         VALUES ($1, $2, $3, $4, $5, $6, 'in_progress') RETURNING id",
    )
    .bind(a.user_id)
    .bind(a.round_id)
    .bind(a.started_at)
    .bind(a.deadline_at)
    .bind(a.accept_until)
    .bind(a.max_score)
    .fetch_one(conn)
    .await
}

/// Attempts started and not yet final, in every contest.
pub async fn count_in_progress(conn: &mut AnyConnection) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM attempts WHERE status = 'in_progress'")
        .fetch_one(conn)
        .await
}

/// Attempts past the time their answers are accepted and not final yet: the sweeper's backlog.
pub async fn count_overdue(conn: &mut AnyConnection, now_ms: i64) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM attempts WHERE status = 'in_progress' AND accept_until < $1",
    )
    .bind(now_ms)
    .fetch_one(conn)
    .await
}

/// A final entry of a round as the plausibility review reads it, with its person.
#[derive(Debug, Clone, FromRow)]
pub struct TraceRow {
    pub id: i64,
    pub user_id: i64,
    pub full_name: String,
    pub unit_name: String,
    pub score: i64,
    pub started_at: i64,
    pub elapsed_ms: i64,
    pub started_from: String,
    pub started_device: String,
    pub registered_at: i64,
    pub registered_from: String,
    pub registered_device: String,
    pub questions: i64,
}

/// The final entries of a round, for the plausibility review.
pub async fn traces_of_round(
    conn: &mut AnyConnection,
    round_id: i64,
) -> sqlx::Result<Vec<TraceRow>> {
    sqlx::query_as(
        "SELECT a.id, a.user_id, u.full_name, n.name AS unit_name, COALESCE(a.score, 0) AS score, \
           a.started_at, COALESCE(a.elapsed_ms, 0) AS elapsed_ms, a.started_from, a.started_device, \
           u.created_at AS registered_at, u.registered_from, u.registered_device, \
           (SELECT COUNT(*) FROM attempt_questions q WHERE q.attempt_id = a.id) AS questions \
         FROM attempts a JOIN users u ON u.id = a.user_id JOIN units n ON n.id = u.unit_id \
         WHERE a.round_id = $1 AND a.status = 'final' ORDER BY a.id",
    )
    .bind(round_id)
    .fetch_all(conn)
    .await
}

/// The stored answers of a round's final entries: (attempt, saved at, question, option).
pub async fn saves_of_round(
    conn: &mut AnyConnection,
    round_id: i64,
) -> sqlx::Result<Vec<(i64, i64, i64, Option<i64>)>> {
    sqlx::query_as(
        "SELECT an.attempt_id, an.saved_at, an.seq, an.option_id FROM answers an \
         JOIN attempts a ON a.id = an.attempt_id WHERE a.round_id = $1 AND a.status = 'final'",
    )
    .bind(round_id)
    .fetch_all(conn)
    .await
}

/// Where an attempt was started (address, device id), for the plausibility review.
pub async fn set_started_from(
    conn: &mut AnyConnection,
    attempt_id: i64,
    ip: &str,
    device: &str,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE attempts SET started_from = $2, started_device = $3 WHERE id = $1")
        .bind(attempt_id)
        .bind(ip)
        .bind(device)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn insert_attempt_question(
    conn: &mut AnyConnection,
    attempt_id: i64,
    seq: i64,
    question_id: i64,
    option_order: &str,
) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO attempt_questions (attempt_id, seq, question_id, option_order) VALUES ($1, $2, $3, $4)")
        .bind(attempt_id)
        .bind(seq)
        .bind(question_id)
        .bind(option_order)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn questions_of_attempt(
    conn: &mut AnyConnection,
    attempt_id: i64,
) -> sqlx::Result<Vec<AttemptQuestionRow>> {
    sqlx::query_as(
        "SELECT aq.seq, aq.question_id, aq.option_order, q.topic, q.text, q.explanation, q.reference \
         FROM attempt_questions aq JOIN questions q ON q.id = aq.question_id \
         WHERE aq.attempt_id = $1 ORDER BY aq.seq",
    )
    .bind(attempt_id)
    .fetch_all(conn)
    .await
}

pub async fn options_of_attempt(
    conn: &mut AnyConnection,
    attempt_id: i64,
) -> sqlx::Result<Vec<OptionRow>> {
    sqlx::query_as(
        "SELECT o.id, o.question_id, o.text, o.is_correct FROM options o \
         JOIN attempt_questions aq ON aq.question_id = o.question_id WHERE aq.attempt_id = $1",
    )
    .bind(attempt_id)
    .fetch_all(conn)
    .await
}

pub async fn answers_of(conn: &mut AnyConnection, attempt_id: i64) -> sqlx::Result<Vec<AnswerRow>> {
    sqlx::query_as("SELECT seq, option_id FROM answers WHERE attempt_id = $1 ORDER BY seq")
        .bind(attempt_id)
        .fetch_all(conn)
        .await
}

pub async fn upsert_answer(
    conn: &mut AnyConnection,
    attempt_id: i64,
    seq: i64,
    option_id: Option<i64>,
    saved_at: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO answers (attempt_id, seq, option_id, saved_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (attempt_id, seq) DO UPDATE SET option_id = excluded.option_id, saved_at = excluded.saved_at",
    )
    .bind(attempt_id)
    .bind(seq)
    .bind(option_id)
    .bind(saved_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// One answer to store: (attempt, question, option or none, saved at).
pub type NewAnswer = (i64, i64, Option<i64>, i64);

/// Stores the answers in one statement. Each (attempt, question) may appear once.
pub async fn upsert_answers(conn: &mut AnyConnection, rows: &[NewAnswer]) -> sqlx::Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let values = tuples(rows.len(), 4);
    let sql = format!(
        "INSERT INTO answers (attempt_id, seq, option_id, saved_at) VALUES {values} \
         ON CONFLICT (attempt_id, seq) DO UPDATE SET option_id = excluded.option_id, saved_at = excluded.saved_at"
    );
    let mut q = sqlx::query(&sql);
    for (attempt, seq, option, at) in rows {
        q = q.bind(*attempt).bind(*seq).bind(*option).bind(*at);
    }
    q.execute(conn).await?;
    Ok(())
}

pub struct Finalization {
    pub attempt_id: i64,
    pub submitted_at: i64,
    pub finalized_by: FinalizedBy,
    pub score: i64,
    pub correct_count: i64,
    pub elapsed_ms: i64,
}

/// (attempt, correct option or -1, chosen option) of every question of the listed attempts,
/// in (attempt, question) order: what scoring them needs, in one round trip.
pub async fn marks_of(
    conn: &mut AnyConnection,
    attempt_ids: &[i64],
) -> sqlx::Result<Vec<(i64, i64, Option<i64>)>> {
    if attempt_ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        // Subqueries by primary key rather than a join: with statistics from before a round's
        // bulk of attempts, Postgres merge-joined the whole answers table (0.8 s per batch).
        "SELECT aq.attempt_id, \
         COALESCE((SELECT MAX(o.id) FROM options o WHERE o.question_id = aq.question_id AND o.is_correct <> 0), -1), \
         (SELECT an.option_id FROM answers an WHERE an.attempt_id = aq.attempt_id AND an.seq = aq.seq) \
         FROM attempt_questions aq WHERE aq.attempt_id IN ({}) ORDER BY aq.attempt_id, aq.seq",
        placeholders(1, attempt_ids.len())
    );
    let mut q = sqlx::query_as(&sql);
    for id in attempt_ids {
        q = q.bind(*id);
    }
    q.fetch_all(conn).await
}

/// Marks the listed running attempts final in one statement; an attempt already final is
/// left as it is. Returns how many changed.
pub async fn finalize_all(conn: &mut AnyConnection, rows: &[Finalization]) -> sqlx::Result<u64> {
    if rows.is_empty() {
        return Ok(0);
    }
    let values = tuples(rows.len(), 6);
    // A common table expression names the columns the same way on both backends.
    let sql = format!(
        "WITH v(id, submitted_at, finalized_by, score, correct_count, elapsed_ms) AS (VALUES {values}) \
         UPDATE attempts SET status = 'final', submitted_at = v.submitted_at, \
         finalized_by = v.finalized_by, score = v.score, correct_count = v.correct_count, \
         elapsed_ms = v.elapsed_ms FROM v WHERE attempts.id = v.id AND attempts.status = 'in_progress'"
    );
    let mut q = sqlx::query(&sql);
    for f in rows {
        q = q
            .bind(f.attempt_id)
            .bind(f.submitted_at)
            .bind(f.finalized_by.as_str())
            .bind(f.score)
            .bind(f.correct_count)
            .bind(f.elapsed_ms);
    }
    Ok(q.execute(conn).await?.rows_affected())
}

/// Marks a running attempt final; returns false when it already was (nothing changes).
pub async fn finalize(conn: &mut AnyConnection, f: Finalization) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE attempts SET status = 'final', submitted_at = $2, finalized_by = $3, score = $4, \
         correct_count = $5, elapsed_ms = $6 WHERE id = $1 AND status = 'in_progress'",
    )
    .bind(f.attempt_id)
    .bind(f.submitted_at)
    .bind(f.finalized_by.as_str())
    .bind(f.score)
    .bind(f.correct_count)
    .bind(f.elapsed_ms)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Running attempts whose answers can no longer arrive (their accept-until < now).
/// Walks them in id order from `after_id`, so a pass reaches every one even when some
/// cannot be closed.
pub async fn overdue_attempt_ids(
    conn: &mut AnyConnection,
    now: i64,
    after_id: i64,
    limit: i64,
) -> sqlx::Result<Vec<i64>> {
    sqlx::query_scalar(
        "SELECT id FROM attempts WHERE status = 'in_progress' AND accept_until < $1 AND id > $2 \
         ORDER BY id LIMIT $3",
    )
    .bind(now)
    .bind(after_id)
    .bind(limit)
    .fetch_all(conn)
    .await
}

/// When the next running attempt becomes overdue (its `accept_until`), if any runs.
pub async fn next_overdue_at(conn: &mut AnyConnection) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar("SELECT MIN(accept_until) FROM attempts WHERE status = 'in_progress'")
        .fetch_one(conn)
        .await
}

pub async fn set_prediction(
    conn: &mut AnyConnection,
    attempt_id: i64,
    value: i64,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE attempts SET prediction = $2 WHERE id = $1")
        .bind(attempt_id)
        .bind(value)
        .execute(conn)
        .await?;
    Ok(())
}
