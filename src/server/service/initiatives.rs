//! Initiative contests: settings, entries (metadata; the files themselves are written by
//! `server::initiative_files`), the jury's scores, combination, prizes and publication.

use std::collections::HashMap;

use crate::domain::initiatives::{self as rules, FileType, InitiativeForm};
use crate::domain::roles::{allows, Permission, Role};
use crate::domain::vntime::{format_vn_local, format_vn_time};
use crate::domain::FieldError;
use crate::error::AppError;
use crate::model::initiatives::{
    AdminEntry, EntryFile, EntryView, InitiativeAdmin, InitiativeAdminView, InitiativeSummary,
    InitiativeView, InitiativesView, JuryEntry, JuryView, ResultRow, ScoreForm, ShortfallRow,
};
use crate::model::UserInfo;
use crate::server::clock::{from_ms, to_ms};
use crate::server::guard::authorize;
use crate::server::repo::initiatives::{self as repo, ContestRow};
use crate::server::{nfc, AppState};

async fn contests(conn: &mut sqlx::AnyConnection) -> Result<Vec<ContestRow>, AppError> {
    Ok(repo::contests(conn).await?)
}

pub async fn contest(conn: &mut sqlx::AnyConnection, id: i64) -> Result<ContestRow, AppError> {
    repo::contest_by_id(conn, id)
        .await?
        .ok_or_else(|| AppError::NotFound("Không tìm thấy cuộc thi sáng kiến.".into()))
}

fn is_public(c: &ContestRow, now: i64) -> bool {
    rules::results_visible(
        c.published_at.map(from_ms),
        from_ms(c.results_at),
        from_ms(now),
    )
}

fn summary(c: &ContestRow, now: i64) -> InitiativeSummary {
    InitiativeSummary {
        id: c.id,
        name: c.name.clone(),
        topics: rules::parse_topics(&c.topics),
        deadline: format_vn_time(c.submission_deadline),
        results_at: format_vn_time(c.results_at),
        open: rules::check_submission_open(from_ms(c.submission_deadline), from_ms(now)).is_ok(),
        results_public: is_public(c, now),
    }
}

fn rubric_of(c: &ContestRow) -> Vec<rules::Criterion> {
    rules::parse_rubric(&c.rubric).unwrap_or_default()
}

fn role_of(user: &UserInfo) -> Role {
    Role::parse(&user.role).unwrap_or(Role::Participant)
}

/// "85,50" from hundredths.
fn points_text(hundredths: i64) -> String {
    format!("{},{:02}", hundredths / 100, hundredths % 100)
}

/// A contest's entries with their files, optionally only those one account submitted.
async fn entries(
    conn: &mut sqlx::AnyConnection,
    contest_id: i64,
    submitted_by: Option<i64>,
) -> Result<Vec<EntryView>, AppError> {
    let rows = repo::entries(&mut *conn, contest_id, submitted_by).await?;
    let files = repo::files(&mut *conn, contest_id).await?;
    let mut by_entry: HashMap<i64, Vec<EntryFile>> = HashMap::new();
    for f in files {
        by_entry.entry(f.entry_id).or_default().push(EntryFile {
            id: f.id,
            slot: f.slot,
            detected_type: f.detected_type,
            size_bytes: f.size_bytes,
            original_name: f.original_name,
            sha256: f.sha256,
        });
    }
    Ok(rows
        .into_iter()
        .map(|r| EntryView {
            files: by_entry.remove(&r.id).unwrap_or_default(),
            id: r.id,
            contest_id: r.contest_id,
            unit_name: r.unit_name,
            title: r.title,
            topic: r.topic,
            lead_author: r.lead_author,
            co_authors: r.co_authors,
            submitted_at: format_vn_time(r.created_at),
        })
        .collect())
}

async fn results(
    conn: &mut sqlx::AnyConnection,
    contest_id: i64,
) -> Result<Vec<ResultRow>, AppError> {
    let awards = repo::awards(&mut *conn, contest_id).await?;
    let mut all: HashMap<i64, EntryView> = entries(conn, contest_id, None)
        .await?
        .into_iter()
        .map(|e| (e.id, e))
        .collect();
    Ok(awards
        .into_iter()
        .filter_map(|a| {
            Some(ResultRow {
                rank: a.rank as u32,
                prize: a.prize,
                score: points_text(a.score),
                entry: all.remove(&a.entry_id)?,
            })
        })
        .collect())
}

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

/// Each entry's jurors' points, one Vec per juror (in criterion order).
async fn points_by_entry(
    conn: &mut sqlx::AnyConnection,
    contest_id: i64,
    criteria: usize,
) -> Result<HashMap<i64, Vec<Vec<u32>>>, AppError> {
    let rows = repo::scores(conn, contest_id).await?;
    let mut by_juror: HashMap<(i64, i64), Vec<u32>> = HashMap::new();
    for (entry, juror, criterion, points) in rows {
        let v = by_juror
            .entry((entry, juror))
            .or_insert_with(|| vec![0; criteria]);
        if let Some(slot) = v.get_mut(criterion as usize) {
            *slot = points.max(0) as u32;
        }
    }
    let mut out: HashMap<i64, Vec<Vec<u32>>> = HashMap::new();
    for ((entry, _), v) in by_juror {
        out.entry(entry).or_default().push(v);
    }
    Ok(out)
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

/// Combines the jurors' scores and computes the prizes. After the deadline, before publication.
#[tracing::instrument(skip_all)]
pub async fn compute(state: &AppState, user: &UserInfo, id: i64) -> Result<u32, AppError> {
    authorize(user, Permission::ManageContest)?;
    let now = to_ms(state.clock.now());
    let mut tx = state.db.begin_write().await?;
    let c = contest(&mut tx, id).await?;
    if now <= c.submission_deadline {
        return Err(AppError::Conflict(
            "Chưa hết hạn nộp bài, chưa thể tính giải.".into(),
        ));
    }
    if c.published_at.is_some() {
        return Err(AppError::Conflict(
            "Kết quả đã công bố, không tính lại được.".into(),
        ));
    }
    let rubric = rubric_of(&c);
    let tiers = crate::domain::awards::parse_tiers(&c.prizes).unwrap_or_default();
    let points = points_by_entry(&mut tx, id, rubric.len()).await?;
    let combined: Vec<rules::Combined<i64>> = points
        .iter()
        .filter_map(|(entry, p)| rules::combine(*entry, p))
        .collect();
    let placed = rules::rank(&combined);
    let winners = rules::prizes(&placed, &tiers);
    let by_key: HashMap<i64, &crate::domain::awards::Placed<i64>> =
        placed.iter().map(|p| (p.entry.key, p)).collect();
    repo::delete_awards(&mut tx, id).await?;
    for (entry, tier) in &winners {
        let p = by_key[entry];
        repo::insert_award(
            &mut tx,
            id,
            *entry,
            p.rank,
            &tiers[*tier].name,
            p.entry.score,
        )
        .await?;
    }
    repo::set_computed_at(&mut tx, id, Some(now)).await?;
    tx.commit().await?;
    tracing::info!(
        user_id = user.id,
        contest = id,
        winners = winners.len(),
        "initiative prizes computed"
    );
    Ok(winners.len() as u32)
}

#[tracing::instrument(skip_all)]
pub async fn publish(state: &AppState, user: &UserInfo, id: i64) -> Result<(), AppError> {
    authorize(user, Permission::ManageContest)?;
    let now = to_ms(state.clock.now());
    let mut tx = state.db.begin_write().await?;
    let c = contest(&mut tx, id).await?;
    if c.published_at.is_some() {
        return Err(AppError::Conflict("Kết quả đã được công bố.".into()));
    }
    if c.computed_at.is_none() {
        return Err(AppError::Conflict(
            "Cần tính giải trước khi công bố kết quả.".into(),
        ));
    }
    repo::set_published_at(&mut tx, id, now).await?;
    tx.commit().await?;
    tracing::info!(
        user_id = user.id,
        contest = id,
        "initiative results published"
    );
    Ok(())
}

pub async fn jury_view(
    state: &AppState,
    user: &UserInfo,
    id: Option<i64>,
) -> Result<JuryView, AppError> {
    authorize(user, Permission::ScoreInitiatives)?;
    let now = to_ms(state.clock.now());
    let mut conn = state.db.pool.acquire().await?;
    let all = contests(&mut conn).await?;
    let list = all.iter().map(|c| summary(c, now)).collect();
    let Some(c) = id
        .and_then(|id| all.iter().find(|c| c.id == id))
        .or_else(|| all.first())
        .cloned()
    else {
        return Ok(JuryView {
            contests: list,
            contest_id: None,
            rubric: Vec::new(),
            entries: Vec::new(),
            closed: false,
        });
    };
    let rubric = rubric_of(&c);
    let mine = repo::scores_of_juror(&mut conn, c.id, user.id).await?;
    let mut my_points: HashMap<i64, Vec<u32>> = HashMap::new();
    for (entry, criterion, points) in mine {
        let v = my_points
            .entry(entry)
            .or_insert_with(|| vec![0; rubric.len()]);
        if let Some(slot) = v.get_mut(criterion as usize) {
            *slot = points.max(0) as u32;
        }
    }
    let entries = entries(&mut conn, c.id, None)
        .await?
        .into_iter()
        .map(|e| JuryEntry {
            my_points: my_points.remove(&e.id),
            entry: e,
        })
        .collect();
    Ok(JuryView {
        contests: list,
        contest_id: Some(c.id),
        rubric,
        entries,
        closed: c.published_at.is_some(),
    })
}

/// Stores a juror's points for one entry (replacing theirs); returns the contest's id.
/// A change after the prizes were computed sets them aside: the committee computes again.
#[tracing::instrument(skip_all)]
pub async fn score(state: &AppState, user: &UserInfo, form: &ScoreForm) -> Result<i64, AppError> {
    authorize(user, Permission::ScoreInitiatives)?;
    let now = to_ms(state.clock.now());
    let mut tx = state.db.begin_write().await?;
    let contest_id = repo::contest_of_entry(&mut tx, form.entry_id)
        .await?
        .ok_or_else(|| AppError::NotFound("Không tìm thấy bài dự thi.".into()))?;
    let c = contest(&mut tx, contest_id).await?;
    if c.published_at.is_some() {
        return Err(AppError::Conflict(
            "Kết quả đã công bố, không chấm lại được.".into(),
        ));
    }
    let points = rules::validate_scores(&rubric_of(&c), &form.points).map_err(AppError::Invalid)?;
    repo::replace_scores(&mut tx, form.entry_id, user.id, &points, now).await?;
    if c.computed_at.is_some() {
        repo::delete_awards(&mut tx, contest_id).await?;
        repo::set_computed_at(&mut tx, contest_id, None).await?;
    }
    tx.commit().await?;
    tracing::info!(
        user_id = user.id,
        entry = form.entry_id,
        "initiative entry scored"
    );
    Ok(contest_id)
}

/// An entry as typed in the submission form.
#[derive(Clone, Debug, Default)]
pub struct EntryForm {
    pub title: String,
    pub topic: String,
    pub lead_author: String,
    pub co_authors: String,
}

/// A file already written to a temporary place and checked by content.
pub struct IncomingFile {
    pub slot: &'static str,
    pub sha256: String,
    pub size: u64,
    pub file_type: FileType,
    pub original_name: String,
}

/// Who may submit to a contest now: a signed-in participant, before the deadline.
/// Checked before the upload is read, and again when the entry is stored.
pub async fn check_can_submit(
    state: &AppState,
    user: &UserInfo,
    contest_id: i64,
) -> Result<(), AppError> {
    if role_of(user) != Role::Participant {
        return Err(AppError::Forbidden(
            "Chỉ tài khoản của đơn vị dự thi mới nộp được bài.".into(),
        ));
    }
    let mut conn = state.db.pool.acquire().await?;
    let c = contest(&mut conn, contest_id).await?;
    rules::check_submission_open(from_ms(c.submission_deadline), state.clock.now())
        .map_err(AppError::Gone)
}

fn validate_entry(c: &ContestRow, f: &EntryForm) -> Result<EntryForm, AppError> {
    let squash = |s: &str| nfc(&s.split_whitespace().collect::<Vec<_>>().join(" "));
    let out = EntryForm {
        title: squash(&f.title),
        topic: squash(&f.topic),
        lead_author: squash(&f.lead_author),
        co_authors: squash(&f.co_authors),
    };
    let mut errors = Vec::new();
    if out.title.is_empty() || out.title.chars().count() > 300 {
        errors.push(FieldError::new(
            "title",
            "Tên sáng kiến cần từ 1 đến 300 ký tự.",
        ));
    }
    if !rules::parse_topics(&c.topics).contains(&out.topic) {
        errors.push(FieldError::new(
            "topic",
            "Vui lòng chọn một chủ đề trong danh sách.",
        ));
    }
    if out.lead_author.is_empty() || out.lead_author.chars().count() > 100 {
        errors.push(FieldError::new(
            "lead_author",
            "Cần họ tên tác giả chính (người được đề nghị khen thưởng).",
        ));
    }
    if out.co_authors.chars().count() > 1000 {
        errors.push(FieldError::new(
            "co_authors",
            "Danh sách đồng tác giả quá dài.",
        ));
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(AppError::Invalid(errors))
    }
}

/// Serializes the last step of submissions: placing files in the store and committing.
/// The store is a folder of this server's; several servers sharing one folder would need a
/// lock in the database instead.
static STORE_LOCK: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Stores an entry and its files' metadata in one transaction. `place_files` moves the files
/// into the store just before the commit and returns the ones it created, removed again if
/// the commit fails: a refused or failed entry leaves neither a row nor a file.
#[tracing::instrument(skip_all)]
pub async fn submit(
    state: &AppState,
    user: &UserInfo,
    contest_id: i64,
    form: &EntryForm,
    files: &[IncomingFile],
    place_files: impl FnOnce() -> Result<Vec<std::path::PathBuf>, AppError>,
) -> Result<i64, AppError> {
    check_can_submit(state, user, contest_id).await?;
    let now = to_ms(state.clock.now());
    let mut tx = state.db.begin_write().await?;
    let c = contest(&mut tx, contest_id).await?;
    rules::check_submission_open(from_ms(c.submission_deadline), from_ms(now))
        .map_err(AppError::Gone)?;
    let form = validate_entry(&c, form)?;
    if !files.iter().any(|f| f.slot == "writeup") {
        return Err(AppError::Invalid(vec![FieldError::new(
            "writeup",
            "Cần tệp bản thuyết minh sáng kiến (PDF hoặc Word .docx).",
        )]));
    }
    let unit_id = crate::server::repo::users::unit_of(&mut tx, user.id).await?;
    let entry_id = repo::insert_entry(
        &mut tx,
        repo::NewEntry {
            contest_id,
            unit_id,
            submitted_by: user.id,
            title: &form.title,
            topic: &form.topic,
            lead_author: &form.lead_author,
            co_authors: &form.co_authors,
            created_at: now,
        },
    )
    .await?;
    for f in files {
        repo::insert_file(
            &mut tx,
            repo::NewFile {
                entry_id,
                slot: f.slot,
                sha256: &f.sha256,
                size_bytes: f.size as i64,
                detected_type: f.file_type.as_str(),
                original_name: &nfc(&f.original_name),
                created_at: now,
            },
        )
        .await?;
    }
    // From placing the files until the commit succeeded or the new files are gone again, no
    // other entry may place its files: it could find one "already stored" that this entry
    // is about to delete after a failed commit, and be left without its file.
    let _store = STORE_LOCK.lock().await;
    let created = place_files()?;
    if let Err(e) = tx.commit().await {
        for path in created {
            let _ = std::fs::remove_file(path);
        }
        return Err(e.into());
    }
    tracing::info!(
        user_id = user.id,
        entry = entry_id,
        "initiative entry submitted"
    );
    Ok(entry_id)
}

/// A stored file someone may download.
pub struct Download {
    pub sha256: String,
    pub file_type: FileType,
    pub filename: String,
}

/// A file for its entry's submitter, the jury and the committee; for anyone once the results
/// are public and the entry won a prize.
pub async fn download(
    state: &AppState,
    user: Option<&UserInfo>,
    file_id: i64,
) -> Result<Download, AppError> {
    let now = to_ms(state.clock.now());
    let mut conn = state.db.pool.acquire().await?;
    let row = repo::file_by_id(&mut conn, file_id).await?;
    let not_found = || AppError::NotFound("Không tìm thấy tệp.".into());
    let repo::StoredFileRow {
        entry_id,
        contest_id,
        submitted_by,
        slot,
        sha256,
        detected_type: kind,
    } = row.ok_or_else(not_found)?;
    let c = contest(&mut conn, contest_id).await?;
    let insider = user
        .is_some_and(|u| u.id == submitted_by || allows(role_of(u), Permission::ScoreInitiatives));
    let public = is_public(&c, now) && repo::won(&mut conn, contest_id, entry_id).await?;
    if !insider && !public {
        return Err(match user {
            None => AppError::Unauthorized,
            Some(_) => AppError::Forbidden("Bạn không có quyền xem tệp này.".into()),
        });
    }
    let file_type = FileType::parse(&kind).ok_or(AppError::Internal)?;
    let name = if slot == "writeup" {
        "thuyet-minh"
    } else {
        "dinh-kem"
    };
    Ok(Download {
        filename: format!("sang-kien-{entry_id}-{name}.{}", file_type.extension()),
        sha256,
        file_type,
    })
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
