//! Phase 5: the storage ceiling (raw sqlx upserts, the save service in-process).

use std::sync::Arc;
use std::time::Duration;

use cuocthi::server::clock::Clock;
use cuocthi::server::config::Config;
use cuocthi::server::db::Backend;
use cuocthi::server::startup::Application;

use crate::options::die;
use crate::phases::{closed_loop, Figures, P_RAW, P_SERVICE};
use crate::record::{Failure, Run};
use crate::seed::{now_ms, Ctx};

pub async fn storage_ceiling(ctx: &Arc<Ctx>, fig: &mut Figures) {
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
            "guard::user_for_token + attempt::save_answer from the library, {} workers, {} s",
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
                    use cuocthi::server::guard;
                    use cuocthi::server::service::attempt;
                    let failed = |e: cuocthi::error::AppError| {
                        Failure::new(format!("AppError {}", e.status_code()), e.to_string())
                    };
                    let user = guard::user_for_token(&state, token)
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
