//! A contest's settings as the committee saves them, and the pages that show a contest:
//! the public list and view, the committee's view with compliance, and the demo contest.

use std::collections::HashMap;

use super::entries::entries;
use super::jury::points_by_entry;
use super::prizes::results;
use super::{contest, contests, points_text, role_of, rubric_of, summary};
use crate::domain::initiatives::{self as rules, InitiativeForm};
use crate::domain::roles::{Permission, Role};
use crate::domain::vntime::format_vn_local;
use crate::domain::FieldError;
use crate::error::AppError;
use crate::model::initiatives::{
    AdminEntry, InitiativeAdmin, InitiativeAdminView, InitiativeView, InitiativesView, ShortfallRow,
};
use crate::model::UserInfo;
use crate::server::clock::{from_ms, to_ms};
use crate::server::guard::authorize;
use crate::server::repo::initiatives::{self as repo, ContestRow};
use crate::server::{nfc, AppState};

pub async fn list(state: &AppState) -> Result<InitiativesView, AppError> {
    let now = to_ms(state.clock.now());
    let mut conn = state.db.pool.acquire().await?;
    Ok(InitiativesView {
        contests: contests(&mut conn)
            .await?
            .iter()
            .map(|c| summary(c, now))
            .collect(),
    })
}

pub async fn view(
    state: &AppState,
    user: Option<&UserInfo>,
    id: i64,
) -> Result<InitiativeView, AppError> {
    let now = to_ms(state.clock.now());
    let mut conn = state.db.pool.acquire().await?;
    let c = contest(&mut conn, id).await?;
    let s = summary(&c, now);
    let my_entries = match user {
        Some(u) => entries(&mut conn, id, Some(u.id)).await?,
        None => Vec::new(),
    };
    let results = if s.results_public {
        Some(results(&mut conn, id).await?)
    } else {
        None
    };
    Ok(InitiativeView {
        can_submit: s.open && user.is_some_and(|u| role_of(u) == Role::Participant),
        signed_in: user.is_some(),
        unit_name: user.map(|u| u.unit_name.clone()).unwrap_or_default(),
        rubric: rubric_of(&c),
        prizes: c.prizes.clone(),
        contest: s,
        my_entries,
        results,
    })
}

fn form_of(c: &ContestRow) -> InitiativeForm {
    InitiativeForm {
        id: Some(c.id),
        name: c.name.clone(),
        topics: c.topics.clone(),
        rubric: c.rubric.clone(),
        prizes: c.prizes.clone(),
        requirements: c.requirements.clone(),
        deadline: format_vn_local(from_ms(c.submission_deadline)),
        results_at: format_vn_local(from_ms(c.results_at)),
    }
}

pub async fn admin_view(
    state: &AppState,
    user: &UserInfo,
    id: Option<i64>,
) -> Result<InitiativeAdminView, AppError> {
    authorize(user, Permission::ManageContest)?;
    let now = to_ms(state.clock.now());
    let mut conn = state.db.pool.acquire().await?;
    let all = contests(&mut conn).await?;
    let list = all.iter().map(|c| summary(c, now)).collect();
    let Some(c) = id.and_then(|id| all.into_iter().find(|c| c.id == id)) else {
        return Ok(InitiativeAdminView {
            contests: list,
            current: None,
        });
    };
    let rubric = rubric_of(&c);
    let points = points_by_entry(&mut conn, c.id, rubric.len()).await?;
    let entry_list = entries(&mut conn, c.id, None).await?;
    // Compliance: mandatory units (by kind) short of their required entries.
    let requirements = rules::parse_requirements(&c.requirements).unwrap_or_default();
    let mut units: Vec<(String, i64, String, String)> =
        crate::server::repo::units::all_units(&mut conn)
            .await?
            .into_iter()
            .map(|u| (u.code, u.id, u.name, u.kind))
            .collect();
    units.sort();
    let units: Vec<(i64, String, String)> =
        units.into_iter().map(|(_, id, n, k)| (id, n, k)).collect();
    let counts = repo::entries_per_unit(&mut conn, c.id).await?;
    let submitted: HashMap<i64, u32> = counts.into_iter().map(|(u, n)| (u, n as u32)).collect();
    let keyed: Vec<(i64, String)> = units.iter().map(|(id, _, k)| (*id, k.clone())).collect();
    let names: HashMap<i64, (&str, &str)> = units
        .iter()
        .map(|(id, n, k)| (*id, (n.as_str(), k.as_str())))
        .collect();
    let shortfalls = rules::shortfalls(&keyed, &submitted, &requirements)
        .into_iter()
        .map(|s| {
            let (name, kind) = names.get(&s.unit).copied().unwrap_or_default();
            ShortfallRow {
                unit_name: name.into(),
                kind_label: crate::domain::units::kind_label(kind).into(),
                required: s.required,
                submitted: s.submitted,
            }
        })
        .collect();
    let entries = entry_list
        .into_iter()
        .map(|e| {
            let combined = points.get(&e.id).and_then(|p| rules::combine(e.id, p));
            AdminEntry {
                jurors: combined.as_ref().map_or(0, |c| c.jurors),
                combined: combined.map_or("—".into(), |c| points_text(c.total)),
                entry: e,
            }
        })
        .collect();
    Ok(InitiativeAdminView {
        contests: list,
        current: Some(InitiativeAdmin {
            id: c.id,
            form: form_of(&c),
            entries,
            shortfalls,
            results: results(&mut conn, c.id).await?,
            deadline_passed: now > c.submission_deadline,
            computed: c.computed_at.is_some(),
            published: c.published_at.is_some(),
        }),
    })
}

#[tracing::instrument(skip_all)]
pub async fn save(
    state: &AppState,
    user: &UserInfo,
    form: &InitiativeForm,
) -> Result<i64, AppError> {
    authorize(user, Permission::ManageContest)?;
    let nfc_form = InitiativeForm {
        name: nfc(&form.name),
        topics: nfc(&form.topics),
        rubric: nfc(&form.rubric),
        prizes: nfc(&form.prizes),
        requirements: nfc(&form.requirements),
        ..form.clone()
    };
    let v = rules::validate_contest(&nfc_form).map_err(AppError::Invalid)?;
    let now = to_ms(state.clock.now());
    let topics = v.topics.join("\n");
    let rubric = v
        .rubric
        .iter()
        .map(|c| format!("{}: {}", c.name, c.max))
        .collect::<Vec<_>>()
        .join("\n");
    let prizes = crate::domain::awards::format_tiers(&v.prizes);
    let requirements = v
        .requirements
        .iter()
        .map(|(k, n)| format!("{k}:{n}"))
        .collect::<Vec<_>>()
        .join(", ");
    let settings = repo::ContestSettings {
        name: &v.name,
        topics: &topics,
        rubric: &rubric,
        prizes: &prizes,
        requirements: &requirements,
        submission_deadline: to_ms(v.deadline),
        results_at: to_ms(v.results_at),
    };
    let mut tx = state.db.begin_write().await?;
    let id = match form.id {
        Some(id) => {
            let c = contest(&mut tx, id).await?;
            if c.published_at.is_some() {
                return Err(AppError::Conflict(
                    "Kết quả đã công bố, không sửa được cuộc thi.".into(),
                ));
            }
            if rubric_of(&c) != v.rubric {
                let scored = repo::any_scored(&mut tx, id).await?;
                if scored {
                    return Err(AppError::Invalid(vec![FieldError::new(
                        "rubric",
                        "Giám khảo đã chấm điểm, không thay đổi được tiêu chí.",
                    )]));
                }
            }
            repo::update_contest(&mut tx, id, settings).await?;
            id
        }
        None => repo::insert_contest(&mut tx, settings, now).await?,
    };
    tx.commit().await?;
    tracing::info!(user_id = user.id, contest = id, "initiative contest saved");
    Ok(id)
}

/// The demo's initiative contest (mission 004: every agency, ward and commune at least one
/// entry, schools at least two), open for 45 days.
pub async fn seed_demo(
    tx: &mut sqlx::AnyConnection,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), sqlx::Error> {
    let day = 24 * 3600 * 1000;
    let now = to_ms(now);
    repo::insert_contest(
        tx,
        repo::ContestSettings {
            name: "Tìm kiếm sáng kiến, giải pháp cải cách hành chính",
            topics: "Cải thiện môi trường đầu tư, kinh doanh, hỗ trợ doanh nghiệp\n\
                     Nâng cao hiệu quả lãnh đạo, chỉ đạo công tác cải cách hành chính\n\
                     Cải cách thủ tục hành chính, Bộ phận Một cửa\n\
                     Ứng dụng công nghệ thông tin, dịch vụ công trực tuyến",
            rubric: "Tính mới, sáng tạo: 30\nTính khả thi, khả năng nhân rộng: 40\nHiệu quả: 30",
            prizes: "Nhất:1, Nhì:2, Ba:3",
            requirements: "agency:1, ward:1, commune:1, school:2",
            submission_deadline: now + 45 * day,
            results_at: now + 60 * day,
        },
        now,
    )
    .await?;
    Ok(())
}
