//! What the people running an installation rely on: liveness and readiness probes, a
//! graceful stop that answers every save in flight, and a backup taken while the server
//! serves that restores with every acknowledged answer.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use cuocthi::server::clock::Clock;
use cuocthi::server::startup::Application;

use crate::helpers::{database_url, spawn_app, test_app, test_config, Backend, TestApp};
use crate::on_both_backends;

on_both_backends!(
    probes_tell_alive_from_ready,
    metrics_count_requests_saves_and_attempts,
    a_graceful_stop_answers_every_save_in_flight,
);

async fn metrics_count_requests_saves_and_attempts(backend: Backend) {
    let app = spawn_app(backend).await;
    let token = app.participant("0917000301").await;
    let attempt = app.start(&token).await;
    for seq in 0..3 {
        assert_eq!(app.save(attempt, seq, Some(1), &token).await.status, 200);
    }
    app.get(&format!("/khong-co-{}", attempt), None).await;
    app.get(&format!("/bai-thi/{attempt}"), Some(&token)).await;
    app.round_board(app.open_round_id().await).await;
    let m = app.get("/metrics", None).await;
    assert_eq!(m.status, 200);
    assert!(m
        .header("content-type")
        .unwrap()
        .starts_with("text/plain; version=0.0.4"));
    let body = m.body;
    for line in [
        "cuocthi_saves_total 3",
        "cuocthi_attempts_in_progress 1",
        "cuocthi_http_requests_total{route=\"/api/attempt/save\",method=\"POST\",status=\"2xx\"} 3",
        "cuocthi_http_request_duration_seconds_count{route=\"/api/attempt/save\"} 3",
        "cuocthi_board_computation_seconds_count 1",
        "cuocthi_sweeper_backlog 0",
        "cuocthi_board_computation_seconds_bucket{le=\"+Inf\"} 1",
    ] {
        assert!(body.contains(line), "{line} in\n{body}");
    }
    // Pages are counted by their pattern, random paths under one series: no id in a label.
    assert!(
        !body.contains(&format!("/{attempt}\"")) && !body.contains("khong-co"),
        "{body}"
    );
    assert!(body.contains("route=\"/bai-thi"), "{body}");
    assert!(body.contains("cuocthi_db_pool_connections"));
}

async fn probes_tell_alive_from_ready(backend: Backend) {
    let app = spawn_app(backend).await;
    assert_eq!(app.get("/healthz", None).await.body, "ok");
    let ready = app.get("/readyz", None).await;
    assert_eq!((ready.status, ready.body.as_str()), (200, "ok"));
    // A database missing a migration of this build is not ready.
    sqlx::query(
        "DELETE FROM _sqlx_migrations WHERE version = (SELECT MAX(version) FROM _sqlx_migrations)",
    )
    .execute(&app.state.db.pool)
    .await
    .unwrap();
    let ready = app.get("/readyz", None).await;
    assert_eq!(ready.status, 503, "{}", ready.body);
    assert!(ready.body.contains("migrations"), "{}", ready.body);
    assert_eq!(app.get("/healthz", None).await.status, 200, "still alive");
}

/// The saves acknowledged so far: (attempt, question, choice), in order.
type Acks = Arc<Mutex<Vec<(i64, u32, u8)>>>;

/// The last acknowledged choice of each question: (attempt, question) -> choice.
fn last_acked(acks: &[(i64, u32, u8)]) -> std::collections::HashMap<(i64, u32), u8> {
    acks.iter().map(|(a, s, c)| ((*a, *s), *c)).collect()
}

/// `n` participants (phones `prefix` + two digits), each saving in a loop in its own task.
async fn start_savers(
    app: &Arc<TestApp>,
    prefix: &str,
    n: usize,
    acks: &Acks,
) -> Vec<tokio::task::JoinHandle<()>> {
    let mut savers = Vec::new();
    for p in 0..n {
        let token = app.participant(&format!("{prefix}{p:02}")).await;
        let attempt = app.start(&token).await;
        savers.push(tokio::spawn(keep_saving(
            app.clone(),
            token,
            attempt,
            acks.clone(),
        )));
    }
    savers
}

/// One participant saving answers in a loop until the server stops answering.
async fn keep_saving(app: Arc<TestApp>, token: String, attempt: i64, acks: Acks) {
    for i in 0u32.. {
        let (seq, choice) = (i % 20, (i % 4) as u8);
        let body = serde_json::json!({ "attempt_id": attempt, "seq": seq, "choice": choice });
        let sent = app
            .client
            .post(app.url("/api/attempt/save"))
            .header("cookie", format!("cuocthi_sid={token}"))
            .json(&body)
            .send()
            .await;
        match sent {
            Ok(r) if r.status().is_success() => acks.lock().unwrap().push((attempt, seq, choice)),
            // A reply that is not a success is an answer too, never an acknowledgement.
            Ok(r) => assert!(r.status().as_u16() != 500, "a save failed: {}", r.status()),
            Err(_) => return, // the server stopped: this save was never acknowledged
        }
    }
}

async fn a_graceful_stop_answers_every_save_in_flight(backend: Backend) {
    let url = database_url(backend).await;
    let built = Application::build(test_config(url.clone(), true, false), Clock::system())
        .await
        .expect("app builds");
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let state = built.state.clone();
    let addr = built.addr;
    let server = tokio::spawn(built.run_until(async move {
        let _ = stopped.await;
    }));
    let app = Arc::new(test_app(url, addr, state));
    let acks: Acks = Arc::default();
    let savers = start_savers(&app, "09170001", 6, &acks).await;
    tokio::time::sleep(Duration::from_millis(700)).await;
    let before_stop = acks.lock().unwrap().len();
    assert!(before_stop > 20, "the load runs: {before_stop} saves");
    stop.send(()).unwrap();
    let result = tokio::time::timeout(Duration::from_secs(15), server)
        .await
        .expect("stopped within the grace period")
        .unwrap();
    assert!(result.is_ok(), "{result:?}");
    for s in savers {
        tokio::time::timeout(Duration::from_secs(5), s)
            .await
            .unwrap()
            .unwrap();
    }
    // Every acknowledged save is stored: the last acknowledged choice of each question.
    let acks = acks.lock().unwrap().clone();
    for ((attempt, seq), choice) in last_acked(&acks) {
        let stored = crate::helpers::answer_choice_in(&app.state.db.pool, attempt, seq).await;
        assert_eq!(stored, Some(choice), "attempt {attempt}, question {seq}");
    }
    // Stopped means stopped: no new connection is served.
    assert!(reqwest::get(app.url("/healthz")).await.is_err());
}

/// A backup taken while participants save restores, into a fresh server, with every answer
/// acknowledged before the backup began (SQLite; Postgres backs up with `pg_dump`).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_under_load_restores_every_acknowledged_answer() {
    let app = Arc::new(spawn_app(Backend::Sqlite).await);
    let acks: Acks = Arc::default();
    let savers = start_savers(&app, "09170002", 4, &acks).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let dir = std::env::temp_dir().join(format!("cuocthi-backup-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join(format!("{}.db", app.addr.port()));
    let acked_before = acks.lock().unwrap().clone();
    cuocthi::server::backup::backup(&app.state.db, &app.state.upload_dir, &file)
        .await
        .expect("backup while serving");
    tokio::time::sleep(Duration::from_millis(300)).await;
    for s in &savers {
        s.abort();
    }
    assert!(
        acks.lock().unwrap().len() > acked_before.len(),
        "saves went on during and after the backup"
    );
    // A second backup to the same file is refused rather than overwriting it.
    assert!(
        cuocthi::server::backup::backup(&app.state.db, &app.state.upload_dir, &file)
            .await
            .is_err()
    );

    let restored = dir.join(format!("{}-restored.db", app.addr.port()));
    let uploads = dir.join("uploads");
    use cuocthi::server::backup::restore;
    restore(&file, &restored, &uploads, false).expect("restore");
    let refused = restore(&file, &restored, &uploads, false).unwrap_err();
    assert!(
        refused.contains("--force"),
        "never over an existing database: {refused}"
    );
    // Forced: the database there is moved aside, never deleted.
    restore(&file, &restored, &uploads, true).expect("forced restore");
    let aside = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| {
            let name = e.file_name().to_string_lossy().to_string();
            name.starts_with(&format!("{}-restored.db.before-restore-", app.addr.port()))
        })
        .count();
    assert_eq!(aside, 1, "the replaced database is kept beside it");
    // A backup to a place it cannot write fails with the path, and the server goes on.
    let unwritable = std::path::Path::new("/proc/cuocthi-backup.db");
    let err = cuocthi::server::backup::backup(&app.state.db, &app.state.upload_dir, unwritable)
        .await
        .unwrap_err();
    assert!(err.contains("/proc/cuocthi-backup.db"), "{err}");
    assert_eq!(app.get("/readyz", None).await.status, 200);
    let url = format!("sqlite://{}", restored.display());
    let fresh = crate::helpers::spawn_app_on(url).await;
    let last = last_acked(&acked_before);
    assert!(!last.is_empty());
    for ((attempt, seq), choice) in last {
        // Acknowledged before the backup: present (a later save may have changed it since).
        let stored = crate::helpers::answer_choice_in(&fresh.state.db.pool, attempt, seq).await;
        assert!(
            stored.is_some(),
            "attempt {attempt}, question {seq} (acked {choice})"
        );
    }
    assert_eq!(fresh.get("/readyz", None).await.status, 200);
    let _ = std::fs::remove_dir_all(&dir);
}

/// The real binary on a fresh SQLite file and a free port, its output in `log`.
pub(crate) fn start_binary(
    env: &[(&str, &str)],
    log: &std::path::Path,
) -> (std::process::Child, u16) {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let db = std::env::temp_dir().join(format!("cuocthi-bin-{port}.db"));
    let out = std::fs::File::create(log).unwrap();
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_cuocthi"))
        .env("DATABASE_URL", format!("sqlite://{}", db.display()))
        .env("CUOCTHI_ADDR", format!("127.0.0.1:{port}"))
        .env("CUOCTHI_SEED_DEMO", "1")
        .env(
            "CUOCTHI_UPLOAD_DIR",
            std::env::temp_dir().join(format!("cuocthi-bin-{port}-up")),
        )
        .envs(env.iter().copied())
        .stdout(out.try_clone().unwrap())
        .stderr(out)
        .spawn()
        .unwrap();
    (child, port)
}

pub(crate) async fn wait_ready(port: u16) {
    let url = format!("http://127.0.0.1:{port}/readyz");
    for _ in 0..300 {
        if reqwest::get(&url)
            .await
            .is_ok_and(|r| r.status().is_success())
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the server did not come up");
}

/// The session cookie a reply sets, as the `Set-Cookie` header writes it.
pub(crate) fn session_set_cookie(reply: &reqwest::Response) -> String {
    reply
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|c| c.starts_with("cuocthi_sid="))
        .expect("a session cookie")
}

/// SIGTERM, then the exit status (within 15 s).
async fn sigterm(child: &mut std::process::Child) -> std::process::ExitStatus {
    let sent = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    for _ in 0..150 {
        if let Some(s) = child.try_wait().unwrap() {
            return s;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let _ = child.kill();
    panic!("still running 15 s after SIGTERM")
}

/// The real binary stops on SIGTERM and exits 0.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_stops_the_server_with_exit_code_0() {
    let log = std::env::temp_dir().join(format!("cuocthi-sigterm-{}.log", std::process::id()));
    let (mut child, port) = start_binary(&[], &log);
    wait_ready(port).await;
    let status = sigterm(&mut child).await;
    assert_eq!(status.code(), Some(0), "{status:?}");
}

/// An installation embedded in a portal: framed by the portal only, cookies that work in its
/// frame; and logs as JSON lines that carry each request's id.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_portal_may_embed_the_site_and_logs_can_be_json() {
    let log = std::env::temp_dir().join(format!("cuocthi-embed-{}.log", std::process::id()));
    let (mut child, port) = start_binary(
        &[
            ("CUOCTHI_EMBED_ORIGINS", "https://cong.example.vn"),
            ("CUOCTHI_LOG_FORMAT", "json"),
            ("RUST_LOG", "info"),
        ],
        &log,
    );
    wait_ready(port).await;
    let home = reqwest::get(format!("http://127.0.0.1:{port}/"))
        .await
        .unwrap();
    let csp = home.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        csp.contains("frame-ancestors 'self' https://cong.example.vn"),
        "{csp}"
    );
    assert!(home.headers().get("x-frame-options").is_none());
    let unit: i64 = {
        let r = reqwest::Client::new()
            .post(format!("http://127.0.0.1:{port}/api/units"))
            .send()
            .await
            .unwrap();
        r.json::<serde_json::Value>().await.unwrap()[0]["id"]
            .as_i64()
            .unwrap()
    };
    let registered = reqwest::Client::new()
        .post(format!("http://127.0.0.1:{port}/api/auth/register"))
        .form(&crate::helpers::registration(
            "Người Ở Cổng",
            "0917000401",
            unit,
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(registered.status().as_u16(), 200);
    // The registration logs a line ("registered") inside its request's span.
    let id = registered.headers()["x-request-id"]
        .to_str()
        .unwrap()
        .to_string();
    let session = session_set_cookie(&registered);
    assert!(
        session.contains("Secure; SameSite=None; Partitioned"),
        "{session}"
    );
    assert_eq!(sigterm(&mut child).await.code(), Some(0));
    let text = std::fs::read_to_string(&log).unwrap();
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect();
    assert!(lines.iter().any(|l| l["fields"]["message"] == "stopped"));
    assert!(
        lines.iter().any(|l| l["fields"]["message"] == "registered"
            && l["spans"]
                .as_array()
                .is_some_and(|spans| spans.iter().any(|s| s["id"] == id.as_str()))),
        "a line of the request {id}: {text}"
    );
}

/// Settings are checked at start, each with a message saying what to fix.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_settings_stop_the_start_with_a_clear_message() {
    let mut config = test_config("mysql://localhost/cuocthi".into(), false, false);
    let err = Application::build(config.clone(), Clock::system())
        .await
        .err()
        .expect("refused")
        .to_string();
    assert!(
        err.contains("DATABASE_URL") && err.contains("sqlite://"),
        "{err}"
    );
    config.database_url = database_url(Backend::Sqlite).await;
    config.upload_dir = "/dev/null/uploads".into();
    let err = Application::build(config, Clock::system())
        .await
        .err()
        .expect("refused")
        .to_string();
    assert!(
        err.contains("CUOCTHI_UPLOAD_DIR=/dev/null/uploads"),
        "{err}"
    );
}
