//! Live participation figures for the committee (staff accounts never counted).

use crate::domain::report;
use crate::domain::roles::Permission;
use crate::error::AppError;
use crate::model::{Dashboard, UnitParticipation, UserInfo};
use crate::server::clock::to_ms;
use crate::server::service::bank::authorize;
use crate::server::AppState;

#[derive(sqlx::FromRow)]
struct UnitFigures {
    name: String,
    kind: String,
    headcount: i64,
    registered: i64,
    entrants: i64,
}

async fn count(
    conn: &mut sqlx::AnyConnection,
    sql: &str,
    arg: Option<i64>,
) -> Result<u32, AppError> {
    let q = sqlx::query_scalar::<_, i64>(sql);
    let q = match arg {
        Some(a) => q.bind(a),
        None => q,
    };
    Ok(q.fetch_one(conn).await?.max(0) as u32)
}

pub async fn dashboard(state: &AppState, user: &UserInfo) -> Result<Dashboard, AppError> {
    authorize(user, Permission::Monitor)?;
    let now = state.clock.now();
    let today = to_ms(report::vn_day_start(now));
    let mut conn = state.db.pool.acquire().await?;
    const PARTICIPANT_ATTEMPTS: &str =
        "FROM attempts a JOIN users u ON u.id = a.user_id WHERE u.role = 'participant'";
    let registered = count(
        &mut conn,
        "SELECT COUNT(*) FROM users WHERE role = 'participant'",
        None,
    )
    .await?;
    let entrants = count(
        &mut conn,
        &format!("SELECT COUNT(DISTINCT a.user_id) {PARTICIPANT_ATTEMPTS}"),
        None,
    )
    .await?;
    let attempts_total = count(
        &mut conn,
        &format!("SELECT COUNT(*) {PARTICIPANT_ATTEMPTS}"),
        None,
    )
    .await?;
    let attempts_today = count(
        &mut conn,
        &format!("SELECT COUNT(*) {PARTICIPANT_ATTEMPTS} AND a.started_at >= $1"),
        Some(today),
    )
    .await?;
    let in_progress = count(
        &mut conn,
        &format!("SELECT COUNT(*) {PARTICIPANT_ATTEMPTS} AND a.status = 'in_progress'"),
        None,
    )
    .await?;
    let units: Vec<UnitFigures> = sqlx::query_as(
        "SELECT n.name, n.kind, n.headcount, \
           (SELECT COUNT(*) FROM users u WHERE u.unit_id = n.id AND u.role = 'participant') AS registered, \
           (SELECT COUNT(DISTINCT a.user_id) FROM attempts a JOIN users u ON u.id = a.user_id \
              WHERE u.unit_id = n.id AND u.role = 'participant') AS entrants \
         FROM units n ORDER BY n.name",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut units: Vec<UnitParticipation> = units
        .into_iter()
        .map(|u| {
            let (headcount, entrants) = (u.headcount.max(0) as u32, u.entrants.max(0) as u32);
            UnitParticipation {
                unit_name: u.name,
                kind: u.kind,
                headcount,
                registered: u.registered.max(0) as u32,
                entrants,
                share_per_mille: report::share_per_mille(entrants, headcount),
            }
        })
        .collect();
    // Highest participation first; units without a headcount last.
    units.sort_by(|a, b| {
        b.share_per_mille
            .cmp(&a.share_per_mille)
            .then(b.entrants.cmp(&a.entrants))
    });
    Ok(Dashboard {
        registered,
        entrants,
        attempts_total,
        attempts_today,
        in_progress,
        units,
        server_now_ms: to_ms(now),
    })
}
