//! Phase 7: the leaderboard at scale, unchanged and while submissions arrive.

use std::sync::Arc;
use std::time::{Duration, Instant};

use cuocthi::server::db::Backend;

use crate::client::Payload;
use crate::phases::{closed_loop, form, paced, Figures, P_BOARD, P_BOARD_LIVE, P_BOARD_MAX};
use crate::record::{Failure, Run};
use crate::seed::{now_ms, Ctx};

pub async fn leaderboard(ctx: &Arc<Ctx>, fig: &mut Figures) {
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
        "INSERT INTO attempts (user_id, round_id, started_at, deadline_at, accept_until, max_score, \
         status, submitted_at, finalized_by, score, correct_count, elapsed_ms) \
         SELECT id, {round}, {started}, {started} + 1800000, {started} + 1815000, {max_score}, \
         'final', {started} + {elapsed}, 'participant', ({correct}) * 5, {correct}, {elapsed} \
         FROM users WHERE phone LIKE '05%'",
        max_score = ctx.questions * 5,
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
            if result.is_err() {
                return;
            }
            // How soon the entry is on the board: its person asks for their place until it
            // comes back (the board viewers read the same structure).
            let mine = form(&[("round_id", round.to_string())]);
            let since = Instant::now();
            let seen = async {
                loop {
                    let reply = c
                        .http
                        .post(
                            "/api/leaderboard/me",
                            Payload::Form(&mine),
                            Some(token),
                            false,
                        )
                        .await?;
                    if !reply.json()?.is_null() {
                        return Ok(());
                    }
                    if since.elapsed() > Duration::from_secs(10) {
                        return Err(Failure::new("not seen", "not on the board after 10 s"));
                    }
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
            }
            .await;
            r.record("submitted → on the board", since, &seen);
        }
    }));
    board_viewers(ctx, &run, round, &tokens).await;
    let _ = submits.await;
    fig.runs.push(run.finish(&ctx.mon));
}

/// Leaderboard viewers at --board-rate for --board-secs, open loop, in turn: top-100, top-100
/// asking for brotli (as browsers do), my rank; beside them GET /healthz at 20/s, which touches
/// neither the board nor the database: if it stalls too, the whole server stalls.
pub async fn board_viewers(ctx: &Arc<Ctx>, run: &Arc<Run>, round: i64, tokens: &Arc<Vec<String>>) {
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
