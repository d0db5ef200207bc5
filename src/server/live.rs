//! Live leaderboards served from memory. Viewers never query the database: each round's board
//! is computed once per change (a submission, a finalization, a publication) and shared.
//! Changes travel between app servers through Postgres LISTEN/NOTIFY; on SQLite (one
//! process) they are signalled in memory. A periodic check recomputes a board when a time
//! boundary passes (round close, freeze, publication time) and, as a safety net for a missed
//! notification, once a minute; an unchanged board is never recomputed more often (with a
//! million attempts a computation takes seconds of CPU).

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use tokio::sync::{broadcast, mpsc};

use crate::error::AppError;
use crate::model::{Leaderboard, MyRank};
use crate::server::db::Backend;
use crate::server::service::leaderboard::ComputedBoard;
use crate::server::AppState;

/// The Postgres channel that carries "round N changed" between app servers.
pub const CHANNEL: &str = "cuocthi_board";
/// How often cached boards are checked for a passed time boundary.
const REFRESH_EVERY: Duration = Duration::from_secs(10);
/// How old a board may grow without any notification before it is recomputed anyway.
const SAFETY_NET: Duration = Duration::from_secs(60);
/// A board whose last computation took this long is served stale while the next one is
/// computed in the background: with a million attempts and submissions arriving every
/// second, waiting for each recompute would keep viewers waiting for ever. Smaller boards
/// are computed while the reader waits, so whoever just submitted sees their entry.
const SLOW: Duration = Duration::from_secs(1);

type Cached = Arc<ComputedBoard>;

/// Which changes a computation had seen when it started: (changes to everything, changes to
/// its round). A board computed from an older token is stale even if it was stored later.
type Token = (u64, u64);

#[derive(Clone)]
pub struct LiveBoards {
    inner: Arc<Inner>,
}

#[derive(Default)]
struct Boards {
    /// The board, the changes it had seen, when it was stored and how long it took.
    entries: HashMap<i64, (Cached, Token, std::time::Instant, Duration)>,
    round_changes: HashMap<i64, u64>,
    all_changes: u64,
}

impl Boards {
    fn token(&self, round_id: i64) -> Token {
        (
            self.all_changes,
            self.round_changes.get(&round_id).copied().unwrap_or(0),
        )
    }
}

struct Inner {
    boards: RwLock<Boards>,
    /// Rounds whose board must be recomputed.
    dirty: mpsc::UnboundedSender<i64>,
    dirty_rx: std::sync::Mutex<Option<mpsc::UnboundedReceiver<i64>>>,
    /// Rounds whose cached board was just replaced (for the SSE streams).
    changed: broadcast::Sender<i64>,
    /// One computation per round at a time: readers that find the board stale while it is
    /// being computed wait for that result instead of starting their own.
    computing: std::sync::Mutex<HashMap<i64, Arc<tokio::sync::Mutex<()>>>>,
    /// Boards computed since start (for tests and the logs).
    computations: std::sync::atomic::AtomicU64,
    /// Names this server in its notifications, so it skips its own when they come back:
    /// it applied the change already, and applying it again would compute the board twice.
    origin: String,
}

impl Default for LiveBoards {
    fn default() -> Self {
        let (dirty, dirty_rx) = mpsc::unbounded_channel();
        let (changed, _) = broadcast::channel(256);
        Self {
            inner: Arc::new(Inner {
                boards: RwLock::new(Boards::default()),
                dirty,
                dirty_rx: std::sync::Mutex::new(Some(dirty_rx)),
                changed,
                computing: Default::default(),
                computations: Default::default(),
                origin: crate::server::session::new_token()[..12].to_string(),
            }),
        }
    }
}

impl LiveBoards {
    /// The latest board computed for a round, current or not (for the streams).
    pub fn cached(&self, round_id: i64) -> Option<Cached> {
        let boards = self.inner.boards.read().ok()?;
        boards.entries.get(&round_id).map(|(b, _, _, _)| b.clone())
    }

    fn token(&self, round_id: i64) -> Token {
        self.inner
            .boards
            .read()
            .map(|b| b.token(round_id))
            .unwrap_or_default()
    }

    fn cached_rounds(&self) -> Vec<i64> {
        self.inner
            .boards
            .read()
            .map(|b| b.entries.keys().copied().collect())
            .unwrap_or_default()
    }

    /// Rounds whose board has passed its time boundary, or is older than the safety net.
    fn due_for_refresh(&self, now_ms: i64) -> Vec<i64> {
        self.inner
            .boards
            .read()
            .map(|b| {
                b.entries
                    .iter()
                    .filter(|(_, (board, _, stored, _))| {
                        board.fresh_until.is_some_and(|t| now_ms >= t)
                            || stored.elapsed() >= SAFETY_NET
                    })
                    .map(|(r, _)| *r)
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The cached board if no change came after it and it is still right at `now_ms`.
    fn fresh(&self, round_id: i64, now_ms: i64) -> Option<Cached> {
        let boards = self.inner.boards.read().ok()?;
        let (computed, token, _, _) = boards.entries.get(&round_id)?;
        (*token == boards.token(round_id) && computed.fresh_until.is_none_or(|t| now_ms < t))
            .then(|| computed.clone())
    }

    /// The cached board, stale or not, if computing it is slow (see `SLOW`).
    fn stale_if_slow(&self, round_id: i64) -> Option<Cached> {
        let boards = self.inner.boards.read().ok()?;
        let (computed, _, _, cost) = boards.entries.get(&round_id)?;
        (*cost >= SLOW).then(|| computed.clone())
    }

    /// Keeps a computed board unless a newer one is already there.
    fn store(&self, computed: ComputedBoard, token: Token, cost: Duration) -> Cached {
        let computed = Arc::new(computed);
        let round_id = computed.board.round_id;
        if let Ok(mut boards) = self.inner.boards.write() {
            let (newer, changed) = match boards.entries.get(&round_id) {
                Some((old, old_token, _, _)) => (*old_token > token, old.board != computed.board),
                None => (false, true),
            };
            if !newer {
                boards.entries.insert(
                    round_id,
                    (computed.clone(), token, std::time::Instant::now(), cost),
                );
                if changed {
                    let _ = self.inner.changed.send(round_id);
                }
            }
        }
        computed
    }

    fn computing(&self, round_id: i64) -> Arc<tokio::sync::Mutex<()>> {
        let mut map = self
            .inner
            .computing
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        map.entry(round_id).or_default().clone()
    }

    /// How many boards this server has computed since it started.
    pub fn computations(&self) -> u64 {
        self.inner
            .computations
            .load(std::sync::atomic::Ordering::Relaxed)
    }

    fn counted(&self) {
        self.inner
            .computations
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }

    pub fn subscribe(&self) -> broadcast::Receiver<i64> {
        self.inner.changed.subscribe()
    }

    /// Asks this server to recompute a round's board (viewers keep the old one meanwhile).
    pub fn mark_dirty(&self, round_id: i64) {
        let _ = self.inner.dirty.send(round_id);
    }

    /// Records a change to a round: its cached board is stale from now on (the next reader
    /// recomputes it, so whoever made the change sees it) and the streams get a new one.
    pub fn invalidate(&self, round_id: i64) {
        if let Ok(mut boards) = self.inner.boards.write() {
            *boards.round_changes.entry(round_id).or_default() += 1;
        }
        self.mark_dirty(round_id);
    }

    /// Records a change to every board (the contest's rules or the exclusion list).
    pub fn invalidate_all(&self) {
        if let Ok(mut boards) = self.inner.boards.write() {
            boards.all_changes += 1;
        }
        for r in self.cached_rounds() {
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

/// The round's board from memory, computed on first use and after each change. However many
/// viewers find it stale at once, it is computed once: the others wait for that result.
pub async fn board(state: &AppState, round_id: i64) -> Result<Cached, AppError> {
    let now = || crate::server::clock::to_ms(state.clock.now());
    if let Some(b) = state.live.fresh(round_id, now()) {
        return Ok(b);
    }
    if let Some(b) = state.live.stale_if_slow(round_id) {
        state.live.mark_dirty(round_id);
        return Ok(b);
    }
    let lock = state.live.computing(round_id);
    let _turn = lock.lock().await;
    if let Some(b) = state.live.fresh(round_id, now()) {
        return Ok(b);
    }
    let token = state.live.token(round_id);
    let started = std::time::Instant::now();
    let computed =
        crate::server::service::leaderboard::compute_round_board(state, round_id).await?;
    state.live.counted();
    Ok(state.live.store(computed, token, started.elapsed()))
}

/// A round's public leaderboard, from memory (see `server::live`).
pub async fn round_board(state: &AppState, round_id: i64) -> Result<Leaderboard, AppError> {
    Ok(board(state, round_id).await?.board.clone())
}

/// The viewer's own place on a round's board, from memory.
pub async fn my_rank(
    state: &AppState,
    round_id: i64,
    user_id: i64,
) -> Result<Option<MyRank>, AppError> {
    Ok(board(state, round_id).await?.ranks.get(&user_id).cloned())
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
        let sent = match state.db.pool.acquire().await {
            Ok(mut conn) => {
                let payload = format!("{} {}", state.live.inner.origin, change.payload());
                crate::server::repo::notify::pg_notify(&mut conn, CHANNEL, &payload).await
            }
            Err(e) => Err(e),
        };
        if let Err(e) = sent {
            tracing::warn!(error = %e, "board notification failed; other servers refresh within {REFRESH_EVERY:?}");
        }
    }
}

async fn recompute(state: &AppState, round_id: i64) {
    let lock = state.live.computing(round_id);
    let _turn = lock.lock().await;
    let now = crate::server::clock::to_ms(state.clock.now());
    if state.live.fresh(round_id, now).is_some() {
        return; // a reader already computed it since the change
    }
    let token = state.live.token(round_id);
    let started = std::time::Instant::now();
    match crate::server::service::leaderboard::compute_round_board(state, round_id).await {
        Ok(computed) => {
            state.live.counted();
            state.live.store(computed, token, started.elapsed());
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
            let now = crate::server::clock::to_ms(ticker.clock.now());
            for r in ticker.live.due_for_refresh(now) {
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
    // Notifications sent while disconnected are lost: every cached board may be stale.
    state.live.invalidate_all();
    loop {
        let n = listener.recv().await?;
        // "<origin> <change>"; a bare change comes from a server of an older version.
        let (origin, change) = n.payload().split_once(' ').unwrap_or(("", n.payload()));
        if origin == state.live.inner.origin {
            continue;
        }
        if let Some(change) = Change::parse(change) {
            state.live.apply(change);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn board(round_id: i64, fresh_until: Option<i64>) -> ComputedBoard {
        ComputedBoard {
            board: Leaderboard {
                round_id,
                round_name: String::new(),
                contest_name: String::new(),
                rows: Vec::new(),
                entrants: 0,
                chain: Vec::new(),
                has_ties: false,
                prediction_actual: None,
                frozen_since: None,
                units: Vec::new(),
                hidden: false,
                hidden_until: String::new(),
            },
            ranks: HashMap::new(),
            fresh_until,
        }
    }

    #[tokio::test]
    async fn only_boards_past_a_time_boundary_are_refreshed_before_the_safety_net() {
        let live = LiveBoards::default();
        let quick = Duration::from_millis(5);
        live.store(board(1, None), live.token(1), quick);
        live.store(board(2, Some(5_000)), live.token(2), quick);
        live.store(board(3, Some(9_000)), live.token(3), quick);
        assert!(
            live.due_for_refresh(4_999).is_empty(),
            "nothing changed, nothing due"
        );
        assert_eq!(live.due_for_refresh(5_000), [2]);
        let mut due = live.due_for_refresh(10_000);
        due.sort();
        assert_eq!(
            due,
            [2, 3],
            "an unchanged board without a boundary waits for the safety net"
        );
    }

    #[tokio::test]
    async fn a_slow_board_is_served_stale_after_a_change_a_quick_one_is_not() {
        let live = LiveBoards::default();
        live.store(board(1, None), live.token(1), Duration::from_millis(20));
        live.store(board(2, None), live.token(2), Duration::from_secs(12));
        live.invalidate(1);
        live.invalidate(2);
        assert!(live.fresh(1, 0).is_none() && live.fresh(2, 0).is_none());
        assert!(
            live.stale_if_slow(1).is_none(),
            "a quick board is recomputed for the reader"
        );
        assert!(
            live.stale_if_slow(2).is_some(),
            "a slow one is served while it is recomputed"
        );
    }
}
