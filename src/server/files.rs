//! File routes: imports uploaded as multipart forms (so they work without JavaScript) and
//! spreadsheet downloads (templates and exports). Server functions cannot carry either.

use axum::extract::{Multipart, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use http::header;

use crate::error::AppError;
use crate::model::{ImportReport, UserInfo};
use crate::server::guard::{refusal, SignedIn};
use crate::server::sheet::XLSX_MIME;
use crate::server::{service, AppState};

use crate::api::forms::OUTCOME_PARAM;
use crate::api::units::UNITS_PATH;

/// The query of a file route: `cuoc-thi` names the contest (see `domain::contests`).
type Query = axum::extract::Query<std::collections::HashMap<String, String>>;

fn contest_of(q: &Query) -> String {
    q.get(crate::domain::contests::PARAM)
        .cloned()
        .unwrap_or_default()
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/quan-tri/nhap-cau-hoi", post(upload_questions))
        .route("/quan-tri/nhap-don-vi", post(upload_units))
        .route("/quan-tri/nhap-danh-sach", post(upload_roster))
        .route(
            "/quan-tri/mau-nhap-danh-sach.xlsx",
            get(|| async { xlsx("mau-nhap-danh-sach.xlsx", service::people::template_xlsx()) }),
        )
        .route("/quan-tri/xuat/chua-du-thi.xlsx", get(export_missing))
        .route("/quan-tri/mau-nhap-cau-hoi.csv", get(question_template_csv))
        .route(
            "/quan-tri/mau-nhap-cau-hoi.xlsx",
            get(|| async { xlsx("mau-nhap-cau-hoi.xlsx", service::bank::template_xlsx()) }),
        )
        .route(
            "/quan-tri/mau-nhap-don-vi.xlsx",
            get(|| async { xlsx("mau-nhap-don-vi.xlsx", service::units::template_xlsx()) }),
        )
        .route("/quan-tri/xuat/cau-hoi.xlsx", get(export_bank))
        .route("/quan-tri/xuat/don-vi.xlsx", get(export_units))
        .route("/quan-tri/xuat/thi-sinh.xlsx", get(export_participants))
        .route("/quan-tri/xuat/luot-thi.xlsx", get(export_attempts))
        .route("/su-kien/bang-xep-hang/{round_id}", get(board_events))
        .route("/quan-tri/xuat/giai-thuong/{round_id}", get(export_winners))
        .route("/quan-tri/xuat/giai-tap-the.xlsx", get(export_unit_winners))
        .route("/giai-thuong/{id}/giay-chung-nhan.pdf", get(certificates))
        .route("/quan-tri/xuat/bao-cao.xlsx", get(export_report))
        .route(
            "/quan-tri/xuat/sang-kien/{id}/chua-nop-du.xlsx",
            get(export_initiative_shortfalls),
        )
        .route(
            "/quan-tri/xuat/sang-kien/{id}/de-nghi-khen-thuong.xlsx",
            get(export_initiative_commendations),
        )
        .route(
            "/quan-tri/xuat/sang-kien/{id}/ho-so-gui.zip",
            get(export_initiative_package),
        )
        .route("/sang-kien/{id}/ket-qua.xlsx", get(initiative_results))
        .route(
            "/sang-kien/{id}/giay-chung-nhan.pdf",
            get(initiative_certificates),
        )
        .route("/dang-ky/ma-qr/{unit_id}", get(registration_qr))
}

/// A unit's registration link as a QR code (SVG), for posters in its office: the address the
/// browser reached this site by, with the unit chosen. Reached over HTTPS when the site says
/// so (`CUOCTHI_HTTPS=1`) or a trusted proxy does (`X-Forwarded-Proto`).
async fn registration_qr(
    State(state): State<AppState>,
    axum::extract::Path(unit_id): axum::extract::Path<i64>,
    headers: http::HeaderMap,
) -> Response {
    let open = async {
        let mut conn = state.db.pool.acquire().await?;
        crate::server::repo::users::unit_exists(&mut conn, unit_id).await
    };
    match open.await {
        Ok(true) => {}
        Ok(false) => return refusal(AppError::NotFound("Không tìm thấy đơn vị.".into())),
        Err(e) => return refusal(AppError::internal("registration QR: unit")(e)),
    }
    let Some(host) = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| !h.is_empty() && h.chars().all(|c| c.is_ascii_graphic()))
    else {
        return refusal(AppError::BadRequest("Thiếu tên miền (Host).".into()));
    };
    let https = state.https
        || (crate::server::limits::trust_proxy()
            && headers
                .get("x-forwarded-proto")
                .is_some_and(|p| p.as_bytes() == b"https"));
    let link = crate::domain::units::registration_link(https, host, unit_id);
    match qrcode::QrCode::new(link.as_bytes()) {
        Ok(code) => (
            [
                (header::CONTENT_TYPE, "image/svg+xml"),
                (header::CACHE_CONTROL, "public, max-age=3600"),
            ],
            code.render::<qrcode::render::svg::Color>()
                .min_dimensions(240, 240)
                .build(),
        )
            .into_response(),
        Err(e) => refusal(AppError::internal("registration QR: encode")(e)),
    }
}

/// Server-sent events for a round's leaderboard: the board at once, then every new version
/// as it is computed (within a second or so of a submission). Served from memory.
async fn board_events(
    State(state): State<AppState>,
    axum::extract::Path(round_id): axum::extract::Path<i64>,
) -> Response {
    use axum::response::sse::{Event, KeepAlive, Sse};
    use tokio::sync::broadcast::error::RecvError;

    let first = match crate::server::live::board(&state, round_id).await {
        Ok(b) => b,
        Err(e) => return refusal(e),
    };
    let event = |b: &crate::model::Leaderboard| {
        Event::default()
            .event("board")
            .json_data(b)
            .unwrap_or_else(|_| Event::default().comment("unencodable board"))
    };
    let changes = state.live.subscribe();
    let stream = futures::stream::unfold(
        (Some(first), changes, state),
        move |(first, mut changes, state)| async move {
            if let Some(b) = first {
                return Some((
                    Ok::<_, std::convert::Infallible>(event(&b.board())),
                    (None, changes, state),
                ));
            }
            loop {
                match changes.recv().await {
                    Ok(r) if r != round_id => continue,
                    // Missed some changes: the cached board is the latest anyway.
                    Ok(_) | Err(RecvError::Lagged(_)) => {
                        if let Some(b) = state.live.cached(round_id) {
                            return Some((Ok(event(&b)), (None, changes, state)));
                        }
                    }
                    Err(RecvError::Closed) => return None,
                }
            }
        },
    );
    let mut res = Sse::new(stream)
        .keep_alive(KeepAlive::new().interval(std::time::Duration::from_secs(15)))
        .into_response();
    // A reverse proxy (nginx) passes each event on at once instead of filling a buffer first.
    res.headers_mut().insert(
        http::HeaderName::from_static("x-accel-buffering"),
        http::HeaderValue::from_static("no"),
    );
    res
}

fn xlsx(filename: &str, bytes: Result<Vec<u8>, AppError>) -> Response {
    download(XLSX_MIME, filename, bytes)
}

/// A file to save, or the refusal as plain text with its status.
fn download(mime: &str, filename: &str, bytes: Result<Vec<u8>, AppError>) -> Response {
    match bytes {
        Ok(bytes) => (
            [
                (header::CONTENT_TYPE, mime.to_string()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{filename}\""),
                ),
                (header::CACHE_CONTROL, "no-store".to_string()),
            ],
            bytes,
        )
            .into_response(),
        Err(e) => refusal(e),
    }
}

/// The reports as one workbook; `?vong=ID` narrows scores and questions to one round.
async fn export_report(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    q: Query,
) -> Response {
    let contest = contest_of(&q);
    let round = q.get("vong").and_then(|v| v.parse::<i64>().ok());
    let name = match round {
        Some(r) => format!("bao-cao-vong-{r}.xlsx"),
        None => "bao-cao.xlsx".to_string(),
    };
    export(state, user, &name, async |s, u| {
        service::report::report_xlsx(s, u, &contest, round).await
    })
    .await
}

/// Certificates for published prizes, one page per winner: `{id}` is a round or `tong`.
/// Public once the results are, like the results page itself.
async fn certificates(
    State(state): State<AppState>,
    axum::extract::Path(id): axum::extract::Path<String>,
    q: Query,
) -> Response {
    let bytes = match crate::model::PrizeList::parse(&id) {
        Some(which) => {
            service::certificates::certificates_pdf(&state, which, &contest_of(&q)).await
        }
        None => Err(AppError::NotFound("Không tìm thấy vòng thi.".into())),
    };
    download(
        "application/pdf",
        &format!("giay-chung-nhan-{id}.pdf"),
        bytes,
    )
}

/// A download for a signed-in organizer (`SignedIn` sends anyone else to the login page).
async fn export(
    state: AppState,
    user: UserInfo,
    filename: &str,
    make: impl AsyncFnOnce(&AppState, &UserInfo) -> Result<Vec<u8>, AppError>,
) -> Response {
    xlsx(filename, make(&state, &user).await)
}

async fn export_bank(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    q: Query,
) -> Response {
    export(state, user, "ngan-hang-cau-hoi.xlsx", async |s, u| {
        service::bank::export_xlsx(s, u, &contest_of(&q)).await
    })
    .await
}

async fn export_initiative_shortfalls(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    axum::extract::Path(id): axum::extract::Path<i64>,
) -> Response {
    export(state, user, "don-vi-chua-nop-du.xlsx", async |s, u| {
        service::initiatives::shortfalls_xlsx(s, u, id).await
    })
    .await
}

async fn export_initiative_commendations(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    axum::extract::Path(id): axum::extract::Path<i64>,
) -> Response {
    export(state, user, "de-nghi-khen-thuong.xlsx", async |s, u| {
        service::initiatives::commendations_xlsx(s, u, id).await
    })
    .await
}

/// The town's results as .xlsx: the committee's once computed, anyone's once public.
async fn initiative_results(
    State(state): State<AppState>,
    crate::server::guard::Caller(user): crate::server::guard::Caller,
    axum::extract::Path(id): axum::extract::Path<i64>,
) -> Response {
    let bytes = service::initiatives::results_xlsx(&state, user.as_ref(), id).await;
    xlsx(&format!("ket-qua-sang-kien-{id}.xlsx"), bytes)
}

/// Certificates for the town's own prizes, as the results are visible.
async fn initiative_certificates(
    State(state): State<AppState>,
    crate::server::guard::Caller(user): crate::server::guard::Caller,
    axum::extract::Path(id): axum::extract::Path<i64>,
) -> Response {
    let bytes = service::initiatives::certificates_pdf(&state, user.as_ref(), id).await;
    download(
        "application/pdf",
        &format!("giay-chung-nhan-sang-kien-{id}.pdf"),
        bytes,
    )
}

/// The forwarding package: built in a temporary file (it holds the entries' videos), which is
/// unlinked at once and streamed from its open handle, so nothing is left behind.
async fn export_initiative_package(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    axum::extract::Path(id): axum::extract::Path<i64>,
) -> Response {
    let built = async {
        let dir = state.upload_dir.join(".tmp");
        std::fs::create_dir_all(&dir).map_err(AppError::internal("package: temp dir"))?;
        let path = dir.join(format!("{}.zip", crate::server::session::new_token()));
        let file = std::fs::File::create(&path).map_err(AppError::internal("package: create"))?;
        let written = service::initiatives::package(&state, &user, id, file).await;
        let opened = written.and_then(|()| {
            std::fs::File::open(&path).map_err(AppError::internal("package: reopen"))
        });
        let _ = std::fs::remove_file(&path);
        opened
    };
    let file = match built.await {
        Ok(f) => tokio::fs::File::from_std(f),
        Err(e) => return refusal(e),
    };
    let stream = futures::stream::unfold(Some(file), |file| async move {
        use tokio::io::AsyncReadExt;
        let mut file = file?;
        let mut buf = vec![0u8; 64 * 1024];
        match file.read(&mut buf).await {
            Ok(0) => None,
            Ok(n) => {
                buf.truncate(n);
                Some((Ok(axum::body::Bytes::from(buf)), Some(file)))
            }
            Err(e) => Some((Err(e), None)),
        }
    });
    (
        [
            (header::CONTENT_TYPE, "application/zip".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"ho-so-sang-kien-{id}.zip\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        axum::body::Body::from_stream(stream),
    )
        .into_response()
}

async fn export_units(State(state): State<AppState>, SignedIn(user): SignedIn) -> Response {
    export(state, user, "don-vi.xlsx", async |s, u| {
        service::units::export_xlsx(s, u).await
    })
    .await
}

async fn export_participants(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    q: Query,
) -> Response {
    export(state, user, "thi-sinh.xlsx", async |s, u| {
        service::monitor::participants_xlsx(s, u, &contest_of(&q)).await
    })
    .await
}

async fn export_attempts(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    q: Query,
) -> Response {
    export(state, user, "luot-thi.xlsx", async |s, u| {
        service::monitor::attempts_xlsx(s, u, &contest_of(&q)).await
    })
    .await
}

async fn export_winners(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    axum::extract::Path(round_id): axum::extract::Path<i64>,
) -> Response {
    export(
        state,
        user,
        &format!("giai-thuong-vong-{round_id}.xlsx"),
        async |s, u| service::awards::winners_xlsx(s, u, round_id).await,
    )
    .await
}

async fn export_unit_winners(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    q: Query,
) -> Response {
    export(state, user, "giai-tap-the.xlsx", async |s, u| {
        service::collective::winners_xlsx(s, u, &contest_of(&q)).await
    })
    .await
}

async fn question_template_csv() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"mau-nhap-cau-hoi.csv\"",
            ),
        ],
        // A byte-order mark so spreadsheet programs read the file as UTF-8.
        format!("\u{feff}{}", service::bank::template_csv()),
    )
        .into_response()
}

/// An uploaded form: the file's bytes from the field `file`, and the short text fields
/// (checkboxes, the contest) beside it.
struct Upload {
    bytes: Vec<u8>,
    fields: std::collections::HashMap<String, String>,
}

async fn file_field(form: &mut Multipart) -> Result<Upload, AppError> {
    let mut bytes = None;
    let mut fields = std::collections::HashMap::new();
    while let Ok(Some(field)) = form.next_field().await {
        let name = field.name().unwrap_or_default().to_string();
        let data = field
            .bytes()
            .await
            .map_err(|_| AppError::BadRequest("Không đọc được tệp tải lên.".into()))?;
        if name == "file" {
            bytes = Some(data.to_vec()).filter(|b| !b.is_empty());
        } else if data.len() <= 200 {
            fields.insert(name, String::from_utf8_lossy(&data).into_owned());
        }
    }
    match bytes {
        Some(bytes) => Ok(Upload { bytes, fields }),
        None => Err(AppError::BadRequest("Vui lòng chọn tệp để nhập.".into())),
    }
}

/// Runs an import and answers with a redirect to `back`, carrying the outcome in the query
/// (`nhap=N`, or the id of the kept error) so the page can show it.
async fn import(
    state: AppState,
    user: UserInfo,
    mut form: Multipart,
    back: &str,
    run: impl AsyncFnOnce(&AppState, &UserInfo, &Upload) -> Result<ImportReport, AppError>,
) -> Response {
    let (outcome, contest) = match file_field(&mut form).await {
        Ok(upload) => {
            let contest = upload.fields.get("contest").cloned().unwrap_or_default();
            (run(&state, &user, &upload).await, contest)
        }
        Err(e) => (Err(e), String::new()),
    };
    let query = match outcome {
        Ok(report) => format!("nhap={}", report.imported),
        // The rows refused can fill kilobytes, more than a cookie or a Location header holds:
        // the page reads them by id, for the person who imported only.
        Err(e) => match service::outcomes::keep(&state, user.id, &e).await {
            Ok(id) => format!("{OUTCOME_PARAM}={id}"),
            Err(_) => {
                let to = crate::domain::contests::with_contest(back, &contest);
                return crate::server::flash::redirect_with_error(&state, &to, e);
            }
        },
    };
    let to = crate::domain::contests::with_contest(&format!("{back}?{query}"), &contest);
    Redirect::to(&to).into_response()
}

async fn upload_questions(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    form: Multipart,
) -> Response {
    import(
        state,
        user,
        form,
        crate::api::bank::BANK_PATH,
        async |s, u, up| {
            let contest = up.fields.get("contest").map_or("", String::as_str);
            let create_topics = up
                .fields
                .get("create_topics")
                .is_some_and(|v| !v.is_empty());
            service::bank::import_file(s, u, contest, &up.bytes, create_topics).await
        },
    )
    .await
}

async fn upload_roster(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    form: Multipart,
) -> Response {
    import(
        state,
        user,
        form,
        crate::api::people::PEOPLE_PATH,
        async |s, u, b| {
            let contest = b.fields.get("contest").cloned().unwrap_or_default();
            service::people::import_roster(s, u, &contest, &b.bytes).await
        },
    )
    .await
}

/// The roster's people who have not taken part yet, for reminders.
async fn export_missing(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    q: Query,
) -> Response {
    export(state, user, "chua-du-thi.xlsx", async |s, u| {
        service::people::missing_xlsx(s, u, &contest_of(&q)).await
    })
    .await
}

async fn upload_units(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    form: Multipart,
) -> Response {
    import(state, user, form, UNITS_PATH, async |s, u, b| {
        service::units::import_file(s, u, &b.bytes).await
    })
    .await
}
