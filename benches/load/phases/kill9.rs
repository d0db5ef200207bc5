//! Phase 8: the kill -9 soak. Autosavers answer without pause while the server is killed
//! with SIGKILL and started again, cycle after cycle; afterwards every answer the server
//! acknowledged must be in the database exactly as acknowledged. Each autosaver behaves like
//! the attempt page: one save at a time, and a save that got no reply (the server died under
//! it) is sent again until it is acknowledged, so its last acknowledged choice per question
//! is always known. The CI keeps a short form of this (`tests/durability.rs`, 3 kills).

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::json;

use crate::client::Payload;
use crate::phases::saves::check_acknowledged;
use crate::phases::{Figures, Verdict};
use crate::process::{kill_and_restart, Server};
use crate::seed::{now_ms, Ctx, Participant};

/// How long the autosavers run between two kills: uniform in this range, so kills land at
/// every point of a save (before, during and after its commit).
const BETWEEN_KILLS_MS: std::ops::Range<u64> = 300..1500;

pub async fn kill9(ctx: &Arc<Ctx>, fig: &mut Figures, server: &mut Server) {
    let o = &ctx.opts;
    let round = ctx.seed_round("Bench: kill -9").await;
    let users = ctx.seed_users("0352", o.kill_savers).await;
    let tokens = ctx.seed_sessions(&users).await;
    let attempts = ctx
        .seed_running_attempts(round, "0352", now_ms() + 6 * 3_600_000, 0)
        .await;
    let people: Vec<Participant> = users
        .iter()
        .zip(tokens)
        .zip(&attempts)
        .map(|((user_id, token), attempt)| Participant {
            user_id: *user_id,
            token,
            attempt: *attempt,
            last: vec![-1; ctx.questions],
        })
        .collect();
    println!(
        "  - 8. kill -9 soak: {} cycles under {} autosavers",
        o.kill_cycles,
        people.len()
    );

    let stop = Arc::new(AtomicBool::new(false));
    let acked = Arc::new(AtomicU64::new(0));
    let resent = Arc::new(AtomicU64::new(0));
    let began = Instant::now();
    let savers: Vec<_> = people
        .into_iter()
        .map(|mut p| {
            let (c, stop, acked, resent) =
                (ctx.clone(), stop.clone(), acked.clone(), resent.clone());
            tokio::spawn(async move {
                let mut rng = StdRng::from_entropy();
                while !stop.load(Ordering::Relaxed) {
                    let seq = rng.gen_range(0..c.questions);
                    let choice: u8 = rng.gen_range(0..4);
                    let body = json!({ "attempt_id": p.attempt, "seq": seq, "choice": choice });
                    // Until acknowledged, whatever happens to the server.
                    loop {
                        let r = c
                            .http
                            .post(
                                "/api/attempt/save",
                                Payload::Json(&body),
                                Some(&p.token),
                                false,
                            )
                            .await;
                        if r.is_ok() {
                            break;
                        }
                        resent.fetch_add(1, Ordering::Relaxed);
                        tokio::time::sleep(Duration::from_millis(20)).await;
                    }
                    p.last[seq] = i16::from(choice);
                    acked.fetch_add(1, Ordering::Relaxed);
                }
                p
            })
        })
        .collect();

    let mut restarts = Vec::with_capacity(o.kill_cycles);
    let mut rng = StdRng::from_entropy();
    for _ in 0..o.kill_cycles {
        tokio::time::sleep(Duration::from_millis(rng.gen_range(BETWEEN_KILLS_MS))).await;
        restarts.push(kill_and_restart(o, server, &ctx.url).await);
    }
    // A last stretch after the last restart, then everyone finishes the save in hand.
    tokio::time::sleep(Duration::from_millis(BETWEEN_KILLS_MS.end)).await;
    stop.store(true, Ordering::Relaxed);
    let mut people = Vec::new();
    for s in savers {
        people.push(s.await.expect("autosaver"));
    }
    let secs = began.elapsed().as_secs_f64();
    let acked = acked.load(Ordering::Relaxed);

    let check = check_acknowledged(ctx, round, &people).await;
    restarts.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let median = restarts
        .get(restarts.len() / 2)
        .copied()
        .unwrap_or_default();
    let slowest = restarts.last().copied().unwrap_or_default();
    fig.notes.push(format!(
        "kill -9 soak: {} cycles in {secs:.0} s; {acked} saves acknowledged ({:.0}/s through the \
         kills), {} sends repeated because the server died under them; restart to /healthz \
         p50 {:.0} ms, max {:.0} ms. Afterwards: {}.",
        restarts.len(),
        acked as f64 / secs,
        resent.load(Ordering::Relaxed),
        ms(median),
        ms(slowest),
        check.sentence()
    ));
    let met = check.lost == 0 && check.unknown == 0 && restarts.len() == o.kill_cycles;
    fig.targets.push((
        "kill -9 soak: 100 cycles under 200 autosavers, 0 acknowledged saves lost or changed"
            .into(),
        format!(
            "{} cycles, {} autosavers, {} acknowledged answers checked, {} lost or changed",
            restarts.len(),
            people.len(),
            check.checked,
            check.lost
        ),
        Verdict::of(met, o.kill_cycles >= 100 && people.len() >= 200),
    ));
}
