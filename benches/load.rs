//! Load benchmark (issue 5). Plays many participants against the release server over real
//! HTTP on loopback and measures, in the same run, the ceilings the figures are compared with:
//! a trivial axum endpoint on the same server (`GET /healthz`: the framework's limit) and the
//! same answer rows written straight through sqlx (the storage's limit).
//!
//! The server is the release binary (`target/release/cuocthi`), started as a child process on
//! a fresh database per backend. Phases, each with its own latency histogram and the server's
//! CPU and memory:
//!
//! 1. ceiling: `GET /healthz` at a fixed concurrency;
//! 2. registration and login on a modest sample (Argon2id makes them deliberately slow);
//! 3. starts: a synchronized burst (all released at once) and a paced run;
//! 4. answer saves: participants with think time (open loop, offered rate fixed), a closed-loop
//!    maximum, a check that every acknowledged answer is in the database, then submissions;
//! 5. storage ceiling: the same upserts written directly with sqlx, and the server's save
//!    service called in-process (its SQL without HTTP), at the same concurrency;
//! 6. round close: attempts whose deadlines fall within a window, finalized by the server's
//!    sweeper, while a few participants keep saving;
//! 7. leaderboard at scale: final attempts bulk-inserted, then top-100 and "my rank" viewers,
//!    first with the round unchanged, then while participants submit into the same round.
//!
//! Participants other than the registration sample are seeded directly in the database
//! (accounts and session tokens), so the load is not throttled by password hashing.
//!
//! Run it with `scripts/bench` (`scripts/bench --quick`, `scripts/bench --help`). The tables are
//! printed and written as markdown to `bench-results/`.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::future::Future;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use cuocthi::server::clock::Clock;
use cuocthi::server::config::Config;
use cuocthi::server::db::{Backend, Db};
use cuocthi::server::session::{hash_token, new_token};
use cuocthi::server::startup::Application;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use reqwest::header::{ACCEPT_ENCODING, CONTENT_ENCODING, COOKIE, SET_COOKIE};
use serde_json::{json, Value};
use tokio::sync::Barrier;
use tokio::time::sleep_until;

const HELP: &str = "\
Load benchmark for cuocthi: participants over HTTP against the release server.

usage: scripts/bench [--quick] [--OPTION VALUE]...
   or: cargo bench --features ssr --bench load -- [--quick] [--OPTION VALUE]...

  --quick                 about a minute per backend (smaller counts, shorter phases)
  --backends LIST         sqlite,postgres (default both, in that order)
  --phases LIST           some of ceiling,logins,starts,saves,storage,close,board
                          (default all; saves needs starts)
  --pg-admin URL          Postgres admin URL (default $CUOCTHI_BENCH_PG or
                          postgres://postgres@127.0.0.1:5432/postgres); the harness drops
                          and recreates the database cuocthi_bench there
  --server-bin PATH       the server binary (default: the release build cargo made)
  --out-dir DIR           where the markdown goes (default bench-results)
  --sweep-secs N          CUOCTHI_SWEEP_SECS for the server (default: the server's, 10 s)
  --keep-db               keep the SQLite file / Postgres database after the run
  --timeout SECS          per-request timeout; a request that never completes counts as
                          an error 'timeout' (default 30)

  phase sizes (full / quick):
  --ceiling-conc N        /healthz concurrency, also used for the closed-loop saves
                          and the storage ceiling (64 / 64)
  --ceiling-secs S        (10 / 3)
  --logins N              registrations, then logins, over HTTP (100 / 20)
  --login-conc N          (8 / 8)
  --burst N               starts released at once (300 / 300)
  --start-rate R          paced starts per second (100 / 100)
  --start-secs S          (20 / 4)
  --save-rate R           offered answer saves per second, spread over every participant
                          with a running attempt (1200 / 1200)
  --save-secs S           (30 / 6)
  --max-secs S            closed-loop saves at --ceiling-conc (15 / 4)
  --storage-secs S        each storage-ceiling run (10 / 3)
  --submit-conc N         (32 / 32)
  --probe N               participants saving during the round close (200 / 100)
  --probe-rate R          their saves per second in all (50 / 50)
  --close-attempts N      attempts expiring during the round close (30000 / 3000)
  --close-window S        the window their deadlines fall in (60 / 10)
  --board-attempts N      final attempts in the leaderboard round (1000000 / 50000)
  --board-viewers N       viewers with a session, for 'my rank' (200 / 50)
  --board-rate R          leaderboard requests per second, open loop (300 / 300)
  --board-secs S          (20 / 5)
  --board-max-secs S      closed-loop top-100 at --submit-conc (5 / 3)
  --board-submit-rate R   submissions per second into the leaderboard's round during a
                          second viewing run (2 / 2; 0 skips it)
";

// ---------------------------------------------------------------------------------------
// Options

#[derive(Clone, Debug)]
struct Opts {
    quick: bool,
    backends: Vec<Backend>,
    phases: Vec<String>,
    pg_admin: String,
    server_bin: PathBuf,
    out_dir: PathBuf,
    sweep_secs: Option<u64>,
    keep_db: bool,
    timeout: Duration,
    ceiling_conc: usize,
    ceiling_secs: f64,
    logins: usize,
    login_conc: usize,
    burst: usize,
    start_rate: f64,
    start_secs: f64,
    save_rate: f64,
    save_secs: f64,
    max_secs: f64,
    storage_secs: f64,
    submit_conc: usize,
    probe: usize,
    probe_rate: f64,
    close_attempts: usize,
    close_window: f64,
    board_attempts: usize,
    board_viewers: usize,
    board_rate: f64,
    board_secs: f64,
    board_max_secs: f64,
    board_submit_rate: f64,
}

/// The phases, in the order they run; `--phases` picks some of them.
const PHASES: [&str; 7] = [
    "ceiling", "logins", "starts", "saves", "storage", "close", "board",
];

impl Opts {
    fn runs(&self, phase: &str) -> bool {
        self.phases.iter().any(|p| p == phase)
    }
}

fn die(message: &str) -> ! {
    eprintln!("bench: {message}");
    std::process::exit(2)
}

fn parse_opts() -> Opts {
    let mut quick = false;
    let mut keep_db = false;
    let mut kv: HashMap<String, String> = HashMap::new();
    // cargo passes `--bench` to benchmark binaries.
    let mut args = std::env::args().skip(1).filter(|a| a != "--bench");
    while let Some(a) = args.next() {
        match a.as_str() {
            "--quick" => quick = true,
            "--keep-db" => keep_db = true,
            "--help" | "-h" => {
                print!("{HELP}");
                std::process::exit(0)
            }
            s if s.starts_with("--") => {
                let (k, v) = match s.split_once('=') {
                    Some((k, v)) => (k.to_string(), v.to_string()),
                    None => (
                        s.to_string(),
                        args.next()
                            .unwrap_or_else(|| die(&format!("{s} needs a value"))),
                    ),
                };
                kv.insert(k.trim_start_matches("--").to_string(), v);
            }
            other => die(&format!("unknown argument {other} (see --help)")),
        }
    }
    let mut take = |name: &str| kv.remove(name);
    let mut num = |name: &str, full: f64, fast: f64| -> f64 {
        match take(name) {
            Some(v) => v
                .parse()
                .unwrap_or_else(|_| die(&format!("--{name}: not a number: {v}"))),
            None if quick => fast,
            None => full,
        }
    };
    let ceiling_conc = num("ceiling-conc", 64.0, 64.0) as usize;
    let ceiling_secs = num("ceiling-secs", 10.0, 3.0);
    let logins = num("logins", 100.0, 20.0) as usize;
    let login_conc = num("login-conc", 8.0, 8.0) as usize;
    let burst = num("burst", 300.0, 300.0) as usize;
    let start_rate = num("start-rate", 100.0, 100.0);
    let start_secs = num("start-secs", 20.0, 4.0);
    let save_rate = num("save-rate", 1200.0, 1200.0);
    let save_secs = num("save-secs", 30.0, 6.0);
    let max_secs = num("max-secs", 15.0, 4.0);
    let storage_secs = num("storage-secs", 10.0, 3.0);
    let submit_conc = num("submit-conc", 32.0, 32.0) as usize;
    let probe = num("probe", 200.0, 100.0) as usize;
    let probe_rate = num("probe-rate", 50.0, 50.0);
    let close_attempts = num("close-attempts", 30_000.0, 3_000.0) as usize;
    let close_window = num("close-window", 60.0, 10.0);
    let board_attempts = num("board-attempts", 1_000_000.0, 50_000.0) as usize;
    let board_viewers = num("board-viewers", 200.0, 50.0) as usize;
    let board_rate = num("board-rate", 300.0, 300.0);
    let board_secs = num("board-secs", 20.0, 5.0);
    let board_max_secs = num("board-max-secs", 5.0, 3.0);
    let board_submit_rate = num("board-submit-rate", 2.0, 2.0);
    let timeout = Duration::from_secs_f64(num("timeout", 30.0, 30.0));
    let sweep_secs = take("sweep-secs").map(|v| {
        v.parse()
            .unwrap_or_else(|_| die(&format!("--sweep-secs: not a number: {v}")))
    });
    let phases: Vec<String> = take("phases")
        .unwrap_or_else(|| PHASES.join(","))
        .split(',')
        .map(|p| p.trim().to_string())
        .collect();
    if let Some(p) = phases.iter().find(|p| !PHASES.contains(&p.as_str())) {
        die(&format!("unknown phase {p}; phases: {}", PHASES.join(",")));
    }
    let backends = take("backends")
        .unwrap_or_else(|| "sqlite,postgres".into())
        .split(',')
        .map(|b| match b.trim() {
            "sqlite" => Backend::Sqlite,
            "postgres" | "pg" => Backend::Postgres,
            other => die(&format!("unknown backend {other}")),
        })
        .collect();
    let pg_admin = take("pg-admin")
        .or_else(|| std::env::var("CUOCTHI_BENCH_PG").ok())
        .unwrap_or_else(|| "postgres://postgres@127.0.0.1:5432/postgres".into());
    let server_bin = take("server-bin")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_cuocthi")));
    let out_dir = take("out-dir")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("bench-results"));
    if let Some(unknown) = kv.keys().next() {
        die(&format!("unknown option --{unknown} (see --help)"));
    }
    if burst == 0 || ceiling_conc == 0 || submit_conc == 0 || login_conc == 0 {
        die("counts and concurrencies must be positive");
    }
    Opts {
        quick,
        backends,
        phases,
        pg_admin,
        server_bin,
        out_dir,
        sweep_secs,
        keep_db,
        timeout,
        ceiling_conc,
        ceiling_secs,
        logins,
        login_conc,
        burst,
        start_rate,
        start_secs,
        save_rate,
        save_secs,
        max_secs,
        storage_secs,
        submit_conc,
        probe,
        probe_rate,
        close_attempts,
        close_window,
        board_attempts,
        board_viewers,
        board_rate,
        board_secs,
        board_max_secs,
        board_submit_rate,
    }
}

fn backend_name(b: Backend) -> &'static str {
    match b {
        Backend::Sqlite => "SQLite",
        Backend::Postgres => "Postgres",
    }
}

// ---------------------------------------------------------------------------------------
// CPU and memory, from /proc

fn clock_ticks() -> f64 {
    Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(100.0)
}

/// utime + stime of a process, in clock ticks, and its command name.
fn proc_ticks(pid: &str) -> Option<(String, u64)> {
    proc_times(pid).map(|(comm, own, _)| (comm, own))
}

/// A process's command name, its own CPU ticks and those of its children that exited.
fn proc_times(pid: &str) -> Option<(String, u64, u64)> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let open = stat.find('(')?;
    let close = stat.rfind(')')?;
    let comm = stat[open + 1..close].to_string();
    let fields: Vec<&str> = stat[close + 2..].split_whitespace().collect();
    let field = |i: usize| -> Option<u64> { fields.get(i)?.parse().ok() };
    Some((comm, field(11)? + field(12)?, field(13)? + field(14)?))
}

/// CPU ticks of every Postgres process (the database's share of the work), including the
/// backends and parallel workers that exited (counted in their parent's children's time).
fn postgres_ticks() -> u64 {
    std::fs::read_dir("/proc")
        .map(|dir| {
            dir.filter_map(|e| e.ok())
                .filter_map(|e| {
                    let name = e.file_name().into_string().ok()?;
                    name.bytes().all(|b| b.is_ascii_digit()).then_some(name)
                })
                .filter_map(|pid| proc_times(&pid))
                .filter(|(comm, _, _)| comm == "postgres")
                .map(|(_, own, children)| own + children)
                .sum()
        })
        .unwrap_or(0)
}

/// (busy, iowait, total) ticks of the whole machine.
fn machine_ticks() -> (u64, u64, u64) {
    let stat = std::fs::read_to_string("/proc/stat").unwrap_or_default();
    let line = stat.lines().next().unwrap_or_default();
    let v: Vec<u64> = line
        .split_whitespace()
        .skip(1)
        .filter_map(|x| x.parse().ok())
        .collect();
    if v.len() < 5 {
        return (0, 0, 1);
    }
    // user nice system idle iowait irq softirq steal (guest time is already in user).
    let total: u64 = v.iter().take(8).sum();
    let idle = v[3];
    let iowait = v[4];
    (total - idle - iowait, iowait, total)
}

/// A field of /proc/<pid>/status in kB (VmRSS, VmHWM).
fn status_kb(pid: u32, field: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

#[derive(Clone)]
struct Monitor {
    server_pid: u32,
    postgres: bool,
    ticks_per_sec: f64,
}

struct Mark {
    at: Instant,
    server: u64,
    harness: u64,
    postgres: u64,
    machine: (u64, u64, u64),
    rss_max: Arc<AtomicU64>,
    stop: Arc<AtomicBool>,
}

#[derive(Clone, Debug, Default)]
struct Usage {
    wall: f64,
    /// CPU time over wall time, in percent of one core.
    server_cpu: f64,
    harness_cpu: f64,
    postgres_cpu: f64,
    /// Share of the whole machine busy / waiting for I/O, in percent of all cores.
    machine_busy: f64,
    iowait: f64,
    /// CPU used by everything else on the machine (other builds would skew the figures).
    others_cpu: f64,
    rss_max_mb: f64,
}

impl Monitor {
    fn server_ticks(&self) -> u64 {
        proc_ticks(&self.server_pid.to_string())
            .map(|(_, t)| t)
            .unwrap_or(0)
    }

    fn mark(&self) -> Mark {
        let rss_max = Arc::new(AtomicU64::new(status_kb(self.server_pid, "VmRSS")));
        let stop = Arc::new(AtomicBool::new(false));
        let (pid, max, halt) = (self.server_pid, rss_max.clone(), stop.clone());
        tokio::spawn(async move {
            while !halt.load(Ordering::Relaxed) {
                max.fetch_max(status_kb(pid, "VmRSS"), Ordering::Relaxed);
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        });
        Mark {
            at: Instant::now(),
            server: self.server_ticks(),
            harness: proc_ticks("self").map(|(_, t)| t).unwrap_or(0),
            postgres: if self.postgres { postgres_ticks() } else { 0 },
            machine: machine_ticks(),
            rss_max,
            stop,
        }
    }

    fn usage(&self, m: &Mark) -> Usage {
        m.stop.store(true, Ordering::Relaxed);
        let wall = m.at.elapsed().as_secs_f64().max(1e-9);
        let pct = |ticks: u64| ticks as f64 / self.ticks_per_sec / wall * 100.0;
        let machine = machine_ticks();
        let total = (machine.2.saturating_sub(m.machine.2)).max(1) as f64;
        let rss_now = status_kb(self.server_pid, "VmRSS");
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get()) as f64;
        let mut u = Usage {
            wall,
            server_cpu: pct(self.server_ticks().saturating_sub(m.server)),
            harness_cpu: pct(proc_ticks("self")
                .map(|(_, t)| t)
                .unwrap_or(0)
                .saturating_sub(m.harness)),
            postgres_cpu: if self.postgres {
                pct(postgres_ticks().saturating_sub(m.postgres))
            } else {
                0.0
            },
            machine_busy: machine.0.saturating_sub(m.machine.0) as f64 / total * 100.0,
            others_cpu: 0.0,
            iowait: machine.1.saturating_sub(m.machine.1) as f64 / total * 100.0,
            rss_max_mb: m.rss_max.load(Ordering::Relaxed).max(rss_now) as f64 / 1024.0,
        };
        u.others_cpu =
            (u.machine_busy * cores - u.server_cpu - u.harness_cpu - u.postgres_cpu).max(0.0);
        u
    }
}

// ---------------------------------------------------------------------------------------
// Latency recording

#[derive(Default)]
struct ActionRaw {
    lat_us: Vec<u64>,
    errors: BTreeMap<String, u64>,
    /// The first reply body seen for each kind of error, as evidence.
    samples: BTreeMap<String, String>,
}

#[derive(Clone, Debug, Default)]
struct Stats {
    ok: usize,
    errors: BTreeMap<String, u64>,
    samples: BTreeMap<String, String>,
    per_sec: f64,
    p50: f64,
    p95: f64,
    p99: f64,
    max: f64,
}

impl Stats {
    fn error_count(&self) -> u64 {
        self.errors.values().sum()
    }
    fn server_errors(&self) -> u64 {
        self.errors
            .iter()
            .filter(|(k, _)| k.starts_with("HTTP 5"))
            .map(|(_, n)| n)
            .sum()
    }
}

/// A failed request: its kind ("HTTP 503", "timeout", ...) and what came back.
#[derive(Debug)]
struct Failure {
    kind: String,
    detail: String,
}

impl Failure {
    fn new(kind: impl Into<String>, detail: impl Into<String>) -> Self {
        Self {
            kind: kind.into(),
            detail: detail.into(),
        }
    }
}

struct Run {
    phase: String,
    note: String,
    mark: Mark,
    actions: Mutex<BTreeMap<String, ActionRaw>>,
    /// Requests slower than `SLOW`: (action, when they began in seconds into the phase).
    slow: Mutex<Vec<(String, f64)>>,
}

/// A request this slow is listed with the moment it began, to show when stalls happen.
const SLOW: Duration = Duration::from_secs(1);

#[derive(Clone, Debug)]
struct RunReport {
    phase: String,
    note: String,
    usage: Usage,
    actions: Vec<(String, Stats)>,
    slow: Vec<(String, f64)>,
}

impl RunReport {
    fn stats(&self, action: &str) -> Stats {
        self.actions
            .iter()
            .find(|(a, _)| a == action)
            .map(|(_, s)| s.clone())
            .unwrap_or_default()
    }
}

impl Run {
    fn start(mon: &Monitor, phase: &str, note: impl Into<String>) -> Arc<Run> {
        println!("  - {phase}");
        Arc::new(Run {
            phase: phase.to_string(),
            note: note.into(),
            mark: mon.mark(),
            actions: Mutex::new(BTreeMap::new()),
            slow: Mutex::new(Vec::new()),
        })
    }

    /// Records one request that began at `since` (its scheduled time in open-loop runs).
    fn record<T>(&self, action: &str, since: Instant, result: &Result<T, Failure>) {
        let took = since.elapsed();
        let micros = took.as_micros() as u64;
        if took >= SLOW {
            let at = since.saturating_duration_since(self.mark.at).as_secs_f64();
            self.slow.lock().unwrap().push((action.to_string(), at));
        }
        let mut actions = self.actions.lock().unwrap();
        let a = actions.entry(action.to_string()).or_default();
        match result {
            Ok(_) => a.lat_us.push(micros),
            Err(f) => {
                *a.errors.entry(f.kind.clone()).or_default() += 1;
                a.samples
                    .entry(f.kind.clone())
                    .or_insert_with(|| f.detail.chars().take(240).collect());
            }
        }
    }

    async fn timed<T>(
        &self,
        action: &str,
        fut: impl Future<Output = Result<T, Failure>>,
    ) -> Result<T, Failure> {
        let t = Instant::now();
        let r = fut.await;
        self.record(action, t, &r);
        r
    }

    fn finish(&self, mon: &Monitor) -> RunReport {
        let usage = mon.usage(&self.mark);
        let mut actions = self.actions.lock().unwrap();
        let stats = actions
            .iter_mut()
            .map(|(name, raw)| {
                raw.lat_us.sort_unstable();
                let pick = |p: f64| -> f64 {
                    if raw.lat_us.is_empty() {
                        return 0.0;
                    }
                    let i = ((p * raw.lat_us.len() as f64).ceil() as usize)
                        .clamp(1, raw.lat_us.len())
                        - 1;
                    raw.lat_us[i] as f64 / 1000.0
                };
                let stats = Stats {
                    ok: raw.lat_us.len(),
                    errors: raw.errors.clone(),
                    samples: raw.samples.clone(),
                    per_sec: raw.lat_us.len() as f64 / usage.wall,
                    p50: pick(0.50),
                    p95: pick(0.95),
                    p99: pick(0.99),
                    max: pick(1.0),
                };
                (name.clone(), stats)
            })
            .collect();
        RunReport {
            phase: self.phase.clone(),
            note: self.note.clone(),
            usage,
            actions: stats,
            slow: std::mem::take(&mut *self.slow.lock().unwrap()),
        }
    }
}

// ---------------------------------------------------------------------------------------
// HTTP

#[derive(Clone)]
struct Http {
    client: reqwest::Client,
    base: String,
}

enum Payload<'a> {
    Form(&'a [(&'a str, String)]),
    Json(&'a Value),
}

struct Reply {
    body: Vec<u8>,
    session: Option<String>,
    encoding: Option<String>,
}

impl Reply {
    fn json(&self) -> Result<Value, Failure> {
        serde_json::from_slice(&self.body).map_err(|e| Failure::new("bad reply", e.to_string()))
    }
}

fn transport(e: reqwest::Error) -> Failure {
    let kind = if e.is_timeout() {
        "timeout"
    } else if e.is_connect() {
        "connect error"
    } else {
        "transport error"
    };
    Failure::new(kind, e.to_string())
}

impl Http {
    fn new(addr: &str, timeout: Duration) -> Self {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .pool_max_idle_per_host(1024)
            .timeout(timeout)
            .build()
            .expect("HTTP client");
        Self {
            client,
            base: format!("http://{addr}"),
        }
    }

    async fn finish(&self, req: reqwest::RequestBuilder) -> Result<Reply, Failure> {
        let res = req.send().await.map_err(transport)?;
        let status = res.status().as_u16();
        let session = res.headers().get_all(SET_COOKIE).iter().find_map(|v| {
            let (pair, _) = v.to_str().ok()?.split_once(';')?;
            let (name, value) = pair.split_once('=')?;
            (name == "cuocthi_sid" && !value.is_empty()).then(|| value.to_string())
        });
        let encoding = res
            .headers()
            .get(CONTENT_ENCODING)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let body = res.bytes().await.map_err(transport)?.to_vec();
        if status != 200 {
            return Err(Failure::new(
                format!("HTTP {status}"),
                String::from_utf8_lossy(&body).to_string(),
            ));
        }
        Ok(Reply {
            body,
            session,
            encoding,
        })
    }

    async fn get(&self, path: &str, token: Option<&str>) -> Result<Reply, Failure> {
        let mut req = self.client.get(format!("{}{path}", self.base));
        if let Some(t) = token {
            req = req.header(COOKIE, format!("cuocthi_sid={t}"));
        }
        self.finish(req).await
    }

    async fn post(
        &self,
        path: &str,
        payload: Payload<'_>,
        token: Option<&str>,
        brotli: bool,
    ) -> Result<Reply, Failure> {
        self.finish(self.request(path, payload, token, brotli))
            .await
    }

    fn request(
        &self,
        path: &str,
        payload: Payload<'_>,
        token: Option<&str>,
        brotli: bool,
    ) -> reqwest::RequestBuilder {
        let mut req = self.client.post(format!("{}{path}", self.base));
        req = match payload {
            Payload::Form(fields) => req.form(fields),
            Payload::Json(v) => req.json(v),
        };
        if let Some(t) = token {
            req = req.header(COOKIE, format!("cuocthi_sid={t}"));
        }
        if brotli {
            req = req.header(ACCEPT_ENCODING, "br");
        }
        req
    }
}

// ---------------------------------------------------------------------------------------
// The server under test

struct Server {
    child: Child,
    addr: String,
    log: PathBuf,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or_else(|e| die(&format!("no free port: {e}")))
}

async fn start_server(opts: &Opts, database_url: &str, log: PathBuf) -> Server {
    let addr = format!("127.0.0.1:{}", free_port());
    let out = std::fs::File::create(&log).unwrap_or_else(|e| die(&format!("{log:?}: {e}")));
    let err = out.try_clone().expect("log file");
    let mut cmd = Command::new(&opts.server_bin);
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("DATABASE_URL", database_url)
        .env("CUOCTHI_ADDR", &addr)
        .env("LEPTOS_SITE_ADDR", &addr)
        .env("CUOCTHI_SEED_DEMO", "1")
        // Everyone comes from 127.0.0.1: the per-address limits would refuse most of them.
        .env("CUOCTHI_RATE_LIMITS", "off")
        .env(
            "RUST_LOG",
            std::env::var("RUST_LOG").unwrap_or_else(|_| "info,sqlx=warn".into()),
        )
        .stdin(Stdio::null())
        .stdout(out)
        .stderr(err);
    if let Some(s) = opts.sweep_secs {
        cmd.env("CUOCTHI_SWEEP_SECS", s.to_string());
    }
    let child = cmd.spawn().unwrap_or_else(|e| {
        die(&format!(
            "cannot start {:?}: {e} (build it with scripts/bench)",
            opts.server_bin
        ))
    });
    let mut server = Server { child, addr, log };
    let probe = reqwest::Client::new();
    for _ in 0..300 {
        if let Ok(Some(status)) = server.child.try_wait() {
            die(&format!(
                "the server exited ({status}); see {:?}",
                server.log
            ));
        }
        if let Ok(r) = probe
            .get(format!("http://{}/healthz", server.addr))
            .send()
            .await
        {
            if r.status().is_success() {
                return server;
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let _ = server.child.kill();
    die(&format!(
        "the server did not answer /healthz in 30 s; see {:?}",
        server.log
    ))
}

/// A fresh, empty database for one backend.
async fn fresh_database(opts: &Opts, backend: Backend) -> String {
    match backend {
        Backend::Sqlite => {
            let path = std::env::temp_dir().join("cuocthi-bench.db");
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
            }
            format!("sqlite://{}", path.display())
        }
        Backend::Postgres => {
            sqlx::any::install_default_drivers();
            let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(&opts.pg_admin)
                .await
                .unwrap_or_else(|e| die(&format!("Postgres at {}: {e}", opts.pg_admin)));
            for sql in [
                "DROP DATABASE IF EXISTS cuocthi_bench WITH (FORCE)",
                "CREATE DATABASE cuocthi_bench",
            ] {
                sqlx::query(sql)
                    .execute(&mut conn)
                    .await
                    .unwrap_or_else(|e| die(&format!("{sql}: {e}")));
            }
            let base = opts
                .pg_admin
                .rsplit_once('/')
                .map(|(b, _)| b)
                .unwrap_or(&opts.pg_admin);
            format!("{base}/cuocthi_bench")
        }
    }
}

async fn drop_database(opts: &Opts, backend: Backend, url: &str) {
    match backend {
        Backend::Sqlite => {
            let path = url.trim_start_matches("sqlite://");
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{path}{suffix}"));
            }
        }
        Backend::Postgres => {
            if let Ok(mut conn) =
                <sqlx::AnyConnection as sqlx::Connection>::connect(&opts.pg_admin).await
            {
                let _ = sqlx::query("DROP DATABASE IF EXISTS cuocthi_bench WITH (FORCE)")
                    .execute(&mut conn)
                    .await;
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// Direct database work: seeding and checks

struct BankQuestion {
    id: i64,
    options: Vec<i64>,
    correct: i64,
}

struct Ctx {
    opts: Opts,
    backend: Backend,
    url: String,
    http: Http,
    db: Db,
    mon: Monitor,
    round_id: i64,
    contest_id: i64,
    grace_secs: i64,
    questions: usize,
    unit_first: i64,
    unit_count: i64,
    bank: Vec<BankQuestion>,
}

/// A participant with a session and a running attempt. `last[seq]`: the last acknowledged
/// choice (-1: never saved, -2: unknown, the last save failed).
struct Participant {
    user_id: i64,
    token: String,
    attempt: i64,
    last: Vec<i16>,
}

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// A dummy password hash: seeded accounts never log in.
const NO_PASSWORD: &str = "$argon2id$v=19$m=19456,t=2,p=1$YmVuY2g$bm9sb2dpbg";

impl Ctx {
    async fn exec(&self, sql: &str) -> u64 {
        sqlx::query(sql)
            .execute(&self.db.pool)
            .await
            .unwrap_or_else(|e| die(&format!("{e}\nin: {sql}")))
            .rows_affected()
    }

    async fn scalar(&self, sql: &str) -> i64 {
        sqlx::query_scalar(sql)
            .fetch_one(&self.db.pool)
            .await
            .unwrap_or_else(|e| die(&format!("{e}\nin: {sql}")))
    }

    /// `WITH` prefix and `FROM` source of the integers 0..n, per backend.
    fn series(&self, n: usize) -> (String, String) {
        match self.backend {
            Backend::Sqlite => (
                format!(
                    "WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i + 1 < {n}) "
                ),
                "s".into(),
            ),
            Backend::Postgres => (
                String::new(),
                format!("generate_series(0, {}) AS s(i)", n.max(1) - 1),
            ),
        }
    }

    fn zero_pad(&self, expr: &str, width: usize) -> String {
        match self.backend {
            Backend::Sqlite => format!("substr('{}' || ({expr}), -{width})", "0".repeat(width)),
            Backend::Postgres => format!("lpad(({expr})::text, {width}, '0')"),
        }
    }

    /// Creates `n` participant accounts whose phones start with `prefix` (10 digits in all);
    /// returns their ids in order.
    async fn seed_users(&self, prefix: &str, n: usize) -> Vec<i64> {
        let (with, from) = self.series(n);
        let phone = self.zero_pad("i", 10 - prefix.len());
        self.exec(&format!(
            "{with}INSERT INTO users (full_name, birth_date, phone, unit_id, password_hash, created_at) \
             SELECT 'Người thi ' || i, '1990-04-30', '{prefix}' || {phone}, {} + (i % {}), '{NO_PASSWORD}', {} \
             FROM {from}",
            self.unit_first,
            self.unit_count,
            now_ms() - 86_400_000
        ))
        .await;
        sqlx::query_scalar(&format!(
            "SELECT id FROM users WHERE phone LIKE '{prefix}%' ORDER BY id"
        ))
        .fetch_all(&self.db.pool)
        .await
        .unwrap_or_else(|e| die(&e.to_string()))
    }

    /// A session token for each user, stored as the server stores them.
    async fn seed_sessions(&self, users: &[i64]) -> Vec<String> {
        let tokens: Vec<String> = users.iter().map(|_| new_token()).collect();
        let now = now_ms();
        let expires = now + 30 * 86_400_000;
        let mut tx = self.db.begin_write().await.expect("transaction");
        for chunk in users.iter().zip(&tokens).collect::<Vec<_>>().chunks(500) {
            let values: Vec<String> = chunk
                .iter()
                .map(|(u, t)| format!("('{}', {u}, {now}, {expires})", hash_token(t)))
                .collect();
            sqlx::query(&format!(
                "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES {}",
                values.join(", ")
            ))
            .execute(&mut *tx)
            .await
            .unwrap_or_else(|e| die(&e.to_string()));
        }
        tx.commit().await.expect("commit");
        tokens
    }

    /// A round of the demo contest, open now, for one phase's attempts.
    async fn seed_round(&self, name: &str) -> i64 {
        let now = now_ms();
        self.scalar(&format!(
            "INSERT INTO rounds (contest_id, name, opens_at, closes_at) \
             VALUES ({}, '{name}', {}, {}) RETURNING id",
            self.contest_id,
            now - 86_400_000,
            now + 7 * 86_400_000
        ))
        .await
    }

    /// The bank's first questions as an inline table (seq, question, option order) and the
    /// chosen answers (seq, option) for the first `answered` of them, half of them right.
    fn drawn_tables(&self, answered: usize) -> (String, String) {
        let drawn = self
            .bank
            .iter()
            .enumerate()
            .map(|(seq, q)| {
                let order: Vec<String> = q.options.iter().map(i64::to_string).collect();
                format!(
                    "SELECT {seq} AS seq, {} AS qid, '{}' AS ord",
                    q.id,
                    order.join(",")
                )
            })
            .collect::<Vec<_>>()
            .join(" UNION ALL ");
        let answers = self
            .bank
            .iter()
            .take(answered)
            .enumerate()
            .map(|(seq, q)| {
                let option = if seq % 2 == 0 {
                    q.correct
                } else {
                    q.options[0]
                };
                format!("SELECT {seq} AS seq, {option} AS opt")
            })
            .collect::<Vec<_>>()
            .join(" UNION ALL ");
        (drawn, answers)
    }

    /// Running attempts in `round` for `users` (deadline `deadline`), with their drawn
    /// questions and `answered` saved answers. Returns the attempt ids, in user order.
    async fn seed_running_attempts(
        &self,
        round: i64,
        prefix: &str,
        deadline: i64,
        answered: usize,
    ) -> Vec<i64> {
        let now = now_ms();
        self.exec(&format!(
            "INSERT INTO attempts (user_id, round_id, started_at, deadline_at, status) \
             SELECT id, {round}, {now}, {deadline}, 'in_progress' FROM users WHERE phone LIKE '{prefix}%'"
        ))
        .await;
        let (drawn, answers) = self.drawn_tables(answered);
        self.exec(&format!(
            "INSERT INTO attempt_questions (attempt_id, seq, question_id, option_order) \
             SELECT a.id, q.seq, q.qid, q.ord FROM attempts a CROSS JOIN ({drawn}) q \
             WHERE a.round_id = {round} AND a.status = 'in_progress'"
        ))
        .await;
        if answered > 0 {
            self.exec(&format!(
                "INSERT INTO answers (attempt_id, seq, option_id, saved_at) \
                 SELECT a.id, q.seq, q.opt, {now} FROM attempts a CROSS JOIN ({answers}) q \
                 WHERE a.round_id = {round} AND a.status = 'in_progress'"
            ))
            .await;
        }
        sqlx::query_scalar(&format!(
            "SELECT a.id FROM attempts a JOIN users u ON u.id = a.user_id \
             WHERE a.round_id = {round} AND a.status = 'in_progress' ORDER BY u.id"
        ))
        .fetch_all(&self.db.pool)
        .await
        .unwrap_or_else(|e| die(&e.to_string()))
    }
}

async fn context(opts: &Opts, backend: Backend, server: &Server, url: &str) -> Ctx {
    let db = Db::connect(url)
        .await
        .unwrap_or_else(|e| die(&format!("harness connection: {e}")));
    let (contest_id, grace_secs, questions): (i64, i64, i64) = sqlx::query_as(
        "SELECT id, grace_secs, questions_per_attempt FROM contests ORDER BY id LIMIT 1",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap_or_else(|e| die(&format!("the demo contest: {e}")));
    let now = now_ms();
    let round_id: i64 = sqlx::query_scalar(
        "SELECT id FROM rounds WHERE contest_id = $1 AND opens_at <= $2 AND closes_at > $2 ORDER BY id LIMIT 1",
    )
    .bind(contest_id)
    .bind(now)
    .fetch_one(&db.pool)
    .await
    .unwrap_or_else(|e| die(&format!("the demo contest has no open round: {e}")));
    let (unit_first, unit_last, unit_count): (i64, i64, i64) =
        sqlx::query_as("SELECT MIN(id), MAX(id), COUNT(*) FROM units")
            .fetch_one(&db.pool)
            .await
            .unwrap_or_else(|e| die(&e.to_string()));
    // Units are spread over by id arithmetic; with gaps, everybody goes to the first one.
    let unit_count = if unit_last - unit_first + 1 == unit_count {
        unit_count
    } else {
        1
    };
    let ids: Vec<i64> = sqlx::query_scalar(
        "SELECT id FROM questions WHERE contest_id = $1 AND status = 'approved' ORDER BY id LIMIT $2",
    )
    .bind(contest_id)
    .bind(questions)
    .fetch_all(&db.pool)
    .await
    .unwrap_or_else(|e| die(&e.to_string()));
    let mut bank = Vec::new();
    for id in ids {
        let options: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT id, is_correct FROM options WHERE question_id = $1 ORDER BY position",
        )
        .bind(id)
        .fetch_all(&db.pool)
        .await
        .unwrap_or_else(|e| die(&e.to_string()));
        bank.push(BankQuestion {
            id,
            correct: options
                .iter()
                .find(|(_, c)| *c != 0)
                .map(|(o, _)| *o)
                .unwrap_or(0),
            options: options.into_iter().map(|(o, _)| o).collect(),
        });
    }
    Ctx {
        opts: opts.clone(),
        backend,
        url: url.to_string(),
        http: Http::new(&server.addr, opts.timeout),
        db,
        mon: Monitor {
            server_pid: server.child.id(),
            postgres: backend == Backend::Postgres,
            ticks_per_sec: clock_ticks(),
        },
        round_id,
        contest_id,
        grace_secs,
        questions: questions as usize,
        unit_first,
        unit_count,
        bank,
    }
}

// ---------------------------------------------------------------------------------------
// Load shapes

/// `conc` workers calling `op(worker, i)` back to back for `secs`.
async fn closed_loop<F, Fut>(conc: usize, secs: f64, op: F)
where
    F: Fn(usize, u64) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()> + Send,
{
    let op = Arc::new(op);
    let end = Instant::now() + Duration::from_secs_f64(secs);
    let workers: Vec<_> = (0..conc)
        .map(|w| {
            let op = op.clone();
            tokio::spawn(async move {
                let mut i = 0;
                while Instant::now() < end {
                    op(w, i).await;
                    i += 1;
                }
            })
        })
        .collect();
    for w in workers {
        let _ = w.await;
    }
}

/// Request `i` of `n` sent at `start + i / rate` whatever happened to the others (open loop);
/// `op` gets the scheduled instant, from which latency is measured.
async fn paced<F, Fut>(rate: f64, n: usize, op: F)
where
    F: Fn(usize, Instant) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let op = Arc::new(op);
    let start = Instant::now() + Duration::from_millis(20);
    let mut tasks = Vec::with_capacity(n);
    for i in 0..n {
        let at = start + Duration::from_secs_f64(i as f64 / rate);
        let op = op.clone();
        tasks.push(tokio::spawn(async move {
            sleep_until(at.into()).await;
            op(i, at).await;
        }));
    }
    for t in tasks {
        let _ = t.await;
    }
}

fn form(fields: &[(&'static str, String)]) -> Vec<(&'static str, String)> {
    fields.to_vec()
}

async fn start_attempt(ctx: &Ctx, token: &str) -> Result<i64, Failure> {
    let fields = form(&[("round_id", ctx.round_id.to_string())]);
    let reply = ctx
        .http
        .post(
            "/api/attempt/start",
            Payload::Form(&fields),
            Some(token),
            false,
        )
        .await?;
    reply.json()?.as_i64().ok_or_else(|| {
        Failure::new(
            "bad reply",
            String::from_utf8_lossy(&reply.body).to_string(),
        )
    })
}

async fn save_answer(ctx: &Ctx, run: &Run, action: &str, p: &mut Participant, rng: &mut StdRng) {
    let seq = rng.gen_range(0..ctx.questions);
    let choice: u8 = rng.gen_range(0..4);
    let body = json!({ "attempt_id": p.attempt, "seq": seq, "choice": choice });
    let r = run
        .timed(
            action,
            ctx.http.post(
                "/api/attempt/save",
                Payload::Json(&body),
                Some(&p.token),
                false,
            ),
        )
        .await;
    p.last[seq] = if r.is_ok() { i16::from(choice) } else { -2 };
}

// ---------------------------------------------------------------------------------------
// Phases

/// Whether a target was met; a run smaller than the target's scale (quick mode) says what it
/// would have said but does not count.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Verdict {
    Met,
    NotMet,
    NotAtScale { would_meet: bool },
}

impl Verdict {
    fn of(met: bool, at_scale: bool) -> Self {
        match (met, at_scale) {
            (true, true) => Verdict::Met,
            (false, true) => Verdict::NotMet,
            (would_meet, false) => Verdict::NotAtScale { would_meet },
        }
    }

    fn label(self) -> &'static str {
        match self {
            Verdict::Met => "met",
            Verdict::NotMet => "**not met**",
            Verdict::NotAtScale { would_meet: true } => {
                "n/a: below the target's scale (passes at this size)"
            }
            Verdict::NotAtScale { would_meet: false } => {
                "n/a: below the target's scale (**fails even at this size**)"
            }
        }
    }
}

struct Figures {
    runs: Vec<RunReport>,
    notes: Vec<String>,
    targets: Vec<(String, String, Verdict)>,
    ratios: Vec<(String, String)>,
}

const P_HEALTHZ: &str = "1. framework ceiling: GET /healthz";
const P_REGISTER: &str = "2a. registration sample";
const P_LOGIN: &str = "2b. login sample";
const P_BURST: &str = "3a. synchronized burst of starts";
const P_STARTS: &str = "3b. paced starts";
const P_SAVES: &str = "4a. answer saves, sustained (think time)";
const P_SAVES_MAX: &str = "4b. answer saves, closed loop";
const P_SUBMIT: &str = "4c. submissions";
const P_RAW: &str = "5a. storage ceiling: raw sqlx upserts";
const P_SERVICE: &str = "5b. the save service in-process (no HTTP)";
const P_CLOSE: &str = "6. round close (server's sweeper)";
const P_BOARD: &str = "7a. leaderboard viewers, paced";
const P_BOARD_MAX: &str = "7b. leaderboard top-100, closed loop";
const P_BOARD_LIVE: &str = "7c. leaderboard viewers while submissions arrive";

async fn run_backend(opts: &Opts, backend: Backend) -> Figures {
    let name = backend_name(backend);
    println!("\n== {name} ==");
    let began = Instant::now();
    let url = fresh_database(opts, backend).await;
    std::fs::create_dir_all(&opts.out_dir).ok();
    let log = opts
        .out_dir
        .join(format!("server-{}.log", name.to_lowercase()));
    let server = start_server(opts, &url, log.clone()).await;
    let ctx = Arc::new(context(opts, backend, &server, &url).await);
    println!(
        "  server pid {} on {}, database {url}, log {}",
        ctx.mon.server_pid,
        server.addr,
        log.display()
    );
    let mut fig = Figures {
        runs: Vec::new(),
        notes: Vec::new(),
        targets: Vec::new(),
        ratios: Vec::new(),
    };

    if opts.runs("ceiling") {
        ceiling(&ctx, &mut fig).await;
    }
    if opts.runs("logins") {
        logins(&ctx, &mut fig).await;
    }
    let mut participants = if opts.runs("starts") {
        starts(&ctx, &mut fig).await
    } else {
        Vec::new()
    };
    let probes = participants.split_off(participants.len().saturating_sub(opts.probe));
    if opts.runs("saves") {
        participants = saves(&ctx, &mut fig, participants).await;
    }
    submits(&ctx, &mut fig, participants, P_SUBMIT).await;
    if opts.runs("storage") {
        storage_ceiling(&ctx, &mut fig).await;
    }
    let probes = if opts.runs("close") {
        round_close(&ctx, &mut fig, probes).await
    } else {
        probes
    };
    submits(&ctx, &mut fig, probes, "6b. submissions of the probes").await;
    if opts.runs("board") {
        leaderboard(&ctx, &mut fig).await;
    }

    // Anything the server logged as an error or a panic during the run.
    let text = std::fs::read_to_string(&log).unwrap_or_default();
    let bad: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("ERROR") || l.contains("panicked"))
        .collect();
    fig.notes.push(format!(
        "Server log: {} lines, {} ERROR/panic lines{}",
        text.lines().count(),
        bad.len(),
        bad.first()
            .map(|l| format!(" (first: `{}`)", l.chars().take(200).collect::<String>()))
            .unwrap_or_default()
    ));
    fig.notes.push(format!(
        "Server memory at the end: VmRSS {:.0} MB, VmHWM {:.0} MB",
        status_kb(ctx.mon.server_pid, "VmRSS") as f64 / 1024.0,
        status_kb(ctx.mon.server_pid, "VmHWM") as f64 / 1024.0
    ));
    fig.notes.push(format!(
        "This backend's run took {:.0} s, seeding included.",
        began.elapsed().as_secs_f64()
    ));
    judge(&ctx, &mut fig);
    drop(server);
    if !opts.keep_db {
        ctx.db.pool.close().await;
        drop_database(opts, backend, &url).await;
    }
    fig
}

async fn ceiling(ctx: &Arc<Ctx>, fig: &mut Figures) {
    let o = &ctx.opts;
    let run = Run::start(
        &ctx.mon,
        P_HEALTHZ,
        format!(
            "{} connections, closed loop, {} s",
            o.ceiling_conc, o.ceiling_secs
        ),
    );
    let (c, r) = (ctx.clone(), run.clone());
    closed_loop(o.ceiling_conc, o.ceiling_secs, move |_, _| {
        let (c, r) = (c.clone(), r.clone());
        async move {
            let _ = r.timed("GET /healthz", c.http.get("/healthz", None)).await;
        }
    })
    .await;
    fig.runs.push(run.finish(&ctx.mon));
}

async fn logins(ctx: &Arc<Ctx>, fig: &mut Figures) {
    let o = &ctx.opts;
    let n = o.logins;
    if n == 0 {
        return;
    }
    let unit = ctx.unit_first.to_string();
    let phones: Arc<Vec<String>> = Arc::new((0..n).map(|i| format!("0371{i:06}")).collect());
    let next = Arc::new(AtomicU64::new(0));
    for (phase, path) in [
        (P_REGISTER, "/api/auth/register"),
        (P_LOGIN, "/api/auth/login"),
    ] {
        let run = Run::start(
            &ctx.mon,
            phase,
            format!("{n} accounts, {} at a time (Argon2id)", o.login_conc),
        );
        next.store(0, Ordering::Relaxed);
        let workers: Vec<_> = (0..o.login_conc)
            .map(|_| {
                let (c, r, phones, next, unit) = (
                    ctx.clone(),
                    run.clone(),
                    phones.clone(),
                    next.clone(),
                    unit.clone(),
                );
                tokio::spawn(async move {
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed) as usize;
                        let Some(phone) = phones.get(i) else { break };
                        let fields = if path.ends_with("register") {
                            form(&[
                                ("input[full_name]", "Trần Thị Bình".into()),
                                ("input[birth_date]", "1990-04-30".into()),
                                ("input[phone]", phone.clone()),
                                ("input[citizen_id]", String::new()),
                                ("input[unit_id]", unit.clone()),
                                ("input[password]", "mat-khau-123".into()),
                            ])
                        } else {
                            form(&[
                                ("phone", phone.clone()),
                                ("password", "mat-khau-123".into()),
                            ])
                        };
                        let action = if path.ends_with("register") {
                            "register"
                        } else {
                            "login"
                        };
                        let _ = r
                            .timed(action, async {
                                let reply = c
                                    .http
                                    .post(path, Payload::Form(&fields), None, false)
                                    .await?;
                                reply
                                    .session
                                    .map(|_| ())
                                    .ok_or_else(|| Failure::new("no session cookie", ""))
                            })
                            .await;
                    }
                })
            })
            .collect();
        for w in workers {
            let _ = w.await;
        }
        fig.runs.push(run.finish(&ctx.mon));
    }
}

/// The burst, then the paced starts; returns everyone with a running attempt.
async fn starts(ctx: &Arc<Ctx>, fig: &mut Figures) -> Vec<Participant> {
    let o = &ctx.opts;
    let paced_n = (o.start_rate * o.start_secs).round() as usize;
    let users = ctx.seed_users("0381", o.burst + paced_n).await;
    let tokens = ctx.seed_sessions(&users).await;
    let people: Vec<(i64, String)> = users.into_iter().zip(tokens).collect();
    let started: Arc<Mutex<Vec<Participant>>> = Arc::new(Mutex::new(Vec::new()));
    let keep = |started: &Arc<Mutex<Vec<Participant>>>, user_id, token, attempt, n| {
        started.lock().unwrap().push(Participant {
            user_id,
            token,
            attempt,
            last: vec![-1; n],
        })
    };

    let run = Run::start(
        &ctx.mon,
        P_BURST,
        format!("{} participants released at once (tokio Barrier)", o.burst),
    );
    let barrier = Arc::new(Barrier::new(o.burst));
    let tasks: Vec<_> = people[..o.burst]
        .iter()
        .cloned()
        .map(|(user_id, token)| {
            let (c, r, b, s) = (ctx.clone(), run.clone(), barrier.clone(), started.clone());
            tokio::spawn(async move {
                b.wait().await;
                if let Ok(a) = r.timed("start (burst)", start_attempt(&c, &token)).await {
                    keep(&s, user_id, token, a, c.questions);
                }
            })
        })
        .collect();
    for t in tasks {
        let _ = t.await;
    }
    fig.runs.push(run.finish(&ctx.mon));

    let run = Run::start(
        &ctx.mon,
        P_STARTS,
        format!(
            "{paced_n} starts at {}/s, open loop (latency from the scheduled send time)",
            o.start_rate
        ),
    );
    let rest: Arc<Vec<(i64, String)>> = Arc::new(people[o.burst..].to_vec());
    let (c, r, s) = (ctx.clone(), run.clone(), started.clone());
    paced(o.start_rate, paced_n, move |i, at| {
        let (c, r, s, rest) = (c.clone(), r.clone(), s.clone(), rest.clone());
        async move {
            let (user_id, token) = rest[i].clone();
            let result = start_attempt(&c, &token).await;
            r.record("start (paced)", at, &result);
            if let Ok(a) = result {
                keep(&s, user_id, token, a, c.questions);
            }
        }
    })
    .await;
    fig.runs.push(run.finish(&ctx.mon));
    let mut all = std::mem::take(&mut *started.lock().unwrap());
    all.sort_by_key(|p| p.user_id);
    all
}

async fn saves(ctx: &Arc<Ctx>, fig: &mut Figures, people: Vec<Participant>) -> Vec<Participant> {
    let o = &ctx.opts;
    let n = people.len();
    if n == 0 {
        fig.notes
            .push("No participant has a running attempt: saves skipped.".into());
        return people;
    }
    // Each participant saves after a think time uniform in [0, 2 × mean]; the mean is chosen
    // so that everyone together offers --save-rate.
    let think = n as f64 / o.save_rate;
    let run = Run::start(
        &ctx.mon,
        P_SAVES,
        format!(
            "{n} participants, mean think time {:.2} s → {} saves/s offered, {} s; \
             plus GET / (an SSR page) at 5/s",
            think, o.save_rate, o.save_secs
        ),
    );
    let t0 = Instant::now();
    let end = t0 + Duration::from_secs_f64(o.save_secs);
    let tasks: Vec<_> = people
        .into_iter()
        .map(|mut p| {
            let (c, r) = (ctx.clone(), run.clone());
            tokio::spawn(async move {
                let mut rng = StdRng::from_entropy();
                let mut next = t0 + Duration::from_secs_f64(rng.gen_range(0.0..2.0 * think));
                while next < end {
                    sleep_until(next.into()).await;
                    save_answer(&c, &r, "save", &mut p, &mut rng).await;
                    next += Duration::from_secs_f64(rng.gen_range(0.0..2.0 * think));
                }
                p
            })
        })
        .collect();
    let (c, r) = (ctx.clone(), run.clone());
    let pages = tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_millis(200));
        let mut sent = Vec::new();
        while Instant::now() < end {
            tick.tick().await;
            let (c, r) = (c.clone(), r.clone());
            sent.push(tokio::spawn(async move {
                let _ = r.timed("GET / (SSR page)", c.http.get("/", None)).await;
            }));
        }
        for s in sent {
            let _ = s.await;
        }
    });
    let mut people = Vec::with_capacity(n);
    for t in tasks {
        people.push(t.await.expect("participant task"));
    }
    let _ = pages.await;
    fig.runs.push(run.finish(&ctx.mon));

    // Closed loop: each worker owns a slice of the participants, so every participant's saves
    // stay in order and the last acknowledged answer is known.
    let conc = o.ceiling_conc.min(n);
    let run = Run::start(
        &ctx.mon,
        P_SAVES_MAX,
        format!(
            "{conc} workers back to back, {} s (same concurrency as the ceilings)",
            o.max_secs
        ),
    );
    let mut groups: Vec<Vec<Participant>> = (0..conc).map(|_| Vec::new()).collect();
    for (i, p) in people.into_iter().enumerate() {
        groups[i % conc].push(p);
    }
    let end = Instant::now() + Duration::from_secs_f64(o.max_secs);
    let tasks: Vec<_> = groups
        .into_iter()
        .map(|mut group| {
            let (c, r) = (ctx.clone(), run.clone());
            tokio::spawn(async move {
                let mut rng = StdRng::from_entropy();
                let mut i = 0;
                while Instant::now() < end {
                    let k = i % group.len();
                    save_answer(&c, &r, "save", &mut group[k], &mut rng).await;
                    i += 1;
                }
                group
            })
        })
        .collect();
    let mut people = Vec::with_capacity(n);
    for t in tasks {
        people.extend(t.await.expect("worker task"));
    }
    fig.runs.push(run.finish(&ctx.mon));

    // Every acknowledged answer must be in the database, as acknowledged.
    let rows: Vec<(i64, i64, Option<i64>, String)> = sqlx::query_as(
        "SELECT ans.attempt_id, ans.seq, ans.option_id, aq.option_order FROM answers ans \
         JOIN attempt_questions aq ON aq.attempt_id = ans.attempt_id AND aq.seq = ans.seq \
         JOIN attempts a ON a.id = ans.attempt_id WHERE a.round_id = $1",
    )
    .bind(ctx.round_id)
    .fetch_all(&ctx.db.pool)
    .await
    .unwrap_or_else(|e| die(&e.to_string()));
    let stored: HashMap<(i64, i64), (Option<i64>, String)> = rows
        .into_iter()
        .map(|(a, s, o, ord)| ((a, s), (o, ord)))
        .collect();
    let (mut checked, mut lost, mut unknown) = (0, 0, 0);
    let mut first_lost = None;
    for p in &people {
        for (seq, last) in p.last.iter().enumerate() {
            match *last {
                -1 => {}
                -2 => unknown += 1,
                choice => {
                    checked += 1;
                    let expected = stored.get(&(p.attempt, seq as i64)).and_then(|(o, ord)| {
                        let id = ord.split(',').nth(choice as usize)?.parse::<i64>().ok()?;
                        Some(*o == Some(id))
                    });
                    if expected != Some(true) {
                        lost += 1;
                        first_lost.get_or_insert((p.attempt, seq));
                    }
                }
            }
        }
    }
    fig.notes.push(format!(
        "Acknowledged answers checked against the database after the saves: {checked} checked, \
         {lost} missing or different{}, {unknown} left out (their last save failed).",
        first_lost
            .map(|(a, s)| format!(" (first: attempt {a}, seq {s})"))
            .unwrap_or_default()
    ));
    people
}

async fn submits(ctx: &Arc<Ctx>, fig: &mut Figures, people: Vec<Participant>, phase: &str) {
    if people.is_empty() {
        return;
    }
    let n = people.len();
    let conc = ctx.opts.submit_conc.min(n);
    let run = Run::start(
        &ctx.mon,
        phase,
        format!("{n} attempts submitted, {conc} at a time"),
    );
    let queue = Arc::new(Mutex::new(people));
    let workers: Vec<_> = (0..conc)
        .map(|_| {
            let (c, r, q) = (ctx.clone(), run.clone(), queue.clone());
            tokio::spawn(async move {
                loop {
                    let Some(p) = q.lock().unwrap().pop() else {
                        break;
                    };
                    let fields = form(&[("attempt_id", p.attempt.to_string())]);
                    let _ = r
                        .timed(
                            "submit",
                            c.http.post(
                                "/api/attempt/submit",
                                Payload::Form(&fields),
                                Some(&p.token),
                                false,
                            ),
                        )
                        .await;
                }
            })
        })
        .collect();
    for w in workers {
        let _ = w.await;
    }
    fig.runs.push(run.finish(&ctx.mon));
}

async fn storage_ceiling(ctx: &Arc<Ctx>, fig: &mut Figures) {
    let o = &ctx.opts;
    let n = (o.ceiling_conc * 16).max(500);
    let round = ctx.seed_round("Bench: storage ceiling").await;
    let users = ctx.seed_users("0351", n).await;
    let tokens = ctx.seed_sessions(&users).await;
    let attempts = ctx
        .seed_running_attempts(round, "0351", now_ms() + 3_600_000, 0)
        .await;
    // (attempt, its option ids in order) for the raw upserts.
    let orders: Arc<Vec<(i64, Vec<i64>)>> = Arc::new(
        attempts
            .iter()
            .map(|a| (*a, ctx.bank.iter().map(|q| q.options[0]).collect()))
            .collect(),
    );
    let pool_size = match ctx.backend {
        Backend::Sqlite => 8,
        Backend::Postgres => 16,
    };

    let run = Run::start(
        &ctx.mon,
        P_RAW,
        format!(
            "INSERT … ON CONFLICT DO UPDATE on `answers`, one row per transaction, {} workers over \
             the server's pool settings ({pool_size} connections, same pragmas), {} s",
            o.ceiling_conc, o.storage_secs
        ),
    );
    let (c, r, orders2) = (ctx.clone(), run.clone(), orders.clone());
    closed_loop(o.ceiling_conc, o.storage_secs, move |w, i| {
        let (c, r, orders) = (c.clone(), r.clone(), orders2.clone());
        async move {
            let (attempt, options) = &orders[(w + i as usize * 7919) % orders.len()];
            let seq = (i as usize * 31 + w) % options.len();
            let _ = r
                .timed("upsert answer (sqlx)", async {
                    let mut conn =
                        c.db.pool
                            .acquire()
                            .await
                            .map_err(|e| Failure::new("pool", e.to_string()))?;
                    cuocthi::server::repo::attempts::upsert_answer(
                        &mut conn,
                        *attempt,
                        seq as i64,
                        Some(options[seq]),
                        now_ms(),
                    )
                    .await
                    .map_err(|e| Failure::new("sqlx error", e.to_string()))
                })
                .await;
        }
    })
    .await;
    fig.runs.push(run.finish(&ctx.mon));

    // The server's own session lookup and save transaction, called in this process on an
    // application state built as the server builds it (its own pool; never served, and its
    // sweeper's first and only pass runs now, before any attempt is overdue).
    let mut config = Config::from_env("127.0.0.1:0".parse().expect("address"));
    config.database_url = ctx.url.clone();
    config.addr = "127.0.0.1:0".parse().expect("address");
    config.seed_demo = false;
    config.sweep_every = Duration::from_secs(10 * 365 * 86_400);
    let state = Application::build(config, Clock::system())
        .await
        .unwrap_or_else(|e| die(&format!("in-process application: {e}")))
        .state;
    let people: Arc<Vec<(String, i64)>> = Arc::new(tokens.into_iter().zip(attempts).collect());
    let run = Run::start(
        &ctx.mon,
        P_SERVICE,
        format!(
            "auth::user_for_token + attempt::save_answer from the library, {} workers, {} s",
            o.ceiling_conc, o.storage_secs
        ),
    );
    let (c, r) = (ctx.clone(), run.clone());
    closed_loop(o.ceiling_conc, o.storage_secs, move |w, i| {
        let (c, r, state, people) = (c.clone(), r.clone(), state.clone(), people.clone());
        async move {
            let (token, attempt) = &people[(w + i as usize * 7919) % people.len()];
            let seq = ((i as usize * 31 + w) % c.questions) as u32;
            let _ = r
                .timed("save (service, no HTTP)", async {
                    use cuocthi::server::service::{attempt, auth};
                    let failed = |e: cuocthi::error::AppError| {
                        Failure::new(format!("AppError {}", e.status_code()), e.to_string())
                    };
                    let user = auth::user_for_token(&state, token)
                        .await
                        .map_err(failed)?
                        .ok_or_else(|| Failure::new("no session", ""))?;
                    attempt::save_answer(&state, user.id, *attempt, seq, Some((i % 4) as u8))
                        .await
                        .map_err(failed)
                })
                .await;
        }
    })
    .await;
    fig.runs.push(run.finish(&ctx.mon));
}

/// Attempts whose deadlines fall within the window, finalized by the server's sweeper; the
/// probes keep saving meanwhile. Returns the probes.
async fn round_close(
    ctx: &Arc<Ctx>,
    fig: &mut Figures,
    probes: Vec<Participant>,
) -> Vec<Participant> {
    let o = &ctx.opts;
    let n = o.close_attempts;
    if n == 0 {
        return probes;
    }
    let seed_t = Instant::now();
    let round = ctx.seed_round("Bench: round close").await;
    ctx.seed_users("0331", n).await;
    let answered = ctx.questions / 2;
    let attempts = ctx
        .seed_running_attempts(round, "0331", now_ms() + 86_400_000, answered)
        .await;
    let first_id = attempts.iter().copied().min().unwrap_or(0);
    // Deadlines: evenly over the window, the first a few seconds from now.
    let window_ms = (o.close_window * 1000.0) as i64;
    let t0 = now_ms() + 3000;
    ctx.exec(&format!(
        "UPDATE attempts SET deadline_at = {t0} + ((id - {first_id}) * {window_ms}) / {n}, \
         started_at = {t0} + ((id - {first_id}) * {window_ms}) / {n} - 1800000 WHERE round_id = {round}"
    ))
    .await;
    let last_deadline = ctx
        .scalar(&format!(
            "SELECT MAX(deadline_at) FROM attempts WHERE round_id = {round}"
        ))
        .await;
    let seed_secs = seed_t.elapsed().as_secs_f64();
    let grace_ms = ctx.grace_secs * 1000;
    let sweep = o
        .sweep_secs
        .map(|s| format!("{s} s"))
        .unwrap_or_else(|| "10 s (server default)".into());

    let run = Run::start(
        &ctx.mon,
        P_CLOSE,
        format!(
            "{n} running attempts (20 questions, {answered} answers each) with deadlines over {} s; \
             grace {} s; sweep every {sweep}; {} probes saving at {}/s meanwhile",
            o.close_window,
            ctx.grace_secs,
            probes.len(),
            o.probe_rate
        ),
    );
    let stop = Arc::new(AtomicBool::new(false));
    let probe_tasks: Vec<_> = {
        let think = probes.len() as f64 / o.probe_rate.max(0.001);
        probes
            .into_iter()
            .map(|mut p| {
                let (c, r, stop) = (ctx.clone(), run.clone(), stop.clone());
                tokio::spawn(async move {
                    let mut rng = StdRng::from_entropy();
                    while !stop.load(Ordering::Relaxed) {
                        tokio::time::sleep(Duration::from_secs_f64(
                            rng.gen_range(0.0..2.0 * think),
                        ))
                        .await;
                        save_answer(&c, &r, "save (during the sweep)", &mut p, &mut rng).await;
                    }
                    p
                })
            })
            .collect()
    };
    // Poll: how many are still running, and how late the oldest of them is.
    let give_up = last_deadline + grace_ms + 600_000;
    let mut max_lag_ms = 0i64;
    let mut first_final_ms = None;
    let mut all_final_ms = None;
    let mut timeline = Vec::new();
    let mut last_print = Instant::now();
    loop {
        let (left, oldest): (i64, Option<i64>) = sqlx::query_as(
            "SELECT COUNT(*), MIN(deadline_at) FROM attempts WHERE round_id = $1 AND status = 'in_progress'",
        )
        .bind(round)
        .fetch_one(&ctx.db.pool)
        .await
        .unwrap_or_else(|e| die(&e.to_string()));
        let now = now_ms();
        if left < n as i64 && first_final_ms.is_none() {
            first_final_ms = Some(now);
        }
        if let Some(oldest) = oldest {
            max_lag_ms = max_lag_ms.max(now - (oldest + grace_ms));
        }
        if last_print.elapsed() >= Duration::from_secs(5) || left == 0 {
            timeline.push(format!(
                "{:+.0} s: {left}",
                (now - last_deadline) as f64 / 1000.0
            ));
            last_print = Instant::now();
        }
        if left == 0 {
            all_final_ms = Some(now);
            break;
        }
        if now > give_up {
            fig.notes.push(format!(
                "Round close: gave up 10 minutes after the last deadline with {left} attempts still running."
            ));
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    stop.store(true, Ordering::Relaxed);
    let mut probes = Vec::new();
    for t in probe_tasks {
        probes.push(t.await.expect("probe task"));
    }
    fig.runs.push(run.finish(&ctx.mon));
    let by_server = ctx
        .scalar(&format!(
            "SELECT COUNT(*) FROM attempts WHERE round_id = {round} AND finalized_by = 'server'"
        ))
        .await;
    let first_overdue = t0 + grace_ms;
    let last_overdue = last_deadline + grace_ms;
    let busy_secs = all_final_ms
        .zip(first_final_ms)
        .map(|(a, f)| (a - f) as f64 / 1000.0);
    fig.notes.push(format!(
        "Round close: seeded in {seed_secs:.1} s. First attempt overdue (deadline + grace) at \
         t0; first finalization seen {:.1} s after that; all {n} final {} ({} by the server). \
         Latest finalization after becoming overdue: {:.1} s. Sweeper throughput while catching up: \
         {}. Still running, by seconds after the last deadline: {}.",
        first_final_ms
            .map(|f| (f - first_overdue) as f64 / 1000.0)
            .unwrap_or(f64::NAN),
        all_final_ms
            .map(|a| format!(
                "{:.1} s after the last deadline ({:.1} s after it became overdue)",
                (a - last_deadline) as f64 / 1000.0,
                (a - last_overdue) as f64 / 1000.0
            ))
            .unwrap_or_else(|| "never".into()),
        by_server,
        max_lag_ms.max(0) as f64 / 1000.0,
        busy_secs
            .map(|s| format!(
                "{:.0} finalizations/s over {s:.1} s",
                n as f64 / s.max(0.001)
            ))
            .unwrap_or_else(|| "n/a".into()),
        timeline.join(", ")
    ));
    // For the verdict: the latest finalization past its overdue instant, and whether all made it.
    fig.targets.push((
        format!(
            "{n} attempts expiring within {} s all finalized within the grace period ({} s) of \
             becoming overdue",
            o.close_window, ctx.grace_secs
        ),
        format!(
            "all final: {}; latest {:.1} s after overdue",
            if all_final_ms.is_some() { "yes" } else { "no" },
            max_lag_ms.max(0) as f64 / 1000.0
        ),
        Verdict::of(
            all_final_ms.is_some() && max_lag_ms <= grace_ms,
            n >= 30_000 && o.close_window <= 60.0,
        ),
    ));
    probes
}

async fn leaderboard(ctx: &Arc<Ctx>, fig: &mut Figures) {
    let o = &ctx.opts;
    let n = o.board_attempts;
    if n == 0 {
        return;
    }
    let seed_t = Instant::now();
    let round = ctx.seed_round("Bench: leaderboard").await;
    let users = ctx.seed_users("05", n).await;
    let now = now_ms();
    let started = format!("{} + (id % 3600) * 1000", now - 7_200_000);
    let elapsed = "60000 + (id * 104729) % 1740000";
    let correct = format!("(id * 7919) % {}", ctx.questions + 1);
    ctx.exec(&format!(
        "INSERT INTO attempts (user_id, round_id, started_at, deadline_at, status, submitted_at, \
         finalized_by, score, correct_count, elapsed_ms) \
         SELECT id, {round}, {started}, {started} + 1800000, 'final', {started} + {elapsed}, \
         'participant', ({correct}) * 5, {correct}, {elapsed} FROM users WHERE phone LIKE '05%'"
    ))
    .await;
    if ctx.backend == Backend::Postgres {
        // What autovacuum would have done by then.
        ctx.exec("ANALYZE").await;
    }
    let step = (users.len() / o.board_viewers.max(1)).max(1);
    let viewers: Vec<i64> = users
        .iter()
        .step_by(step)
        .take(o.board_viewers)
        .copied()
        .collect();
    let tokens = Arc::new(ctx.seed_sessions(&viewers).await);
    let total = ctx.scalar("SELECT COUNT(*) FROM attempts").await;
    fig.notes.push(format!(
        "Leaderboard: {n} final attempts (and {n} accounts) bulk-inserted in {:.1} s; {total} \
         attempts in the database in all.",
        seed_t.elapsed().as_secs_f64()
    ));

    let top = form(&[("round_id", round.to_string())]);
    // The first request computes the board from the database; later ones read it from memory.
    let t = Instant::now();
    // Its own generous timeout: at a million entries the computation takes a while.
    let cold = ctx
        .http
        .finish(
            ctx.http
                .request("/api/leaderboard/round", Payload::Form(&top), None, false)
                .timeout(Duration::from_secs(600)),
        )
        .await;
    let cold_ms = t.elapsed().as_secs_f64() * 1000.0;
    let entrants = cold
        .as_ref()
        .ok()
        .and_then(|r| r.json().ok())
        .and_then(|v| v["entrants"].as_i64());
    let t = Instant::now();
    let warm = ctx
        .http
        .post("/api/leaderboard/round", Payload::Form(&top), None, true)
        .await;
    let warm_ms = t.elapsed().as_secs_f64() * 1000.0;
    let sizes = match (&cold, &warm) {
        (Ok(a), Ok(b)) => format!(
            "{} B, {} B with Accept-Encoding: br (served as {})",
            a.body.len(),
            b.body.len(),
            b.encoding.as_deref().unwrap_or("identity")
        ),
        _ => "n/a".into(),
    };
    fig.notes.push(format!(
        "Leaderboard, first request (computes the board of {n}): {cold_ms:.0} ms{}; entrants \
         reported: {}; the next one {warm_ms:.1} ms. Reply size: {sizes}.",
        cold.as_ref()
            .err()
            .map(|e| format!(" — FAILED: {} {}", e.kind, e.detail))
            .unwrap_or_default(),
        entrants.map_or("n/a".into(), |e| e.to_string())
    ));

    let run = Run::start(
        &ctx.mon,
        P_BOARD,
        format!(
            "{} requests at {}/s open loop, in turn: top-100, top-100 with Accept-Encoding: br, \
             my rank ({} viewers with a session); GET /healthz at 20/s beside them; no change \
             to the round meanwhile",
            (o.board_rate * o.board_secs).round(),
            o.board_rate,
            o.board_viewers
        ),
    );
    board_viewers(ctx, &run, round, &tokens).await;
    fig.runs.push(run.finish(&ctx.mon));

    let conc = o.submit_conc;
    let run = Run::start(
        &ctx.mon,
        P_BOARD_MAX,
        format!("{conc} workers back to back, {} s", o.board_max_secs),
    );
    let (c, r) = (ctx.clone(), run.clone());
    closed_loop(conc, o.board_max_secs, move |_, _| {
        let (c, r, top) = (c.clone(), r.clone(), top.clone());
        async move {
            let _ = r
                .timed(
                    "top-100",
                    c.http
                        .post("/api/leaderboard/round", Payload::Form(&top), None, false),
                )
                .await;
        }
    })
    .await;
    fig.runs.push(run.finish(&ctx.mon));

    // The same viewers while participants submit into the round: every submission makes the
    // cached board stale, and the next viewers wait for it to be computed again.
    let rate = o.board_submit_rate;
    if rate <= 0.0 {
        return;
    }
    let k = (rate * o.board_secs).ceil() as usize;
    let users = ctx.seed_users("0361", k).await;
    let submitters = ctx.seed_sessions(&users).await;
    let attempts = ctx
        .seed_running_attempts(round, "0361", now_ms() + 3_600_000, ctx.questions / 2)
        .await;
    if ctx.backend == Backend::Postgres {
        ctx.exec("ANALYZE").await;
    }
    let submitters: Arc<Vec<(String, i64)>> =
        Arc::new(submitters.into_iter().zip(attempts).collect());
    let run = Run::start(
        &ctx.mon,
        P_BOARD_LIVE,
        format!("as 7a, while {k} participants submit attempts in the same round at {rate}/s"),
    );
    let (c, r) = (ctx.clone(), run.clone());
    let submits = tokio::spawn(paced(rate, k, move |i, at| {
        let (c, r, submitters) = (c.clone(), r.clone(), submitters.clone());
        async move {
            let (token, attempt) = &submitters[i];
            let fields = form(&[("attempt_id", attempt.to_string())]);
            let result = c
                .http
                .post(
                    "/api/attempt/submit",
                    Payload::Form(&fields),
                    Some(token),
                    false,
                )
                .await;
            r.record("submit (same round)", at, &result);
        }
    }));
    board_viewers(ctx, &run, round, &tokens).await;
    let _ = submits.await;
    fig.runs.push(run.finish(&ctx.mon));
}

/// Leaderboard viewers at --board-rate for --board-secs, open loop, in turn: top-100, top-100
/// asking for brotli (as browsers do), my rank; beside them GET /healthz at 20/s, which touches
/// neither the board nor the database: if it stalls too, the whole server stalls.
async fn board_viewers(ctx: &Arc<Ctx>, run: &Arc<Run>, round: i64, tokens: &Arc<Vec<String>>) {
    let o = &ctx.opts;
    let (c, r) = (ctx.clone(), run.clone());
    let probe = tokio::spawn(paced(20.0, (20.0 * o.board_secs) as usize, move |_, at| {
        let (c, r) = (c.clone(), r.clone());
        async move {
            let result = c.http.get("/healthz", None).await;
            r.record("GET /healthz (probe)", at, &result);
        }
    }));
    let count = (o.board_rate * o.board_secs).round() as usize;
    let top = form(&[("round_id", round.to_string())]);
    let (c, r, tokens) = (ctx.clone(), run.clone(), tokens.clone());
    paced(o.board_rate, count, move |i, at| {
        let (c, r, top, tokens) = (c.clone(), r.clone(), top.clone(), tokens.clone());
        async move {
            let (action, token, brotli) = match i % 3 {
                0 => ("top-100", None, false),
                1 => ("top-100 (br)", None, true),
                _ => ("my rank", Some(tokens[i % tokens.len()].as_str()), false),
            };
            let path = if token.is_some() {
                "/api/leaderboard/me"
            } else {
                "/api/leaderboard/round"
            };
            let result = async {
                let reply = c
                    .http
                    .post(path, Payload::Form(&top), token, brotli)
                    .await?;
                if token.is_some() && reply.json()?.is_null() {
                    return Err(Failure::new("no rank", "my rank came back empty"));
                }
                Ok(())
            }
            .await;
            r.record(action, at, &result);
        }
    })
    .await;
    let _ = probe.await;
}

// ---------------------------------------------------------------------------------------
// Verdicts and output

fn judge(ctx: &Ctx, fig: &mut Figures) {
    let o = &ctx.opts;
    let runs = fig.runs.clone();
    let get = |phase: &str, action: &str| {
        runs.iter()
            .find(|r| r.phase == phase)
            .map(|r| r.stats(action))
    };
    let mut targets = Vec::new();
    if let Some(s) = get(P_SAVES, "save") {
        targets.push((
            "answer saves >= 1,000/s sustained, p99 <= 100 ms (reply after commit)".to_string(),
            format!(
                "{:.0}/s achieved ({} offered), p99 {:.1} ms, {} errors",
                s.per_sec,
                o.save_rate,
                s.p99,
                s.error_count()
            ),
            Verdict::of(
                s.per_sec >= 1000.0 && s.p99 <= 100.0 && s.error_count() == 0,
                o.save_secs >= 10.0,
            ),
        ));
    }
    if let Some(s) = get(P_STARTS, "start (paced)") {
        targets.push((
            "starts at 100/s, p99 <= 300 ms".to_string(),
            format!(
                "{:.0}/s, p99 {:.1} ms, {} errors",
                s.per_sec,
                s.p99,
                s.error_count()
            ),
            Verdict::of(
                s.per_sec >= 95.0 && s.p99 <= 300.0 && s.error_count() == 0,
                o.start_rate >= 100.0 && o.start_secs >= 10.0,
            ),
        ));
    }
    if let Some(s) = get(P_BURST, "start (burst)") {
        targets.push((
            format!(
                "burst of 300 simultaneous starts without any 5xx ({} sent)",
                o.burst
            ),
            format!(
                "{} ok, {} 5xx, {} other errors; p50 {:.0} ms, p99 {:.0} ms, max {:.0} ms",
                s.ok,
                s.server_errors(),
                s.error_count() - s.server_errors(),
                s.p50,
                s.p99,
                s.max
            ),
            Verdict::of(s.server_errors() == 0, o.burst >= 300),
        ));
    }
    let scale = if o.board_attempts >= 1_000_000 {
        String::new()
    } else {
        format!(" (this run: {} attempts)", o.board_attempts)
    };
    for (phase, when) in [
        (P_BOARD, String::new()),
        (
            P_BOARD_LIVE,
            format!(
                " while submissions arrive in that round at {}/s",
                o.board_submit_rate
            ),
        ),
    ] {
        for action in ["top-100", "top-100 (br)", "my rank"] {
            if let Some(s) = get(phase, action).filter(|s| s.ok + s.errors.len() > 0) {
                targets.push((
                    format!("leaderboard {action} p99 <= 50 ms with 1M attempts{when}{scale}"),
                    format!(
                        "{:.0}/s, p99 {:.1} ms, max {:.0} ms, {} errors",
                        s.per_sec,
                        s.p99,
                        s.max,
                        s.error_count()
                    ),
                    Verdict::of(
                        s.p99 <= 50.0 && s.error_count() == 0,
                        o.board_attempts >= 1_000_000,
                    ),
                ));
            }
        }
    }
    // The round close verdict was pushed by its phase; keep it after the others.
    targets.append(&mut fig.targets);
    fig.targets = targets;

    let ceiling = get(P_HEALTHZ, "GET /healthz").unwrap_or_default();
    let raw = get(P_RAW, "upsert answer (sqlx)").unwrap_or_default();
    let service = get(P_SERVICE, "save (service, no HTTP)").unwrap_or_default();
    let max = get(P_SAVES_MAX, "save").unwrap_or_default();
    let board = get(P_BOARD_MAX, "top-100").unwrap_or_default();
    let ratio = |a: f64, b: f64| {
        if b > 0.0 {
            format!("{:.1} %", a / b * 100.0)
        } else {
            "n/a".into()
        }
    };
    fig.ratios = vec![
        (
            format!(
                "saves/s, closed loop ({:.0}) ÷ GET /healthz/s ({:.0}) — framework ceiling",
                max.per_sec, ceiling.per_sec
            ),
            ratio(max.per_sec, ceiling.per_sec),
        ),
        (
            format!(
                "saves/s, closed loop ({:.0}) ÷ raw upserts/s ({:.0}) — storage ceiling",
                max.per_sec, raw.per_sec
            ),
            ratio(max.per_sec, raw.per_sec),
        ),
        (
            format!(
                "save service in-process/s ({:.0}) ÷ raw upserts/s ({:.0}) — the save's SQL vs one upsert",
                service.per_sec, raw.per_sec
            ),
            ratio(service.per_sec, raw.per_sec),
        ),
        (
            format!(
                "saves/s over HTTP ({:.0}) ÷ save service in-process/s ({:.0}) — what HTTP + Leptos add",
                max.per_sec, service.per_sec
            ),
            ratio(max.per_sec, service.per_sec),
        ),
        (
            format!(
                "save p50 closed loop ({:.1} ms) ÷ /healthz p50 ({:.1} ms), same concurrency",
                max.p50, ceiling.p50
            ),
            if ceiling.p50 > 0.0 {
                format!("{:.1} ×", max.p50 / ceiling.p50)
            } else {
                "n/a".into()
            },
        ),
        (
            format!(
                "leaderboard top-100/s, closed loop ({:.0}) ÷ GET /healthz/s ({:.0})",
                board.per_sec, ceiling.per_sec
            ),
            ratio(board.per_sec, ceiling.per_sec),
        ),
    ];
}

fn markdown(backend: Backend, fig: &Figures) -> String {
    let mut md = String::new();
    let _ = writeln!(md, "## {}\n", backend_name(backend));
    let _ = writeln!(
        md,
        "| phase | action | ok | errors | per s | p50 ms | p95 ms | p99 ms | max ms |"
    );
    let _ = writeln!(md, "|---|---|---:|---|---:|---:|---:|---:|---:|");
    for run in &fig.runs {
        for (action, s) in &run.actions {
            let errors = if s.errors.is_empty() {
                "0".to_string()
            } else {
                s.errors
                    .iter()
                    .map(|(k, n)| format!("{n} × {k}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let _ = writeln!(
                md,
                "| {} | {action} | {} | {errors} | {:.0} | {:.1} | {:.1} | {:.1} | {:.1} |",
                run.phase, s.ok, s.per_sec, s.p50, s.p95, s.p99, s.max
            );
        }
    }
    let _ = writeln!(
        md,
        "\nResources per phase (CPU in % of one core; the machine's busy and iowait in % of all \
         cores; 'other processes' is what else ran on the machine meanwhile):\n"
    );
    let _ = writeln!(
        md,
        "| phase | wall s | server CPU | Postgres CPU | harness CPU | other processes | machine busy | iowait | server RSS max MB | how |"
    );
    let _ = writeln!(md, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|");
    for run in &fig.runs {
        let u = &run.usage;
        let _ = writeln!(
            md,
            "| {} | {:.1} | {:.0} % | {} | {:.0} % | {:.0} % | {:.0} % | {:.0} % | {:.0} | {} |",
            run.phase,
            u.wall,
            u.server_cpu,
            if backend == Backend::Postgres {
                format!("{:.0} %", u.postgres_cpu)
            } else {
                "—".into()
            },
            u.harness_cpu,
            u.others_cpu,
            u.machine_busy,
            u.iowait,
            u.rss_max_mb,
            run.note
        );
    }
    let _ = writeln!(md, "\nRatios to the ceilings measured in the same run:\n");
    let _ = writeln!(md, "| figure | ratio |\n|---|---:|");
    for (what, r) in &fig.ratios {
        let _ = writeln!(md, "| {what} | {r} |");
    }
    let _ = writeln!(md, "\nTargets:\n");
    let _ = writeln!(md, "| target | measured | met |\n|---|---|---|");
    for (target, measured, met) in &fig.targets {
        let _ = writeln!(md, "| {target} | {measured} | {} |", met.label());
    }
    let _ = writeln!(md);
    for note in &fig.notes {
        let _ = writeln!(md, "- {note}");
    }
    for run in &fig.runs {
        if let Some(line) = slow_summary(&run.slow) {
            let _ = writeln!(md, "- {}: {line}", run.phase);
        }
    }
    let samples: Vec<String> = fig
        .runs
        .iter()
        .flat_map(|run| {
            run.actions.iter().flat_map(move |(action, s)| {
                s.samples.iter().map(move |(kind, body)| {
                    format!(
                        "- {} / {action} / {kind}: `{}`",
                        run.phase,
                        body.replace('`', "'")
                    )
                })
            })
        })
        .collect();
    if !samples.is_empty() {
        let _ = writeln!(md, "\nFirst reply of each kind of error:\n");
        for s in samples {
            let _ = writeln!(md, "{s}");
        }
    }
    md
}

/// "N requests took over 1 s (a: n, b: m); they began 3.1–6.0 s, 13.2–16.0 s into the phase".
fn slow_summary(slow: &[(String, f64)]) -> Option<String> {
    if slow.is_empty() {
        return None;
    }
    let mut by_action: BTreeMap<&str, usize> = BTreeMap::new();
    for (a, _) in slow {
        *by_action.entry(a).or_default() += 1;
    }
    let mut at: Vec<f64> = slow.iter().map(|(_, t)| *t).collect();
    at.sort_by(f64::total_cmp);
    let mut spans: Vec<(f64, f64)> = Vec::new();
    for t in at {
        match spans.last_mut() {
            Some((_, end)) if t - *end <= 1.0 => *end = t,
            _ => spans.push((t, t)),
        }
    }
    Some(format!(
        "{} requests took over {} s ({}); they began {} s into the phase",
        slow.len(),
        SLOW.as_secs(),
        by_action
            .iter()
            .map(|(a, n)| format!("{a}: {n}"))
            .collect::<Vec<_>>()
            .join(", "),
        spans
            .iter()
            .take(12)
            .map(|(a, b)| format!("{a:.1}–{b:.1}"))
            .collect::<Vec<_>>()
            .join(", ")
    ))
}

fn header(opts: &Opts) -> String {
    let sh = |cmd: &str| {
        Command::new("sh")
            .args(["-c", cmd])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output()
            .ok()
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
            .unwrap_or_default()
    };
    let mut md = String::new();
    let _ = writeln!(
        md,
        "# Load benchmark, {}\n",
        sh("date -u '+%Y-%m-%d %H:%M UTC'")
    );
    let _ = writeln!(
        md,
        "Machine: {} cores, {} MB RAM, {}; load average at the start {}; commit {}{}; {} run.\n",
        sh("nproc"),
        sh("awk '/MemTotal/ {print int($2/1024)}' /proc/meminfo"),
        sh("uname -sr"),
        sh("cut -d' ' -f1-3 /proc/loadavg"),
        sh("git rev-parse --short HEAD"),
        if sh("git status --porcelain -- src migrations").is_empty() {
            ""
        } else {
            " (with uncommitted changes to src/ or migrations/)"
        },
        if opts.quick { "quick" } else { "full" }
    );
    let built = std::fs::metadata(&opts.server_bin)
        .and_then(|m| m.modified())
        .map(|t| {
            chrono::DateTime::<chrono::Utc>::from(t)
                .format("%Y-%m-%d %H:%M UTC")
                .to_string()
        })
        .unwrap_or_else(|_| "?".into());
    let _ = writeln!(
        md,
        "Server: `{}` (built {built}) as a child process, one per backend, fresh database each; \
         the harness runs on the same machine and its CPU is shown beside the server's. \
         Latencies are measured by the client, over loopback, to the end of the reply body.\n",
        opts.server_bin.display()
    );
    md
}

fn main() {
    let opts = parse_opts();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    rt.block_on(async {
        sqlx::any::install_default_drivers();
        let mut md = header(&opts);
        print!("{md}");
        let mut verdicts = Vec::new();
        for &backend in &opts.backends {
            let fig = run_backend(&opts, backend).await;
            let section = markdown(backend, &fig);
            println!("\n{section}");
            md.push_str(&section);
            md.push('\n');
            verdicts.push((backend, fig.targets));
        }
        std::fs::create_dir_all(&opts.out_dir).ok();
        let stamp = chrono::Utc::now().format("%Y%m%d-%H%M%S");
        let file = opts.out_dir.join(format!(
            "load-{stamp}{}.md",
            if opts.quick { "-quick" } else { "" }
        ));
        match std::fs::write(&file, &md) {
            Ok(()) => {
                let _ = std::fs::write(opts.out_dir.join("latest.md"), &md);
                println!("written to {}", file.display());
            }
            Err(e) => eprintln!("bench: cannot write {}: {e}", file.display()),
        }
        println!("\nTargets:");
        for (backend, targets) in verdicts {
            for (target, measured, verdict) in targets {
                let tag = match verdict {
                    Verdict::Met => "  met  ",
                    Verdict::NotMet => "NOT MET",
                    Verdict::NotAtScale { would_meet: true } => "n/a, ok",
                    Verdict::NotAtScale { would_meet: false } => "n/a, NO",
                };
                println!(
                    "  [{tag}] {:<8} {target}: {measured}",
                    backend_name(backend)
                );
            }
        }
    });
}
