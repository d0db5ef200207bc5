//! Live participation figures for the committee (staff accounts never counted).

use crate::domain::report;
use crate::domain::roles::Permission;
use crate::domain::units::{self, QuotaStatus};
use crate::error::AppError;
use crate::model::{format_vn_time, Dashboard, UnitParticipation, UserInfo};
use crate::server::clock::to_ms;
use crate::server::service::bank::authorize;
use crate::server::sheet;
use crate::server::AppState;

#[derive(sqlx::FromRow)]
struct UnitFigures {
    name: String,
    kind: String,
    headcount: i64,
    quota_percent: Option<i64>,
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

/// Every unit's participation against its headcount and quota, the highest share first.
pub(crate) async fn unit_participation(
    conn: &mut sqlx::AnyConnection,
) -> Result<Vec<UnitParticipation>, AppError> {
    let units: Vec<UnitFigures> = sqlx::query_as(
        "SELECT n.name, n.kind, n.headcount, n.quota_percent, \
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
            let quota_percent = u.quota_percent.map(|q| q.clamp(0, 100) as u32);
            UnitParticipation {
                quota_percent,
                required: quota_percent.map_or(0, |q| units::required_entrants(headcount, q)),
                quota: units::quota_status(entrants, headcount, quota_percent),
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
            .then_with(|| crate::domain::vnsort::compare(&a.unit_name, &b.unit_name))
    });
    Ok(units)
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
    let units = unit_participation(&mut conn).await?;
    let below_quota = units
        .iter()
        .filter(|u| matches!(u.quota, QuotaStatus::Short(_)))
        .count() as u32;
    Ok(Dashboard {
        below_quota,
        registered,
        entrants,
        attempts_total,
        attempts_today,
        in_progress,
        units,
        server_now_ms: to_ms(now),
    })
}

#[derive(sqlx::FromRow)]
struct ParticipantRow {
    id: i64,
    full_name: String,
    birth_date: String,
    phone: String,
    citizen_id: Option<String>,
    unit_name: String,
    created_at: i64,
    attempts: i64,
    best_score: Option<i64>,
}

const PARTICIPANT_HEADER: [&str; 9] = [
    "Mã",
    "Họ và tên",
    "Ngày sinh",
    "Số điện thoại",
    "Số căn cước",
    "Đơn vị",
    "Đăng ký lúc",
    "Số lượt thi",
    "Điểm cao nhất",
];

/// Every participant (staff accounts left out) with their attempts and best score.
pub async fn participants_xlsx(state: &AppState, user: &UserInfo) -> Result<Vec<u8>, AppError> {
    authorize(user, Permission::Monitor)?;
    let mut conn = state.db.pool.acquire().await?;
    let rows: Vec<ParticipantRow> = sqlx::query_as(
        "SELECT u.id, u.full_name, u.birth_date, u.phone, u.citizen_id, n.name AS unit_name, u.created_at, \
           (SELECT COUNT(*) FROM attempts a WHERE a.user_id = u.id) AS attempts, \
           (SELECT MAX(a.score) FROM attempts a WHERE a.user_id = u.id AND a.status = 'final') AS best_score \
         FROM users u JOIN units n ON n.id = u.unit_id WHERE u.role = 'participant' ORDER BY u.id",
    )
    .fetch_all(&mut *conn)
    .await?;
    tracing::info!(
        user_id = user.id,
        rows = rows.len(),
        "participants exported"
    );
    let rows = rows
        .into_iter()
        .map(|p| {
            vec![
                p.id.into(),
                p.full_name.into(),
                format_birth_date(&p.birth_date).into(),
                p.phone.into(),
                p.citizen_id.unwrap_or_default().into(),
                p.unit_name.into(),
                format_vn_time(p.created_at).into(),
                p.attempts.into(),
                p.best_score
                    .map_or(sheet::Cell::Text(String::new()), Into::into),
            ]
        })
        .collect();
    sheet::write_xlsx(sheet::Sheet {
        name: "Người dự thi",
        header: &PARTICIPANT_HEADER,
        widths: &[8.0, 28.0, 12.0, 14.0, 14.0, 36.0, 18.0, 10.0, 12.0],
        rows,
    })
    .map_err(|_| AppError::Internal)
}

/// "2001-09-02" as "02/09/2001".
fn format_birth_date(iso: &str) -> String {
    chrono::NaiveDate::parse_from_str(iso, "%Y-%m-%d")
        .map(|d| d.format("%d/%m/%Y").to_string())
        .unwrap_or_else(|_| iso.to_string())
}

#[derive(sqlx::FromRow)]
struct AttemptExportRow {
    id: i64,
    full_name: String,
    unit_name: String,
    round_name: String,
    started_at: i64,
    submitted_at: Option<i64>,
    status: String,
    finalized_by: Option<String>,
    score: Option<i64>,
    correct_count: Option<i64>,
    elapsed_ms: Option<i64>,
}

const ATTEMPT_HEADER: [&str; 11] = [
    "Mã lượt",
    "Họ và tên",
    "Đơn vị",
    "Vòng thi",
    "Bắt đầu",
    "Nộp bài",
    "Trạng thái",
    "Điểm",
    "Số câu đúng",
    "Thời gian làm bài (giây)",
    "Cách kết thúc",
];

/// Every attempt of a participant, oldest first.
pub async fn attempts_xlsx(state: &AppState, user: &UserInfo) -> Result<Vec<u8>, AppError> {
    authorize(user, Permission::Monitor)?;
    let mut conn = state.db.pool.acquire().await?;
    let rows: Vec<AttemptExportRow> = sqlx::query_as(
        "SELECT a.id, u.full_name, n.name AS unit_name, r.name AS round_name, a.started_at, a.submitted_at, \
           a.status, a.finalized_by, a.score, a.correct_count, a.elapsed_ms \
         FROM attempts a JOIN users u ON u.id = a.user_id JOIN units n ON n.id = u.unit_id \
           JOIN rounds r ON r.id = a.round_id \
         WHERE u.role = 'participant' ORDER BY a.id",
    )
    .fetch_all(&mut *conn)
    .await?;
    tracing::info!(user_id = user.id, rows = rows.len(), "attempts exported");
    let rows = rows
        .into_iter()
        .map(|a| {
            let finished = a.status == "final";
            vec![
                a.id.into(),
                a.full_name.into(),
                a.unit_name.into(),
                a.round_name.into(),
                format_vn_time(a.started_at).into(),
                a.submitted_at
                    .map(format_vn_time)
                    .unwrap_or_default()
                    .into(),
                if finished { "Đã nộp" } else { "Đang làm" }.into(),
                a.score.map_or(sheet::Cell::Text(String::new()), Into::into),
                a.correct_count
                    .map_or(sheet::Cell::Text(String::new()), Into::into),
                a.elapsed_ms.map_or(sheet::Cell::Text(String::new()), |ms| {
                    sheet::Cell::Number(ms as f64 / 1000.0)
                }),
                match a.finalized_by.as_deref() {
                    Some("participant") => "Người dự thi nộp",
                    Some("server") => "Hết giờ, hệ thống nộp",
                    _ => "",
                }
                .into(),
            ]
        })
        .collect();
    sheet::write_xlsx(sheet::Sheet {
        name: "Lượt thi",
        header: &ATTEMPT_HEADER,
        widths: &[
            9.0, 28.0, 36.0, 12.0, 18.0, 18.0, 10.0, 8.0, 10.0, 12.0, 22.0,
        ],
        rows,
    })
    .map_err(|_| AppError::Internal)
}
