//! A contest's settings as the committee saves them, and the pages that show a contest:
//! the public list and view, the committee's view with compliance, and the demo contest.

use std::collections::HashMap;

use super::entries::entries;
use super::jury::points_by_entry;
use super::prizes::results;
use super::stage::{stage, Stage};
use super::{contest, contests, points_text, role_of, rubric_of, summary};
use crate::domain::entry_requirements::{
    format_requirements, is_mandatory, shortfalls, EntryCounts, UnitRef,
};
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
    let (results, forwarded) = if s.results_public {
        let forwarded = entries(&mut conn, id, None)
            .await?
            .into_iter()
            .filter(|e| e.forwarded)
            .collect();
        (Some(results(&mut conn, id).await?), Some(forwarded))
    } else {
        (None, None)
    };
    let selection = match user {
        Some(u) => super::stages::selection(&mut conn, &c, u).await?,
        None => None,
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
        forwarded,
        rules_text: c.rules_text.clone(),
        rules_file: c.rules_file_name.clone(),
        selection,
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
        rules_text: c.rules_text.clone(),
        issuer: c.issuer.clone(),
        recipient: c.recipient.clone(),
        letter: c.letter.clone(),
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
    let compliance = compliance(&mut conn, &c).await?;
    let (jurors, mut missing, per_entry) =
        super::stages::progress(&mut conn, c.id, &entry_list).await?;
    let commendations = super::stages::commendations(&entry_list);
    let entries = entry_list
        .into_iter()
        .map(|e| {
            let combined = points.get(&e.id).and_then(|p| rules::combine(e.id, p));
            AdminEntry {
                missing_jurors: missing.remove(&e.id).unwrap_or_default(),
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
            shortfalls: compliance.shortfalls,
            mandatory_units: compliance.mandatory_units,
            encouraged_units: compliance.encouraged_units,
            results: results(&mut conn, c.id).await?,
            deadline_passed: now > c.submission_deadline,
            computed: c.computed_at.is_some(),
            published: c.published_at.is_some(),
            jurors,
            per_entry,
            commendations,
            rules_file: c.rules_file_name.clone(),
        }),
    })
}

pub(super) struct Compliance {
    pub shortfalls: Vec<ShortfallRow>,
    pub mandatory_units: u32,
    pub encouraged_units: u32,
}

/// Which mandatory units are short of which requirement, and how many units are mandatory
/// and how many encouraged ones took part anyway.
pub(super) async fn compliance(
    conn: &mut sqlx::AnyConnection,
    c: &ContestRow,
) -> Result<Compliance, AppError> {
    let Stage {
        units,
        reqs,
        selectors,
    } = stage(&mut *conn, c).await?;
    let selected: HashMap<i64, u32> = repo::selected_per_parent(&mut *conn, c.id)
        .await?
        .into_iter()
        .map(|(unit, n)| (unit, n.max(0) as u32))
        .collect();
    let mut counts: HashMap<i64, EntryCounts> = repo::entry_counts_per_unit(&mut *conn, c.id)
        .await?
        .into_iter()
        .map(|(unit, any, video, writeup)| {
            let n = |x: i64| x.max(0) as u32;
            let counts = EntryCounts {
                any: n(any),
                video: n(video),
                writeup: n(writeup),
                selected: 0,
            };
            (unit, counts)
        })
        .collect();
    for (unit, n) in selected {
        counts.entry(unit).or_default().selected = n;
    }
    let by_id: HashMap<i64, &UnitRef> = units.iter().map(|u| (u.id, u)).collect();
    let shortfalls = shortfalls(&units, &counts, &reqs)
        .into_iter()
        .filter_map(|s| {
            let u = by_id.get(&s.unit)?;
            let r = reqs.get(s.requirement)?;
            Some(ShortfallRow {
                unit_code: u.code.clone(),
                unit_name: u.name.clone(),
                kind_label: crate::domain::units::kind_label(&u.kind).into(),
                requirement: r.text.clone(),
                wanted: r.format.describe(r.count),
                required: s.required,
                submitted: s.submitted,
            })
        })
        .collect();
    let mandatory = |u: &UnitRef| is_mandatory(&reqs, &selectors, u);
    Ok(Compliance {
        shortfalls,
        mandatory_units: units.iter().filter(|u| mandatory(u)).count() as u32,
        encouraged_units: units
            .iter()
            .filter(|u| !mandatory(u) && counts.get(&u.id).is_some_and(|c| c.any > 0))
            .count() as u32,
    })
}

/// The units short of their requirements as a spreadsheet, for the committee's reminders.
pub async fn shortfalls_xlsx(
    state: &AppState,
    user: &UserInfo,
    id: i64,
) -> Result<Vec<u8>, AppError> {
    authorize(user, Permission::ManageContest)?;
    let mut conn = state.db.pool.acquire().await?;
    let c = contest(&mut conn, id).await?;
    let rows = compliance(&mut conn, &c)
        .await?
        .shortfalls
        .into_iter()
        .map(|s| {
            vec![
                s.unit_code.into(),
                s.unit_name.into(),
                s.kind_label.into(),
                s.requirement.into(),
                i64::from(s.required).into(),
                i64::from(s.submitted).into(),
            ]
        })
        .collect();
    crate::server::sheet::write_xlsx(crate::server::sheet::Sheet {
        name: "Chưa nộp đủ",
        header: &[
            "Mã đơn vị",
            "Đơn vị",
            "Loại",
            "Yêu cầu",
            "Số bài cần",
            "Đã nộp",
        ],
        widths: &[12.0, 40.0, 22.0, 40.0, 12.0, 10.0],
        rows,
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
        rules_text: nfc(&form.rules_text),
        issuer: nfc(&form.issuer),
        recipient: nfc(&form.recipient),
        letter: nfc(&form.letter),
        ..form.clone()
    };
    let units = {
        let mut conn = state.db.pool.acquire().await?;
        super::stage::unit_refs(&mut conn).await?
    };
    let v = rules::validate_contest(&nfc_form, &units).map_err(AppError::Invalid)?;
    let now = to_ms(state.clock.now());
    let topics = v.topics.join("\n");
    let rubric = v
        .rubric
        .iter()
        .map(|c| format!("{}: {}", c.name, c.max))
        .collect::<Vec<_>>()
        .join("\n");
    let prizes = crate::domain::awards::format_tiers(&v.prizes);
    let requirements = format_requirements(&v.requirements);
    let settings = repo::ContestSettings {
        name: &v.name,
        topics: &topics,
        rubric: &rubric,
        prizes: &prizes,
        requirements: &requirements,
        submission_deadline: to_ms(v.deadline),
        results_at: to_ms(v.results_at),
        rules_text: &v.rules_text,
        issuer: &v.issuer,
        recipient: &v.recipient,
        letter: &v.letter,
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

/// The demo's initiative contest as mission 004 words it (every agency, ward, commune and
/// school under the town at least one entry, two named communes a video each; the unions
/// are encouraged), open for 45 days.
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
            requirements: "thuộc TX-HN: 1\nUBND xã Hoài Mỹ: 1 video\nUBND xã Hoài Sơn: 1 video",
            submission_deadline: now + 45 * day,
            results_at: now + 60 * day,
            rules_text:
                "Bài dự thi là bài viết (bản thuyết minh sáng kiến, giải pháp) hoặc video, \
                         có thể kèm hình ảnh, của cá nhân hoặc nhóm tác giả.\n\
                         Mỗi cơ quan, đơn vị, UBND các xã, phường có ít nhất 01 bài dự thi; \
                         UBND xã Hoài Mỹ và UBND xã Hoài Sơn mỗi đơn vị ít nhất 01 bài dự thi \
                         bằng hình thức video.",
            issuer: "UBND thị xã Hoài Nhơn",
            recipient: "Sở Nội vụ tỉnh Bình Định",
            letter: "",
        },
        now,
    )
    .await?;
    Ok(())
}
