//! Session tokens: 256 random bits, sent in an HttpOnly, Secure, SameSite cookie;
//! only their SHA-256 is stored.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha256};

pub const COOKIE_NAME: &str = "cuocthi_sid";
pub const SESSION_DAYS: i64 = 30;

pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

pub fn hash_token(token: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(token.as_bytes()))
}

static EMBEDDED: std::sync::OnceLock<bool> = std::sync::OnceLock::new();

/// Called once at start: an installation embedded in a portal's frame sends its cookies as
/// `SameSite=None; Partitioned` (kept per portal by the browser), or the frame could not sign
/// anyone in. Writes stay refused from other sites by `Sec-Fetch-Site` and `Origin`.
pub fn set_embedded(embedded: bool) {
    let _ = EMBEDDED.set(embedded);
}

/// The cookies' `SameSite` attributes.
pub fn same_site() -> &'static str {
    if EMBEDDED.get().copied().unwrap_or(false) {
        "SameSite=None; Partitioned"
    } else {
        "SameSite=Lax"
    }
}

pub fn set_cookie(token: &str) -> String {
    format!(
        "{COOKIE_NAME}={token}; Path=/; Max-Age={}; HttpOnly; Secure; {}",
        SESSION_DAYS * 24 * 3600,
        same_site()
    )
}

pub fn clear_cookie() -> String {
    format!(
        "{COOKIE_NAME}=; Path=/; Max-Age=0; HttpOnly; Secure; {}",
        same_site()
    )
}

/// The cookie by which a browser proves it signed in to an account before (one proof per
/// account, the last few on a shared computer); it names no account.
pub const KNOWN_COOKIE: &str = "cuocthi_known";
const KNOWN_KEEP: usize = 5;

fn known_proofs(header: &str) -> Vec<&str> {
    header
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == KNOWN_COOKIE)
        .map(|(_, v)| {
            v.split('~')
                .filter(|p| !p.is_empty())
                .take(KNOWN_KEEP)
                .collect()
        })
        .unwrap_or_default()
}

/// Whether the request's cookies prove this browser signed in to `account` before.
pub fn is_known_browser(
    key: &crate::server::flash::FlashKey,
    cookies: &str,
    account: &str,
) -> bool {
    let proof = key.sign("known", account);
    known_proofs(cookies).contains(&proof.as_str())
}

/// The `Set-Cookie` that adds `account` to the browser's proofs (a year).
pub fn known_browser_cookie(
    key: &crate::server::flash::FlashKey,
    cookies: &str,
    account: &str,
) -> String {
    let proof = key.sign("known", account);
    let mut proofs: Vec<&str> = vec![proof.as_str()];
    proofs.extend(known_proofs(cookies).into_iter().filter(|p| *p != proof));
    proofs.truncate(KNOWN_KEEP);
    format!(
        "{KNOWN_COOKIE}={}; Path=/; Max-Age={}; HttpOnly; Secure; {}",
        proofs.join("~"),
        365 * 24 * 3600,
        same_site()
    )
}

/// A random id the browser keeps for years, given at registration and login. It says nothing
/// about the person; the plausibility review notices several accounts from one browser.
pub const DEVICE_COOKIE: &str = "cuocthi_dev";

/// The browser's device id from a `Cookie` header, if it has one.
pub fn device_from_cookies(header: &str) -> Option<String> {
    header
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == DEVICE_COOKIE)
        .map(|(_, v)| v.to_string())
        .filter(|v| !v.is_empty() && v.len() <= 64)
}

/// The `Set-Cookie` giving a browser its device id (kept if it has one).
pub fn device_cookie(existing: Option<&str>) -> String {
    let id = existing
        .map(str::to_string)
        .unwrap_or_else(|| new_token()[..22].to_string());
    format!(
        "{DEVICE_COOKIE}={id}; Path=/; Max-Age={}; HttpOnly; Secure; {}",
        5 * 365 * 24 * 3600,
        same_site()
    )
}

/// The session token from a `Cookie` request header, if any.
pub fn token_from_cookie_header(header: &str) -> Option<&str> {
    header
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE_NAME)
        .map(|(_, value)| value)
        .filter(|v| !v.is_empty() && v.len() <= 128)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_unique_and_long() {
        let a = new_token();
        assert_ne!(a, new_token());
        assert!(a.len() >= 43, "256 bits in base64");
        assert_ne!(hash_token(&a), a);
    }

    #[test]
    fn cookie_parsing() {
        assert_eq!(
            token_from_cookie_header("a=1; cuocthi_sid=abc; b=2"),
            Some("abc")
        );
        assert_eq!(token_from_cookie_header("cuocthi_sid="), None);
        assert_eq!(token_from_cookie_header("other=1"), None);
        let c = set_cookie("t");
        assert!(c.contains("HttpOnly") && c.contains("Secure") && c.contains("SameSite=Lax"));
    }
}
