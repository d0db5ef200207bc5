//! Group commit for answer saves. Every save is acknowledged only after a commit that
//! survives a power loss (SQLite `synchronous=FULL`, Postgres's default `fsync`), and the
//! saves that arrive together share that commit: a writer task takes every save waiting in
//! its queue (at most `MAX_BATCH`), checks and stores them in one transaction with three
//! statements (`service::attempt::store_saves`), commits once, then answers each. While it
//! commits, the next saves gather; an idle server answers a lone save at once (no waiting
//! for company).
//!
//! A refused save (finished attempt, too late, not the person's) is answered with its
//! refusal and does not disturb the others. A database error in a batch rolls it back and
//! each save of it is tried again alone, so one bad row never costs the others their save.
//! Within a group, a question saved twice keeps the later save (the group is sorted by
//! attempt, stably). Attempts are locked in id order, so two writers (or two servers) never
//! deadlock. Across the Postgres writers, two groups commit in either order: the quiz sends
//! one save at a time, so one page's saves never race each other.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use tokio::sync::{mpsc, oneshot, Mutex};

use crate::error::AppError;
use crate::model::SaveAck;
use crate::server::db::{Backend, Db};
use crate::server::metrics::Metrics;
use crate::server::service::attempt::{store_saves, SaveOutcome};

/// At most this many saves share one transaction.
pub const MAX_BATCH: usize = 64;
/// Saves waiting for a writer; a full queue makes the next request wait its turn.
const QUEUE: usize = 8192;

/// One answer to store: `choice = None` clears it. `at` is when the request arrived: the
/// deadline is checked against it.
#[derive(Clone, Debug)]
pub struct SaveRequest {
    pub user_id: i64,
    pub attempt_id: i64,
    pub seq: u32,
    pub choice: Option<u8>,
    pub at: DateTime<Utc>,
}

type Job = (SaveRequest, oneshot::Sender<Result<SaveAck, AppError>>);

/// The queue in front of the writers. Cheap to clone.
#[derive(Clone)]
pub struct SaveQueue {
    jobs: mpsc::Sender<Job>,
}

impl SaveQueue {
    /// Starts the writers on the current runtime: one on SQLite (it has one writer at a
    /// time anyway), a few on Postgres (each commit waits for its own fsync).
    pub fn spawn(db: Db, metrics: Arc<Metrics>) -> Self {
        let (jobs, queue) = mpsc::channel(QUEUE);
        let queue = Arc::new(Mutex::new(queue));
        let writers = match db.backend {
            Backend::Sqlite => 1,
            Backend::Postgres => 4,
        };
        for _ in 0..writers {
            tokio::spawn(writer(db.clone(), queue.clone(), metrics.clone()));
        }
        Self { jobs }
    }

    /// Stores the answer; returns once it is committed (or refused).
    pub async fn save(&self, request: SaveRequest) -> Result<SaveAck, AppError> {
        let (reply, answer) = oneshot::channel();
        self.jobs
            .send((request, reply))
            .await
            .map_err(|_| AppError::internal("save queue")("the writers stopped"))?;
        answer
            .await
            .map_err(|_| AppError::internal("save queue")("a writer dropped a save"))?
    }
}

async fn writer(db: Db, queue: Arc<Mutex<mpsc::Receiver<Job>>>, metrics: Arc<Metrics>) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    loop {
        {
            // One writer waits on the queue at a time; it takes what has gathered.
            let mut queue = queue.lock().await;
            if queue.recv_many(&mut batch, MAX_BATCH).await == 0 {
                return;
            }
        }
        commit_batch(&db, &mut batch, &metrics).await;
        batch.clear();
    }
}

async fn commit_batch(db: &Db, batch: &mut Vec<Job>, metrics: &Metrics) {
    use std::sync::atomic::Ordering::Relaxed;
    batch.sort_by_key(|(r, _)| r.attempt_id);
    let requests: Vec<&SaveRequest> = batch.iter().map(|(r, _)| r).collect();
    match store_all(db, &requests).await {
        Ok(outcomes) => {
            metrics.save_commits.fetch_add(1, Relaxed);
            for ((_, reply), outcome) in batch.drain(..).zip(outcomes) {
                let _ = reply.send(outcome);
            }
        }
        // No connection came free: every save of the batch is asked to come again.
        Err(AppError::Busy { retry_after_secs }) => {
            for (_, reply) in batch.drain(..) {
                let _ = reply.send(Err(AppError::Busy { retry_after_secs }));
            }
        }
        Err(e) if batch.len() == 1 => {
            if let Some((_, reply)) = batch.pop() {
                let _ = reply.send(Err(e));
            }
        }
        Err(e) => {
            tracing::warn!(error = %e, saves = batch.len(), "a batch of saves failed; each is tried alone");
            metrics.save_batches_retried.fetch_add(1, Relaxed);
            for (request, reply) in batch.drain(..) {
                let outcome = store_all(db, &[&request])
                    .await
                    .and_then(|mut o| o.pop().unwrap_or(Err(AppError::Internal)));
                let _ = reply.send(outcome);
            }
        }
    }
}

/// Checks and stores every save of the batch in one transaction; the outer error is a
/// database failure (the transaction is rolled back), the inner ones are each save's own
/// refusal.
async fn store_all(db: &Db, requests: &[&SaveRequest]) -> Result<Vec<SaveOutcome>, AppError> {
    let mut tx = db.begin_write().await?;
    let outcomes = store_saves(&mut tx, db.for_update(), requests).await?;
    tx.commit().await?;
    Ok(outcomes)
}
