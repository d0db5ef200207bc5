//! Live leaderboards served from memory. Viewers never query the database. Each round's
//! board is computed once from the database, then every new final attempt moves its person
//! into place (O(log n), `domain::live_ranking`) on every app server: the commit's server
//! applies it at once and, on Postgres, the notification carries the entry to the others
//! (LISTEN/NOTIFY); on SQLite (one process) it is applied in memory. Other changes (a rule,
//! an exclusion, a round edited) make the board stale and it is computed again, as is a
//! board whose prediction's actual value is known (after the close). A periodic check
//! recomputes a board when a time boundary passes (round close, freeze, publication) and,
//! as a safety net for a missed notification, once a minute; a server whose listener
//! reconnects computes every board again.

use std::collections::{BTreeSet, HashMap, VecDeque};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use tokio::sync::{broadcast, mpsc};

use crate::domain::live_ranking::BoardEntry;
use crate::error::AppError;
use crate::model::{Leaderboard, MyRank};
use crate::server::db::Backend;
use crate::server::service::leaderboard::ComputedBoard;
use crate::server::AppState;

/// The Postgres channel that carries changes between app servers.
pub const CHANNEL: &str = "cuocthi_board";
/// How often cached boards are checked for a passed time boundary.
const REFRESH_EVERY: Duration = Duration::from_secs(10);
/// How old a board may grow without any change before it is computed again anyway (a
/// safety net for a change nobody announced). A board that is slow to compute waits longer:
/// the net never takes more than a sixtieth of a core.
const SAFETY_NET: Duration = Duration::from_secs(60);
/// A board whose last computation took this long is served stale while the next one is
/// computed in the background, so viewers never wait seconds for a million entries to be
/// ranked. Smaller boards are computed while the reader waits.
const SLOW: Duration = Duration::from_secs(1);
/// How long entries are kept to be applied again to a board computed meanwhile.
const KEEP_RECENT: Duration = Duration::from_secs(120);

/// A round's board in memory: the ranking, which entries move through, and the board as
/// last shown.
pub struct Slot {
    computed: RwLock<ComputedBoard>,
    /// Fixed when the board is computed: read by every viewer without touching the ranking.
    fresh_until: Option<i64>,
    /// The board as viewers see it; None once an entry changed the ranking.
    shown: RwLock<Option<Arc<Leaderboard>>>,
    /// An entry changed the board since the streams were last told.
    unannounced: AtomicBool,
}

impl Slot {
    fn new(computed: ComputedBoard) -> Self {
        Self {
            fresh_until: computed.fresh_until,
            computed: RwLock::new(computed),
            shown: RwLock::new(None),
            unannounced: AtomicBool::new(false),
        }
    }

    /// The board as viewers see it (built once per change; viewers share it).
    pub fn board(&self) -> Arc<Leaderboard> {
        if let Some(b) = &*self.shown.read().unwrap_or_else(|e| e.into_inner()) {
            return b.clone();
        }
        let mut shown = self.shown.write().unwrap_or_else(|e| e.into_inner());
        if let Some(b) = &*shown {
            return b.clone(); // built by another viewer meanwhile
        }
        let b = Arc::new(
            self.computed
                .read()
                .unwrap_or_else(|e| e.into_inner())
                .snapshot(),
        );
        *shown = Some(b.clone());
        b
    }

    pub fn my_rank(&self, user_id: i64) -> Option<MyRank> {
        self.computed
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .my_rank(user_id)
    }

    fn fresh_until(&self) -> Option<i64> {
        self.fresh_until
    }

    /// Moves a final attempt into place. None when this board cannot take entries one by
    /// one (it must be computed again); otherwise whether it changed.
    fn apply(&self, entry: BoardEntry, attempts: u32) -> Option<bool> {
        let changed = {
            let mut c = self.computed.write().unwrap_or_else(|e| e.into_inner());
            if !c.incremental() {
                return None;
            }
            c.apply(entry, attempts)
        };
        if changed {
            *self.shown.write().unwrap_or_else(|e| e.into_inner()) = None;
            self.unannounced.store(true, Ordering::Release);
        }
        Some(changed)
    }
}

type Cached = Arc<Slot>;

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
    entries: HashMap<i64, (Cached, Token, Instant, Duration)>,
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

/// An entry as received: when, the entry and its person's final attempts.
type Recent = (Instant, BoardEntry, u32);

struct Inner {
    boards: RwLock<Boards>,
    /// Entries received lately, per round: a board computed while they arrived may have read
    /// the database before their commit, so they are applied to it again once it is stored
    /// (applying an entry twice changes nothing).
    recent: Mutex<HashMap<i64, VecDeque<Recent>>>,
    /// Rounds whose board must be recomputed, or whose streams must hear of a change.
    dirty: mpsc::UnboundedSender<i64>,
    dirty_rx: Mutex<Option<mpsc::UnboundedReceiver<i64>>>,
    /// Rounds whose board changed (for the SSE streams).
    changed: broadcast::Sender<i64>,
    /// One computation per round at a time: readers that find the board stale while it is
    /// being computed wait for that result instead of starting their own.
    computing: Mutex<HashMap<i64, Arc<tokio::sync::Mutex<()>>>>,
    /// Boards computed since start (for tests and the logs).
    computations: std::sync::atomic::AtomicU64,
    /// Entries moved into place since start.
    applied: std::sync::atomic::AtomicU64,
    /// The Postgres listener is connected (it computes every board again when it connects).
    listening: AtomicBool,
    /// Names this server in its notifications, so it skips its own when they come back:
    /// it applied the change already.
    origin: String,
}

impl Default for LiveBoards {
    fn default() -> Self {
        let (dirty, dirty_rx) = mpsc::unbounded_channel();
        let (changed, _) = broadcast::channel(256);
        Self {
            inner: Arc::new(Inner {
                boards: RwLock::new(Boards::default()),
                recent: Default::default(),
                dirty,
                dirty_rx: Mutex::new(Some(dirty_rx)),
                changed,
                computing: Default::default(),
                computations: Default::default(),
                applied: Default::default(),
                listening: Default::default(),
                origin: crate::server::session::new_token()[..12].to_string(),
            }),
        }
    }
}

impl LiveBoards {
    /// The latest board of a round, current or not (for the streams).
    pub fn cached(&self, round_id: i64) -> Option<Arc<Leaderboard>> {
        self.slot(round_id).map(|s| s.board())
    }

    fn slot(&self, round_id: i64) -> Option<Cached> {
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

    /// Rounds whose board has passed its time boundary, or is older than its safety net.
    fn due_for_refresh(&self, now_ms: i64) -> Vec<i64> {
        self.inner
            .boards
            .read()
            .map(|b| {
                b.entries
                    .iter()
                    .filter(|(_, (slot, _, stored, cost))| {
                        slot.fresh_until().is_some_and(|t| now_ms >= t)
                            || stored.elapsed() >= SAFETY_NET.max(*cost * 60)
                    })
                    .map(|(r, _)| *r)
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The cached board if no change came after it and it is still right at `now_ms`.
    fn fresh(&self, round_id: i64, now_ms: i64) -> Option<Cached> {
        let boards = self.inner.boards.read().ok()?;
        let (slot, token, _, _) = boards.entries.get(&round_id)?;
        (*token == boards.token(round_id) && slot.fresh_until().is_none_or(|t| now_ms < t))
            .then(|| slot.clone())
    }

    /// The cached board, stale or not, if computing it is slow (see `SLOW`).
    fn stale_if_slow(&self, round_id: i64) -> Option<Cached> {
        let boards = self.inner.boards.read().ok()?;
        let (slot, _, _, cost) = boards.entries.get(&round_id)?;
        (*cost >= SLOW).then(|| slot.clone())
    }

    /// Keeps a computed board unless a newer one is already there, then applies to it the
    /// entries that arrived since `started` (the computation may have missed them).
    fn store(&self, computed: ComputedBoard, token: Token, started: Instant) -> Cached {
        let round_id = computed.head.round_id;
        let slot = Arc::new(Slot::new(computed));
        let late: Vec<Recent> = self
            .inner
            .recent
            .lock()
            .map(|r| {
                r.get(&round_id)
                    .map(|q| {
                        q.iter()
                            // Received before the computation started: committed before
                            // it read the database, so in it (or left out on purpose, as
                            // an entry of someone excluded since).
                            .filter(|(at, _, _)| *at >= started)
                            .cloned()
                            .collect()
                    })
                    .unwrap_or_default()
            })
            .unwrap_or_default();
        for (_, e, n) in late {
            slot.apply(e, n);
        }
        if let Ok(mut boards) = self.inner.boards.write() {
            let (newer, changed) = match boards.entries.get(&round_id) {
                // An entry applied to the old board but not yet announced is news too.
                Some((old, old_token, _, _)) => (
                    *old_token > token,
                    old.unannounced.load(Ordering::Acquire) || *old.board() != *slot.board(),
                ),
                None => (false, true),
            };
            if !newer {
                boards.entries.insert(
                    round_id,
                    (slot.clone(), token, Instant::now(), started.elapsed()),
                );
                slot.unannounced.store(false, Ordering::Release);
                if changed {
                    let _ = self.inner.changed.send(round_id);
                }
            }
        }
        slot
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
        self.inner.computations.load(Ordering::Relaxed)
    }

    /// How many entries this server moved into place on a board since it started.
    pub fn applied(&self) -> u64 {
        self.inner.applied.load(Ordering::Relaxed)
    }

    /// Whether this server hears other servers' changes (Postgres; always false on SQLite).
    pub fn listening(&self) -> bool {
        self.inner.listening.load(Ordering::Acquire)
    }

    fn counted(&self) {
        self.inner.computations.fetch_add(1, Ordering::Relaxed);
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

    /// A new final attempt: moved into place on the round's board when it is in memory and
    /// can take it; otherwise the board is computed again. Kept a while in case a
    /// computation under way read the database before it.
    pub fn apply_entry(&self, round_id: i64, entry: BoardEntry, attempts: u32) {
        if let Ok(mut recent) = self.inner.recent.lock() {
            let q = recent.entry(round_id).or_default();
            let now = Instant::now();
            while q
                .front()
                .is_some_and(|(at, _, _)| now.duration_since(*at) > KEEP_RECENT)
            {
                q.pop_front();
            }
            q.push_back((now, entry.clone(), attempts));
        }
        let Some(slot) = self.slot(round_id) else {
            return; // computed from the database, this entry included, when first read
        };
        match slot.apply(entry, attempts) {
            None => self.invalidate(round_id),
            Some(true) => {
                self.inner.applied.fetch_add(1, Ordering::Relaxed);
                self.mark_dirty(round_id);
            }
            Some(false) => {}
        }
    }

    fn apply(&self, change: Change) {
        match change {
            Change::Round(r) => self.invalidate(r),
            Change::All => self.invalidate_all(),
            Change::Entry(r, e) => self.apply_entry(r, e.0, e.1),
        }
    }
}

/// What changed, as carried in a notification's payload: "17" (round 17), "*" (everything),
/// or "E " and a final attempt as JSON.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    Round(i64),
    All,
    Entry(i64, Box<(BoardEntry, u32)>),
}

#[derive(serde::Serialize, serde::Deserialize)]
struct EntryPayload {
    round: i64,
    entry: BoardEntry,
    attempts: u32,
}

impl Change {
    fn payload(&self) -> String {
        match self {
            Change::Round(r) => r.to_string(),
            Change::All => "*".into(),
            Change::Entry(r, e) => {
                let p = EntryPayload {
                    round: *r,
                    entry: e.0.clone(),
                    attempts: e.1,
                };
                match serde_json::to_string(&p) {
                    Ok(json) => format!("E {json}"),
                    Err(_) => r.to_string(),
                }
            }
        }
    }

    fn parse(payload: &str) -> Option<Self> {
        match payload {
            "*" => Some(Change::All),
            p if p.starts_with("E ") => {
                let e: EntryPayload = serde_json::from_str(&p[2..]).ok()?;
                Some(Change::Entry(e.round, Box::new((e.entry, e.attempts))))
            }
            r => r.parse().ok().map(Change::Round),
        }
    }
}

/// The round's board from memory, computed on first use and after each change that entries
/// cannot express. However many viewers find it stale at once, it is computed once: the
/// others wait for that result.
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
    let started = Instant::now();
    let computed =
        crate::server::service::leaderboard::compute_round_board(state, round_id).await?;
    state.live.counted();
    Ok(state.live.store(computed, token, started))
}

/// A round's public leaderboard, from memory (see `server::live`).
pub async fn round_board(state: &AppState, round_id: i64) -> Result<Leaderboard, AppError> {
    Ok((*board(state, round_id).await?.board()).clone())
}

/// The viewer's own place on a round's board, from memory.
pub async fn my_rank(
    state: &AppState,
    round_id: i64,
    user_id: i64,
) -> Result<Option<MyRank>, AppError> {
    Ok(board(state, round_id).await?.my_rank(user_id))
}

/// Says, after a commit, that a round's results changed in a way entries cannot express
/// (an entry set aside, the round edited): every app server computes its board again.
pub async fn touched(state: &AppState, round_id: i64) {
    announce(state, Change::Round(round_id)).await;
}

/// Says, after a commit, that every board may have changed (rules, exclusions).
pub async fn touched_all(state: &AppState) {
    announce(state, Change::All).await;
}

/// Says, after its commit, that an attempt became final: every app server moves it into
/// place on the round's board.
pub async fn entry_final(state: &AppState, round_id: i64, attempt_id: i64) {
    match crate::server::service::leaderboard::entry_of_attempt(state, round_id, attempt_id).await {
        Ok(Some((entry, attempts))) => {
            announce(state, Change::Entry(round_id, Box::new((entry, attempts)))).await
        }
        Ok(None) => {} // not a participant's entry: no board shows it
        Err(e) => {
            tracing::warn!(attempt_id, error = %e, "could not read a final attempt for the board; computing it again");
            touched(state, round_id).await;
        }
    }
}

/// `entry_final` for a batch of attempts closed in one commit (the sweeper's round close):
/// their entries read in two queries and sent to the other servers in one notification
/// round trip, instead of three round trips each.
pub async fn entries_final(state: &AppState, closed: &[(i64, i64)]) {
    if closed.is_empty() {
        return;
    }
    let read = async {
        let mut conn = state.db.pool.acquire().await?;
        crate::server::repo::participants::finished_entries_of(&mut conn, closed).await
    };
    match read.await {
        Ok(entries) => {
            let changes = entries
                .into_iter()
                .map(|(round, entry, n)| {
                    let n = n.clamp(1, i64::from(u32::MAX)) as u32;
                    Change::Entry(round, Box::new((entry, n)))
                })
                .collect();
            announce_all(state, changes).await
        }
        Err(e) => {
            tracing::warn!(error = %e, "could not read final attempts for the board; computing their rounds again");
            let mut rounds: Vec<i64> = closed.iter().map(|&(round, _)| round).collect();
            rounds.sort_unstable();
            rounds.dedup();
            announce_all(state, rounds.into_iter().map(Change::Round).collect()).await
        }
    }
}

async fn announce(state: &AppState, change: Change) {
    announce_all(state, vec![change]).await
}

async fn announce_all(state: &AppState, changes: Vec<Change>) {
    let payloads: Vec<String> = if state.db.backend == Backend::Postgres {
        let origin = &state.live.inner.origin;
        changes
            .iter()
            .map(|c| format!("{origin} {}", c.payload()))
            .collect()
    } else {
        Vec::new()
    };
    // This server at once, so the person who made the change sees it in the reply's wake.
    for change in changes {
        state.live.apply(change);
    }
    if payloads.is_empty() {
        return;
    }
    let sent = match state.db.pool.acquire().await {
        Ok(mut conn) => {
            crate::server::repo::notify::pg_notify_all(&mut conn, CHANNEL, &payloads).await
        }
        Err(e) => Err(e),
    };
    if let Err(e) = sent {
        tracing::warn!(error = %e, "board notification failed; other servers refresh within {REFRESH_EVERY:?}");
    }
}

/// The dirty loop's work for a round: tell the streams of entries applied since, or compute
/// the board again if it is stale.
async fn recompute(state: &AppState, round_id: i64) {
    let lock = state.live.computing(round_id);
    let _turn = lock.lock().await;
    let now = crate::server::clock::to_ms(state.clock.now());
    if let Some(slot) = state.live.fresh(round_id, now) {
        if slot.unannounced.swap(false, Ordering::AcqRel) {
            let _ = state.live.inner.changed.send(round_id);
        }
        return;
    }
    let token = state.live.token(round_id);
    let started = Instant::now();
    match crate::server::service::leaderboard::compute_round_board(state, round_id).await {
        Ok(computed) => {
            state.live.counted();
            state.live.store(computed, token, started);
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
    state.live.inner.listening.store(true, Ordering::Release);
    let _listening = ListeningFlag(state.live.clone());
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

/// Clears `listening` when the listener stops, however it stops.
struct ListeningFlag(LiveBoards);

impl Drop for ListeningFlag {
    fn drop(&mut self) {
        self.0.inner.listening.store(false, Ordering::Release);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::awards::{RankRules, TieBreak};
    use crate::domain::live_ranking::LiveRanking;
    use crate::domain::ranking::CountingMode;
    use crate::server::service::leaderboard::BoardHead;

    fn computed(round_id: i64, fresh_until: Option<i64>, actual: Option<i64>) -> ComputedBoard {
        ComputedBoard {
            head: BoardHead {
                round_id,
                round_name: String::new(),
                contest_name: String::new(),
                chain: Vec::new(),
                frozen_since: None,
                hidden: None,
            },
            ranking: LiveRanking::new(
                RankRules {
                    chain: vec![TieBreak::Score, TieBreak::Elapsed],
                    all_correct_only: false,
                    prediction_actual: actual,
                },
                CountingMode::Best,
                BTreeSet::new(),
            ),
            fresh_until,
        }
    }

    fn board(round_id: i64, fresh_until: Option<i64>) -> ComputedBoard {
        computed(round_id, fresh_until, None)
    }

    fn took(d: Duration) -> Instant {
        Instant::now() - d
    }

    fn entry(attempt_id: i64, user_id: i64, score: i64) -> BoardEntry {
        BoardEntry {
            attempt_id,
            user_id,
            registered_at: 0,
            prediction: None,
            question_count: 10,
            correct_count: score / 10,
            score,
            elapsed_ms: 60_000,
            submitted_at: attempt_id,
            full_name: format!("Người {user_id}"),
            unit_name: "Phường 1".into(),
        }
    }

    #[tokio::test]
    async fn only_boards_past_a_time_boundary_are_refreshed_before_the_safety_net() {
        let live = LiveBoards::default();
        let quick = Duration::from_millis(5);
        live.store(board(1, None), live.token(1), took(quick));
        live.store(board(2, Some(5_000)), live.token(2), took(quick));
        live.store(board(3, Some(9_000)), live.token(3), took(quick));
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
        live.store(
            board(1, None),
            live.token(1),
            took(Duration::from_millis(20)),
        );
        live.store(board(2, None), live.token(2), took(Duration::from_secs(12)));
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

    #[tokio::test]
    async fn entries_move_into_place_without_a_computation_and_reach_a_board_computed_meanwhile() {
        let live = LiveBoards::default();
        // A computation starts and reads the database; entry 1 arrives meanwhile.
        let started = Instant::now();
        live.apply_entry(1, entry(1, 10, 50), 1);
        live.store(board(1, None), live.token(1), started);
        assert_eq!(
            live.cached(1).unwrap().rows.len(),
            1,
            "replayed into the new board"
        );
        live.apply_entry(1, entry(2, 11, 80), 1);
        live.apply_entry(1, entry(2, 11, 80), 1);
        let b = live.cached(1).unwrap();
        assert_eq!(
            b.rows.iter().map(|r| (r.rank, r.score)).collect::<Vec<_>>(),
            [(1, 80), (2, 50)]
        );
        assert!(
            live.fresh(1, 0).is_some(),
            "still fresh: nothing to compute"
        );
        assert_eq!(
            live.applied(),
            1,
            "entry 2 once (entry 1 came with the computation, before any board was there)"
        );
        let slot = live.slot(1).unwrap();
        assert_eq!(slot.my_rank(10).map(|r| r.rank), Some(2));
        // After the close the prediction's actual value is known: computed again instead.
        live.store(computed(1, None, Some(3)), live.token(1), Instant::now());
        live.apply_entry(1, entry(3, 12, 90), 1);
        assert!(
            live.fresh(1, 0).is_none(),
            "a board after the close is recomputed"
        );
    }

    #[test]
    fn a_change_survives_its_notification() {
        for change in [
            Change::Round(17),
            Change::All,
            Change::Entry(4, Box::new((entry(9, 3, 70), 2))),
        ] {
            assert_eq!(Change::parse(&change.payload()), Some(change.clone()));
        }
        assert_eq!(Change::parse("E {not json"), None);
    }
}
