//! Initiative entries travel as multipart forms (so they work without JavaScript): a write-up,
//! a video and images are streamed to temporary files while their size is counted (per file
//! and for the entry) and their SHA-256 computed, checked by content, then moved into the
//! store under their checksum when the entry's row commits. The submitter edits or withdraws
//! an entry the same way until the deadline. Downloads go through an access check.

use std::path::{Path, PathBuf};

use axum::extract::{Multipart, Path as UrlPath, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use http::{header, StatusCode};
use sha2::{Digest, Sha256};
use tokio::io::AsyncWriteExt;

use crate::api::initiatives::{ADMIN_PATH, PUBLIC_PATH};
use crate::domain::entry_files::{
    entry_too_big, sniff, too_big, wrong_type, Slot, HEAD_BYTES, MAX_ENTRY_BYTES,
};
use crate::error::AppError;
use crate::server::guard::{refusal, Caller, SignedIn};
use crate::server::service::initiatives::{self as service, Edit, EntryForm, IncomingFile};
use crate::server::AppState;

/// The body cap for a submission or an edit: the entry's files at their limit plus the text.
pub const MAX_SUBMISSION_BYTES: usize = MAX_ENTRY_BYTES as usize + (1 << 20);

pub fn routes() -> Router<AppState> {
    // axum's own 2 MB default for multipart bodies; `startup::limit_body` caps these routes.
    let large = || axum::extract::DefaultBodyLimit::max(MAX_SUBMISSION_BYTES);
    Router::new()
        .route("/sang-kien/{id}/nop", post(submit).layer(large()))
        .route("/sang-kien/bai/{entry_id}/sua", post(edit).layer(large()))
        .route("/sang-kien/bai/{entry_id}/rut", post(withdraw))
        .route("/sang-kien/tep/{file_id}", get(download))
        .route("/sang-kien/{id}/the-le", get(rules))
        .route(
            "/quan-tri/sang-kien/{id}/the-le",
            // Within the organizers' 8 MB body cap (`startup::limit_body`).
            post(attach_rules).layer(axum::extract::DefaultBodyLimit::max(8 << 20)),
        )
}

/// The routes that carry an entry's files, which alone get the large body limit.
pub fn is_submission(path: &str) -> bool {
    let numbered = |id: &str| !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit());
    let Some(rest) = path.strip_prefix("/sang-kien/") else {
        return false;
    };
    rest.strip_suffix("/nop").is_some_and(numbered)
        || rest
            .strip_prefix("bai/")
            .and_then(|r| r.strip_suffix("/sua"))
            .is_some_and(numbered)
}

/// The store, created on first use. Refused if it lies inside the site root, whose files are
/// served to anyone.
fn store_dir(state: &AppState) -> Result<PathBuf, AppError> {
    let dir = &state.upload_dir;
    std::fs::create_dir_all(dir.join(".tmp")).map_err(|e| {
        tracing::error!(error = %e, dir = %dir.display(), "cannot create the upload directory");
        AppError::Internal
    })?;
    let dir = dir.canonicalize().map_err(|e| {
        tracing::error!(error = %e, dir = %dir.display(), "cannot resolve the upload directory");
        AppError::Internal
    })?;
    if let Ok(site) = Path::new(&*state.leptos_options.site_root).canonicalize() {
        if dir.starts_with(&site) {
            tracing::error!(dir = %dir.display(), "the upload directory is inside the site root");
            return Err(AppError::Internal);
        }
    }
    Ok(dir)
}

/// A temporary file removed when dropped, unless it was moved into the store.
struct TempFile(PathBuf);

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

struct Received {
    incoming: IncomingFile,
    temp: TempFile,
}

/// Streams one file field to a temporary file, counting (against its own limit and what is
/// left of the entry's), hashing and keeping what the type check needs.
async fn receive(
    field: &mut axum::extract::multipart::Field<'_>,
    slot: Slot,
    dir: &Path,
    entry_bytes: &mut u64,
) -> Result<Option<Received>, AppError> {
    let original_name = field.file_name().unwrap_or_default().to_string();
    let temp = TempFile(
        dir.join(".tmp")
            .join(format!("{}.part", crate::server::session::new_token())),
    );
    // tokio's file runs each write and the fsync on the blocking pool: a 200 MB video
    // never occupies an async worker thread.
    let write_failed = |e: std::io::Error| {
        tracing::error!(error = %e, "cannot write a temporary upload file");
        AppError::Internal
    };
    let mut out = tokio::fs::File::create(&temp.0)
        .await
        .map_err(write_failed)?;
    let mut hasher = Sha256::new();
    let mut size: u64 = 0;
    let mut kept: Vec<u8> = Vec::new();
    let unreadable = || AppError::BadRequest("Không đọc được tệp tải lên.".into());
    while let Some(chunk) = field.chunk().await.map_err(|_| unreadable())? {
        size += chunk.len() as u64;
        *entry_bytes += chunk.len() as u64;
        if size > slot.max_bytes() {
            return Err(AppError::BadRequest(too_big(slot, &original_name)));
        }
        if *entry_bytes > MAX_ENTRY_BYTES {
            return Err(AppError::BadRequest(entry_too_big()));
        }
        hasher.update(&chunk);
        if slot.needs_whole_file() {
            kept.extend_from_slice(&chunk);
        } else if kept.len() < HEAD_BYTES {
            kept.extend_from_slice(&chunk[..chunk.len().min(HEAD_BYTES - kept.len())]);
        }
        // Chunks are small; writing them in place keeps memory flat for a 200 MB video.
        out.write_all(&chunk).await.map_err(write_failed)?;
    }
    if size == 0 {
        // No file chosen: browsers still send the part, empty.
        return Ok(None);
    }
    out.sync_all().await.map_err(write_failed)?;
    let found = sniff(&kept);
    let file_type = found
        .filter(|t| t.slot() == slot)
        .ok_or_else(|| AppError::BadRequest(wrong_type(slot, &original_name, found)))?;
    Ok(Some(Received {
        incoming: IncomingFile {
            slot,
            sha256: format!("{:x}", hasher.finalize()),
            size,
            file_type,
            original_name,
        },
        temp,
    }))
}

/// What a submission or an edit form carries: the text, the files, and (an edit) the ids of
/// current files to remove.
struct EntryUpload {
    entry: EntryForm,
    files: Vec<Received>,
    remove: Vec<i64>,
}

async fn read_form(form: &mut Multipart, dir: &Path) -> Result<EntryUpload, AppError> {
    let mut out = EntryUpload {
        entry: EntryForm::default(),
        files: Vec::new(),
        remove: Vec::new(),
    };
    let mut entry_bytes = 0u64;
    let unreadable = || AppError::BadRequest("Không đọc được dữ liệu gửi lên.".into());
    loop {
        let mut field = match form.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(_) => return Err(unreadable()),
        };
        let name = field.name().unwrap_or_default().to_string();
        if let Some(slot) = Slot::parse(&name).filter(|_| name != "image") {
            if let Some(r) = receive(&mut field, slot, dir, &mut entry_bytes).await? {
                let same = out.files.iter().filter(|f| f.incoming.slot == slot).count();
                if same >= slot.max_count() {
                    return Err(AppError::BadRequest(if slot == Slot::Image {
                        format!("Mỗi bài dự thi kèm tối đa {} hình ảnh.", slot.max_count())
                    } else {
                        format!("Chỉ gửi một tệp {}.", slot.label().to_lowercase())
                    }));
                }
                out.files.push(r);
            }
            continue;
        }
        let text = field.text().await.map_err(|_| unreadable())?;
        match name.as_str() {
            "title" => out.entry.title = text,
            "topic" => out.entry.topic = text,
            "lead_author" => out.entry.lead_author = text,
            "co_authors" => out.entry.co_authors = text,
            "remove" => out
                .remove
                .push(text.trim().parse().map_err(|_| unreadable())?),
            _ => {}
        }
    }
    Ok(out)
}

fn incoming(files: &[Received]) -> Vec<IncomingFile> {
    files
        .iter()
        .map(|f| IncomingFile {
            slot: f.incoming.slot,
            sha256: f.incoming.sha256.clone(),
            size: f.incoming.size,
            file_type: f.incoming.file_type,
            original_name: f.incoming.original_name.clone(),
        })
        .collect()
}

/// Moves received files into the store under their checksum; returns those newly created
/// (a file with the same content already stored is kept as it is). `service::submit` calls it
/// under the store's lock.
fn place(dir: &Path, files: &[Received]) -> Result<Vec<PathBuf>, AppError> {
    let mut created = Vec::new();
    for f in files {
        let target = dir.join(&f.incoming.sha256);
        if target.exists() {
            continue;
        }
        if let Err(e) = std::fs::rename(&f.temp.0, &target) {
            tracing::error!(error = %e, "cannot move an upload into the store");
            for p in &created {
                let _ = std::fs::remove_file(p);
            }
            return Err(AppError::Internal);
        }
        created.push(target);
    }
    Ok(created)
}

async fn submit(
    State(state): State<AppState>,
    UrlPath(contest_id): UrlPath<i64>,
    SignedIn(user): SignedIn,
    mut form: Multipart,
) -> Response {
    let back = format!("{PUBLIC_PATH}/{contest_id}");
    let outcome = async {
        // Refuse early (late, or not a unit's account) before reading a large body.
        service::check_can_submit(&state, &user, contest_id).await?;
        let dir = store_dir(&state)?;
        let upload = read_form(&mut form, &dir).await?;
        let files = incoming(&upload.files);
        service::submit(&state, &user, contest_id, &upload.entry, &files, || {
            place(&dir, &upload.files)
        })
        .await
    }
    .await;
    match outcome {
        Ok(id) => Redirect::to(&format!("{back}?nop={id}#nop-bai")).into_response(),
        Err(e) => crate::server::flash::redirect_with_error(&state, &format!("{back}/nop-bai"), e),
    }
}

/// The page an entry's own forms go back to.
async fn entry_page(state: &AppState, entry_id: i64) -> String {
    let contest = async {
        let mut conn = state.db.pool.acquire().await.ok()?;
        crate::server::repo::initiatives::entry_by_id(&mut conn, entry_id, "")
            .await
            .ok()
            .flatten()
            .map(|e| e.contest_id)
    };
    match contest.await {
        Some(c) => format!("{PUBLIC_PATH}/{c}"),
        None => PUBLIC_PATH.to_string(),
    }
}

/// The audit log's line for a participant's change to an entry.
async fn record_change(
    state: &AppState,
    user_id: i64,
    (headers, extensions): (&http::HeaderMap, &http::Extensions),
    entry_id: i64,
    detail: &str,
) {
    let ip = crate::server::limits::client_ip(headers, extensions);
    let action = format!("/sang-kien/bai/{entry_id}");
    crate::server::audit::record(
        state,
        crate::server::audit::Event {
            kind: crate::server::audit::ENTRY,
            user_id: Some(user_id),
            ip: &ip,
            action: &action,
            status: 200,
            detail,
            contest: None,
        },
    )
    .await;
}

async fn edit(
    State(state): State<AppState>,
    UrlPath(entry_id): UrlPath<i64>,
    SignedIn(user): SignedIn,
    headers: http::HeaderMap,
    extensions: http::Extensions,
    mut form: Multipart,
) -> Response {
    let back = entry_page(&state, entry_id).await;
    let outcome = async {
        // Refuse early (not theirs, withdrawn, late) before reading a large body.
        service::check_can_edit(&state, &user, entry_id).await?;
        let dir = store_dir(&state)?;
        let upload = read_form(&mut form, &dir).await?;
        let files = incoming(&upload.files);
        let edit = Edit {
            form: &upload.entry,
            files: &files,
            remove: &upload.remove,
        };
        service::edit(&state, &user, entry_id, edit, || place(&dir, &upload.files)).await
    }
    .await;
    match outcome {
        Ok((_, version)) => {
            let detail = format!("sửa bài dự thi {entry_id}, phiên bản {version}");
            record_change(&state, user.id, (&headers, &extensions), entry_id, &detail).await;
            Redirect::to(&format!("{back}?sua={entry_id}#bai-{entry_id}")).into_response()
        }
        Err(e) => crate::server::flash::redirect_with_error(
            &state,
            &format!("{PUBLIC_PATH}/bai/{entry_id}"),
            e,
        ),
    }
}

async fn withdraw(
    State(state): State<AppState>,
    UrlPath(entry_id): UrlPath<i64>,
    SignedIn(user): SignedIn,
    headers: http::HeaderMap,
    extensions: http::Extensions,
) -> Response {
    let back = entry_page(&state, entry_id).await;
    match service::withdraw(&state, &user, entry_id).await {
        Ok(_) => {
            let detail = format!("rút bài dự thi {entry_id}");
            record_change(&state, user.id, (&headers, &extensions), entry_id, &detail).await;
            Redirect::to(&format!("{back}?rut={entry_id}#bai-{entry_id}")).into_response()
        }
        Err(e) => crate::server::flash::redirect_with_error(
            &state,
            &format!("{PUBLIC_PATH}/bai/{entry_id}"),
            e,
        ),
    }
}

async fn download(
    State(state): State<AppState>,
    UrlPath(file_id): UrlPath<i64>,
    Caller(user): Caller,
) -> Response {
    match service::download(&state, user.as_ref(), file_id).await {
        Ok(d) => serve(&state, d).await,
        Err(e) => refusal(e),
    }
}

/// The contest's rules document, for anyone.
async fn rules(State(state): State<AppState>, UrlPath(contest_id): UrlPath<i64>) -> Response {
    match service::rules_document(&state, contest_id).await {
        Ok(d) => serve(&state, d).await,
        Err(e) => refusal(e),
    }
}

/// The committee attaches the rules document (PDF or Word), replacing any earlier one.
async fn attach_rules(
    State(state): State<AppState>,
    UrlPath(contest_id): UrlPath<i64>,
    SignedIn(user): SignedIn,
    mut form: Multipart,
) -> Response {
    let back = format!("{ADMIN_PATH}?id={contest_id}");
    let outcome = async {
        crate::server::guard::authorize(&user, crate::domain::roles::Permission::ManageContest)?;
        let dir = store_dir(&state)?;
        let unreadable = || AppError::BadRequest("Không đọc được dữ liệu gửi lên.".into());
        let mut received = None;
        let mut entry_bytes = 0u64;
        while let Some(mut field) = form.next_field().await.map_err(|_| unreadable())? {
            if field.name() == Some("file") && received.is_none() {
                received = receive(&mut field, Slot::Writeup, &dir, &mut entry_bytes).await?;
            }
        }
        let received = received.ok_or_else(|| {
            AppError::BadRequest("Chọn tệp thể lệ (PDF hoặc Word) để tải lên.".into())
        })?;
        let file = incoming(std::slice::from_ref(&received)).remove(0);
        service::attach_rules(&state, &user, contest_id, &file, || {
            place(&dir, std::slice::from_ref(&received))
        })
        .await
    }
    .await;
    match outcome {
        Ok(()) => Redirect::to(&format!("{back}&the-le=1#cai-dat")).into_response(),
        Err(e) => crate::server::flash::redirect_with_error(&state, &format!("{back}#cai-dat"), e),
    }
}

/// Streams a stored file as an attachment, never read whole into memory.
async fn serve(state: &AppState, d: service::Download) -> Response {
    // Streamed from disk (a video may be 200 MB), never read whole into memory.
    let path = state.upload_dir.join(&d.sha256);
    let served = tower::ServiceExt::oneshot(
        tower_http::services::ServeFile::new(&path),
        http::Request::new(axum::body::Body::empty()),
    )
    .await;
    let mut response = match served {
        Ok(r) if r.status() == StatusCode::OK => r.map(axum::body::Body::new),
        _ => {
            tracing::error!(sha256 = %d.sha256, "a stored initiative file is missing");
            return refusal(AppError::NotFound("Không tìm thấy tệp.".into()));
        }
    };
    let headers = response.headers_mut();
    for (name, value) in [
        (header::CONTENT_TYPE, d.file_type.mime().to_string()),
        (
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{}\"", d.filename),
        ),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
        (header::CACHE_CONTROL, "private, no-store".to_string()),
    ] {
        if let Ok(value) = http::HeaderValue::from_str(&value) {
            headers.insert(name, value);
        }
    }
    response.into_response()
}

#[cfg(test)]
mod tests {
    use super::is_submission;

    #[test]
    fn only_the_submission_route_gets_the_large_body_limit() {
        let table = [
            ("/sang-kien/1/nop", true),
            ("/sang-kien/bai/7/sua", true),
            ("/sang-kien/bai/7/rut", false),
            ("/sang-kien/bai//sua", false),
            ("/sang-kien/bai/x/sua", false),
            ("/sang-kien/123456/nop", true),
            ("/sang-kien//nop", false),
            ("/sang-kien/abc/nop", false),
            ("/sang-kien/1/nop/x", false),
            ("/sang-kien/tep/1", false),
            ("/sang-kien/1/../../api/auth/register/nop", false),
            ("/api/auth/register", false),
            ("/quan-tri/nhap-cau-hoi", false),
        ];
        for (path, want) in table {
            assert_eq!(is_submission(path), want, "{path}");
        }
    }
}
