//! Initiative entries travel as multipart forms (so they work without JavaScript): the
//! write-up and an optional video or image are streamed to temporary files while their size
//! is counted and their SHA-256 computed, checked by content, then moved into the store under
//! their checksum when the entry's row commits. Downloads go through an access check.

use std::path::{Path, PathBuf};

use axum::extract::{Multipart, Path as UrlPath, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use http::{header, StatusCode};
use sha2::{Digest, Sha256};
use tokio::io::AsyncWriteExt;

use crate::api::initiatives::PUBLIC_PATH;
use crate::domain::initiatives::{sniff, MAX_ATTACHMENT_BYTES, MAX_WRITEUP_BYTES};
use crate::error::AppError;
use crate::server::guard::{refusal, Caller, SignedIn};
use crate::server::service::initiatives::{self as service, EntryForm, IncomingFile};
use crate::server::AppState;

/// The body cap for a submission: both files at their limits plus the form's text.
pub const MAX_SUBMISSION_BYTES: usize =
    (MAX_WRITEUP_BYTES + MAX_ATTACHMENT_BYTES) as usize + (1 << 20);

/// Bytes of an attachment kept to recognise its type (all the signatures are at the start).
const HEAD_BYTES: usize = 64 * 1024;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/sang-kien/{id}/nop",
            // axum's own 2 MB default for multipart bodies; `startup::limit_body` caps this route.
            post(submit).layer(axum::extract::DefaultBodyLimit::max(MAX_SUBMISSION_BYTES)),
        )
        .route("/sang-kien/tep/{file_id}", get(download))
}

/// The submission route, which alone gets the large body limit.
pub fn is_submission(path: &str) -> bool {
    path.strip_prefix("/sang-kien/")
        .and_then(|rest| rest.strip_suffix("/nop"))
        .is_some_and(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()))
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

fn too_big(slot: &str) -> AppError {
    AppError::BadRequest(if slot == "writeup" {
        format!(
            "Tệp thuyết minh vượt quá {} MB.",
            MAX_WRITEUP_BYTES / (1024 * 1024)
        )
    } else {
        format!(
            "Tệp video hoặc hình ảnh vượt quá {} MB.",
            MAX_ATTACHMENT_BYTES / (1024 * 1024)
        )
    })
}

fn wrong_type(slot: &str) -> AppError {
    AppError::BadRequest(if slot == "writeup" {
        "Bản thuyết minh phải là tệp PDF hoặc Word (.docx); nội dung tệp đã chọn không phải \
         định dạng này."
            .into()
    } else {
        "Tệp đính kèm phải là video MP4 hoặc ảnh JPEG, PNG; nội dung tệp đã chọn không phải \
         định dạng này."
            .into()
    })
}

/// Streams one file field to a temporary file, counting, hashing and keeping what the type
/// check needs (the whole write-up, since a DOCX is told by an entry name inside the ZIP).
async fn receive(
    field: &mut axum::extract::multipart::Field<'_>,
    slot: &'static str,
    dir: &Path,
) -> Result<Option<Received>, AppError> {
    let limit = if slot == "writeup" {
        MAX_WRITEUP_BYTES
    } else {
        MAX_ATTACHMENT_BYTES
    };
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
        if size > limit {
            return Err(too_big(slot));
        }
        hasher.update(&chunk);
        if slot == "writeup" {
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
    let file_type = sniff(&kept).ok_or_else(|| wrong_type(slot))?;
    if file_type.is_writeup() != (slot == "writeup") {
        return Err(wrong_type(slot));
    }
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

async fn read_form(
    form: &mut Multipart,
    dir: &Path,
) -> Result<(EntryForm, Vec<Received>), AppError> {
    let mut entry = EntryForm::default();
    let mut files = Vec::new();
    loop {
        let mut field = match form.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(_) => {
                return Err(AppError::BadRequest(
                    "Không đọc được dữ liệu gửi lên.".into(),
                ))
            }
        };
        let name = field.name().unwrap_or_default().to_string();
        let slot = match name.as_str() {
            "writeup" => Some("writeup"),
            "attachment" => Some("attachment"),
            _ => None,
        };
        if let Some(slot) = slot {
            if files.iter().any(|f: &Received| f.incoming.slot == slot) {
                return Err(AppError::BadRequest("Mỗi loại tệp chỉ gửi một tệp.".into()));
            }
            if let Some(r) = receive(&mut field, slot, dir).await? {
                files.push(r);
            }
            continue;
        }
        let text = field
            .text()
            .await
            .map_err(|_| AppError::BadRequest("Không đọc được dữ liệu gửi lên.".into()))?;
        match name.as_str() {
            "title" => entry.title = text,
            "topic" => entry.topic = text,
            "lead_author" => entry.lead_author = text,
            "co_authors" => entry.co_authors = text,
            _ => {}
        }
    }
    Ok((entry, files))
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
        let (entry, files) = read_form(&mut form, &dir).await?;
        let incoming: Vec<IncomingFile> = files
            .iter()
            .map(|f| IncomingFile {
                slot: f.incoming.slot,
                sha256: f.incoming.sha256.clone(),
                size: f.incoming.size,
                file_type: f.incoming.file_type,
                original_name: f.incoming.original_name.clone(),
            })
            .collect();
        service::submit(&state, &user, contest_id, &entry, &incoming, || {
            place(&dir, &files)
        })
        .await
    }
    .await;
    match outcome {
        Ok(id) => Redirect::to(&format!("{back}?nop={id}#nop-bai")).into_response(),
        Err(e) => crate::server::flash::redirect_with_error(&state, &format!("{back}#nop-bai"), e),
    }
}

async fn download(
    State(state): State<AppState>,
    UrlPath(file_id): UrlPath<i64>,
    Caller(user): Caller,
) -> Response {
    let found = service::download(&state, user.as_ref(), file_id).await;
    let d = match found {
        Ok(d) => d,
        Err(e) => return refusal(e),
    };
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
