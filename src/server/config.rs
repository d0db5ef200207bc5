//! Runtime configuration, read from the environment.

use std::net::SocketAddr;
use std::time::Duration;

#[derive(Clone, Debug)]
pub struct Config {
    /// `sqlite://path/to/file.db` (default) or `postgres://...`.
    pub database_url: String,
    pub addr: SocketAddr,
    /// Create the demo contest when the database is empty (no contest, unit or account).
    pub seed_demo: bool,
    /// How often the server finalizes attempts whose owners never submitted.
    pub sweep_every: Duration,
    /// Largest request body accepted, in bytes.
    pub max_body_bytes: usize,
    /// Rate limits on logins, registrations and starts (`CUOCTHI_RATE_LIMITS=off` turns
    /// them off, for the load benchmark that plays everyone from one address).
    pub rate_limits: bool,
    /// Where initiative-contest files are stored (`CUOCTHI_UPLOAD_DIR`, default `uploads`):
    /// outside the site root, never served as static files.
    pub upload_dir: std::path::PathBuf,
    /// The site is reached over HTTPS only (`CUOCTHI_HTTPS=1`, behind a TLS proxy): browsers
    /// are told to never use plain HTTP for it again (HSTS).
    pub https_only: bool,
    /// How long the audit log keeps entries (`CUOCTHI_AUDIT_DAYS`, default 730: two
    /// contest years).
    pub audit_days: i64,
    /// Sites allowed to show cuocthi in a frame (`CUOCTHI_EMBED_ORIGINS`, space-separated
    /// `https://host` origins, e.g. the province's portal); empty: never framed.
    pub embed_origins: Vec<String>,
    /// Connections the kernel queues before the server accepts them
    /// (`CUOCTHI_LISTEN_BACKLOG`, default 4096): thousands of phones starting in the same
    /// second must wait in line, not see their connection dropped and retried seconds later.
    /// Linux also caps it at `net.core.somaxconn`.
    pub listen_backlog: u32,
}

impl Config {
    /// Checks what can be checked before serving, with a message that says what to fix: the
    /// upload folder must be creatable and writable.
    pub fn check(&self) -> Result<(), String> {
        let dir = &self.upload_dir;
        std::fs::create_dir_all(dir).map_err(|e| {
            format!(
                "CUOCTHI_UPLOAD_DIR={}: cannot create the folder: {e}",
                dir.display()
            )
        })?;
        let probe = dir.join(".cuocthi-write-test");
        std::fs::write(&probe, b"ok").map_err(|e| {
            format!(
                "CUOCTHI_UPLOAD_DIR={}: the folder is not writable: {e}",
                dir.display()
            )
        })?;
        let _ = std::fs::remove_file(probe);
        for origin in &self.embed_origins {
            check_origin(origin)
                .map_err(|why| format!("CUOCTHI_EMBED_ORIGINS: “{origin}” {why}"))?;
        }
        Ok(())
    }

    /// The CSP `frame-ancestors` value: nobody, or this site and the listed portals.
    pub fn frame_ancestors(&self) -> String {
        if self.embed_origins.is_empty() {
            "'none'".into()
        } else {
            format!("'self' {}", self.embed_origins.join(" "))
        }
    }

    pub fn from_env(default_addr: SocketAddr) -> Self {
        let database_url =
            std::env::var("DATABASE_URL").unwrap_or_else(|_| "sqlite://cuocthi.db".to_string());
        let addr = std::env::var("CUOCTHI_ADDR")
            .ok()
            .and_then(|a| a.parse().ok())
            .unwrap_or(default_addr);
        // A production start is empty; `scripts/start` asks for the demo explicitly.
        let seed_demo = std::env::var("CUOCTHI_SEED_DEMO")
            .map(|v| v == "1" || v == "true")
            .unwrap_or(false);
        let sweep_every = Duration::from_secs(
            std::env::var("CUOCTHI_SWEEP_SECS")
                .ok()
                .and_then(|v| v.parse().ok())
                .unwrap_or(10),
        );
        let rate_limits = std::env::var("CUOCTHI_RATE_LIMITS").map_or(true, |v| v != "off");
        Self {
            database_url,
            addr,
            seed_demo,
            sweep_every,
            max_body_bytes: 64 * 1024,
            rate_limits,
            upload_dir: std::env::var_os("CUOCTHI_UPLOAD_DIR")
                .map(Into::into)
                .unwrap_or_else(|| "uploads".into()),
            https_only: std::env::var("CUOCTHI_HTTPS").is_ok_and(|v| v == "1" || v == "true"),
            audit_days: std::env::var("CUOCTHI_AUDIT_DAYS")
                .ok()
                .and_then(|v| v.parse().ok())
                .filter(|d| *d > 0)
                .unwrap_or(730),
            embed_origins: std::env::var("CUOCTHI_EMBED_ORIGINS")
                .unwrap_or_default()
                .split_whitespace()
                .map(str::to_string)
                .collect(),
            listen_backlog: std::env::var("CUOCTHI_LISTEN_BACKLOG")
                .ok()
                .and_then(|v| v.parse().ok())
                .filter(|n| *n > 0)
                .unwrap_or(4096),
        }
    }
}

/// An origin a portal embeds from: `https://host[:port]`, nothing after; `http://` only for
/// this machine (`localhost`, `127.0.0.1`: browsers treat them as secure, for trying it out).
fn check_origin(origin: &str) -> Result<(), &'static str> {
    let loopback = |h: &&str| matches!(h.split(':').next(), Some("localhost" | "127.0.0.1"));
    let host = origin
        .strip_prefix("https://")
        .or_else(|| origin.strip_prefix("http://").filter(loopback))
        .ok_or("must start with https:// (http:// only for localhost or 127.0.0.1)")?;
    let ok = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':'));
    if ok {
        Ok(())
    } else {
        Err("must be an origin such as https://thainguyen.gov.vn (no path, no spaces)")
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn embed_origins_are_checked() {
        for good in [
            "https://thainguyen.gov.vn",
            "https://cong.example.vn:8443",
            "http://localhost:8080",
            "http://127.0.0.1:9000",
        ] {
            assert!(super::check_origin(good).is_ok(), "{good}");
        }
        for bad in [
            "http://x.vn",
            "http://localhost.x.vn",
            "https://",
            "https://x.vn/path",
            "https://x.vn;",
            "*",
            "'self'",
        ] {
            assert!(super::check_origin(bad).is_err(), "{bad}");
        }
    }
}
