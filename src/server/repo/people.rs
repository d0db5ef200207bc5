//! A contest's categories and positions, each person's profile in a contest, the units'
//! rosters, and the counts that quota compliance is judged from.

use sqlx::{AnyConnection, FromRow};

use crate::domain::people::{GroupKind, GroupLine};
use crate::server::repo::participants;

#[derive(Debug, Clone, FromRow)]
pub struct GroupRow {
    pub id: i64,
    pub name: String,
    pub mandatory: i64,
    pub min_age: Option<i64>,
    pub retired_at: Option<i64>,
}

/// Every group of one kind in the contest, retired ones included, in the organizer's order.
pub async fn groups(
    conn: &mut AnyConnection,
    contest_id: i64,
    kind: GroupKind,
) -> sqlx::Result<Vec<GroupRow>> {
    sqlx::query_as(
        "SELECT id, name, mandatory, min_age, retired_at FROM contest_groups \
         WHERE contest_id = $1 AND kind = $2 ORDER BY sort, id",
    )
    .bind(contest_id)
    .bind(kind.as_str())
    .fetch_all(conn)
    .await
}

pub async fn insert_group(
    conn: &mut AnyConnection,
    contest_id: i64,
    kind: GroupKind,
    g: &GroupLine,
    sort: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO contest_groups (contest_id, kind, name, mandatory, min_age, sort) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(contest_id)
    .bind(kind.as_str())
    .bind(&g.name)
    .bind(i64::from(g.mandatory))
    .bind(g.min_age.map(i64::from))
    .bind(sort)
    .execute(conn)
    .await?;
    Ok(())
}

/// Rewrites a kept group: its name (case or accents may change), settings and place, and
/// brings it back if it had been retired.
pub async fn update_group(
    conn: &mut AnyConnection,
    id: i64,
    g: &GroupLine,
    sort: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE contest_groups SET name = $2, mandatory = $3, min_age = $4, sort = $5, \
         retired_at = NULL WHERE id = $1",
    )
    .bind(id)
    .bind(&g.name)
    .bind(i64::from(g.mandatory))
    .bind(g.min_age.map(i64::from))
    .bind(sort)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn retire_group(conn: &mut AnyConnection, id: i64, at: i64) -> sqlx::Result<()> {
    sqlx::query("UPDATE contest_groups SET retired_at = $2 WHERE id = $1 AND retired_at IS NULL")
        .bind(id)
        .bind(at)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn delete_group(conn: &mut AnyConnection, id: i64) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM contest_groups WHERE id = $1")
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Whether a person's profile or a roster entry names the group.
pub async fn group_in_use(conn: &mut AnyConnection, id: i64) -> sqlx::Result<bool> {
    let n: i64 = sqlx::query_scalar(
        "SELECT (SELECT COUNT(*) FROM contest_profiles WHERE category_id = $1 OR position_id = $1) \
         + (SELECT COUNT(*) FROM roster_entries WHERE position_id = $1)",
    )
    .bind(id)
    .fetch_one(conn)
    .await?;
    Ok(n > 0)
}

/// The participation rules and the profile's extra questions, as written.
pub async fn set_rules_and_fields(
    conn: &mut AnyConnection,
    contest_id: i64,
    rules: &str,
    fields: &str,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE contests SET quota_rules = $2, extra_fields = $3 WHERE id = $1")
        .bind(contest_id)
        .bind(rules)
        .bind(fields)
        .execute(conn)
        .await?;
    Ok(())
}

#[derive(Debug, Clone, FromRow)]
pub struct ProfileRow {
    pub category_id: Option<i64>,
    pub position_id: Option<i64>,
    pub category: Option<String>,
    pub category_min_age: Option<i64>,
    pub position: Option<String>,
    /// The answers to the extra questions, as JSON [label, value] pairs.
    pub extra: String,
}

pub async fn profile(
    conn: &mut AnyConnection,
    contest_id: i64,
    user_id: i64,
) -> sqlx::Result<Option<ProfileRow>> {
    sqlx::query_as(
        "SELECT p.category_id, p.position_id, c.name AS category, c.min_age AS category_min_age, \
         o.name AS position, p.extra FROM contest_profiles p \
         LEFT JOIN contest_groups c ON c.id = p.category_id \
         LEFT JOIN contest_groups o ON o.id = p.position_id \
         WHERE p.contest_id = $1 AND p.user_id = $2",
    )
    .bind(contest_id)
    .bind(user_id)
    .fetch_optional(conn)
    .await
}

pub struct NewProfile<'a> {
    pub category_id: Option<i64>,
    pub position_id: Option<i64>,
    /// JSON [label, value] pairs.
    pub extra: &'a str,
}

pub async fn insert_profile(
    conn: &mut AnyConnection,
    contest_id: i64,
    user_id: i64,
    p: NewProfile<'_>,
    at: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO contest_profiles (contest_id, user_id, category_id, position_id, extra, \
         created_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(contest_id)
    .bind(user_id)
    .bind(p.category_id)
    .bind(p.position_id)
    .bind(p.extra)
    .bind(at)
    .execute(conn)
    .await?;
    Ok(())
}

/// A roster line ready to store.
pub struct NewRosterEntry<'a> {
    pub unit_id: i64,
    pub full_name: &'a str,
    pub birth_date: Option<&'a str>,
    pub phone: Option<&'a str>,
    pub citizen_id: Option<&'a str>,
    pub position_id: Option<i64>,
}

/// Empties one unit's roster in the contest (an import replaces the roster of every unit it
/// lists).
pub async fn clear_roster(
    conn: &mut AnyConnection,
    contest_id: i64,
    unit_id: i64,
) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM roster_entries WHERE contest_id = $1 AND unit_id = $2")
        .bind(contest_id)
        .bind(unit_id)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn insert_roster_entry(
    conn: &mut AnyConnection,
    contest_id: i64,
    e: &NewRosterEntry<'_>,
    at: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO roster_entries (contest_id, unit_id, full_name, birth_date, phone, citizen_id, \
         position_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(contest_id)
    .bind(e.unit_id)
    .bind(e.full_name)
    .bind(e.birth_date)
    .bind(e.phone)
    .bind(e.citizen_id)
    .bind(e.position_id)
    .bind(at)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn delete_roster_entry(
    conn: &mut AnyConnection,
    contest_id: i64,
    id: i64,
) -> sqlx::Result<bool> {
    let done = sqlx::query("DELETE FROM roster_entries WHERE contest_id = $1 AND id = $2")
        .bind(contest_id)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// A roster entry with the account it matches, if any: by phone or citizen ID (`matched_by`
/// "phone" or "citizen_id"), else by name and date of birth ("name", for the organizer to
/// confirm); and whether that account took part in the contest.
#[derive(Debug, Clone, FromRow)]
pub struct RosterMatchRow {
    pub id: i64,
    pub unit_id: i64,
    pub unit_name: String,
    pub full_name: String,
    pub birth_date: Option<String>,
    pub phone: Option<String>,
    pub citizen_id: Option<String>,
    pub position: Option<String>,
    pub user_id: Option<i64>,
    pub matched_by: Option<String>,
    pub took_part: i64,
}

pub async fn roster_with_matches(
    conn: &mut AnyConnection,
    contest_id: i64,
) -> sqlx::Result<Vec<RosterMatchRow>> {
    // Each entry's candidates are looked up once (phone, citizen ID, name with date of birth,
    // the last served by `users_birth_date_idx`); the strongest one present is the match.
    sqlx::query_as(&format!(
        "SELECT m.id, m.unit_id, m.unit_name, m.full_name, m.birth_date, m.phone, m.citizen_id, \
           m.position, COALESCE(m.by_phone, m.by_id, m.by_name) AS user_id, \
           CASE WHEN m.by_phone IS NOT NULL THEN 'phone' \
             WHEN m.by_id IS NOT NULL THEN 'citizen_id' \
             WHEN m.by_name IS NOT NULL THEN 'name' END AS matched_by, \
           CASE WHEN EXISTS (SELECT 1 FROM attempts a JOIN users u ON u.id = a.user_id \
             WHERE a.user_id = COALESCE(m.by_phone, m.by_id, m.by_name) \
             AND a.status = 'final' AND {entry}) THEN 1 ELSE 0 END AS took_part \
         FROM (SELECT r.id, r.unit_id, n.name AS unit_name, r.full_name, r.birth_date, r.phone, \
             r.citizen_id, g.name AS position, \
             (SELECT MIN(u.id) FROM users u WHERE u.phone = r.phone) AS by_phone, \
             (SELECT MIN(u.id) FROM users u WHERE u.citizen_id = r.citizen_id) AS by_id, \
             (SELECT MIN(u.id) FROM users u WHERE u.birth_date = r.birth_date \
                AND LOWER(u.full_name) = LOWER(r.full_name)) AS by_name \
           FROM roster_entries r JOIN units n ON n.id = r.unit_id \
           LEFT JOIN contest_groups g ON g.id = r.position_id \
           WHERE r.contest_id = $1) m \
         ORDER BY m.unit_name, m.id",
        entry = participants::entry("a", "u", "$1"),
    ))
    .bind(contest_id)
    .fetch_all(conn)
    .await
}

/// Every person with a counted entry in the contest, once: (account, the unit they registered
/// under, their workplace when another, the position and category they declared).
pub async fn entrants_with_groups(
    conn: &mut AnyConnection,
    contest_id: i64,
) -> sqlx::Result<Vec<(i64, i64, Option<i64>, Option<i64>, Option<i64>)>> {
    sqlx::query_as(&format!(
        "SELECT DISTINCT u.id, u.unit_id, u.workplace_unit_id, p.position_id, p.category_id \
         FROM attempts a JOIN users u ON u.id = a.user_id \
         LEFT JOIN contest_profiles p ON p.user_id = u.id AND p.contest_id = $1 \
         WHERE a.status = 'final' AND {}",
        participants::entry("a", "u", "$1")
    ))
    .bind(contest_id)
    .fetch_all(conn)
    .await
}

/// Per unit and position: how many people its roster lists.
pub async fn roster_per_unit_and_position(
    conn: &mut AnyConnection,
    contest_id: i64,
) -> sqlx::Result<Vec<(i64, Option<i64>, i64)>> {
    sqlx::query_as(
        "SELECT unit_id, position_id, COUNT(*) FROM roster_entries WHERE contest_id = $1 \
         GROUP BY unit_id, position_id",
    )
    .bind(contest_id)
    .fetch_all(conn)
    .await
}
