//! Builds the HTTP application: database, seed, routes, middleware, background sweeper.
//! Tests call `Application::build` with port 0 and a movable clock.

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::Request;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use http::{header, StatusCode};
use leptos::prelude::*;
use leptos_axum::{generate_route_list, handle_server_fns_with_context, LeptosRoutes};
use tower_http::compression::CompressionLayer;
use tower_http::trace::{DefaultOnFailure, DefaultOnResponse, TraceLayer};
use tower_http::LatencyUnit;

use crate::app::{shell, App};
use crate::server::clock::Clock;
use crate::server::config::Config;
use crate::server::db::Db;
use crate::server::password::PasswordHasherPool;
use crate::server::{seed, service, AppState};

pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

pub struct Application {
    pub addr: SocketAddr,
    pub state: AppState,
    listener: tokio::net::TcpListener,
    router: Router,
    /// Tells the sweeper to stop after its current pass.
    stop_sweeper: tokio::sync::watch::Sender<bool>,
    sweeper: tokio::task::JoinHandle<()>,
}

/// How long a stopping server lets requests in flight finish before it exits anyway (a live
/// board's event stream never finishes on its own).
pub const SHUTDOWN_GRACE: std::time::Duration = std::time::Duration::from_secs(10);

pub fn leptos_options() -> LeptosOptions {
    // Settings come in LEPTOS_* variables (LEPTOS_SITE_ROOT, LEPTOS_SITE_ADDR, ...), as
    // scripts/start and cargo-leptos pass them; in a source folder without them, from
    // Cargo.toml's [package.metadata.leptos]. An installed server has only the variables.
    let source = (std::env::var_os("LEPTOS_OUTPUT_NAME").is_none()
        && std::path::Path::new("Cargo.toml").exists())
    .then_some("Cargo.toml");
    let mut options = get_configuration(source)
        .map(|c| c.leptos_options)
        .unwrap_or_else(|_| LeptosOptions::builder().output_name("cuocthi").build());
    if options.output_name.is_empty() {
        options.output_name = "cuocthi".into();
    }
    options
}

impl Application {
    pub async fn build(config: Config, clock: Clock) -> Result<Self, BoxError> {
        config.check()?;
        let db = Db::connect(&config.database_url)
            .await
            .map_err(|e| format!("DATABASE_URL: {e}"))?;
        db.migrate().await?;
        if config.seed_demo && seed::seed_demo(&db, clock.now()).await? {
            tracing::info!("seeded the demo contest");
        }
        let leptos_options = leptos_options();
        let flash_key = crate::server::flash::load_key(&db).await?;
        let limits =
            crate::server::limits::Limiter::new(config.rate_limits, crate::api::rate_limited());
        // Several app servers may share a Postgres database; a SQLite one has one server.
        let limits = match db.backend {
            crate::server::db::Backend::Postgres => limits.shared_in(db.pool.clone()),
            crate::server::db::Backend::Sqlite => limits,
        };
        let metrics = std::sync::Arc::new(crate::server::metrics::Metrics::default());
        let state = AppState::new(crate::server::state::Shared {
            saves: crate::server::saves::SaveQueue::spawn(db.clone(), metrics.clone()),
            db,
            clock,
            // Password hashing may use every core but one: a login storm slows logins down,
            // never the answer saves.
            passwords: PasswordHasherPool::new(
                std::thread::available_parallelism()
                    .map(|n| n.get().saturating_sub(1))
                    .unwrap_or(1),
            ),
            leptos_options: leptos_options.clone(),
            live: Default::default(),
            certificates: Default::default(),
            limits,
            audit_reads: crate::api::organizer_reads().into(),
            upload_dir: config.upload_dir.clone(),
            flash_key,
            metrics,
            frame_ancestors: config.frame_ancestors().into(),
            https: config.https_only,
        });
        crate::server::session::set_embedded(!config.embed_origins.is_empty());
        crate::server::live::spawn(state.clone(), config.database_url.clone());
        let router = router(
            state.clone(),
            config.max_body_bytes,
            config.https_only,
            !config.embed_origins.is_empty(),
        );
        let listener = listen(config.addr, config.listen_backlog)?;
        let addr = listener.local_addr()?;
        let (stop_sweeper, stopped) = tokio::sync::watch::channel(false);
        let sweeper = spawn_sweeper(
            state.clone(),
            config.sweep_every,
            config.audit_days,
            stopped,
        );
        Ok(Self {
            addr,
            state,
            listener,
            router,
            stop_sweeper,
            sweeper,
        })
    }

    pub async fn run(self) -> std::io::Result<()> {
        self.run_until(std::future::pending()).await
    }

    /// Serves until `stop` completes, then stops accepting, lets the requests in flight
    /// finish and answer (at most `SHUTDOWN_GRACE`), stops the sweeper after its current
    /// pass, and returns.
    pub async fn run_until(
        self,
        stop: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        tracing::info!("listening on http://{}", self.addr);
        let (stopping, mut told) = tokio::sync::watch::channel(false);
        let serve = axum::serve(
            self.listener,
            self.router
                .into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(async move {
            stop.await;
            tracing::info!("stopping: no new connections, finishing requests in flight");
            let _ = stopping.send(true);
        });
        let result = tokio::select! {
            r = serve => r,
            _ = async {
                let _ = told.wait_for(|s| *s).await;
                tokio::time::sleep(SHUTDOWN_GRACE).await;
            } => {
                tracing::warn!("requests still open after the grace period; stopping anyway");
                Ok(())
            }
        };
        let _ = self.stop_sweeper.send(true);
        if tokio::time::timeout(SHUTDOWN_GRACE, self.sweeper)
            .await
            .is_err()
        {
            tracing::warn!("the sweeper did not finish its pass in time");
        }
        tracing::info!("stopped");
        result
    }
}

/// The WASM, JS and CSS package. In release builds it is served from files compressed once
/// at startup (see `assets`): under `/v/<hash of the files>/pkg/`, where pages link to it,
/// cached for good; under `/pkg/`, revalidated on every visit. In development, where the
/// files change under a running server, the fallback serves them.
fn static_package(options: &LeptosOptions) -> Router<AppState> {
    if cfg!(debug_assertions) {
        return Router::new();
    }
    let dir = std::path::Path::new(&*options.site_root).join(&*options.site_pkg_dir);
    if !dir.is_dir() {
        return Router::new();
    }
    crate::server::assets::precompress_in_background(dir.clone());
    let files = |cache: &'static str| {
        tower::ServiceBuilder::new()
            .layer(tower_http::set_header::SetResponseHeaderLayer::overriding(
                header::CACHE_CONTROL,
                http::HeaderValue::from_static(cache),
            ))
            .service(
                tower_http::services::ServeDir::new(dir.clone())
                    .precompressed_br()
                    .precompressed_gzip(),
            )
    };
    let mut router =
        Router::new().nest_service(&format!("/{}", options.site_pkg_dir), files("no-cache"));
    // Pages link to the versioned path: cached for a year, never revalidated.
    if let Some(version) = crate::server::assets::set_version(
        &dir,
        &[options.output_name.as_ref(), crate::app::QUIZ_PACKAGE],
    ) {
        router = router.nest_service(
            &format!("/v/{version}/{}", options.site_pkg_dir),
            files("public, max-age=31536000, immutable"),
        );
    }
    router
}

/// Headers every response carries: no MIME sniffing, never framed by another site (no
/// clickjacking of the quiz or the admin pages), no full URLs leaked to other sites. An
/// installation embedded in a portal drops `X-Frame-Options` (it cannot name the portal);
/// the pages' CSP `frame-ancestors` then names the portals allowed.
fn with_security_headers(router: Router, embedded: bool) -> Router {
    use tower_http::set_header::SetResponseHeaderLayer as Set;
    [
        Some((header::X_CONTENT_TYPE_OPTIONS, "nosniff")),
        (!embedded).then_some((header::X_FRAME_OPTIONS, "DENY")),
        Some((header::REFERRER_POLICY, "same-origin")),
    ]
    .into_iter()
    .flatten()
    .fold(router, |r, (name, value)| {
        r.layer(Set::if_not_present(
            name,
            http::HeaderValue::from_static(value),
        ))
    })
}

/// Imports of a whole question bank.
const ADMIN_MAX_BODY_BYTES: usize = 8 * 1024 * 1024;

fn router(state: AppState, max_body_bytes: usize, https_only: bool, embedded: bool) -> Router {
    let routes = generate_route_list(App);
    let ctx_state = state.clone();
    let provide_state = move || provide_context(ctx_state.clone());
    let fn_state = state.clone();
    let known: std::sync::Arc<std::collections::HashSet<String>> = std::sync::Arc::new(
        leptos::server_fn::axum::server_fn_paths()
            .map(|(path, _)| path.to_string())
            .collect(),
    );
    let router = Router::new()
        // Server functions are registered by `leptos_routes_with_context`; this catches the rest.
        .route(
            "/api/{*fn_name}",
            post(move |req: Request<Body>| {
                let state = fn_state.clone();
                let known = known.clone();
                async move {
                    // An unknown endpoint gets a short answer, not the framework's message.
                    if !known.contains(req.uri().path()) {
                        return (
                            StatusCode::NOT_FOUND,
                            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
                            "Không tìm thấy.",
                        )
                            .into_response();
                    }
                    handle_server_fns_with_context(move || provide_context(state.clone()), req)
                        .await
                        .into_response()
                }
            })
            .get(|| async {
                (
                    StatusCode::METHOD_NOT_ALLOWED,
                    "Chỉ chấp nhận phương thức POST.",
                )
            }),
        )
        // Liveness probe, and the framework's ceiling in the load benchmark: no database.
        .route("/healthz", axum::routing::get(|| async { "ok" }))
        .route(
            "/metrics",
            axum::routing::get({
                let state = state.clone();
                move |req: Request| crate::server::metrics::scrape(state.clone(), req)
            }),
        )
        .route(
            "/readyz",
            axum::routing::get({
                let state = state.clone();
                move || readyz(state.clone())
            }),
        )
        .merge(crate::server::files::routes())
        .merge(crate::server::initiative_files::routes())
        .merge(static_package(&state.leptos_options))
        .leptos_routes_with_context(&state, routes, provide_state, {
            let options = state.leptos_options.clone();
            move || shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(middleware::from_fn(move |req, next| {
            limit_body(req, next, max_body_bytes)
        }))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            crate::server::limits::limit,
        ))
        .layer(middleware::from_fn(refuse_cross_site_writes))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            crate::server::audit::middleware,
        ))
        .layer(middleware::from_fn(crate::server::guard::identify))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            crate::server::metrics::middleware,
        ))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(request_span)
                .on_request(())
                .on_response(
                    DefaultOnResponse::new()
                        .level(tracing::Level::DEBUG)
                        .latency_unit(LatencyUnit::Millis),
                )
                .on_failure(
                    DefaultOnFailure::new()
                        .level(tracing::Level::ERROR)
                        .latency_unit(LatencyUnit::Millis),
                ),
        )
        .layer(middleware::from_fn(assign_request_id))
        .layer(CompressionLayer::new())
        .with_state(state);
    let router = router.layer(middleware::from_fn(no_store_personal));
    let router = with_security_headers(router, embedded);
    if https_only {
        router.layer(
            tower_http::set_header::SetResponseHeaderLayer::if_not_present(
                header::STRICT_TRANSPORT_SECURITY,
                http::HeaderValue::from_static("max-age=31536000"),
            ),
        )
    } else {
        router
    }
}

/// Ready to serve: the database answers and has every migration this build carries.
async fn readyz(state: AppState) -> Response {
    let check = async {
        let mut conn = state.db.pool.acquire().await.map_err(|e| e.to_string())?;
        let applied = crate::server::repo::installation::applied_migrations(&mut conn)
            .await
            .map_err(|e| e.to_string())?;
        let known = state.db.known_migrations() as i64;
        if applied < known {
            return Err(format!("migrations: {applied} of {known} applied"));
        }
        Ok(())
    };
    match tokio::time::timeout(std::time::Duration::from_secs(3), check).await {
        Ok(Ok(())) => (StatusCode::OK, "ok").into_response(),
        Ok(Err(why)) => (StatusCode::SERVICE_UNAVAILABLE, why).into_response(),
        Err(_) => (
            StatusCode::SERVICE_UNAVAILABLE,
            "database: no answer in 3 s",
        )
            .into_response(),
    }
}

/// Nothing personal stays in a browser's or a proxy's cache (a ward office's shared computer):
/// every server function reply, and every page or file asked for with a session, is
/// `no-store`. The package (WASM, JS, CSS) and icons keep their own caching.
async fn no_store_personal(req: Request, next: Next) -> Response {
    let path = req.uri().path();
    let personal = path.starts_with("/api/")
        || (crate::server::guard::session_token(req.headers()).is_some()
            && !path.starts_with("/pkg/")
            && !path.starts_with("/v/")
            && !path.starts_with("/favicon"));
    let mut res = next.run(req).await;
    if personal {
        res.headers_mut().insert(
            header::CACHE_CONTROL,
            http::HeaderValue::from_static("no-store"),
        );
    }
    res
}

/// A short id for each request, on its trace span (so every log line of one request can be
/// found together) and in the `x-request-id` response header (so a person reporting a problem
/// can quote it).
#[derive(Clone)]
struct RequestId(std::sync::Arc<str>);

async fn assign_request_id(mut req: Request, next: Next) -> Response {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(1);
    static PROCESS: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    // Several app servers share one log pipeline: a random prefix per process keeps ids apart.
    let prefix = PROCESS.get_or_init(|| crate::server::session::new_token()[..6].to_string());
    let id: std::sync::Arc<str> =
        format!("{prefix}-{}", NEXT.fetch_add(1, Ordering::Relaxed)).into();
    req.extensions_mut().insert(RequestId(id.clone()));
    let mut res = next.run(req).await;
    if let Ok(v) = http::HeaderValue::from_str(&id) {
        res.headers_mut().insert("x-request-id", v);
    }
    res
}

/// The span every log line of a request is written in: request id, method, route (the
/// route's pattern, never personal values from the path), and the user once known.
fn request_span(req: &Request) -> tracing::Span {
    let id = req
        .extensions()
        .get::<RequestId>()
        .map(|r| r.0.clone())
        .unwrap_or_default();
    let route = req
        .extensions()
        .get::<axum::extract::MatchedPath>()
        .map(|m| m.as_str().to_string())
        .unwrap_or_else(|| req.uri().path().to_string());
    tracing::info_span!(
        "request",
        id = %id,
        method = %req.method(),
        route = %route,
        user_id = tracing::field::Empty,
    )
}

/// Caps request bodies: small for everything a participant sends, larger for organizers'
/// imports. A declared length over the cap is refused at once; an undeclared one is cut off.
async fn limit_body(req: Request, next: Next, max_body_bytes: usize) -> Response {
    let path = req.uri().path();
    let limit = if crate::server::initiative_files::is_submission(path) {
        crate::server::initiative_files::MAX_SUBMISSION_BYTES
    } else if path.starts_with("/api/admin/") || path.starts_with("/quan-tri/") {
        ADMIN_MAX_BODY_BYTES
    } else {
        max_body_bytes
    };
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > limit) {
        return (StatusCode::PAYLOAD_TOO_LARGE, "Dữ liệu gửi lên quá lớn.").into_response();
    }
    let (parts, body) = req.into_parts();
    let body = Body::new(http_body_util::Limited::new(body, limit));
    next.run(Request::from_parts(parts, body)).await
}

/// CSRF defence: a state-changing request sent by a browser from another site is refused.
/// Browsers label requests with Sec-Fetch-Site; older ones send Origin, checked against Host.
async fn refuse_cross_site_writes(req: Request, next: Next) -> Response {
    if !req.method().is_safe() && is_cross_site(&req) {
        tracing::warn!(path = %req.uri().path(), "refused a cross-site request");
        return (
            StatusCode::FORBIDDEN,
            "Yêu cầu từ trang web khác bị từ chối.",
        )
            .into_response();
    }
    next.run(req).await
}

fn is_cross_site(req: &Request) -> bool {
    let headers = req.headers();
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return !matches!(site, "same-origin" | "none");
    }
    match (
        headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()),
        headers.get(header::HOST).and_then(|v| v.to_str().ok()),
    ) {
        (Some(origin), Some(host)) => origin
            .split_once("://")
            .map(|(_, rest)| rest != host)
            .unwrap_or(true),
        (Some(_), None) => true,
        (None, _) => false,
    }
}

/// The listening socket, with the backlog asked for (tokio's `bind` fixes it at 1024).
fn listen(addr: std::net::SocketAddr, backlog: u32) -> std::io::Result<tokio::net::TcpListener> {
    let socket = if addr.is_ipv4() {
        tokio::net::TcpSocket::new_v4()?
    } else {
        tokio::net::TcpSocket::new_v6()?
    };
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(backlog)
}

fn spawn_sweeper(
    state: AppState,
    every: std::time::Duration,
    audit_days: i64,
    mut stop: tokio::sync::watch::Receiver<bool>,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut last_prune: Option<std::time::Instant> = None;
        let mut first = true;
        loop {
            // Every `every`, and the moment the next running attempt becomes overdue (a
            // round's close makes thousands overdue at once) if that comes sooner.
            let wait = if std::mem::take(&mut first) {
                std::time::Duration::ZERO
            } else {
                service::attempt::until_next_overdue(&state)
                    .await
                    .map_or(every, |d| d.clamp(std::time::Duration::from_secs(1), every))
            };
            // A pass is never cut short: the stop is heard between passes.
            tokio::select! {
                _ = tokio::time::sleep(wait) => {}
                _ = stop.wait_for(|s| *s) => return,
            }
            // The audit log's retention, once an hour.
            if last_prune.is_none_or(|t| t.elapsed() >= std::time::Duration::from_secs(3600)) {
                last_prune = Some(std::time::Instant::now());
                match crate::server::audit::prune(&state, audit_days).await {
                    Ok(0) => {}
                    Ok(n) => tracing::info!(n, "pruned old audit entries"),
                    Err(e) => tracing::error!(error = %e, "audit pruning failed"),
                }
                let now = crate::server::clock::to_ms(state.clock.now());
                if let Err(e) = state.limits.prune_shared(now).await {
                    tracing::error!(error = %e, "pruning the shared rate limits failed");
                }
            }
            match service::attempt::finalize_overdue(&state).await {
                Ok(0) => {}
                Ok(n) => {
                    state
                        .metrics
                        .sweeper_finalized
                        .fetch_add(n as u64, std::sync::atomic::Ordering::Relaxed);
                    tracing::info!(n, "finalized overdue attempts")
                }
                Err(e) => tracing::error!(error = %e, "sweeper failed"),
            }
            state
                .metrics
                .sweeper_passes
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            state.metrics.sweeper_last_ms.store(
                crate::server::clock::to_ms(state.clock.now()),
                std::sync::atomic::Ordering::Relaxed,
            );
        }
    })
}
