//! The audit log: logins (successful and failed), registrations, every change an organizer
//! makes, and every refused action (not signed in, not allowed, cross-site, rate-limited).
//! Written after the response is decided, never failing the request it describes.

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;

use crate::domain::vntime::format_vn_time_with_seconds;
use crate::model::{AuditEntry, AuditPage};
use crate::server::clock::to_ms;
use crate::server::guard::Identity;
use crate::server::limits::{client_ip, Kind};
use crate::server::repo::audit as audit_repo;
use crate::server::AppState;

/// What happened, in a word the log page can filter on.
pub const LOGIN: &str = "login";
pub const LOGIN_FAILED: &str = "login_failed";
pub const REGISTER: &str = "register";
pub const ADMIN: &str = "admin";
pub const REFUSED: &str = "refused";
/// A participant's change to an initiative entry already submitted (an edit, a withdrawal).
pub const ENTRY: &str = "entry";

/// Where a recorded action came from: the caller's address and the endpoint's path.
pub struct Origin {
    pub ip: String,
    pub action: &'static str,
    /// The browser's device id (`session::DEVICE_COOKIE`), "" when it has none yet.
    pub device: String,
}

pub struct Event<'a> {
    pub kind: &'static str,
    pub user_id: Option<i64>,
    pub ip: &'a str,
    pub action: &'a str,
    pub status: u16,
    pub detail: &'a str,
    pub contest: Option<&'a str>,
}

pub async fn record(state: &AppState, e: Event<'_>) {
    let entry = audit_repo::NewAuditEntry {
        at: to_ms(state.clock.now()),
        kind: e.kind,
        user_id: e.user_id,
        ip: e.ip,
        action: e.action,
        status: e.status,
        detail: e.detail,
        contest: e.contest,
    };
    let result = match state.db.pool.acquire().await {
        Ok(mut conn) => audit_repo::insert_entry(&mut conn, entry).await,
        Err(err) => Err(err),
    };
    if let Err(err) = result {
        tracing::error!(error = %err, kind = e.kind, action = e.action, "audit entry not written");
    }
}

/// Downloads of personal data (participants, attempts, winners) are recorded like changes.
const EXPORTS: &str = "/quan-tri/xuat/";

/// Records organizers' changes and exports, and refused writes. Logins and registrations are
/// recorded by their server functions, which know the account; here only their rate-limit
/// refusals.
pub async fn middleware(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if req.method().is_safe() && !req.uri().path().starts_with(EXPORTS) {
        return next.run(req).await;
    }
    let path = req.uri().path().to_string();
    let ip = client_ip(req.headers(), req.extensions());
    let identity = req
        .extensions()
        .get::<Identity>()
        .cloned()
        .unwrap_or_else(|| Identity::from_headers(req.headers()));
    let mut res = next.run(req).await;
    // The server function names the contest it worked on (see `api::ctx::contest`).
    let contest = res
        .headers_mut()
        .remove(crate::api::ctx::CONTEST_HEADER)
        .and_then(|v| v.to_str().ok().map(decode));
    let status = res.status().as_u16();
    let refused = matches!(status, 401 | 403 | 429);
    // Organizers' and jurors' changes; a path nothing answers (404, 405) is no action at all.
    let admin = (path.starts_with("/api/admin/")
        || path.starts_with("/api/jury/")
        || path.starts_with("/quan-tri/"))
        && !state.audit_reads.contains(&path.as_str())
        && !matches!(status, 404 | 405);
    let auth = path.starts_with("/api/auth/");
    if (auth && status != 429) || !(admin || refused) {
        return res;
    }
    // A flood of refusals from one address is summarized, not written row by row.
    if refused
        && state
            .limits
            .check_here(Kind::AuditRefusals, &ip, to_ms(state.clock.now()))
            .is_err()
    {
        return res;
    }
    // Usually already looked up by the handler; a lookup that fails leaves the entry anonymous.
    let user_id = identity.user(&state).await.ok().flatten().map(|u| u.id);
    // A change is recorded for the signed-in person who made it; nobody else can make one.
    if !refused && user_id.is_none() {
        return res;
    }
    let kind = if refused { REFUSED } else { ADMIN };
    record(
        &state,
        Event {
            kind,
            user_id,
            ip: &ip,
            action: &path,
            status,
            detail: "",
            contest: contest.as_deref(),
        },
    )
    .await;
    res
}

fn decode(s: &str) -> String {
    url::form_urlencoded::parse(format!("c={s}").as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

/// Entries per page of the log.
pub const PER_PAGE: u32 = 100;

/// A page of the log, newest first: `kind` ("" for all), `person` (part of a name or phone),
/// `from` and `to` as dates (yyyy-mm-dd, Vietnam time, both included; "" for no bound).
pub async fn page(
    state: &AppState,
    kind: &str,
    person: &str,
    from: &str,
    to: &str,
    page: u32,
) -> Result<AuditPage, crate::error::AppError> {
    let day = |s: &str, field: &str| -> Result<Option<i64>, crate::error::AppError> {
        if s.trim().is_empty() {
            return Ok(None);
        }
        chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
            .map(|d| {
                Some(
                    d.and_hms_opt(0, 0, 0)
                        .unwrap_or_default()
                        .and_local_timezone(crate::domain::vntime::offset())
                        .single()
                        .map(|t| t.timestamp_millis())
                        .unwrap_or(0),
                )
            })
            .map_err(|_| {
                crate::error::AppError::Invalid(vec![crate::domain::FieldError::new(
                    field,
                    "Ngày phải có dạng năm-tháng-ngày, ví dụ 2026-12-03.",
                )])
            })
    };
    let filter = audit_repo::AuditFilter {
        kind: kind.trim(),
        person: person.trim(),
        from: day(from, "from")?.unwrap_or(i64::MIN),
        until: day(to, "to")?.map_or(i64::MAX, |t| t + 24 * 3_600_000),
    };
    let mut conn = state.db.pool.acquire().await?;
    let total = audit_repo::count_entries(&mut conn, &filter).await?.max(0) as u64;
    let rows = audit_repo::entries(
        &mut conn,
        &filter,
        i64::from(PER_PAGE),
        i64::from(page) * i64::from(PER_PAGE),
    )
    .await?;
    let entries = rows
        .into_iter()
        .map(|r| AuditEntry {
            at: format_vn_time_with_seconds(r.at),
            kind: r.kind,
            who: match (r.full_name, r.phone) {
                (Some(n), Some(p)) => format!("{n} ({p})"),
                _ => String::new(),
            },
            ip: r.ip,
            action: r.action,
            status: r.status.clamp(0, 999) as u16,
            detail: r.detail,
        })
        .collect();
    Ok(AuditPage {
        entries,
        total,
        page,
        per_page: PER_PAGE,
    })
}

/// Deletes entries older than the retention (`CUOCTHI_AUDIT_DAYS`, see `Config`).
pub async fn prune(state: &AppState, keep_days: i64) -> Result<u64, sqlx::Error> {
    let before = to_ms(state.clock.now() - chrono::Duration::days(keep_days));
    let mut conn = state.db.pool.acquire().await?;
    audit_repo::delete_older_than(&mut conn, before).await
}
