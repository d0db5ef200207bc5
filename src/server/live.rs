//! Live leaderboards served from memory. Viewers never query the database: each round's board
//! is computed once per change (a submission, a finalization, a publication) and shared.
//! Changes travel between app servers through Postgres LISTEN/NOTIFY; on SQLite (one
//! process) they are signalled in memory. A slow periodic refresh catches time boundaries
//! (round close, freeze, publication time) and anything a notification missed.

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use tokio::sync::{broadcast, mpsc};

use crate::model::Leaderboard;
use crate::server::db::Backend;
use crate::server::AppState;

/// The Postgres channel that carries "round N changed" between app servers.
pub const CHANNEL: &str = "cuocthi_board";
/// How often cached boards are recomputed even without a notification.
const REFRESH_EVERY: Duration = Duration::from_secs(10);

/// A board and the time (ms) until which it stays right without a change.
type Cached = (Arc<Leaderboard>, Option<i64>);

#[derive(Clone)]
pub struct LiveBoards {
    inner: Arc<Inner>,
}

struct Inner {
    /// Each round's board, with the time after which it must be recomputed anyway.
    boards: RwLock<HashMap<i64, Cached>>,
    /// Rounds whose board must be recomputed.
    dirty: mpsc::UnboundedSender<i64>,
    dirty_rx: std::sync::Mutex<Option<mpsc::UnboundedReceiver<i64>>>,
    /// Rounds whose cached board was just replaced (for the SSE streams).
    changed: broadcast::Sender<i64>,
}

impl Default for LiveBoards {
    fn default() -> Self {
        let (dirty, dirty_rx) = mpsc::unbounded_channel();
        let (changed, _) = broadcast::channel(256);
        Self {
            inner: Arc::new(Inner {
                boards: RwLock::new(HashMap::new()),
                dirty,
                dirty_rx: std::sync::Mutex::new(Some(dirty_rx)),
                changed,
            }),
        }
    }
}

impl LiveBoards {
    pub fn cached(&self, round_id: i64) -> Option<Arc<Leaderboard>> {
        self.inner
            .boards
            .read()
            .ok()?
            .get(&round_id)
            .map(|(b, _)| b.clone())
    }

    /// The cached board if it is still right at `now_ms`.
    fn fresh(&self, round_id: i64, now_ms: i64) -> Option<Arc<Leaderboard>> {
        let boards = self.inner.boards.read().ok()?;
        let (board, until) = boards.get(&round_id)?;
        until.is_none_or(|t| now_ms < t).then(|| board.clone())
    }

    fn store(&self, board: Leaderboard, fresh_until: Option<i64>) -> Arc<Leaderboard> {
        let board = Arc::new(board);
        if let Ok(mut boards) = self.inner.boards.write() {
            let changed = boards
                .get(&board.round_id)
                .is_none_or(|(old, _)| **old != *board);
            boards.insert(board.round_id, (board.clone(), fresh_until));
            if changed {
                let _ = self.inner.changed.send(board.round_id);
            }
        }
        board
    }

    pub fn subscribe(&self) -> broadcast::Receiver<i64> {
        self.inner.changed.subscribe()
    }

    /// Asks this server to recompute a round's board (viewers keep the old one meanwhile).
    pub fn mark_dirty(&self, round_id: i64) {
        let _ = self.inner.dirty.send(round_id);
    }

    /// Drops a round's board after a change: the next reader recomputes it (so whoever made
    /// the change sees it), and the streams get the new one from the recompute loop.
    pub fn invalidate(&self, round_id: i64) {
        if let Ok(mut boards) = self.inner.boards.write() {
            boards.remove(&round_id);
        }
        self.mark_dirty(round_id);
    }

    /// Drops every board (the contest's rules or the exclusion list changed).
    pub fn invalidate_all(&self) {
        let rounds: Vec<i64> = match self.inner.boards.write() {
            Ok(mut boards) => boards.drain().map(|(r, _)| r).collect(),
            Err(_) => Vec::new(),
        };
        for r in rounds {
            self.mark_dirty(r);
        }
    }

    fn apply(&self, change: Change) {
        match change {
            Change::Round(r) => self.invalidate(r),
            Change::All => self.invalidate_all(),
        }
    }
}

/// What changed, as carried in a notification's payload ("17", or "*" for everything).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    Round(i64),
    All,
}

impl Change {
    fn payload(self) -> String {
        match self {
            Change::Round(r) => r.to_string(),
            Change::All => "*".into(),
        }
    }

    fn parse(payload: &str) -> Option<Self> {
        match payload {
            "*" => Some(Change::All),
            r => r.parse().ok().map(Change::Round),
        }
    }
}

/// The round's board from memory, computed on first use.
pub async fn board(
    state: &AppState,
    round_id: i64,
) -> Result<Arc<Leaderboard>, crate::error::AppError> {
    let now = crate::server::clock::to_ms(state.clock.now());
    if let Some(b) = state.live.fresh(round_id, now) {
        return Ok(b);
    }
    let (b, until) =
        crate::server::service::leaderboard::compute_round_board(state, round_id).await?;
    Ok(state.live.store(b, until))
}

/// Says, after a commit, that a round's results changed: every app server drops and
/// recomputes its board.
pub async fn touched(state: &AppState, round_id: i64) {
    announce(state, Change::Round(round_id)).await;
}

/// Says, after a commit, that every board may have changed (rules, exclusions).
pub async fn touched_all(state: &AppState) {
    announce(state, Change::All).await;
}

async fn announce(state: &AppState, change: Change) {
    // This server at once, so the person who made the change sees it in the reply's wake.
    state.live.apply(change);
    if state.db.backend == Backend::Postgres {
        let sent = sqlx::query("SELECT pg_notify($1, $2)")
            .bind(CHANNEL)
            .bind(change.payload())
            .execute(&state.db.pool)
            .await;
        if let Err(e) = sent {
            tracing::warn!(error = %e, "board notification failed; other servers refresh within {REFRESH_EVERY:?}");
        }
    }
}

async fn recompute(state: &AppState, round_id: i64) {
    match crate::server::service::leaderboard::compute_round_board(state, round_id).await {
        Ok((b, until)) => {
            state.live.store(b, until);
        }
        Err(e) => tracing::warn!(round_id, error = %e, "board refresh failed"),
    }
}

/// Starts the tasks that keep boards fresh: the recompute loop, the periodic refresh and,
/// on Postgres, the listener for other servers' notifications.
pub fn spawn(state: AppState, database_url: String) {
    let Some(mut dirty) = state
        .live
        .inner
        .dirty_rx
        .lock()
        .ok()
        .and_then(|mut r| r.take())
    else {
        return;
    };
    let worker = state.clone();
    tokio::spawn(async move {
        while let Some(first) = dirty.recv().await {
            // A burst of submissions becomes one recompute per round.
            tokio::time::sleep(Duration::from_millis(100)).await;
            let mut rounds = BTreeSet::from([first]);
            while let Ok(r) = dirty.try_recv() {
                rounds.insert(r);
            }
            for r in rounds {
                recompute(&worker, r).await;
            }
        }
    });
    let ticker = state.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(REFRESH_EVERY);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            let rounds: Vec<i64> = ticker
                .live
                .inner
                .boards
                .read()
                .map(|b| b.keys().copied().collect())
                .unwrap_or_default();
            for r in rounds {
                ticker.live.mark_dirty(r);
            }
        }
    });
    if state.db.backend == Backend::Postgres {
        tokio::spawn(async move {
            loop {
                match listen(&state, &database_url).await {
                    Ok(()) => {}
                    Err(e) => tracing::warn!(error = %e, "board listener stopped; reconnecting"),
                }
                tokio::time::sleep(Duration::from_secs(2)).await;
            }
        });
    }
}

async fn listen(state: &AppState, url: &str) -> Result<(), sqlx::Error> {
    let mut listener = sqlx::postgres::PgListener::connect(url).await?;
    listener.listen(CHANNEL).await?;
    // Notifications sent while disconnected are lost: refresh everything cached.
    let cached: Vec<i64> = state
        .live
        .inner
        .boards
        .read()
        .map(|b| b.keys().copied().collect())
        .unwrap_or_default();
    for r in cached {
        state.live.mark_dirty(r);
    }
    loop {
        let n = listener.recv().await?;
        if let Some(change) = Change::parse(n.payload()) {
            state.live.apply(change);
        }
    }
}
