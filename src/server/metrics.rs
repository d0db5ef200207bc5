//! Prometheus metrics at `/metrics`, in memory per process: requests and their latency by
//! route, answers saved, rate-limit refusals, the sweeper's passes and lag, and, read when
//! scraped, attempts in progress and the database pool.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Instant;

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::server::AppState;

/// Latency bucket bounds, in seconds.
const BUCKETS: [f64; 10] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0];

#[derive(Default)]
struct Series {
    count: u64,
    sum_secs: f64,
    /// Requests at or under each bound of `BUCKETS`.
    buckets: [u64; BUCKETS.len()],
}

impl Series {
    fn add(&mut self, secs: f64) {
        self.count += 1;
        self.sum_secs += secs;
        for (i, bound) in BUCKETS.iter().enumerate() {
            if secs <= *bound {
                self.buckets[i] += 1;
            }
        }
    }

    /// The histogram's lines; `labels` is empty or ends with a comma.
    fn write(&self, out: &mut String, name: &str, labels: &str) {
        for (bound, n) in BUCKETS.iter().zip(self.buckets.iter()) {
            let _ = writeln!(out, "{name}_bucket{{{labels}le=\"{bound}\"}} {n}");
        }
        let _ = writeln!(out, "{name}_bucket{{{labels}le=\"+Inf\"}} {}", self.count);
        let labels = match labels.trim_end_matches(',') {
            "" => String::new(),
            l => format!("{{{l}}}"),
        };
        let _ = writeln!(out, "{name}_sum{labels} {}", self.sum_secs);
        let _ = writeln!(out, "{name}_count{labels} {}", self.count);
    }
}

#[derive(Default)]
pub struct Metrics {
    /// (route, method, status class) -> count.
    requests: Mutex<BTreeMap<(String, String, u16), u64>>,
    /// route -> latency.
    latency: Mutex<BTreeMap<String, Series>>,
    /// How long computing a round's board took (ranking every counted entry).
    board: Mutex<Series>,
    pub saves: AtomicU64,
    /// Transactions that stored answer saves (one per group; see `server::saves`).
    pub save_commits: AtomicU64,
    /// Groups of saves that failed together and were tried again one by one.
    pub save_batches_retried: AtomicU64,
    pub rate_limited: AtomicU64,
    pub sweeper_passes: AtomicU64,
    pub sweeper_finalized: AtomicU64,
    /// When the sweeper last finished a pass (ms since the epoch; 0: never).
    pub sweeper_last_ms: AtomicI64,
}

impl Metrics {
    fn observe(&self, route: String, method: String, status: u16, secs: f64) {
        *self
            .requests
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entry((route.clone(), method, status / 100))
            .or_default() += 1;
        let mut latency = self.latency.lock().unwrap_or_else(|e| e.into_inner());
        latency.entry(route).or_default().add(secs);
    }

    /// One computation of a round's board took `secs`.
    pub fn board_computed(&self, secs: f64) {
        self.board
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .add(secs);
    }

    /// The text exposition format; `extra` are gauges read at scrape time.
    fn render(&self, extra: &[(&str, &str, f64)]) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "# HELP cuocthi_http_requests_total HTTP requests by route, method and status class."
        );
        let _ = writeln!(out, "# TYPE cuocthi_http_requests_total counter");
        for ((route, method, class), n) in self
            .requests
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
        {
            let _ = writeln!(
                out,
                "cuocthi_http_requests_total{{route=\"{route}\",method=\"{method}\",status=\"{class}xx\"}} {n}"
            );
        }
        let _ = writeln!(
            out,
            "# HELP cuocthi_http_request_duration_seconds Request latency by route."
        );
        let _ = writeln!(
            out,
            "# TYPE cuocthi_http_request_duration_seconds histogram"
        );
        for (route, s) in self
            .latency
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
        {
            s.write(
                &mut out,
                "cuocthi_http_request_duration_seconds",
                &format!("route=\"{route}\","),
            );
        }
        let _ = writeln!(
            out,
            "# HELP cuocthi_board_computation_seconds Time to compute a round's board.\n\
             # TYPE cuocthi_board_computation_seconds histogram"
        );
        self.board.lock().unwrap_or_else(|e| e.into_inner()).write(
            &mut out,
            "cuocthi_board_computation_seconds",
            "",
        );
        let counters = [
            (
                "cuocthi_saves_total",
                "Answers saved (acknowledged).",
                &self.saves,
            ),
            (
                "cuocthi_save_commits_total",
                "Commits that stored answer saves (saves that arrive together share one).",
                &self.save_commits,
            ),
            (
                "cuocthi_save_batches_retried_total",
                "Groups of saves that failed together and were tried one by one.",
                &self.save_batches_retried,
            ),
            (
                "cuocthi_rate_limited_total",
                "Requests refused by a rate limit.",
                &self.rate_limited,
            ),
            (
                "cuocthi_sweeper_passes_total",
                "Passes of the sweeper.",
                &self.sweeper_passes,
            ),
            (
                "cuocthi_sweeper_finalized_total",
                "Attempts the sweeper finalized.",
                &self.sweeper_finalized,
            ),
        ];
        for (name, help, v) in counters {
            let _ = writeln!(
                out,
                "# HELP {name} {help}\n# TYPE {name} counter\n{name} {}",
                v.load(Ordering::Relaxed)
            );
        }
        for (name, help, v) in extra {
            let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} gauge\n{name} {v}");
        }
        out
    }
}

/// The route a request is counted under: a route's pattern, a server function's path, or a
/// page's first segment; "unmatched" for a 404, so random paths never make new series.
fn route_of(matched: Option<&str>, status: u16, path: &str) -> String {
    if status == 404 {
        return "unmatched".into();
    }
    if let Some(m) = matched {
        return m.to_string();
    }
    if path.starts_with("/api/") {
        return path.to_string();
    }
    // Pages and files: the first segment ("/bai-thi", "/quan-tri", "/pkg"), never an id.
    let first = path.split('/').nth(1).unwrap_or("");
    format!("/{first}")
}

/// Counts every request and its latency.
pub async fn middleware(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    let path = req.uri().path().to_string();
    let method = req.method().to_string();
    let matched = req
        .extensions()
        .get::<axum::extract::MatchedPath>()
        .map(|m| m.as_str().to_string());
    let res = next.run(req).await;
    let status = res.status().as_u16();
    let route = route_of(matched.as_deref(), status, &path);
    if status == 429 {
        state.metrics.rate_limited.fetch_add(1, Ordering::Relaxed);
    }
    if path == SAVE_PATH && res.status().is_success() {
        state.metrics.saves.fetch_add(1, Ordering::Relaxed);
    }
    state
        .metrics
        .observe(route, method, status, started.elapsed().as_secs_f64());
    res
}

const SAVE_PATH: &str = "/api/attempt/save";

/// `/metrics`, for the machine itself (a Prometheus agent on it, or a proxy that forwards
/// only what it should): other addresses get 404.
pub async fn scrape(state: AppState, req: Request) -> Response {
    let from = crate::server::limits::client_ip(req.headers(), req.extensions());
    let local = from
        .parse::<std::net::IpAddr>()
        .is_ok_and(|ip| ip.is_loopback());
    if !local {
        return (http::StatusCode::NOT_FOUND, "Không tìm thấy.").into_response();
    }
    let now = crate::server::clock::to_ms(state.clock.now());
    let (running, overdue) = {
        let mut conn = match state.db.pool.acquire().await {
            Ok(c) => c,
            Err(_) => return (http::StatusCode::SERVICE_UNAVAILABLE, "database").into_response(),
        };
        use crate::server::repo::attempts;
        (
            attempts::count_in_progress(&mut conn).await.unwrap_or(-1),
            attempts::count_overdue(&mut conn, now).await.unwrap_or(-1),
        )
    };
    let last = state.metrics.sweeper_last_ms.load(Ordering::Relaxed);
    let lag = if last == 0 {
        -1.0
    } else {
        (now - last) as f64 / 1000.0
    };
    let body = state.metrics.render(&[
        (
            "cuocthi_attempts_in_progress",
            "Attempts started and not yet final.",
            running as f64,
        ),
        (
            "cuocthi_sweeper_backlog",
            "Attempts past their time and not final yet (the sweeper finalizes them).",
            overdue as f64,
        ),
        (
            "cuocthi_db_pool_connections",
            "Database connections open.",
            f64::from(state.db.pool.size()),
        ),
        (
            "cuocthi_db_pool_idle",
            "Database connections idle.",
            state.db.pool.num_idle() as f64,
        ),
        (
            "cuocthi_sweeper_seconds_since_pass",
            "Seconds since the sweeper's last pass (-1: none yet).",
            lag,
        ),
    ]);
    (
        [(
            http::header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        body,
    )
        .into_response()
}
