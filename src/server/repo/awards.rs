//! Prizes: round prizes (`awards`), prizes over the whole contest (`overall_awards`),
//! collective prizes (`unit_awards`) and the entries the committee set aside.

use sqlx::{AnyConnection, FromRow};

use crate::server::repo::participants;

#[derive(Debug, Clone, FromRow)]
pub struct DisqualificationRow {
    pub user_id: i64,
    pub full_name: String,
    pub reason: String,
    pub created_at: i64,
}

/// The entries set aside in a round, in the order they were.
pub async fn disqualifications(
    conn: &mut AnyConnection,
    round_id: i64,
) -> sqlx::Result<Vec<DisqualificationRow>> {
    sqlx::query_as(
        "SELECT d.user_id, u.full_name, d.reason, d.created_at FROM disqualifications d \
         JOIN users u ON u.id = d.user_id WHERE d.round_id = $1 ORDER BY d.id",
    )
    .bind(round_id)
    .fetch_all(conn)
    .await
}

/// The people whose entry in the round was set aside.
pub async fn disqualified_ids(conn: &mut AnyConnection, round_id: i64) -> sqlx::Result<Vec<i64>> {
    sqlx::query_scalar("SELECT user_id FROM disqualifications WHERE round_id = $1")
        .bind(round_id)
        .fetch_all(conn)
        .await
}

/// Sets an entry aside; a unique violation means it already was.
pub async fn insert_disqualification(
    conn: &mut AnyConnection,
    round_id: i64,
    user_id: i64,
    reason: &str,
    decided_by: i64,
    at: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO disqualifications (round_id, user_id, reason, decided_by, created_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(round_id)
    .bind(user_id)
    .bind(reason)
    .bind(decided_by)
    .bind(at)
    .execute(conn)
    .await?;
    Ok(())
}

/// Whether the person started any attempt in the round.
pub async fn took_part(
    conn: &mut AnyConnection,
    round_id: i64,
    user_id: i64,
) -> sqlx::Result<bool> {
    let n: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM attempts WHERE round_id = $1 AND user_id = $2")
            .bind(round_id)
            .bind(user_id)
            .fetch_one(conn)
            .await?;
    Ok(n > 0)
}

/// Winners of the contest's rounds other than `round_id`.
pub async fn winners_of_other_rounds(
    conn: &mut AnyConnection,
    contest_id: i64,
    round_id: i64,
) -> sqlx::Result<Vec<i64>> {
    sqlx::query_scalar(
        "SELECT a.user_id FROM awards a JOIN rounds r ON r.id = a.round_id \
         WHERE r.contest_id = $1 AND a.round_id <> $2",
    )
    .bind(contest_id)
    .bind(round_id)
    .fetch_all(conn)
    .await
}

pub async fn delete_round_awards(conn: &mut AnyConnection, round_id: i64) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM awards WHERE round_id = $1")
        .bind(round_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// A prize as stored: who, their place, the tier (0 = best) and its name, and why.
pub struct NewAward<'a> {
    pub user_id: i64,
    pub rank: u32,
    pub tier: usize,
    pub prize: &'a str,
    pub explanation: &'a str,
    pub computed_at: i64,
}

pub async fn insert_round_award(
    conn: &mut AnyConnection,
    round_id: i64,
    attempt_id: i64,
    a: NewAward<'_>,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO awards (round_id, user_id, attempt_id, rank, tier, prize, explanation, computed_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(round_id)
    .bind(a.user_id)
    .bind(attempt_id)
    .bind(i64::from(a.rank))
    .bind(a.tier as i64)
    .bind(a.prize)
    .bind(a.explanation)
    .bind(a.computed_at)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn count_round_awards(conn: &mut AnyConnection, round_id: i64) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM awards WHERE round_id = $1")
        .bind(round_id)
        .fetch_one(conn)
        .await
}

pub async fn set_round_published(
    conn: &mut AnyConnection,
    round_id: i64,
    at: i64,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE rounds SET awards_published_at = $2 WHERE id = $1")
        .bind(round_id)
        .bind(at)
        .execute(conn)
        .await?;
    Ok(())
}

/// Where a set of prizes is stored: a round's (`awards`) or the whole contest's (`overall_awards`).
#[derive(Clone, Copy, Debug)]
pub enum Prizes {
    Round(i64),
    Overall(i64),
}

#[derive(Debug, Clone, FromRow)]
pub struct WinnerRow {
    pub user_id: i64,
    pub full_name: String,
    pub unit_name: String,
    pub rank: i64,
    pub prize: String,
    pub explanation: String,
}

/// The winners of a set of prizes, best prize first.
pub async fn winners(conn: &mut AnyConnection, prizes: Prizes) -> sqlx::Result<Vec<WinnerRow>> {
    let (table, scope, id) = match prizes {
        Prizes::Round(id) => ("awards", "round_id", id),
        Prizes::Overall(id) => ("overall_awards", "contest_id", id),
    };
    sqlx::query_as(&format!(
        "SELECT a.user_id, u.full_name, n.name AS unit_name, a.rank, a.prize, a.explanation \
         FROM {table} a JOIN users u ON u.id = a.user_id JOIN units n ON n.id = u.unit_id \
         WHERE a.{scope} = $1 ORDER BY a.tier, a.rank, u.full_name"
    ))
    .bind(id)
    .fetch_all(conn)
    .await
}

#[derive(Debug, Clone, FromRow)]
pub struct WinnerContactRow {
    pub prize: String,
    pub rank: i64,
    pub full_name: String,
    pub birth_date: String,
    pub phone: String,
    pub unit_name: String,
    pub explanation: String,
}

/// A round's winners with their contact details, best prize first.
pub async fn winner_contacts(
    conn: &mut AnyConnection,
    round_id: i64,
) -> sqlx::Result<Vec<WinnerContactRow>> {
    sqlx::query_as(
        "SELECT a.prize, a.rank, u.full_name, u.birth_date, u.phone, n.name AS unit_name, \
         a.explanation FROM awards a JOIN users u ON u.id = a.user_id JOIN units n ON n.id = u.unit_id \
         WHERE a.round_id = $1 ORDER BY a.tier, a.rank, u.full_name",
    )
    .bind(round_id)
    .fetch_all(conn)
    .await
}

pub async fn delete_overall_awards(conn: &mut AnyConnection, contest_id: i64) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM overall_awards WHERE contest_id = $1")
        .bind(contest_id)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn insert_overall_award(
    conn: &mut AnyConnection,
    contest_id: i64,
    a: NewAward<'_>,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO overall_awards (contest_id, user_id, rank, tier, prize, explanation, computed_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(contest_id)
    .bind(a.user_id)
    .bind(i64::from(a.rank))
    .bind(a.tier as i64)
    .bind(a.prize)
    .bind(a.explanation)
    .bind(a.computed_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// Prize lists kept per contest, published once for the whole contest.
#[derive(Clone, Copy, Debug)]
pub enum ContestPrizes {
    Overall,
    Units,
}

impl ContestPrizes {
    /// (table of the list, the contest's column with its publication time).
    fn storage(self) -> (&'static str, &'static str) {
        match self {
            ContestPrizes::Overall => ("overall_awards", "overall_published_at"),
            ContestPrizes::Units => ("unit_awards", "unit_awards_published_at"),
        }
    }
}

pub async fn count_contest_prizes(
    conn: &mut AnyConnection,
    which: ContestPrizes,
    contest_id: i64,
) -> sqlx::Result<i64> {
    let (table, _) = which.storage();
    sqlx::query_scalar(&format!(
        "SELECT COUNT(*) FROM {table} WHERE contest_id = $1"
    ))
    .bind(contest_id)
    .fetch_one(conn)
    .await
}

/// Marks the list published, the first time only.
pub async fn publish_contest_prizes(
    conn: &mut AnyConnection,
    which: ContestPrizes,
    contest_id: i64,
    at: i64,
) -> sqlx::Result<()> {
    let (_, column) = which.storage();
    sqlx::query(&format!(
        "UPDATE contests SET {column} = $2 WHERE id = $1 AND {column} IS NULL"
    ))
    .bind(contest_id)
    .bind(at)
    .execute(conn)
    .await?;
    Ok(())
}

/// Per participant with a counted final attempt in a round of the contest: their unit, when
/// they first finished one, and how many they finished ("lượt").
pub async fn entries_per_person(
    conn: &mut AnyConnection,
    contest_id: i64,
) -> sqlx::Result<Vec<(i64, i64, i64)>> {
    sqlx::query_as(&format!(
        "SELECT u.unit_id, MIN(COALESCE(a.submitted_at, a.deadline_at)), COUNT(*) \
         FROM attempts a JOIN users u ON u.id = a.user_id JOIN rounds r ON r.id = a.round_id \
         WHERE r.contest_id = $1 AND a.status = 'final' AND {} GROUP BY u.unit_id, u.id",
        participants::entry("a", "u", "$1")
    ))
    .bind(contest_id)
    .fetch_all(conn)
    .await
}

/// Per unit and prize tier: how many round prizes of the contest its people won.
pub async fn round_winners_per_unit_and_tier(
    conn: &mut AnyConnection,
    contest_id: i64,
) -> sqlx::Result<Vec<(i64, i64, i64)>> {
    sqlx::query_as(&format!(
        "SELECT u.unit_id, a.tier, COUNT(*) FROM awards a JOIN users u ON u.id = a.user_id \
         JOIN rounds r ON r.id = a.round_id WHERE r.contest_id = $1 AND {} \
         GROUP BY u.unit_id, a.tier",
        participants::person("u")
    ))
    .bind(contest_id)
    .fetch_all(conn)
    .await
}

#[derive(Debug, Clone, FromRow)]
pub struct UnitAwardRow {
    pub unit_id: i64,
    pub rank: i64,
    pub unit_name: String,
    pub criterion: String,
    pub value: String,
    pub computed_at: i64,
    pub prize_name: String,
    pub amount: i64,
    pub tied: i64,
    pub kinds: String,
}

pub async fn unit_awards(
    conn: &mut AnyConnection,
    contest_id: i64,
) -> sqlx::Result<Vec<UnitAwardRow>> {
    sqlx::query_as(
        "SELECT a.unit_id, a.rank, n.name AS unit_name, a.criterion, a.value, a.computed_at, \
         a.prize_name, a.amount, a.tied, a.kinds FROM unit_awards a \
         JOIN units n ON n.id = a.unit_id WHERE a.contest_id = $1 ORDER BY a.rank, n.name",
    )
    .bind(contest_id)
    .fetch_all(conn)
    .await
}

pub async fn delete_unit_awards(conn: &mut AnyConnection, contest_id: i64) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM unit_awards WHERE contest_id = $1")
        .bind(contest_id)
        .execute(conn)
        .await?;
    Ok(())
}

pub struct NewUnitAward<'a> {
    pub unit_id: i64,
    pub rank: u32,
    pub tied: bool,
    /// The chain, as codes.
    pub criterion: &'a str,
    /// Its figures at each link, as shown.
    pub value: &'a str,
    pub prize_name: &'a str,
    pub amount: u64,
    /// The kinds of unit that competed, as codes (empty: every kind).
    pub kinds: &'a str,
    pub computed_at: i64,
}

pub async fn insert_unit_award(
    conn: &mut AnyConnection,
    contest_id: i64,
    a: NewUnitAward<'_>,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO unit_awards (contest_id, unit_id, rank, criterion, value, computed_at, \
         prize_name, amount, tied, kinds) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(contest_id)
    .bind(a.unit_id)
    .bind(i64::from(a.rank))
    .bind(a.criterion)
    .bind(a.value)
    .bind(a.computed_at)
    .bind(a.prize_name)
    .bind(a.amount as i64)
    .bind(i64::from(a.tied))
    .bind(a.kinds)
    .execute(conn)
    .await?;
    Ok(())
}
