//! Live participation figures for the committee (only participants count: see
//! `repo::participants`).

use crate::domain::report;
use crate::domain::roles::Permission;
use crate::domain::units::{self, QuotaStatus};
use crate::domain::vntime::{format_vn_time, vn_day_start};
use crate::domain::{AttemptStatus, FinalizedBy};
use crate::error::AppError;
use crate::model::{Dashboard, UnitParticipation, UserInfo};
use crate::server::clock::to_ms;
use crate::server::guard::authorize;
use crate::server::repo::reports;
use crate::server::service::contests::resolve;
use crate::server::sheet;
use crate::server::AppState;

/// Every unit's participation against its headcount and quota, the highest share first.
pub(crate) async fn unit_participation(
    conn: &mut sqlx::AnyConnection,
    contest_id: i64,
) -> Result<Vec<UnitParticipation>, AppError> {
    let units = reports::unit_figures(&mut *conn, contest_id).await?;
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

pub async fn dashboard(
    state: &AppState,
    user: &UserInfo,
    slug: &str,
) -> Result<Dashboard, AppError> {
    authorize(user, Permission::Monitor)?;
    let now = state.clock.now();
    let today = to_ms(vn_day_start(now));
    let mut conn = state.db.pool.acquire().await?;
    let contest = resolve(&mut conn, slug).await?;
    let totals = reports::totals(&mut conn, contest.id, today).await?;
    let count = |n: i64| n.max(0) as u32;
    let units = unit_participation(&mut conn, contest.id).await?;
    let below_quota = units
        .iter()
        .filter(|u| matches!(u.quota, QuotaStatus::Short(_)))
        .count() as u32;
    let short_of_rules = crate::server::service::people::units_short_of_rules(&mut conn, &contest)
        .await?
        .len() as u32;
    Ok(Dashboard {
        below_quota,
        short_of_rules,
        registered: count(totals.registered),
        entrants: count(totals.entrants),
        attempts_total: count(totals.attempts),
        attempts_today: count(totals.attempts_since),
        in_progress: count(totals.in_progress),
        units,
        server_now_ms: to_ms(now),
    })
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
pub async fn participants_xlsx(
    state: &AppState,
    user: &UserInfo,
    slug: &str,
) -> Result<Vec<u8>, AppError> {
    authorize(user, Permission::Monitor)?;
    let mut conn = state.db.pool.acquire().await?;
    let contest = resolve(&mut conn, slug).await?;
    let rows = reports::participants_export(&mut conn, contest.id).await?;
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
}

/// "2001-09-02" as "02/09/2001".
fn format_birth_date(iso: &str) -> String {
    chrono::NaiveDate::parse_from_str(iso, "%Y-%m-%d")
        .map(|d| d.format("%d/%m/%Y").to_string())
        .unwrap_or_else(|_| iso.to_string())
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
pub async fn attempts_xlsx(
    state: &AppState,
    user: &UserInfo,
    slug: &str,
) -> Result<Vec<u8>, AppError> {
    authorize(user, Permission::Monitor)?;
    let mut conn = state.db.pool.acquire().await?;
    let contest = resolve(&mut conn, slug).await?;
    let rows = reports::attempts_export(&mut conn, contest.id).await?;
    tracing::info!(user_id = user.id, rows = rows.len(), "attempts exported");
    let rows = rows
        .into_iter()
        .map(|a| {
            let finished = a.status == AttemptStatus::Final;
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
                match a.finalized_by {
                    Some(FinalizedBy::Participant) => "Người dự thi nộp",
                    Some(FinalizedBy::Server) => "Hết giờ, hệ thống nộp",
                    None => "",
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
}
