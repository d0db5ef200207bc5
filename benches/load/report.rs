//! Verdicts against the targets, and the markdown report.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::process::Command;

use cuocthi::server::db::Backend;

use crate::options::{backend_name, Opts};
use crate::phases::{
    Figures, Verdict, P_BOARD, P_BOARD_LIVE, P_BOARD_MAX, P_BURST, P_HEALTHZ, P_RAW, P_SAVES,
    P_SAVES_MAX, P_SERVICE, P_STARTS,
};
use crate::record::SLOW;
use crate::seed::Ctx;

pub fn judge(ctx: &Ctx, fig: &mut Figures) {
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

pub fn markdown(backend: Backend, fig: &Figures) -> String {
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
pub fn slow_summary(slow: &[(String, f64)]) -> Option<String> {
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

pub fn header(opts: &Opts) -> String {
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
