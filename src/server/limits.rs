//! Rate limits on what an attacker or a runaway client would repeat: logins (per address and
//! per account), registrations (per address) and attempt starts (per session). On Postgres the
//! state is in the database, so a limit holds across every app server sharing it; on SQLite
//! (one server) it is in memory. The buckets are the pure ones in `domain::limits`.
//!
//! The per-address limits are generous on purpose: a whole ward office may sit behind one
//! address and register on the same morning. The per-account login limit is what stops
//! password guessing; Argon2's bounded pool keeps a login storm from starving other work.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};

use axum::extract::{ConnectInfo, Request};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::{header, HeaderValue, StatusCode};

use sqlx::AnyPool;

use crate::domain::limits::{Bucket, Failures, Rule, FORGET_AFTER_MS};
use crate::server::clock::to_ms;
use crate::server::repo::limits as repo;
use crate::server::AppState;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    LoginFromAddress,
    /// Failed logins to one account from places it was never signed in from, whatever the
    /// address: what stops guessing spread over many addresses. The owner's own browser is
    /// not held back by it (see `Limiter::login_wait`).
    LoginToAccountFromStrangers,
    RegisterFromAddress,
    StartBySession,
    /// Refusals written to the audit log per address (the rest are only counted in logs).
    AuditRefusals,
}

impl Kind {
    /// The name its shared state is stored under.
    fn name(self) -> &'static str {
        match self {
            Kind::LoginFromAddress => "login_address",
            Kind::LoginToAccountFromStrangers => "login_account",
            Kind::RegisterFromAddress => "register_address",
            Kind::StartBySession => "start_session",
            Kind::AuditRefusals => "audit_refusals",
        }
    }

    pub fn rule(self) -> Rule {
        match self {
            Kind::LoginFromAddress => Rule::per_minute(120),
            Kind::LoginToAccountFromStrangers => Rule {
                capacity: 30,
                window_ms: 15 * 60_000,
            },
            Kind::RegisterFromAddress => Rule::per_minute(60),
            Kind::StartBySession => Rule::per_minute(10),
            Kind::AuditRefusals => Rule::per_minute(30),
        }
    }
}

/// Buckets by kind and key. Disabled (everything passes) when the server runs with
/// `CUOCTHI_RATE_LIMITS=off`, as the load benchmark does from one address.
#[derive(Clone)]
pub struct Limiter {
    enabled: bool,
    buckets: Arc<Mutex<HashMap<(Kind, String), Bucket>>>,
    routes: Arc<[(&'static str, Kind)]>,
    /// Failed logins by (account, place).
    login_failures: Arc<Mutex<HashMap<(String, String), Failures>>>,
    /// Where the state lives when several servers share it (Postgres); memory when `None`.
    shared: Option<AnyPool>,
}

/// Where a login try comes from: a browser that proved it signed in to the account before,
/// or an address.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Place {
    KnownBrowser,
    Address(String),
}

impl Place {
    fn key(&self) -> String {
        match self {
            Place::KnownBrowser => "browser".into(),
            Place::Address(ip) => format!("ip:{ip}"),
        }
    }
}

impl Default for Limiter {
    fn default() -> Self {
        Limiter::new(true, Vec::new())
    }
}

/// Forget full buckets once this many keys are held.
const PRUNE_AT: usize = 50_000;

impl Limiter {
    /// `routes`: the paths under a limit (see `api::rate_limited`).
    pub fn new(enabled: bool, routes: Vec<(&'static str, Kind)>) -> Self {
        Limiter {
            enabled,
            buckets: Arc::default(),
            routes: routes.into(),
            login_failures: Arc::default(),
            shared: None,
        }
    }

    /// Keeps the state in the database `pool` names, shared by every server using it.
    pub fn shared_in(mut self, pool: AnyPool) -> Self {
        self.shared = Some(pool);
        self
    }

    /// Seconds before a login to `account` from `place` is heard, if it must wait: the
    /// failures from that place, and for a stranger's place the account's limit too.
    pub async fn login_wait(&self, account: &str, place: &Place, now_ms: i64) -> Option<u64> {
        if !self.enabled {
            return None;
        }
        let kind = Kind::LoginToAccountFromStrangers;
        let stranger = matches!(place, Place::Address(_));
        let (failures, bucket) = match &self.shared {
            None => (
                self.login_failures
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .get(&(account.to_string(), place.key()))
                    .copied(),
                self.buckets
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .get(&(kind, account.to_string()))
                    .copied(),
            ),
            Some(pool) => {
                let read = async {
                    let mut conn = pool.acquire().await?;
                    let f = repo::failures(&mut conn, account, &place.key()).await?;
                    let b = repo::bucket(&mut conn, kind.name(), account).await?;
                    Ok::<_, sqlx::Error>((f, b))
                };
                match read.await {
                    Ok((f, b)) => (
                        f.map(|(count, last_ms)| Failures {
                            count: u32::try_from(count).unwrap_or(u32::MAX),
                            last_ms,
                        }),
                        b.map(Bucket::from_parts),
                    ),
                    Err(e) => {
                        tracing::warn!(error = %e, "shared rate limits unreadable; not held back");
                        (None, None)
                    }
                }
            }
        };
        let own = failures.map_or(0, |f| f.wait_ms(now_ms));
        let shared = bucket
            .filter(|_| stranger)
            .map_or(0, |b| b.peek(kind.rule(), now_ms).err().unwrap_or(0));
        let wait = own.max(shared);
        (wait > 0).then(|| (wait as u64).div_ceil(1000))
    }

    /// Counts a failed login to `account` from `place`.
    pub async fn login_failed(&self, account: &str, place: &Place, now_ms: i64) {
        if !self.enabled {
            return;
        }
        match &self.shared {
            None => {
                let mut map = self
                    .login_failures
                    .lock()
                    .unwrap_or_else(|e| e.into_inner());
                if map.len() >= PRUNE_AT {
                    map.retain(|_, f| now_ms - f.last_ms <= FORGET_AFTER_MS);
                }
                map.entry((account.to_string(), place.key()))
                    .or_default()
                    .record(now_ms);
            }
            Some(pool) => {
                let write = async {
                    let mut tx = pool.begin().await?;
                    let (count, last_ms) =
                        repo::failures_for_update(&mut tx, account, &place.key()).await?;
                    let mut f = Failures {
                        count: u32::try_from(count).unwrap_or(u32::MAX),
                        last_ms,
                    };
                    f.record(now_ms);
                    repo::set_failures(
                        &mut tx,
                        account,
                        &place.key(),
                        i64::from(f.count),
                        f.last_ms,
                    )
                    .await?;
                    tx.commit().await
                };
                if let Err(e) = write.await {
                    tracing::warn!(error = %e, "failed login not counted in the shared limits");
                }
            }
        }
        if let Place::Address(_) = place {
            let _ = self
                .check(Kind::LoginToAccountFromStrangers, account, now_ms)
                .await;
        }
    }

    /// A successful login clears that place's failures.
    pub async fn login_succeeded(&self, account: &str, place: &Place) {
        match &self.shared {
            None => {
                self.login_failures
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .remove(&(account.to_string(), place.key()));
            }
            Some(pool) => {
                let clear = async {
                    let mut conn = pool.acquire().await?;
                    repo::clear_failures(&mut conn, account, &place.key()).await
                };
                if let Err(e) = clear.await {
                    tracing::warn!(error = %e, "failed logins not cleared in the shared limits");
                }
            }
        }
    }

    /// The limit a request path falls under, if any.
    pub fn kind_of(&self, path: &str) -> Option<Kind> {
        self.routes
            .iter()
            .find_map(|(p, kind)| (*p == path).then_some(*kind))
    }

    /// Spends one request for `key`, or returns the seconds to wait: in the shared state when
    /// there is one (a database that cannot be reached lets the request through, logged).
    pub async fn check(&self, kind: Kind, key: &str, now_ms: i64) -> Result<(), u64> {
        let Some(pool) = self.shared.as_ref().filter(|_| self.enabled) else {
            return self.check_here(kind, key, now_ms);
        };
        let rule = kind.rule();
        let spend = async {
            let mut tx = pool.begin().await?;
            let stored = repo::bucket_for_update(
                &mut tx,
                kind.name(),
                key,
                Bucket::full_level(rule),
                now_ms,
            )
            .await?;
            let mut bucket = Bucket::from_parts(stored);
            let taken = bucket.take(rule, now_ms);
            let (level, updated_ms) = bucket.parts();
            repo::set_bucket(&mut tx, kind.name(), key, level, updated_ms).await?;
            tx.commit().await?;
            Ok::<_, sqlx::Error>(taken)
        };
        match spend.await {
            Ok(taken) => taken.map_err(|wait_ms| (wait_ms as u64).div_ceil(1000).max(1)),
            Err(e) => {
                tracing::warn!(error = %e, ?kind, "shared rate limits unreachable; let through");
                Ok(())
            }
        }
    }

    /// Spends one request for `key` in this process's memory (limits that need not be shared,
    /// like how many refusals an address may write to the audit log).
    pub fn check_here(&self, kind: Kind, key: &str, now_ms: i64) -> Result<(), u64> {
        if !self.enabled {
            return Ok(());
        }
        let rule = kind.rule();
        let mut map = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() >= PRUNE_AT {
            map.retain(|(k, _), b| !b.is_full(k.rule(), now_ms));
        }
        map.entry((kind, key.to_string()))
            .or_insert_with(|| Bucket::full(rule, now_ms))
            .take(rule, now_ms)
            .map_err(|wait_ms| (wait_ms as u64).div_ceil(1000).max(1))
    }

    /// Forgets shared state no limit needs any more (the sweeper calls it now and then).
    pub async fn prune_shared(&self, now_ms: i64) -> sqlx::Result<()> {
        let Some(pool) = &self.shared else {
            return Ok(());
        };
        let mut conn = pool.acquire().await?;
        // Every window is at most 15 minutes: a bucket untouched for an hour is full again.
        repo::prune(&mut conn, now_ms - 3_600_000, now_ms - FORGET_AFTER_MS).await
    }
}

/// The client's address: the TCP peer, or with `CUOCTHI_TRUST_PROXY=1` (behind a reverse
/// proxy that sets it) the last address in X-Forwarded-For.
pub fn client_ip(headers: &http::HeaderMap, extensions: &http::Extensions) -> String {
    if trust_proxy() {
        if let Some(ip) = headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit(',').next())
            .and_then(|v| v.trim().parse::<IpAddr>().ok())
        {
            return ip.to_string();
        }
    }
    extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_default()
}

pub fn trust_proxy() -> bool {
    static TRUST: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *TRUST.get_or_init(|| std::env::var("CUOCTHI_TRUST_PROXY").is_ok_and(|v| v == "1"))
}

/// The refusal: 429 with the wait in Retry-After and in words.
pub fn too_many(wait_secs: u64) -> Response {
    let mut res = (
        StatusCode::TOO_MANY_REQUESTS,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        format!(
            "Quá nhiều yêu cầu. Vui lòng thử lại sau {}.",
            crate::domain::limits::wait_words(wait_secs)
        ),
    )
        .into_response();
    if let Ok(v) = HeaderValue::from_str(&wait_secs.to_string()) {
        res.headers_mut().insert(header::RETRY_AFTER, v);
    }
    res
}

/// The per-address and per-session limits, applied before the request reaches its handler
/// (so a refused login costs no password hashing). The per-account login limit needs the
/// phone number from the body and is applied by the login service.
pub async fn limit(
    axum::extract::State(state): axum::extract::State<AppState>,
    req: Request,
    next: Next,
) -> Response {
    if req.method() == http::Method::POST {
        if let Some(kind) = state.limits.kind_of(req.uri().path()) {
            let key = match kind {
                Kind::StartBySession => crate::server::guard::session_token(req.headers())
                    .map(crate::server::session::hash_token)
                    .unwrap_or_else(|| client_ip(req.headers(), req.extensions())),
                _ => client_ip(req.headers(), req.extensions()),
            };
            let now = to_ms(state.clock.now());
            if let Err(wait) = state.limits.check(kind, &key, now).await {
                tracing::warn!(?kind, "rate limited");
                return too_many(wait);
            }
        }
    }
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn guesses_spread_over_addresses_stall_but_never_the_owners_browser() {
        let limiter = Limiter::new(true, Vec::new());
        let account = "0912345678";
        let now = 1_000_000;
        // One failure from each of 30 addresses: none of them reaches its own wait...
        for i in 0..30 {
            let place = Place::Address(format!("10.0.0.{i}"));
            assert_eq!(
                limiter.login_wait(account, &place, now).await,
                None,
                "address {i}"
            );
            limiter.login_failed(account, &place, now).await;
        }
        // ...but the account's limit for strangers is spent: a new address waits,
        let fresh = Place::Address("10.0.1.1".into());
        let wait = limiter
            .login_wait(account, &fresh, now)
            .await
            .expect("a wait");
        assert!((1..=30).contains(&wait), "{wait} s");
        // the owner's browser does not, and another account is untouched.
        assert_eq!(
            limiter.login_wait(account, &Place::KnownBrowser, now).await,
            None
        );
        assert_eq!(limiter.login_wait("0987654321", &fresh, now).await, None);
        // The wait ends as the limit refills.
        assert_eq!(
            limiter.login_wait(account, &fresh, now + 30_000).await,
            None
        );
    }

    #[tokio::test]
    async fn a_success_clears_its_place_only() {
        let limiter = Limiter::new(true, Vec::new());
        let (a, b) = (Place::Address("a".into()), Place::Address("b".into()));
        for _ in 0..5 {
            limiter.login_failed("x", &a, 0).await;
            limiter.login_failed("x", &b, 0).await;
        }
        assert_eq!(limiter.login_wait("x", &a, 0).await, Some(30));
        limiter.login_succeeded("x", &a).await;
        assert_eq!(limiter.login_wait("x", &a, 0).await, None);
        assert_eq!(limiter.login_wait("x", &b, 0).await, Some(30));
    }
}
