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
//!
//! Modules: `options` (the command line), `process` (the server as a child process and its
//! database), `client` (HTTP), `monitor` (CPU and memory from /proc), `record` (latencies per
//! phase), `seed` (the shared context, seeding and checks straight in the database), `phases`
//! (load shapes and one module per group of phases), `report` (verdicts and markdown).

mod client;
// The throw-away databases, shared with the integration tests.
#[path = "../../tests/support/db.rs"]
mod db;
mod monitor;
mod options;
mod phases;
mod process;
mod record;
mod report;
mod seed;

use crate::options::{backend_name, parse_opts};
use crate::phases::{run_backend, Verdict};
use crate::report::{header, markdown};

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
