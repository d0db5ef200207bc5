//! The server under test: the release binary as a child process, and its database.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use cuocthi::server::db::Backend;

use crate::db;
use crate::options::{die, Opts};

pub struct Server {
    pub child: Child,
    pub addr: String,
    pub log: PathBuf,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or_else(|e| die(&format!("no free port: {e}")))
}

pub async fn start_server(opts: &Opts, database_url: &str, log: PathBuf) -> Server {
    let addr = format!("127.0.0.1:{}", free_port());
    let out = std::fs::File::create(&log).unwrap_or_else(|e| die(&format!("{log:?}: {e}")));
    start_server_at(opts, database_url, log, addr, out).await
}

/// Kills the server with SIGKILL (no shutdown of any kind: what a power cut or the OOM
/// killer does) and starts it again on the same address and database, its log appended.
/// Returns how long the new one took to answer `/healthz`.
pub async fn kill_and_restart(opts: &Opts, server: &mut Server, database_url: &str) -> Duration {
    let _ = server.child.kill();
    let _ = server.child.wait();
    let began = std::time::Instant::now();
    let out = std::fs::OpenOptions::new()
        .append(true)
        .open(&server.log)
        .unwrap_or_else(|e| die(&format!("{:?}: {e}", server.log)));
    *server = start_server_at(
        opts,
        database_url,
        server.log.clone(),
        server.addr.clone(),
        out,
    )
    .await;
    began.elapsed()
}

async fn start_server_at(
    opts: &Opts,
    database_url: &str,
    log: PathBuf,
    addr: String,
    out: std::fs::File,
) -> Server {
    let err = out.try_clone().expect("log file");
    let mut cmd = Command::new(&opts.server_bin);
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("DATABASE_URL", database_url)
        .env("CUOCTHI_ADDR", &addr)
        .env("LEPTOS_SITE_ADDR", &addr)
        .env("CUOCTHI_SEED_DEMO", "1")
        // Everyone comes from 127.0.0.1: the per-address limits would refuse most of them.
        .env("CUOCTHI_RATE_LIMITS", "off")
        .env(
            "RUST_LOG",
            std::env::var("RUST_LOG").unwrap_or_else(|_| "info,sqlx=warn".into()),
        )
        .stdin(Stdio::null())
        .stdout(out)
        .stderr(err);
    if let Some(s) = opts.sweep_secs {
        cmd.env("CUOCTHI_SWEEP_SECS", s.to_string());
    }
    let child = cmd.spawn().unwrap_or_else(|e| {
        die(&format!(
            "cannot start {:?}: {e} (build it with scripts/bench)",
            opts.server_bin
        ))
    });
    let mut server = Server { child, addr, log };
    let probe = reqwest::Client::new();
    for _ in 0..300 {
        if let Ok(Some(status)) = server.child.try_wait() {
            die(&format!(
                "the server exited ({status}); see {:?}",
                server.log
            ));
        }
        if let Ok(r) = probe
            .get(format!("http://{}/healthz", server.addr))
            .send()
            .await
        {
            if r.status().is_success() {
                return server;
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let _ = server.child.kill();
    die(&format!(
        "the server did not answer /healthz in 30 s; see {:?}",
        server.log
    ))
}

/// The benchmark's database: a file in the temporary directory, or `cuocthi_bench`.
const PG_DATABASE: &str = "cuocthi_bench";

/// A fresh, empty database for one backend.
pub async fn fresh_database(opts: &Opts, backend: Backend) -> String {
    match backend {
        Backend::Sqlite => {
            let path = std::env::temp_dir().join("cuocthi-bench.db");
            let url = db::sqlite_url(&path);
            db::remove_sqlite(&url);
            url
        }
        Backend::Postgres => db::create_pg_database(&opts.pg_admin, PG_DATABASE, true)
            .await
            .unwrap_or_else(|e| die(&format!("Postgres at {}: {e}", opts.pg_admin))),
    }
}

pub async fn drop_database(opts: &Opts, backend: Backend, url: &str) {
    match backend {
        Backend::Sqlite => db::remove_sqlite(url),
        Backend::Postgres => {
            let _ = db::drop_pg_database(&opts.pg_admin, PG_DATABASE).await;
        }
    }
}
