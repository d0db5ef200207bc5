//! A contest's entries: reading them with their files, submitting one, editing or withdrawing
//! it until the deadline (every earlier version kept), downloading a file.

use std::collections::HashMap;

use super::{contest, is_public, role_of};
use crate::domain::entry_files::{check_entry_files, FileSpec, FileType, Slot};
use crate::domain::initiatives as rules;
use crate::domain::roles::{allows, Permission, Role};
use crate::domain::vntime::format_vn_time;
use crate::domain::FieldError;
use crate::error::AppError;
use crate::model::initiatives::{EntryFile, EntryView};
use crate::model::UserInfo;
use crate::server::clock::{from_ms, to_ms};
use crate::server::repo::initiatives::{self as repo, ContestRow};
use crate::server::{nfc, AppState};

/// A contest's entries with their files, optionally only those one account submitted.
pub(super) async fn entries(
    conn: &mut sqlx::AnyConnection,
    contest_id: i64,
    submitted_by: Option<i64>,
) -> Result<Vec<EntryView>, AppError> {
    let c = contest(&mut *conn, contest_id).await?;
    let stage = super::stage::stage(&mut *conn, &c).await?;
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
            awaiting_preselection: stage
                .awaits_preselection(r.unit_parent_id, r.preselected_at.is_some()),
            preselected: r.preselected_at.is_some(),
            forwarded: r.forwarded_at.is_some(),
            higher_prize: r.higher_prize,
            honoree: r.honoree,
            files: by_entry.remove(&r.id).unwrap_or_default(),
            id: r.id,
            contest_id: r.contest_id,
            unit_name: r.unit_name,
            title: r.title,
            topic: r.topic,
            lead_author: r.lead_author,
            co_authors: r.co_authors,
            submitted_at: format_vn_time(r.created_at),
            version: r.version,
            edited_at: r.updated_at.map(format_vn_time),
            withdrawn: r.withdrawn_at.is_some(),
        })
        .collect())
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
    pub slot: Slot,
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
    check_files(files.iter().map(spec))?;
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
    insert_files(&mut tx, entry_id, 1, files, now).await?;
    place_and_commit(tx, place_files).await?;
    tracing::info!(
        user_id = user.id,
        entry = entry_id,
        "initiative entry submitted"
    );
    Ok(entry_id)
}

fn spec(f: &IncomingFile) -> FileSpec<'_> {
    FileSpec {
        slot: f.slot,
        file_type: f.file_type,
        size: f.size,
        name: &f.original_name,
    }
}

fn check_files<'a>(files: impl Iterator<Item = FileSpec<'a>>) -> Result<(), AppError> {
    let files: Vec<FileSpec<'a>> = files.collect();
    check_entry_files(&files).map_err(|e| {
        let field = if files.is_empty() { "writeup" } else { "files" };
        AppError::Invalid(vec![FieldError::new(field, &e)])
    })
}

async fn insert_files(
    tx: &mut sqlx::AnyConnection,
    entry_id: i64,
    version: i64,
    files: &[IncomingFile],
    now: i64,
) -> Result<(), AppError> {
    for f in files {
        repo::insert_file(
            &mut *tx,
            repo::NewFile {
                entry_id,
                version,
                slot: f.slot.as_str(),
                sha256: &f.sha256,
                size_bytes: f.size as i64,
                detected_type: f.file_type.as_str(),
                original_name: &nfc(&f.original_name),
                created_at: now,
            },
        )
        .await?;
    }
    Ok(())
}

/// Places the new files in the store, then commits; the files it created are removed again
/// if the commit fails.
async fn place_and_commit(
    tx: crate::server::db::Tx,
    place_files: impl FnOnce() -> Result<Vec<std::path::PathBuf>, AppError>,
) -> Result<(), AppError> {
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
    Ok(())
}

/// The submitter's own entry, still standing, while the contest takes entries: what an edit
/// or a withdrawal may change.
async fn own_open_entry(
    tx: &mut sqlx::AnyConnection,
    lock: &str,
    user: &UserInfo,
    entry_id: i64,
    now: i64,
) -> Result<repo::EntryRow, AppError> {
    let e = repo::entry_by_id(&mut *tx, entry_id, lock)
        .await?
        .filter(|e| e.submitted_by == user.id)
        .ok_or_else(|| AppError::NotFound("Không tìm thấy bài dự thi của bạn.".into()))?;
    if e.withdrawn_at.is_some() {
        return Err(AppError::Conflict("Bài dự thi này đã được rút.".into()));
    }
    let c = contest(&mut *tx, e.contest_id).await?;
    rules::check_submission_open(from_ms(c.submission_deadline), from_ms(now)).map_err(|_| {
        AppError::Gone("Đã hết hạn nộp bài: không sửa hay rút được bài dự thi.".into())
    })?;
    Ok(e)
}

/// Whether the person may change the entry now; checked before an edit's upload is read,
/// and again when the change is stored.
pub async fn check_can_edit(
    state: &AppState,
    user: &UserInfo,
    entry_id: i64,
) -> Result<(), AppError> {
    let now = to_ms(state.clock.now());
    let mut conn = state.db.pool.acquire().await?;
    own_open_entry(&mut conn, "", user, entry_id, now).await?;
    Ok(())
}

/// The edit page's data. Refused with the entry's contest (when there is one to go back to)
/// when the person may not change it now.
pub async fn edit_view(
    state: &AppState,
    user: &UserInfo,
    entry_id: i64,
) -> Result<crate::model::initiatives::EntryEditView, (Option<i64>, AppError)> {
    let now = to_ms(state.clock.now());
    let found = async {
        let mut conn = state.db.pool.acquire().await?;
        let row = repo::entry_by_id(&mut conn, entry_id, "").await?;
        Ok::<_, AppError>((conn, row))
    };
    let (mut conn, row) = found.await.map_err(|e| (None, e))?;
    let contest_id = row.as_ref().map(|r| r.contest_id);
    let fail = |e: AppError| (contest_id, e);
    own_open_entry(&mut conn, "", user, entry_id, now)
        .await
        .map_err(fail)?;
    let c = contest(&mut conn, contest_id.unwrap_or(0))
        .await
        .map_err(fail)?;
    let entry = entries(&mut conn, c.id, Some(user.id))
        .await
        .map_err(fail)?
        .into_iter()
        .find(|e| e.id == entry_id)
        .ok_or_else(|| {
            fail(AppError::NotFound(
                "Không tìm thấy bài dự thi của bạn.".into(),
            ))
        })?;
    Ok(crate::model::initiatives::EntryEditView {
        contest_id: c.id,
        contest_name: c.name.clone(),
        topics: rules::parse_topics(&c.topics),
        deadline: format_vn_time(c.submission_deadline),
        entry,
    })
}

/// An edit of an entry: its new text, new files, and the ids of current files to remove.
/// A new write-up or video replaces the current one; new images are added.
pub struct Edit<'a> {
    pub form: &'a EntryForm,
    pub files: &'a [IncomingFile],
    pub remove: &'a [i64],
}

/// Edits the submitter's entry before the deadline: the text as it was is kept as a version,
/// files removed or replaced stay stored (marked with the version that dropped them), and the
/// entry's files afterwards must still make an entry. Returns the contest's id and the
/// entry's new version.
#[tracing::instrument(skip_all)]
pub async fn edit(
    state: &AppState,
    user: &UserInfo,
    entry_id: i64,
    edit: Edit<'_>,
    place_files: impl FnOnce() -> Result<Vec<std::path::PathBuf>, AppError>,
) -> Result<(i64, i64), AppError> {
    let now = to_ms(state.clock.now());
    let mut tx = state.db.begin_write().await?;
    let e = own_open_entry(&mut tx, state.db.for_update(), user, entry_id, now).await?;
    let c = contest(&mut tx, e.contest_id).await?;
    let form = validate_entry(&c, edit.form)?;
    let current = repo::files_of_entry(&mut tx, entry_id).await?;
    if let Some(id) = edit
        .remove
        .iter()
        .find(|id| !current.iter().any(|f| f.id == **id))
    {
        return Err(AppError::BadRequest(format!(
            "Tệp số {id} không thuộc bài dự thi này."
        )));
    }
    let replaced = |slot: Slot| slot != Slot::Image && edit.files.iter().any(|f| f.slot == slot);
    let (kept, dropped): (Vec<_>, Vec<_>) = current.iter().partition(|f| {
        let slot = Slot::parse(&f.slot).unwrap_or(Slot::Image);
        !edit.remove.contains(&f.id) && !replaced(slot)
    });
    let kept_specs = kept.iter().filter_map(|f| {
        Some(FileSpec {
            slot: Slot::parse(&f.slot)?,
            file_type: FileType::parse(&f.detected_type)?,
            size: f.size_bytes.max(0) as u64,
            name: &f.original_name,
        })
    });
    check_files(kept_specs.chain(edit.files.iter().map(spec)))?;
    let version = e.version + 1;
    repo::keep_version(&mut tx, &e, now, user.id).await?;
    let text = repo::EntryText {
        title: &form.title,
        topic: &form.topic,
        lead_author: &form.lead_author,
        co_authors: &form.co_authors,
    };
    repo::update_entry(&mut tx, entry_id, &text, version, now).await?;
    let dropped: Vec<i64> = dropped.iter().map(|f| f.id).collect();
    repo::retire_files(&mut tx, entry_id, &dropped, version).await?;
    insert_files(&mut tx, entry_id, version, edit.files, now).await?;
    place_and_commit(tx, place_files).await?;
    tracing::info!(
        user_id = user.id,
        entry = entry_id,
        version,
        "initiative entry edited"
    );
    Ok((e.contest_id, version))
}

/// Withdraws the submitter's entry before the deadline. It is kept, with its versions, but
/// counts no more. Returns the contest's id.
#[tracing::instrument(skip_all)]
pub async fn withdraw(state: &AppState, user: &UserInfo, entry_id: i64) -> Result<i64, AppError> {
    let now = to_ms(state.clock.now());
    let mut tx = state.db.begin_write().await?;
    let e = own_open_entry(&mut tx, state.db.for_update(), user, entry_id, now).await?;
    repo::keep_version(&mut tx, &e, now, user.id).await?;
    repo::withdraw_entry(&mut tx, entry_id, e.version + 1, now).await?;
    tx.commit().await?;
    tracing::info!(
        user_id = user.id,
        entry = entry_id,
        "initiative entry withdrawn"
    );
    Ok(e.contest_id)
}

/// Attaches the contest's rules document (a write-up type, checked by content), replacing
/// any earlier one; the file is placed in the store just before the commit.
#[tracing::instrument(skip_all)]
pub async fn attach_rules(
    state: &AppState,
    user: &UserInfo,
    contest_id: i64,
    file: &IncomingFile,
    place_files: impl FnOnce() -> Result<Vec<std::path::PathBuf>, AppError>,
) -> Result<(), AppError> {
    crate::server::guard::authorize(user, Permission::ManageContest)?;
    if file.slot != Slot::Writeup {
        return Err(AppError::Internal);
    }
    let mut tx = state.db.begin_write().await?;
    contest(&mut tx, contest_id).await?;
    let name = nfc(&file.original_name);
    repo::set_rules_file(
        &mut tx,
        contest_id,
        (&file.sha256, file.file_type.as_str(), &name),
    )
    .await?;
    place_and_commit(tx, place_files).await?;
    tracing::info!(
        user_id = user.id,
        contest = contest_id,
        "initiative rules attached"
    );
    Ok(())
}

/// The contest's rules document, for anyone.
pub async fn rules_document(state: &AppState, contest_id: i64) -> Result<Download, AppError> {
    let mut conn = state.db.pool.acquire().await?;
    let c = contest(&mut conn, contest_id).await?;
    let missing = || AppError::NotFound("Cuộc thi chưa đính kèm văn bản thể lệ.".into());
    let sha256 = c.rules_file.ok_or_else(missing)?;
    let file_type = c
        .rules_file_type
        .as_deref()
        .and_then(FileType::parse)
        .ok_or_else(missing)?;
    Ok(Download {
        sha256,
        filename: format!("the-le-sang-kien-{contest_id}.{}", file_type.extension()),
        file_type,
    })
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
    // A file someone may not see answers as if it did not exist, like an attempt: the
    // answer never tells which file ids are in use.
    if !insider && !public {
        return Err(not_found());
    }
    let file_type = FileType::parse(&kind).ok_or(AppError::Internal)?;
    let name = match Slot::parse(&slot) {
        Some(Slot::Writeup) => "thuyet-minh",
        Some(Slot::Video) => "video",
        _ => "hinh-anh",
    };
    Ok(Download {
        filename: format!(
            "sang-kien-{entry_id}-{name}-{file_id}.{}",
            file_type.extension()
        ),
        sha256,
        file_type,
    })
}
