//! Figures for the committee's reports and the monitoring dashboard. Every count goes
//! through `participants`, so staff, excluded people and entries set aside never count.

use sqlx::any::AnyRow;
use sqlx::{AnyConnection, FromRow, Row};

use crate::domain::{AttemptStatus, FinalizedBy};

use crate::server::repo::participants::{entry, person};

#[derive(Debug, Clone, FromRow)]
pub struct UnitFigures {
    pub name: String,
    pub kind: String,
    pub headcount: i64,
    pub quota_percent: Option<i64>,
    pub registered: i64,
    pub entrants: i64,
}

/// Every unit with its registered participants (on the installation) and the contest's
/// entrants, by name.
pub async fn unit_figures(
    conn: &mut AnyConnection,
    contest_id: i64,
) -> sqlx::Result<Vec<UnitFigures>> {
    sqlx::query_as(&format!(
        "SELECT n.name, n.kind, n.headcount, n.quota_percent, \
           (SELECT COUNT(*) FROM users u WHERE u.unit_id = n.id AND {person}) AS registered, \
           (SELECT COUNT(DISTINCT a.user_id) FROM attempts a JOIN users u ON u.id = a.user_id \
              WHERE u.unit_id = n.id AND {entry}) AS entrants \
         FROM units n ORDER BY n.name",
        person = person("u"),
        entry = entry("a", "u", "$1"),
    ))
    .bind(contest_id)
    .fetch_all(conn)
    .await
}

/// The dashboard's totals.
#[derive(Debug, Clone, Default)]
pub struct Totals {
    pub registered: i64,
    pub entrants: i64,
    pub attempts: i64,
    pub attempts_since: i64,
    pub in_progress: i64,
}

/// Registered participants (on the installation), the contest's entrants and attempts;
/// `since` counts the attempts started from that instant on.
pub async fn totals(conn: &mut AnyConnection, contest_id: i64, since: i64) -> sqlx::Result<Totals> {
    let registered = sqlx::query_scalar(&format!(
        "SELECT COUNT(*) FROM users u WHERE {}",
        person("u")
    ))
    .fetch_one(&mut *conn)
    .await?;
    let (entrants, attempts, attempts_since, in_progress): (i64, i64, i64, i64) =
        sqlx::query_as(&format!(
            "SELECT COUNT(DISTINCT a.user_id), COUNT(*), \
               COALESCE(SUM(CASE WHEN a.started_at >= $1 THEN 1 ELSE 0 END), 0), \
               COALESCE(SUM(CASE WHEN a.status = 'in_progress' THEN 1 ELSE 0 END), 0) \
             FROM attempts a JOIN users u ON u.id = a.user_id WHERE {}",
            entry("a", "u", "$2")
        ))
        .bind(since)
        .bind(contest_id)
        .fetch_one(&mut *conn)
        .await?;
    Ok(Totals {
        registered,
        entrants,
        attempts,
        attempts_since,
        in_progress,
    })
}

#[derive(Debug, Clone, FromRow)]
pub struct ParticipantExportRow {
    pub id: i64,
    pub full_name: String,
    pub birth_date: String,
    pub phone: String,
    pub citizen_id: Option<String>,
    pub unit_name: String,
    pub created_at: i64,
    pub attempts: i64,
    pub best_score: Option<i64>,
}

/// Every participant with their attempts and best final score in the contest.
pub async fn participants_export(
    conn: &mut AnyConnection,
    contest_id: i64,
) -> sqlx::Result<Vec<ParticipantExportRow>> {
    sqlx::query_as(&format!(
        "SELECT u.id, u.full_name, u.birth_date, u.phone, u.citizen_id, n.name AS unit_name, u.created_at, \
           (SELECT COUNT(*) FROM attempts a WHERE a.user_id = u.id AND {of}) AS attempts, \
           (SELECT MAX(a.score) FROM attempts a WHERE a.user_id = u.id AND a.status = 'final' AND {of}) AS best_score \
         FROM users u JOIN units n ON n.id = u.unit_id WHERE {} ORDER BY u.id",
        person("u"),
        of = "a.round_id IN (SELECT cr.id FROM rounds cr WHERE cr.contest_id = $1)",
    ))
    .bind(contest_id)
    .fetch_all(conn)
    .await
}

#[derive(Debug, Clone)]
pub struct AttemptExportRow {
    pub id: i64,
    pub full_name: String,
    pub unit_name: String,
    pub round_name: String,
    pub started_at: i64,
    pub submitted_at: Option<i64>,
    pub status: AttemptStatus,
    pub finalized_by: Option<FinalizedBy>,
    pub score: Option<i64>,
    pub correct_count: Option<i64>,
    pub elapsed_ms: Option<i64>,
}

impl<'r> FromRow<'r, AnyRow> for AttemptExportRow {
    fn from_row(row: &'r AnyRow) -> sqlx::Result<Self> {
        let (status, finalized_by) = crate::server::repo::attempts::attempt_state(row)?;
        Ok(Self {
            id: row.try_get("id")?,
            full_name: row.try_get("full_name")?,
            unit_name: row.try_get("unit_name")?,
            round_name: row.try_get("round_name")?,
            started_at: row.try_get("started_at")?,
            submitted_at: row.try_get("submitted_at")?,
            status,
            finalized_by,
            score: row.try_get("score")?,
            correct_count: row.try_get("correct_count")?,
            elapsed_ms: row.try_get("elapsed_ms")?,
        })
    }
}

/// Every attempt of a participant in the contest, oldest first.
pub async fn attempts_export(
    conn: &mut AnyConnection,
    contest_id: i64,
) -> sqlx::Result<Vec<AttemptExportRow>> {
    sqlx::query_as(&format!(
        "SELECT a.id, u.full_name, n.name AS unit_name, r.name AS round_name, a.started_at, a.submitted_at, \
           a.status, a.finalized_by, a.score, a.correct_count, a.elapsed_ms \
         FROM attempts a JOIN users u ON u.id = a.user_id JOIN units n ON n.id = u.unit_id \
           JOIN rounds r ON r.id = a.round_id \
         WHERE r.contest_id = $1 AND {} ORDER BY a.id",
        person("u")
    ))
    .bind(contest_id)
    .fetch_all(conn)
    .await
}

fn round_filter(round_id: Option<i64>) -> &'static str {
    if round_id.is_some() {
        "AND a.round_id = $2"
    } else {
        "AND $2 = $2"
    }
}

/// (attempt, score) of every counted final attempt of the contest, of one round or all.
pub async fn final_scores(
    conn: &mut AnyConnection,
    contest_id: i64,
    round_id: Option<i64>,
) -> sqlx::Result<Vec<(i64, i64)>> {
    sqlx::query_as(&format!(
        "SELECT a.id, COALESCE(a.score, 0) FROM attempts a JOIN users u ON u.id = a.user_id \
         WHERE a.status = 'final' AND {} {} ORDER BY a.id",
        entry("a", "u", "$1"),
        round_filter(round_id)
    ))
    .bind(contest_id)
    .bind(round_id.unwrap_or(0))
    .fetch_all(conn)
    .await
}

#[derive(Debug, Clone, FromRow)]
pub struct ResponseRow {
    pub attempt_id: i64,
    pub question_id: i64,
    pub chosen: Option<i64>,
    pub correct_option: i64,
}

/// Every question a counted final attempt met, with the option chosen (if any) and the key.
pub async fn responses(
    conn: &mut AnyConnection,
    contest_id: i64,
    round_id: Option<i64>,
) -> sqlx::Result<Vec<ResponseRow>> {
    sqlx::query_as(&format!(
        "SELECT aq.attempt_id, aq.question_id, ans.option_id AS chosen, o.id AS correct_option \
         FROM attempt_questions aq JOIN attempts a ON a.id = aq.attempt_id \
         JOIN users u ON u.id = a.user_id \
         JOIN options o ON o.question_id = aq.question_id AND o.is_correct = 1 \
         LEFT JOIN answers ans ON ans.attempt_id = aq.attempt_id AND ans.seq = aq.seq \
         WHERE a.status = 'final' AND {} {}",
        entry("a", "u", "$1"),
        round_filter(round_id)
    ))
    .bind(contest_id)
    .bind(round_id.unwrap_or(0))
    .fetch_all(conn)
    .await
}

/// When each participant registered.
pub async fn registration_times(conn: &mut AnyConnection) -> sqlx::Result<Vec<i64>> {
    sqlx::query_scalar(&format!(
        "SELECT u.created_at FROM users u WHERE {}",
        person("u")
    ))
    .fetch_all(conn)
    .await
}

/// (person, started at) of every counted attempt of the contest.
pub async fn attempt_starts(
    conn: &mut AnyConnection,
    contest_id: i64,
) -> sqlx::Result<Vec<(i64, i64)>> {
    sqlx::query_as(&format!(
        "SELECT a.user_id, a.started_at FROM attempts a JOIN users u ON u.id = a.user_id WHERE {}",
        entry("a", "u", "$1")
    ))
    .bind(contest_id)
    .fetch_all(conn)
    .await
}

/// (round, entrants, attempts) of every round of the contest with counted attempts.
pub async fn round_counts(
    conn: &mut AnyConnection,
    contest_id: i64,
) -> sqlx::Result<Vec<(i64, i64, i64)>> {
    sqlx::query_as(&format!(
        "SELECT a.round_id, COUNT(DISTINCT a.user_id), COUNT(*) FROM attempts a \
         JOIN users u ON u.id = a.user_id WHERE {} GROUP BY a.round_id",
        entry("a", "u", "$1")
    ))
    .bind(contest_id)
    .fetch_all(conn)
    .await
}

/// (unit, round, entrants) of every unit and round of the contest with counted attempts.
pub async fn unit_round_entrants(
    conn: &mut AnyConnection,
    contest_id: i64,
) -> sqlx::Result<Vec<(i64, i64, i64)>> {
    sqlx::query_as(&format!(
        "SELECT u.unit_id, a.round_id, COUNT(DISTINCT a.user_id) FROM attempts a \
         JOIN users u ON u.id = a.user_id WHERE {} GROUP BY u.unit_id, a.round_id",
        entry("a", "u", "$1")
    ))
    .bind(contest_id)
    .fetch_all(conn)
    .await
}

/// (id, name) of every unit, by name.
pub async fn unit_names(conn: &mut AnyConnection) -> sqlx::Result<Vec<(i64, String)>> {
    sqlx::query_as("SELECT id, name FROM units ORDER BY name")
        .fetch_all(conn)
        .await
}

/// (id, topic, text) of the listed questions.
pub async fn question_texts(
    conn: &mut AnyConnection,
    ids: &[i64],
) -> sqlx::Result<Vec<(i64, String, String)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
    sqlx::query_as(&format!(
        "SELECT id, topic, text FROM questions WHERE id IN ({list})"
    ))
    .fetch_all(conn)
    .await
}

/// (question, option) of the listed questions' options, in the bank's order.
pub async fn question_options(
    conn: &mut AnyConnection,
    ids: &[i64],
) -> sqlx::Result<Vec<(i64, i64)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
    sqlx::query_as(&format!(
        "SELECT question_id, id FROM options WHERE question_id IN ({list}) ORDER BY question_id, id"
    ))
    .fetch_all(conn)
    .await
}
