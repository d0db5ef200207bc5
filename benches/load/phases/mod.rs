//! The phases, their load shapes, and the order they run in.

mod board;
mod close;
mod kill9;
mod people;
mod saves;
mod storage;

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use cuocthi::server::db::Backend;
use rand::rngs::StdRng;
use rand::Rng;
use serde_json::json;
use tokio::time::sleep_until;

use crate::client::Payload;
use crate::monitor::status_kb;
use crate::options::{backend_name, Opts};
use crate::phases::board::leaderboard;
use crate::phases::close::round_close;
use crate::phases::kill9::kill9;
use crate::phases::people::{ceiling, logins, starts};
use crate::phases::saves::{saves, submits};
use crate::phases::storage::storage_ceiling;
use crate::process::{drop_database, fresh_database, start_server};
use crate::record::{Failure, Run, RunReport};
use crate::report::judge;
use crate::seed::{context, Ctx, Participant};

/// `conc` workers calling `op(worker, i)` back to back for `secs`.
pub async fn closed_loop<F, Fut>(conc: usize, secs: f64, op: F)
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
pub async fn paced<F, Fut>(rate: f64, n: usize, op: F)
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

pub fn form(fields: &[(&'static str, String)]) -> Vec<(&'static str, String)> {
    fields.to_vec()
}

pub async fn start_attempt(ctx: &Ctx, token: &str) -> Result<i64, Failure> {
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

pub async fn save_answer(
    ctx: &Ctx,
    run: &Run,
    action: &str,
    p: &mut Participant,
    rng: &mut StdRng,
) {
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

/// Whether a target was met; a run smaller than the target's scale (quick mode) says what it
/// would have said but does not count.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    Met,
    NotMet,
    NotAtScale { would_meet: bool },
}

impl Verdict {
    pub fn of(met: bool, at_scale: bool) -> Self {
        match (met, at_scale) {
            (true, true) => Verdict::Met,
            (false, true) => Verdict::NotMet,
            (would_meet, false) => Verdict::NotAtScale { would_meet },
        }
    }

    pub fn label(self) -> &'static str {
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

pub struct Figures {
    pub runs: Vec<RunReport>,
    pub notes: Vec<String>,
    pub targets: Vec<(String, String, Verdict)>,
    pub ratios: Vec<(String, String)>,
}

pub const P_HEALTHZ: &str = "1. framework ceiling: GET /healthz";
pub const P_REGISTER: &str = "2a. registration sample";
pub const P_LOGIN: &str = "2b. login sample";
pub const P_BURST: &str = "3a. synchronized burst of starts";
pub const P_STARTS: &str = "3b. paced starts";
pub const P_SAVES: &str = "4a. answer saves, sustained (think time)";
pub const P_SAVES_MAX: &str = "4b. answer saves, closed loop";
pub const P_SUBMIT: &str = "4c. submissions";
pub const P_RAW: &str = "5a. storage ceiling: raw sqlx upserts";
pub const P_SERVICE: &str = "5b. the save service in-process (no HTTP)";
pub const P_CLOSE: &str = "6. round close (server's sweeper)";
pub const P_BOARD: &str = "7a. leaderboard viewers, paced";
pub const P_BOARD_MAX: &str = "7b. leaderboard top-100, closed loop";
pub const P_BOARD_LIVE: &str = "7c. leaderboard viewers while submissions arrive";

pub async fn run_backend(opts: &Opts, backend: Backend) -> Figures {
    let name = backend_name(backend);
    println!("\n== {name} ==");
    let began = Instant::now();
    let url = fresh_database(opts, backend).await;
    std::fs::create_dir_all(&opts.out_dir).ok();
    let log = opts
        .out_dir
        .join(format!("server-{}.log", name.to_lowercase()));
    let mut server = start_server(opts, &url, log.clone()).await;
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
    // Last: the server it leaves running is not the one the monitor watched.
    if opts.runs("kill9") {
        kill9(&ctx, &mut fig, &mut server).await;
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
        status_kb(server.child.id(), "VmRSS") as f64 / 1024.0,
        status_kb(server.child.id(), "VmHWM") as f64 / 1024.0
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
