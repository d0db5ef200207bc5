//! Command-line options (`scripts/bench --help`).

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Duration;

use cuocthi::server::db::Backend;

pub const HELP: &str = "\
Load benchmark for cuocthi: participants over HTTP against the release server.

usage: scripts/bench [--quick] [--OPTION VALUE]...
   or: cargo bench --features ssr --bench load -- [--quick] [--OPTION VALUE]...

  --quick                 about a minute per backend (smaller counts, shorter phases)
  --backends LIST         sqlite,postgres (default both, in that order)
  --phases LIST           some of ceiling,logins,starts,saves,storage,close,board,kill9
                          (default all but kill9; saves needs starts)
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
  --kill-cycles N         kill9: times the server is killed with SIGKILL and started
                          again while the autosavers save (100 / 5)
  --kill-savers N         kill9: participants autosaving without pause (200 / 50)
";

// Options

#[derive(Clone, Debug)]
pub struct Opts {
    pub quick: bool,
    pub backends: Vec<Backend>,
    pub phases: Vec<String>,
    pub pg_admin: String,
    pub server_bin: PathBuf,
    pub out_dir: PathBuf,
    pub sweep_secs: Option<u64>,
    pub keep_db: bool,
    pub timeout: Duration,
    pub ceiling_conc: usize,
    pub ceiling_secs: f64,
    pub logins: usize,
    pub login_conc: usize,
    pub burst: usize,
    pub start_rate: f64,
    pub start_secs: f64,
    pub save_rate: f64,
    pub save_secs: f64,
    pub max_secs: f64,
    pub storage_secs: f64,
    pub submit_conc: usize,
    pub probe: usize,
    pub probe_rate: f64,
    pub close_attempts: usize,
    pub close_window: f64,
    pub board_attempts: usize,
    pub board_viewers: usize,
    pub board_rate: f64,
    pub board_secs: f64,
    pub board_max_secs: f64,
    pub board_submit_rate: f64,
    pub kill_cycles: usize,
    pub kill_savers: usize,
}

/// The phases, in the order they run; `--phases` picks some of them.
pub const PHASES: [&str; 8] = [
    "ceiling", "logins", "starts", "saves", "storage", "close", "board", "kill9",
];

impl Opts {
    pub fn runs(&self, phase: &str) -> bool {
        self.phases.iter().any(|p| p == phase)
    }
}

pub fn die(message: &str) -> ! {
    eprintln!("bench: {message}");
    std::process::exit(2)
}

pub fn parse_opts() -> Opts {
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
    let kill_cycles = num("kill-cycles", 100.0, 5.0) as usize;
    let kill_savers = num("kill-savers", 200.0, 50.0) as usize;
    let timeout = Duration::from_secs_f64(num("timeout", 30.0, 30.0));
    let sweep_secs = take("sweep-secs").map(|v| {
        v.parse()
            .unwrap_or_else(|_| die(&format!("--sweep-secs: not a number: {v}")))
    });
    // The soak is long and leaves another server running: only when asked for.
    let phases: Vec<String> = take("phases")
        .unwrap_or_else(|| PHASES[..PHASES.len() - 1].join(","))
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
        .unwrap_or_else(|| crate::db::DEFAULT_PG_ADMIN.into());
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
        kill_cycles,
        kill_savers,
    }
}

pub fn backend_name(b: Backend) -> &'static str {
    match b {
        Backend::Sqlite => "SQLite",
        Backend::Postgres => "Postgres",
    }
}
