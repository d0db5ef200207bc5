//! Phase 4: answer saves (sustained and closed loop), their check, submissions.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use tokio::time::sleep_until;

use crate::client::Payload;
use crate::options::die;
use crate::phases::{form, save_answer, Figures, P_SAVES, P_SAVES_MAX};
use crate::record::Run;
use crate::seed::{Ctx, Participant};

pub async fn saves(
    ctx: &Arc<Ctx>,
    fig: &mut Figures,
    people: Vec<Participant>,
) -> Vec<Participant> {
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
    let check = check_acknowledged(ctx, ctx.round_id, &people).await;
    fig.notes.push(format!(
        "Acknowledged answers checked against the database after the saves: {}.",
        check.sentence()
    ));
    people
}

/// What the database holds against what the participants saw acknowledged.
pub struct Check {
    pub checked: usize,
    /// Missing, or different from the last acknowledged choice.
    pub lost: usize,
    /// Questions whose last save failed: what is stored may be either choice.
    pub unknown: usize,
    pub first_lost: Option<(i64, usize)>,
}

impl Check {
    pub fn sentence(&self) -> String {
        format!(
            "{} checked, {} missing or different{}, {} left out (their last save failed)",
            self.checked,
            self.lost,
            self.first_lost
                .map(|(a, s)| format!(" (first: attempt {a}, seq {s})"))
                .unwrap_or_default(),
            self.unknown
        )
    }
}

/// Compares every participant's last acknowledged choice per question with the database.
pub async fn check_acknowledged(ctx: &Ctx, round: i64, people: &[Participant]) -> Check {
    let rows: Vec<(i64, i64, Option<i64>, String)> = sqlx::query_as(
        "SELECT ans.attempt_id, ans.seq, ans.option_id, aq.option_order FROM answers ans \
         JOIN attempt_questions aq ON aq.attempt_id = ans.attempt_id AND aq.seq = ans.seq \
         JOIN attempts a ON a.id = ans.attempt_id WHERE a.round_id = $1",
    )
    .bind(round)
    .fetch_all(&ctx.db.pool)
    .await
    .unwrap_or_else(|e| die(&e.to_string()));
    let stored: HashMap<(i64, i64), (Option<i64>, String)> = rows
        .into_iter()
        .map(|(a, s, o, ord)| ((a, s), (o, ord)))
        .collect();
    let mut check = Check {
        checked: 0,
        lost: 0,
        unknown: 0,
        first_lost: None,
    };
    for p in people {
        for (seq, last) in p.last.iter().enumerate() {
            match *last {
                -1 => {}
                -2 => check.unknown += 1,
                choice => {
                    check.checked += 1;
                    let expected = stored.get(&(p.attempt, seq as i64)).and_then(|(o, ord)| {
                        let id = ord.split(',').nth(choice as usize)?.parse::<i64>().ok()?;
                        Some(*o == Some(id))
                    });
                    if expected != Some(true) {
                        check.lost += 1;
                        check.first_lost.get_or_insert((p.attempt, seq));
                    }
                }
            }
        }
    }
    check
}

pub async fn submits(ctx: &Arc<Ctx>, fig: &mut Figures, people: Vec<Participant>, phase: &str) {
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
