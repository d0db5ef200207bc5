//! Who counts as a participant, written once. Every count of people, entries or attempts
//! (the leaderboard, collective prizes, reports, the monitoring dashboard) builds its
//! condition from here: a participant's account (staff never count), not on the exclusion
//! list (even when listed after taking part, or recognised by name and date of birth and
//! confirmed by the organizer), and, for an attempt, an entry the committee
//! has not set aside in its round.

use sqlx::AnyConnection;

use crate::domain::roles::Role;

/// The account `u` (an alias of `users`) counts as a participant.
pub fn person(u: &str) -> String {
    format!(
        "{u}.role = '{participant}' AND NOT EXISTS (SELECT 1 FROM excluded_people e \
         WHERE e.phone = {u}.phone OR (e.citizen_id IS NOT NULL AND e.citizen_id = {u}.citizen_id)) \
         AND NOT EXISTS (SELECT 1 FROM exclusion_reviews xr WHERE xr.user_id = {u}.id \
         AND xr.confirmed = 1)",
        participant = Role::Participant.as_str(),
    )
}

/// The attempt `a` (an alias of `attempts`, taken by `u`) counts in the contest `contest`
/// (a bind placeholder such as `$1`): it belongs to one of that contest's rounds, its taker
/// is a participant and their entry in the round was not set aside.
pub fn entry(a: &str, u: &str, contest: &str) -> String {
    format!(
        "{person} AND {a}.round_id IN (SELECT cr.id FROM rounds cr WHERE cr.contest_id = {contest}) \
         AND NOT EXISTS (SELECT 1 FROM disqualifications d \
         WHERE d.round_id = {a}.round_id AND d.user_id = {a}.user_id)",
        person = person(u),
    )
}

/// A final attempt with what the board and the awards look at.
pub use crate::domain::live_ranking::BoardEntry as FinishedEntry;

const FINISHED: &str = "SELECT a.id AS attempt_id, a.user_id, u.created_at AS registered_at, \
       a.prediction, \
       (SELECT COUNT(*) FROM attempt_questions q WHERE q.attempt_id = a.id) AS question_count, \
       u.full_name, n.name AS unit_name, a.score, a.correct_count, a.elapsed_ms, a.submitted_at \
     FROM attempts a JOIN users u ON u.id = a.user_id JOIN units n ON n.id = u.unit_id";

/// Every final attempt of a round by a participant. Entries set aside are kept: the
/// standings leave them out of the ranking but count them among the entrants.
pub async fn finished_entries(
    conn: &mut AnyConnection,
    round_id: i64,
) -> sqlx::Result<Vec<FinishedEntry>> {
    sqlx::query_as(&format!(
        "{FINISHED} WHERE a.round_id = $1 AND a.status = 'final' AND {}",
        person("u")
    ))
    .bind(round_id)
    .fetch_all(conn)
    .await
}

/// One final attempt as the board sees it, with how many final attempts its person has in
/// the round; None when it is not final or its taker does not count as a participant.
pub async fn finished_entry(
    conn: &mut AnyConnection,
    round_id: i64,
    attempt_id: i64,
) -> sqlx::Result<Option<(FinishedEntry, i64)>> {
    let Some(entry): Option<FinishedEntry> = sqlx::query_as(&format!(
        "{FINISHED} WHERE a.id = $1 AND a.status = 'final' AND {}",
        person("u")
    ))
    .bind(attempt_id)
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(None);
    };
    // Only the (user_id, round_id) index's columns in the condition: with `status` in it,
    // Postgres with statistics from before a round's bulk of attempts picked the
    // (round_id, status) index and read every final attempt of the round, 21 ms per entry
    // instead of 0.07 ms (a 100k round close then crawled at 80 attempts/s).
    let attempts: i64 = sqlx::query_scalar(
        "SELECT COALESCE(SUM(CASE WHEN b.status = 'final' THEN 1 ELSE 0 END), 0) \
         FROM attempts b WHERE b.user_id = $1 AND b.round_id = $2",
    )
    .bind(entry.user_id)
    .bind(round_id)
    .fetch_one(conn)
    .await?;
    Ok(Some((entry, attempts)))
}

/// `finished_entry` for many (round, attempt) pairs in two round trips: the final ones by a
/// participant, each with its round and its person's count of final attempts in that round.
pub async fn finished_entries_of(
    conn: &mut AnyConnection,
    pairs: &[(i64, i64)],
) -> sqlx::Result<Vec<(i64, FinishedEntry, i64)>> {
    if pairs.is_empty() {
        return Ok(Vec::new());
    }
    let round_of: std::collections::HashMap<i64, i64> = pairs
        .iter()
        .map(|&(round, attempt)| (attempt, round))
        .collect();
    let list = super::placeholders(1, pairs.len());
    let sql = format!(
        "{FINISHED} WHERE a.id IN ({list}) AND a.status = 'final' AND {} ORDER BY a.id",
        person("u")
    );
    let mut q = sqlx::query_as(&sql);
    for (_, attempt) in pairs {
        q = q.bind(*attempt);
    }
    let entries: Vec<FinishedEntry> = q.fetch_all(&mut *conn).await?;
    let mut keys: Vec<(i64, i64)> = entries
        .iter()
        .filter_map(|e| Some((e.user_id, *round_of.get(&e.attempt_id)?)))
        .collect();
    keys.sort_unstable();
    keys.dedup();
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    // As in `finished_entry`: only the (user_id, round_id) index's columns in the condition.
    let keyed = super::tuples(keys.len(), 2);
    let sql = format!(
        "SELECT b.user_id, b.round_id, COALESCE(SUM(CASE WHEN b.status = 'final' THEN 1 ELSE 0 END), 0) \
         FROM attempts b WHERE (b.user_id, b.round_id) IN ({keyed}) GROUP BY b.user_id, b.round_id"
    );
    let mut q = sqlx::query_as(&sql);
    for (user, round) in &keys {
        q = q.bind(*user).bind(*round);
    }
    let counts: std::collections::HashMap<(i64, i64), i64> = q
        .fetch_all(conn)
        .await?
        .into_iter()
        .map(|(user, round, n): (i64, i64, i64)| ((user, round), n))
        .collect();
    Ok(entries
        .into_iter()
        .filter_map(|e| {
            let round = *round_of.get(&e.attempt_id)?;
            let n = counts.get(&(e.user_id, round)).copied().unwrap_or(1);
            Some((round, e, n))
        })
        .collect())
}

/// Registered participants per unit.
pub async fn members_per_unit(conn: &mut AnyConnection) -> sqlx::Result<Vec<(i64, i64)>> {
    sqlx::query_as(&format!(
        "SELECT u.unit_id, COUNT(*) FROM users u WHERE {} GROUP BY u.unit_id",
        person("u")
    ))
    .fetch_all(conn)
    .await
}
