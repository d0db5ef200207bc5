//! Phases 1-3: the framework ceiling, registration and login, starts.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use tokio::sync::Barrier;

use crate::client::Payload;
use crate::phases::{
    closed_loop, form, paced, start_attempt, Figures, P_BURST, P_HEALTHZ, P_LOGIN, P_REGISTER,
    P_STARTS,
};
use crate::record::{Failure, Run};
use crate::seed::{Ctx, Participant};

pub async fn ceiling(ctx: &Arc<Ctx>, fig: &mut Figures) {
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

pub async fn logins(ctx: &Arc<Ctx>, fig: &mut Figures) {
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
pub async fn starts(ctx: &Arc<Ctx>, fig: &mut Figures) -> Vec<Participant> {
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
