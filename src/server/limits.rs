//! Rate limits on what an attacker or a runaway client would repeat: logins (per address and
//! per account), registrations (per address) and attempt starts (per session). In memory, per
//! server process; the buckets are the pure ones in `domain::limits`.
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

use crate::domain::limits::{Bucket, Failures, Rule, FORGET_AFTER_MS};
use crate::server::clock::to_ms;
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
        }
    }

    /// Seconds before a login to `account` from `place` is heard, if it must wait: the
    /// failures from that place, and for a stranger's place the account's limit too.
    pub fn login_wait(&self, account: &str, place: &Place, now_ms: i64) -> Option<u64> {
        if !self.enabled {
            return None;
        }
        let own = self
            .login_failures
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&(account.to_string(), place.key()))
            .map(|f| f.wait_ms(now_ms))
            .unwrap_or(0);
        let shared = match place {
            Place::KnownBrowser => 0,
            Place::Address(_) => {
                let kind = Kind::LoginToAccountFromStrangers;
                self.buckets
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .get(&(kind, account.to_string()))
                    .map(|b| b.peek(kind.rule(), now_ms).err().unwrap_or(0))
                    .unwrap_or(0)
            }
        };
        let wait = own.max(shared);
        (wait > 0).then(|| (wait as u64).div_ceil(1000))
    }

    /// Counts a failed login to `account` from `place`.
    pub fn login_failed(&self, account: &str, place: &Place, now_ms: i64) {
        if !self.enabled {
            return;
        }
        {
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
        if let Place::Address(_) = place {
            let _ = self.check(Kind::LoginToAccountFromStrangers, account, now_ms);
        }
    }

    /// A successful login clears that place's failures.
    pub fn login_succeeded(&self, account: &str, place: &Place) {
        self.login_failures
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&(account.to_string(), place.key()));
    }

    /// The limit a request path falls under, if any.
    pub fn kind_of(&self, path: &str) -> Option<Kind> {
        self.routes
            .iter()
            .find_map(|(p, kind)| (*p == path).then_some(*kind))
    }

    /// Spends one request for `key`, or returns the seconds to wait.
    pub fn check(&self, kind: Kind, key: &str, now_ms: i64) -> Result<(), u64> {
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

fn trust_proxy() -> bool {
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
            if let Err(wait) = state.limits.check(kind, &key, to_ms(state.clock.now())) {
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

    #[test]
    fn guesses_spread_over_addresses_stall_but_never_the_owners_browser() {
        let limiter = Limiter::new(true, Vec::new());
        let account = "0912345678";
        let now = 1_000_000;
        // One failure from each of 30 addresses: none of them reaches its own wait...
        for i in 0..30 {
            let place = Place::Address(format!("10.0.0.{i}"));
            assert_eq!(
                limiter.login_wait(account, &place, now),
                None,
                "address {i}"
            );
            limiter.login_failed(account, &place, now);
        }
        // ...but the account's limit for strangers is spent: a new address waits,
        let fresh = Place::Address("10.0.1.1".into());
        let wait = limiter.login_wait(account, &fresh, now).expect("a wait");
        assert!((1..=30).contains(&wait), "{wait} s");
        // the owner's browser does not, and another account is untouched.
        assert_eq!(limiter.login_wait(account, &Place::KnownBrowser, now), None);
        assert_eq!(limiter.login_wait("0987654321", &fresh, now), None);
        // The wait ends as the limit refills.
        assert_eq!(limiter.login_wait(account, &fresh, now + 30_000), None);
    }

    #[test]
    fn a_success_clears_its_place_only() {
        let limiter = Limiter::new(true, Vec::new());
        let (a, b) = (Place::Address("a".into()), Place::Address("b".into()));
        for _ in 0..5 {
            limiter.login_failed("x", &a, 0);
            limiter.login_failed("x", &b, 0);
        }
        assert_eq!(limiter.login_wait("x", &a, 0), Some(30));
        limiter.login_succeeded("x", &a);
        assert_eq!(limiter.login_wait("x", &a, 0), None);
        assert_eq!(limiter.login_wait("x", &b, 0), Some(30));
    }
}
