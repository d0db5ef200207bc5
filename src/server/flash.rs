//! What a plain form post leaves for the page it returns to (the error, and the fields to
//! fill in again) travels in a short-lived, signed, HttpOnly cookie: never in the URL, where a
//! link could put any text on the site's pages, and where a phone number or citizen ID would
//! stay in the browser history and the proxies' logs.
//!
//! The cookie is `base64(JSON) "." base64(HMAC-SHA256)` under a key every app server of the
//! installation shares (kept in `installation_secrets`). A page reads it once and clears it.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::error::AppError;
use crate::model::Flash;

pub const COOKIE_NAME: &str = "cuocthi_flash";
/// Long enough for a redirect on a slow phone network, short enough to never resurface.
pub const LIFETIME_SECS: i64 = 120;
/// A cookie stays well under browsers' 4 KB; a longer error travels as its one-line message.
const MAX_COOKIE_BYTES: usize = 3000;

/// The installation's signing key.
#[derive(Clone)]
pub struct FlashKey([u8; 32]);

impl FlashKey {
    pub fn from_secret(secret: &str) -> FlashKey {
        FlashKey(Sha256::digest(secret.as_bytes()).into())
    }

    /// A short proof that this installation wrote `value` for `purpose`.
    pub fn sign(&self, purpose: &str, value: &str) -> String {
        URL_SAFE_NO_PAD.encode(&self.mac(format!("{purpose}:{value}").as_bytes())[..18])
    }

    fn mac(&self, message: &[u8]) -> [u8; 32] {
        // HMAC-SHA256 (RFC 2104) with a 32-byte key.
        let mut inner_pad = [0x36u8; 64];
        let mut outer_pad = [0x5cu8; 64];
        for (i, k) in self.0.iter().enumerate() {
            inner_pad[i] ^= k;
            outer_pad[i] ^= k;
        }
        let inner = Sha256::new()
            .chain_update(inner_pad)
            .chain_update(message)
            .finalize();
        Sha256::new()
            .chain_update(outer_pad)
            .chain_update(inner)
            .finalize()
            .into()
    }
}

/// A new random secret for an installation.
pub fn new_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// The signed cookie value for `flash`, shortened when its error is too long for a cookie.
pub fn encode(key: &FlashKey, flash: &Flash) -> String {
    let sign = |f: &Flash| {
        let body = URL_SAFE_NO_PAD.encode(serde_json::to_vec(f).unwrap_or_default());
        let mac = URL_SAFE_NO_PAD.encode(key.mac(body.as_bytes()));
        format!("{body}.{mac}")
    };
    let value = sign(flash);
    if value.len() <= MAX_COOKIE_BYTES {
        return value;
    }
    let short = Flash {
        error: flash
            .error
            .as_ref()
            .map(|e| AppError::BadRequest(e.user_message().chars().take(300).collect::<String>())),
        fields: Vec::new(),
        expires_at: flash.expires_at,
    };
    sign(&short)
}

/// The flash in a cookie value, if its signature holds and it has not expired.
pub fn decode(key: &FlashKey, value: &str, now_ms: i64) -> Option<Flash> {
    let (body, mac) = value.split_once('.')?;
    let given = URL_SAFE_NO_PAD.decode(mac).ok()?;
    let expected = key.mac(body.as_bytes());
    // Constant time: the comparison does not tell how much of a forged MAC was right.
    if given.len() != expected.len()
        || given
            .iter()
            .zip(expected.iter())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            != 0
    {
        return None;
    }
    let flash: Flash = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(body).ok()?).ok()?;
    (flash.expires_at > now_ms).then_some(flash)
}

pub fn set_cookie(value: &str) -> String {
    format!(
        "{COOKIE_NAME}={value}; Path=/; Max-Age={LIFETIME_SECS}; HttpOnly; Secure; {}",
        crate::server::session::same_site()
    )
}

pub fn clear_cookie() -> String {
    format!(
        "{COOKIE_NAME}=; Path=/; Max-Age=0; HttpOnly; Secure; {}",
        crate::server::session::same_site()
    )
}

/// The flash cookie's value in a `Cookie` request header, if any.
pub fn from_cookie_header(header: &str) -> Option<&str> {
    header
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE_NAME)
        .map(|(_, value)| value)
        .filter(|v| !v.is_empty())
}

/// The `Set-Cookie` value carrying `error` (and the fields to fill in again) to the next page.
pub fn cookie_for(
    key: &FlashKey,
    error: AppError,
    fields: Vec<(String, String)>,
    now_ms: i64,
) -> String {
    set_cookie(&encode(
        key,
        &Flash {
            error: Some(error),
            fields,
            expires_at: now_ms + LIFETIME_SECS * 1000,
        },
    ))
}

/// A redirect to `to` that carries `error` to that page (for handlers outside server
/// functions: the file uploads).
pub fn redirect_with_error(
    state: &crate::server::AppState,
    to: &str,
    error: AppError,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let now = crate::server::clock::to_ms(state.clock.now());
    let cookie = cookie_for(&state.flash_key, error, Vec::new(), now);
    (
        [(http::header::SET_COOKIE, cookie)],
        axum::response::Redirect::to(to),
    )
        .into_response()
}

/// The installation's key: created once by whichever server starts first, then shared.
pub async fn load_key(db: &crate::server::db::Db) -> Result<FlashKey, sqlx::Error> {
    let mut conn = db.pool.acquire().await?;
    let secret =
        crate::server::repo::installation::secret(&mut conn, "flash", &new_secret()).await?;
    Ok(FlashKey::from_secret(&secret))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flash(exp: i64) -> Flash {
        Flash {
            error: Some(AppError::BadRequest("Sai.".into())),
            fields: vec![("ho_ten".into(), "Nguyễn Văn A".into())],
            expires_at: exp,
        }
    }

    #[test]
    fn a_signed_flash_reads_back_until_it_expires() {
        let key = FlashKey::from_secret("k");
        let value = encode(&key, &flash(1000));
        assert_eq!(decode(&key, &value, 999), Some(flash(1000)));
        assert_eq!(decode(&key, &value, 1000), None, "expired");
        assert_eq!(decode(&FlashKey::from_secret("other"), &value, 0), None);
    }

    #[test]
    fn a_forged_or_altered_flash_is_ignored() {
        let key = FlashKey::from_secret("k");
        let value = encode(&key, &flash(1000));
        let (body, mac) = value.split_once('.').unwrap();
        let forged = Flash {
            error: Some(AppError::BadRequest(
                "Tài khoản bị khoá. Gọi 0999999999".into(),
            )),
            ..flash(1000)
        };
        let forged_body = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&forged).unwrap());
        for bad in [
            format!("{forged_body}.{mac}"),
            format!("{body}.{}", &mac[1..]),
            format!("{body}."),
            body.to_string(),
            String::new(),
            "..".into(),
        ] {
            assert_eq!(decode(&key, &bad, 0), None, "{bad}");
        }
    }

    #[test]
    fn a_long_error_is_shortened_to_fit_a_cookie() {
        let key = FlashKey::from_secret("k");
        let long = Flash {
            error: Some(AppError::BadRequest("x".repeat(10_000))),
            fields: Vec::new(),
            expires_at: 5,
        };
        let value = encode(&key, &long);
        assert!(value.len() <= MAX_COOKIE_BYTES);
        let back = decode(&key, &value, 0).unwrap();
        assert_eq!(back.error.unwrap().user_message().chars().count(), 300);
    }

    #[test]
    fn the_cookie_is_found_among_others() {
        assert_eq!(
            from_cookie_header("a=1; cuocthi_flash=v.m; b=2"),
            Some("v.m")
        );
        assert_eq!(from_cookie_header("cuocthi_flash="), None);
        assert_eq!(from_cookie_header("x=1"), None);
    }
}
