//! Phase 6: round close by the server's sweeper while probes keep saving.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::options::die;
use crate::phases::{save_answer, Figures, Verdict, P_CLOSE};
use crate::record::Run;
use crate::seed::{now_ms, Ctx, Participant};

/// Attempts whose deadlines fall within the window, finalized by the server's sweeper; the
/// probes keep saving meanwhile. Returns the probes.
pub async fn round_close(
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
    // An attempt's terms are frozen on it: the instant its answers stop being accepted
    // (deadline + grace) moves with its deadline, or the sweeper never sees it overdue.
    ctx.exec(&format!(
        "UPDATE attempts SET deadline_at = {t0} + ((id - {first_id}) * {window_ms}) / {n}, \
         accept_until = {t0} + ((id - {first_id}) * {window_ms}) / {n} + {grace_ms}, \
         started_at = {t0} + ((id - {first_id}) * {window_ms}) / {n} - 1800000 WHERE round_id = {round}",
        grace_ms = ctx.grace_secs * 1000,
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
