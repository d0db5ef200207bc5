//! A contest's life on the installation: duplication (settings, rounds, topics, quotas and
//! optionally the approved bank, never attempts or people), wiping a trial run, deleting or
//! retiring rounds, topics and units, and the contest's news.

use sqlx::AnyConnection;

use crate::domain::contests::shifted;

/// Copies the settings and branding of `from` into a new contest; returns its id.
pub async fn copy_contest(
    conn: &mut AnyConnection,
    from: i64,
    slug: &str,
    name: &str,
    is_trial: bool,
    created_at: i64,
    created_by: i64,
) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO contests (slug, name, rules_text, min_age, questions_per_attempt, \
           time_limit_secs, grace_secs, max_attempts_per_round, points_per_question, created_at, \
           bank_published, counting_mode, prediction_enabled, prediction_prompt, rank_chain, \
           all_correct_only, prediction_target, round_prizes, prize_cap_percent, \
           one_prize_per_person, freeze_minutes, overall_prizes, is_trial, board_hidden, \
           organizer_name, logo_url, contact_phone, contact_email, contact_address, help_text, \
           cert_title, cert_issuer, cert_signer_name, cert_signer_title, cert_place, created_by, \
           quota_rules, extra_fields, study_answers, answer_review, min_secs_per_question) \
         SELECT $2, $3, rules_text, min_age, questions_per_attempt, time_limit_secs, grace_secs, \
           max_attempts_per_round, points_per_question, $4, bank_published, counting_mode, \
           prediction_enabled, prediction_prompt, rank_chain, all_correct_only, \
           prediction_target, round_prizes, prize_cap_percent, one_prize_per_person, \
           freeze_minutes, overall_prizes, $5, board_hidden, organizer_name, logo_url, \
           contact_phone, contact_email, contact_address, help_text, cert_title, cert_issuer, \
           cert_signer_name, cert_signer_title, cert_place, $6, quota_rules, extra_fields, \
           study_answers, answer_review, min_secs_per_question \
         FROM contests WHERE id = $1 RETURNING id",
    )
    .bind(from)
    .bind(slug)
    .bind(name)
    .bind(created_at)
    .bind(i64::from(is_trial))
    .bind(created_by)
    .fetch_one(conn)
    .await
}

/// (name, opens, closes, results, prizes) of a round being copied.
type RoundCopy = (String, i64, i64, Option<i64>, Option<String>);

/// Copies the rounds that are not retired, moved by `shift_days`; prizes are never copied.
pub async fn copy_rounds(
    conn: &mut AnyConnection,
    from: i64,
    to: i64,
    shift_days: i64,
) -> sqlx::Result<()> {
    let rounds: Vec<RoundCopy> = sqlx::query_as(
        "SELECT name, opens_at, closes_at, results_at, prizes FROM rounds \
         WHERE contest_id = $1 AND retired_at IS NULL ORDER BY opens_at, id",
    )
    .bind(from)
    .fetch_all(&mut *conn)
    .await?;
    for (name, opens, closes, results, prizes) in rounds {
        sqlx::query(
            "INSERT INTO rounds (contest_id, name, opens_at, closes_at, results_at, prizes) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(to)
        .bind(name)
        .bind(shifted(opens, shift_days))
        .bind(shifted(closes, shift_days))
        .bind(results.map(|r| shifted(r, shift_days)))
        .bind(prizes)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Copies the topics in use and the draw quotas.
pub async fn copy_topics_and_quotas(
    conn: &mut AnyConnection,
    from: i64,
    to: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO topics (contest_id, name) SELECT $2, name FROM topics \
         WHERE contest_id = $1 AND retired_at IS NULL ORDER BY id",
    )
    .bind(from)
    .bind(to)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO draw_quotas (contest_id, topic, difficulty, count) \
         SELECT $2, topic, difficulty, count FROM draw_quotas WHERE contest_id = $1 ORDER BY id",
    )
    .bind(from)
    .bind(to)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Copies the categories and positions still in use (never the rosters or anyone's profile:
/// those are people's data).
pub async fn copy_people_groups(conn: &mut AnyConnection, from: i64, to: i64) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO contest_groups (contest_id, kind, name, mandatory, min_age, sort) \
         SELECT $2, kind, name, mandatory, min_age, sort FROM contest_groups \
         WHERE contest_id = $1 AND retired_at IS NULL ORDER BY id",
    )
    .bind(from)
    .bind(to)
    .execute(conn)
    .await?;
    Ok(())
}

/// Copies the approved questions with their options (new ids: attempts of the old contest
/// keep their own keys). Returns how many were copied.
pub async fn copy_approved_bank(
    conn: &mut AnyConnection,
    from: i64,
    to: i64,
    now: i64,
) -> sqlx::Result<u64> {
    let questions: Vec<(i64, String, i64, String, String, String, i64)> = sqlx::query_as(
        "SELECT id, topic, difficulty, text, explanation, reference, study_only FROM questions \
         WHERE contest_id = $1 AND status = 'approved' ORDER BY id",
    )
    .bind(from)
    .fetch_all(&mut *conn)
    .await?;
    let mut copied = 0;
    for (old, topic, difficulty, text, explanation, reference, study_only) in questions {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO questions (contest_id, topic, difficulty, text, explanation, reference, \
               status, updated_at, study_only) VALUES ($1, $2, $3, $4, $5, $6, 'approved', $7, $8) \
             RETURNING id",
        )
        .bind(to)
        .bind(topic)
        .bind(difficulty)
        .bind(text)
        .bind(explanation)
        .bind(reference)
        .bind(now)
        .bind(study_only)
        .fetch_one(&mut *conn)
        .await?;
        sqlx::query(
            "INSERT INTO options (question_id, position, text, is_correct) \
             SELECT $2, position, text, is_correct FROM options WHERE question_id = $1 ORDER BY position",
        )
        .bind(old)
        .bind(id)
        .execute(&mut *conn)
        .await?;
        copied += 1;
    }
    Ok(copied)
}

/// Deletes every attempt of the contest with what hangs on it (answers, drawn questions,
/// prizes, set-asides); returns how many attempts went.
pub async fn wipe_attempts(conn: &mut AnyConnection, contest_id: i64) -> sqlx::Result<u64> {
    let of_contest =
        "(SELECT a.id FROM attempts a JOIN rounds r ON r.id = a.round_id WHERE r.contest_id = $1)";
    let rounds = "(SELECT id FROM rounds WHERE contest_id = $1)";
    for sql in [
        format!("DELETE FROM answers WHERE attempt_id IN {of_contest}"),
        format!("DELETE FROM attempt_questions WHERE attempt_id IN {of_contest}"),
        format!("DELETE FROM awards WHERE round_id IN {rounds}"),
        format!("DELETE FROM disqualifications WHERE round_id IN {rounds}"),
        "DELETE FROM overall_awards WHERE contest_id = $1".to_string(),
        "DELETE FROM unit_awards WHERE contest_id = $1".to_string(),
        // A trial participant's category and position go with their trial entries.
        "DELETE FROM contest_profiles WHERE contest_id = $1".to_string(),
    ] {
        sqlx::query(&sql)
            .bind(contest_id)
            .execute(&mut *conn)
            .await?;
    }
    sqlx::query(&format!(
        "UPDATE rounds SET awards_published_at = NULL WHERE id IN {rounds}"
    ))
    .bind(contest_id)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "UPDATE contests SET overall_published_at = NULL, unit_awards_published_at = NULL WHERE id = $1",
    )
    .bind(contest_id)
    .execute(&mut *conn)
    .await?;
    let done = sqlx::query(&format!("DELETE FROM attempts WHERE id IN {of_contest}"))
        .bind(contest_id)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected())
}

/// Attempts ever started in the round.
pub async fn attempts_in_round(conn: &mut AnyConnection, round_id: i64) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM attempts WHERE round_id = $1")
        .bind(round_id)
        .fetch_one(conn)
        .await
}

pub async fn delete_round(conn: &mut AnyConnection, round_id: i64) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM rounds WHERE id = $1")
        .bind(round_id)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn set_round_retired(
    conn: &mut AnyConnection,
    round_id: i64,
    at: Option<i64>,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE rounds SET retired_at = $2 WHERE id = $1")
        .bind(round_id)
        .bind(at)
        .execute(conn)
        .await?;
    Ok(())
}

/// A round's own prize structure (`None`: the contest's).
pub async fn set_round_prizes(
    conn: &mut AnyConnection,
    round_id: i64,
    prizes: Option<&str>,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE rounds SET prizes = $2 WHERE id = $1")
        .bind(round_id)
        .bind(prizes)
        .execute(conn)
        .await?;
    Ok(())
}

/// (id, name, opens, closes) of the contest's other rounds that are not retired.
pub async fn other_windows(
    conn: &mut AnyConnection,
    contest_id: i64,
    except: i64,
) -> sqlx::Result<Vec<(i64, String, i64, i64)>> {
    sqlx::query_as(
        "SELECT id, name, opens_at, closes_at FROM rounds \
         WHERE contest_id = $1 AND id <> $2 AND retired_at IS NULL ORDER BY opens_at",
    )
    .bind(contest_id)
    .bind(except)
    .fetch_all(conn)
    .await
}

/// People registered in the unit, and contests' prizes that name it.
pub async fn unit_uses(conn: &mut AnyConnection, unit_id: i64) -> sqlx::Result<(i64, i64, i64)> {
    let people: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM users WHERE unit_id = $1 OR workplace_unit_id = $1",
    )
    .bind(unit_id)
    .fetch_one(&mut *conn)
    .await?;
    let children: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM units WHERE parent_id = $1")
        .bind(unit_id)
        .fetch_one(&mut *conn)
        .await?;
    let other: i64 = sqlx::query_scalar(
        "SELECT (SELECT COUNT(*) FROM unit_awards WHERE unit_id = $1) + \
                (SELECT COUNT(*) FROM initiative_entries WHERE unit_id = $1) + \
                (SELECT COUNT(*) FROM roster_entries WHERE unit_id = $1)",
    )
    .bind(unit_id)
    .fetch_one(&mut *conn)
    .await?;
    Ok((people, children, other))
}

pub async fn delete_unit(conn: &mut AnyConnection, unit_id: i64) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM units WHERE id = $1")
        .bind(unit_id)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn set_unit_retired(
    conn: &mut AnyConnection,
    unit_id: i64,
    at: Option<i64>,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE units SET retired_at = $2 WHERE id = $1")
        .bind(unit_id)
        .bind(at)
        .execute(conn)
        .await?;
    Ok(())
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TopicRow {
    pub id: i64,
    pub name: String,
    pub retired_at: Option<i64>,
    /// Questions of the contest filed under the topic, any status.
    pub questions: i64,
}

pub async fn topics_of(conn: &mut AnyConnection, contest_id: i64) -> sqlx::Result<Vec<TopicRow>> {
    sqlx::query_as(
        "SELECT t.id, t.name, t.retired_at, \
           (SELECT COUNT(*) FROM questions q WHERE q.contest_id = t.contest_id AND q.topic = t.name) AS questions \
         FROM topics t WHERE t.contest_id = $1 ORDER BY t.id",
    )
    .bind(contest_id)
    .fetch_all(conn)
    .await
}

/// Renames a topic with its questions and quotas.
pub async fn rename_topic(
    conn: &mut AnyConnection,
    contest_id: i64,
    from: &str,
    to: &str,
) -> sqlx::Result<()> {
    for sql in [
        "UPDATE topics SET name = $3 WHERE contest_id = $1 AND name = $2",
        "UPDATE questions SET topic = $3 WHERE contest_id = $1 AND topic = $2",
        "UPDATE draw_quotas SET topic = $3 WHERE contest_id = $1 AND topic = $2",
    ] {
        sqlx::query(sql)
            .bind(contest_id)
            .bind(from)
            .bind(to)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

pub async fn set_topic_retired(
    conn: &mut AnyConnection,
    topic_id: i64,
    at: Option<i64>,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE topics SET retired_at = $2 WHERE id = $1")
        .bind(topic_id)
        .bind(at)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn delete_topic(conn: &mut AnyConnection, topic_id: i64) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM topics WHERE id = $1")
        .bind(topic_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// The contest's rounds whose prizes are published: (id, name).
pub async fn published_rounds(
    conn: &mut AnyConnection,
    contest_id: i64,
    now: i64,
) -> sqlx::Result<Vec<(i64, String)>> {
    sqlx::query_as(
        "SELECT id, name FROM rounds WHERE contest_id = $1 AND awards_published_at IS NOT NULL \
         AND awards_published_at <= $2 ORDER BY opens_at",
    )
    .bind(contest_id)
    .bind(now)
    .fetch_all(conn)
    .await
}

pub async fn insert_news(
    conn: &mut AnyConnection,
    contest_id: i64,
    title: &str,
    body: &str,
    by: i64,
    at: i64,
) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO announcements (contest_id, title, body, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(contest_id)
    .bind(title)
    .bind(body)
    .bind(by)
    .bind(at)
    .fetch_one(conn)
    .await
}

/// (id, title, body, at), newest first.
pub async fn news_of(
    conn: &mut AnyConnection,
    contest_id: i64,
) -> sqlx::Result<Vec<(i64, String, String, i64)>> {
    sqlx::query_as(
        "SELECT id, title, body, created_at FROM announcements WHERE contest_id = $1 \
         ORDER BY created_at DESC, id DESC",
    )
    .bind(contest_id)
    .fetch_all(conn)
    .await
}

pub async fn delete_news(conn: &mut AnyConnection, contest_id: i64, id: i64) -> sqlx::Result<bool> {
    let done = sqlx::query("DELETE FROM announcements WHERE id = $1 AND contest_id = $2")
        .bind(id)
        .bind(contest_id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Whether the installation has an administrator.
pub async fn has_admin(conn: &mut AnyConnection) -> sqlx::Result<bool> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE role = 'admin'")
        .fetch_one(conn)
        .await?;
    Ok(n > 0)
}
