//! Durability under crashes, the fault test of the hardening issue: the real server binary
//! is killed with SIGKILL three times while participants autosave answers, and started again
//! on the same database and port each time. Each client behaves like the attempt page: one
//! save at a time, and a save that got no reply is sent again until it is acknowledged.
//! Afterwards every attempt is submitted, the server is killed once more, and the test proves:
//!
//! 1. every answer in the database is the last choice its client saw acknowledged (a save is
//!    acknowledged only after its commit, so no crash may lose it);
//! 2. nothing is duplicated: one row per answered question, one attempt per participant;
//! 3. every attempt is final, with the score its stored answers earn;
//! 4. submitting again (after that last crash) changes nothing.
//!
//! The kills are placed by progress, after a quarter, half and three quarters of the planned
//! saves were acknowledged, so they land in the middle of the load on a fast or a slow machine.
//! Each question's last save falls at a different point of the run, so many acknowledged
//! answers are written before a kill and never again after it.
//!
//! Long because it is one scenario with its own harness: the real server process, a retrying
//! client and direct database checks (~380 lines below the test).
#![cfg(unix)]

use std::collections::BTreeMap;
use std::fs::File;
use std::io::Write;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use cuocthi::server::db::Db;
use reqwest::header::COOKIE;
use serde_json::{json, Value};

use crate::helpers::{answer_key_in, database_url, Backend, Reply};
use crate::on_both_backends;

on_both_backends!(acknowledged_saves_survive_kill_9);

const PARTICIPANTS: usize = 6;
const KILLS: usize = 3;
/// The most times one question is saved (about 900 saves in all).
const MOST_SAVES: usize = 12;
/// A request to a dead server fails within this instead of hanging.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(5);
/// Pause before sending an unanswered save again.
const RETRY_PAUSE: Duration = Duration::from_millis(20);
/// A save still unacknowledged after this long fails the test.
const GIVE_UP_AFTER: Duration = Duration::from_secs(60);
/// A server that does not answer `/` within this after starting fails the test.
const READY_WITHIN: Duration = Duration::from_secs(60);

/// One autosave: question `seq` of the attempt, option position `choice` (`None` clears it).
type Save = (u32, Option<u8>);
/// A save the server acknowledged, and how many kills had begun when the reply arrived.
#[derive(Clone, Copy)]
struct Ack {
    save: Save,
    kills_before: usize,
}

/// An attempt's status, score and correct count, with the contest's points per question.
type Outcome = (String, Option<i64>, Option<i64>, i64);

async fn acknowledged_saves_survive_kill_9(backend: Backend) {
    let began = Instant::now();
    let database_url = database_url(backend).await;
    let mut server = Server::start(&database_url).await;
    let http = Arc::new(Http::new(server.base_url()));
    let db = Db::connect(&database_url)
        .await
        .expect("connect to the database");

    // Participants, each with a running attempt and the saves they will send.
    let mut people = Vec::new();
    for p in 0..PARTICIPANTS {
        let session = register(&http, &format!("09130000{p:02}")).await;
        let attempt = start_attempt(&http, &session).await;
        let orders = option_orders(&db, attempt).await;
        let key = answer_key_in(&db.pool, attempt).await;
        let plan = plan(p, &key, &orders);
        people.push(Participant {
            session,
            attempt,
            orders,
            plan,
        });
    }

    // The load, with kill -9 after a quarter, a half and three quarters of it.
    let progress = Arc::new(Progress::default());
    let planned: usize = people.iter().map(|p| p.plan.len()).sum();
    let load: Vec<_> = people
        .iter()
        .map(|p| {
            tokio::spawn(autosave(
                http.clone(),
                p.session.clone(),
                p.attempt,
                p.plan.clone(),
                progress.clone(),
            ))
        })
        .collect();
    let load_began = Instant::now();
    let (mut killed_at, mut interrupted) = (Vec::new(), Vec::new());
    for kill in 1..=KILLS {
        let target = planned * kill / (KILLS + 1);
        while progress.acknowledged() < target && !load.iter().all(|t| t.is_finished()) {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        let failed_before = progress.failed();
        progress.kills.fetch_add(1, Ordering::SeqCst);
        killed_at.push(load_began.elapsed().as_millis());
        server.kill_and_restart().await;
        interrupted.push(progress.failed() - failed_before);
    }
    let mut acknowledged = Vec::new();
    for task in load {
        match task.await {
            Ok(acks) => acknowledged.push(acks),
            Err(e) => std::panic::resume_unwind(e.into_panic()),
        }
    }
    // The kills hit a running load: each one made requests fail (and be sent again), and
    // many answers got their last acknowledged save before a kill, so had to survive it.
    assert!(
        interrupted.iter().all(|&n| n > 0),
        "every kill interrupted some saves: {interrupted:?}"
    );
    let crashed_over: usize = acknowledged
        .iter()
        .map(|acks| {
            let last: BTreeMap<u32, usize> =
                acks.iter().map(|a| (a.save.0, a.kills_before)).collect();
            last.values().filter(|&&k| k < KILLS).count()
        })
        .sum();
    assert!(
        crashed_over > 0,
        "some answers were last saved before a kill"
    );

    // Everyone submits; the final states survive a crash too; a second submit changes nothing.
    let mut scores = Vec::new();
    for p in &people {
        scores.push(submit(&http, p).await["score"].clone());
    }
    server.kill_and_restart().await;
    for (p, score) in people.iter().zip(&scores) {
        let again = submit(&http, p).await;
        assert_eq!(&again["score"], score, "second submit of {}", p.attempt);
        assert_eq!(again["finalized_by"], "participant");
    }
    drop(server);

    // 1. Every answer is the last acknowledged choice; nothing unsaved appeared.
    for (p, acks) in people.iter().zip(&acknowledged) {
        let last_acknowledged: BTreeMap<u32, Option<u8>> = acks.iter().map(|a| a.save).collect();
        let last_planned: BTreeMap<u32, Option<u8>> = p.plan.iter().copied().collect();
        assert_eq!(
            last_acknowledged, last_planned,
            "every save was acknowledged"
        );
        let stored = stored_answers(&db, p).await;
        assert_eq!(
            stored, last_acknowledged,
            "attempt {}: stored answers (left) against the last acknowledged saves (right)",
            p.attempt
        );
    }

    // 2. Nothing duplicated: answers, attempts.
    let duplicated = count(
        &db,
        "SELECT COUNT(*) FROM (SELECT attempt_id, seq FROM answers \
         GROUP BY attempt_id, seq HAVING COUNT(*) > 1) d",
    )
    .await;
    assert_eq!(duplicated, 0, "questions with more than one answer row");
    let attempts = count(&db, "SELECT COUNT(*) FROM attempts").await;
    let attempters = count(&db, "SELECT COUNT(DISTINCT user_id) FROM attempts").await;
    assert_eq!(
        (attempts, attempters),
        (PARTICIPANTS as i64, PARTICIPANTS as i64),
        "one attempt per participant"
    );

    // 3. Every attempt is final with the score of its stored answers.
    for (p, score) in people.iter().zip(&scores) {
        let (status, stored_score, stored_correct, points): Outcome = sqlx::query_as(
            "SELECT a.status, a.score, a.correct_count, c.points_per_question \
             FROM attempts a JOIN rounds r ON r.id = a.round_id \
             JOIN contests c ON c.id = r.contest_id WHERE a.id = $1",
        )
        .bind(p.attempt)
        .fetch_one(&db.pool)
        .await
        .unwrap();
        let correct: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM answers an JOIN options o ON o.id = an.option_id \
             WHERE an.attempt_id = $1 AND o.is_correct = 1",
        )
        .bind(p.attempt)
        .fetch_one(&db.pool)
        .await
        .unwrap();
        assert_eq!(status, "final", "attempt {}", p.attempt);
        assert_eq!(stored_correct, Some(correct), "attempt {}", p.attempt);
        assert_eq!(
            stored_score,
            Some(correct * points),
            "attempt {}",
            p.attempt
        );
        assert_eq!(
            score,
            &json!(correct * points),
            "submit reply of {}",
            p.attempt
        );
    }

    eprintln!(
        "durability on {backend:?}: {planned} saves by {PARTICIPANTS} participants; kill -9 at \
         {killed_at:?} ms of load, then once more after the submits; {} requests sent again \
         ({interrupted:?} per kill); {crashed_over} answers last saved before a kill; {:.1?} in all",
        progress.failed(),
        began.elapsed()
    );
}

struct Participant {
    session: String,
    attempt: i64,
    /// Each question's option ids in this attempt's display order.
    orders: Vec<Vec<i64>>,
    plan: Vec<Save>,
}

/// What one participant (number `p`) saves, in order. Each question is saved 3 to
/// `MOST_SAVES` times, round after round, so questions get their last save at different
/// points of the run. The earlier saves pick choices other than the last one, so a lost last
/// save shows. The last choices mix right, wrong and cleared answers; every other participant
/// leaves the last question unanswered.
fn plan(p: usize, key: &[u8], orders: &[Vec<i64>]) -> Vec<Save> {
    let times = |seq: usize| {
        if p % 2 == 1 && seq == key.len() - 1 {
            0
        } else {
            3 + (3 * p + seq) % (MOST_SAVES - 2)
        }
    };
    let mut saves = Vec::new();
    for round in 0..MOST_SAVES {
        for (seq, &right) in key.iter().enumerate() {
            let options = orders[seq].len() as u8;
            let last = match (p + seq) % 4 {
                0 => None,
                1 => Some((right + 1) % options),
                _ => Some(right),
            };
            let choice = if round + 1 == times(seq) {
                last
            } else if round + 1 < times(seq) {
                let others: Vec<u8> = (0..options).filter(|&c| Some(c) != last).collect();
                Some(others[(round + p + seq) % others.len()])
            } else {
                continue;
            };
            saves.push((seq as u32, choice));
        }
    }
    saves
}

#[derive(Default)]
struct Progress {
    acknowledged: AtomicUsize,
    /// Kills begun so far.
    kills: AtomicUsize,
    /// Requests that got no reply (server dead or restarting) and were sent again.
    failed: AtomicUsize,
}

impl Progress {
    fn acknowledged(&self) -> usize {
        self.acknowledged.load(Ordering::SeqCst)
    }
    fn failed(&self) -> usize {
        self.failed.load(Ordering::SeqCst)
    }
}

/// One participant's autosaves, one at a time like the attempt page; a save without a reply
/// is sent again until it is acknowledged. Returns the acknowledgements in order.
async fn autosave(
    http: Arc<Http>,
    session: String,
    attempt: i64,
    plan: Vec<Save>,
    progress: Arc<Progress>,
) -> Vec<Ack> {
    let mut acknowledged = Vec::with_capacity(plan.len());
    for (seq, choice) in plan {
        let body = json!({ "attempt_id": attempt, "seq": seq, "choice": choice });
        let first_sent = Instant::now();
        loop {
            match http.json("/api/attempt/save", &body, Some(&session)).await {
                Ok(reply) => {
                    // A server that answers must accept the save: any refusal is a bug.
                    assert_eq!(reply.status, 200, "save {body}: {}", reply.body);
                    let ack = reply.json();
                    assert_eq!(
                        (&ack["seq"], &ack["choice"]),
                        (&json!(seq), &json!(choice)),
                        "acknowledgement of {body}"
                    );
                    break;
                }
                Err(e) => {
                    progress.failed.fetch_add(1, Ordering::SeqCst);
                    assert!(
                        first_sent.elapsed() < GIVE_UP_AFTER,
                        "save {body} never acknowledged: {e}"
                    );
                    tokio::time::sleep(RETRY_PAUSE).await;
                }
            }
        }
        acknowledged.push(Ack {
            save: (seq, choice),
            kills_before: progress.kills.load(Ordering::SeqCst),
        });
        progress.acknowledged.fetch_add(1, Ordering::SeqCst);
    }
    acknowledged
}

/// The server binary running as a child process on a fixed port and database.
struct Server {
    database_url: String,
    port: u16,
    log: PathBuf,
    child: Child,
}

impl Server {
    async fn start(database_url: &str) -> Self {
        let port = free_port();
        let log = std::env::temp_dir().join(format!(
            "cuocthi-durability-{}-{port}.log",
            std::process::id()
        ));
        let child = spawn_server(database_url, port, &log);
        let mut server = Self {
            database_url: database_url.to_string(),
            port,
            log,
            child,
        };
        server.wait_until_ready().await;
        server
    }

    fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// `kill -9`, then the same binary again on the same database and port.
    async fn kill_and_restart(&mut self) {
        self.child.kill().expect("SIGKILL the server");
        self.child.wait().expect("reap the server");
        if let Ok(mut log) = File::options().append(true).open(&self.log) {
            let _ = writeln!(log, "----- kill -9 -----");
        }
        self.child = spawn_server(&self.database_url, self.port, &self.log);
        self.wait_until_ready().await;
    }

    async fn wait_until_ready(&mut self) {
        let client = reqwest::Client::builder()
            .timeout(Duration::from_millis(500))
            .build()
            .unwrap();
        let since = Instant::now();
        loop {
            let home = client.get(format!("{}/", self.base_url())).send().await;
            if home.is_ok_and(|r| r.status().is_success()) {
                return;
            }
            if let Some(status) = self.child.try_wait().expect("server status") {
                panic!("the server exited ({status}); log:\n{}", self.log_tail());
            }
            assert!(
                since.elapsed() < READY_WITHIN,
                "the server did not answer within {READY_WITHIN:?}; log:\n{}",
                self.log_tail()
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    fn log_tail(&self) -> String {
        let log = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = log.lines().collect();
        lines[lines.len().saturating_sub(40)..].join("\n")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        // The log is kept when the test fails.
        if !std::thread::panicking() {
            let _ = std::fs::remove_file(&self.log);
        }
    }
}

fn spawn_server(database_url: &str, port: u16, log: &PathBuf) -> Child {
    let out = File::options()
        .create(true)
        .append(true)
        .open(log)
        .expect("server log file");
    Command::new(env!("CARGO_BIN_EXE_cuocthi"))
        // The server reads its Leptos settings from Cargo.toml in its working directory.
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("DATABASE_URL", database_url)
        .env("CUOCTHI_ADDR", format!("127.0.0.1:{port}"))
        .env("CUOCTHI_SEED_DEMO", "1")
        // The test submits every attempt itself.
        .env("CUOCTHI_SWEEP_SECS", "3600")
        .env("RUST_LOG", "info,sqlx=warn")
        .stdin(Stdio::null())
        .stdout(Stdio::from(out.try_clone().expect("server log file")))
        .stderr(Stdio::from(out))
        .spawn()
        .expect("start the server binary")
}

/// A port nobody listens on right now.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

/// HTTP to the server; a request the server never answers is an `Err`, not a hang.
struct Http {
    client: reqwest::Client,
    base_url: String,
}

impl Http {
    fn new(base_url: String) -> Self {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            // A fresh connection per request: none is left over from a killed server.
            .pool_max_idle_per_host(0)
            .timeout(REQUEST_TIMEOUT)
            .build()
            .unwrap();
        Self { client, base_url }
    }

    async fn send(
        &self,
        req: reqwest::RequestBuilder,
        session: Option<&str>,
    ) -> reqwest::Result<Reply> {
        let req = match session {
            Some(token) => req.header(COOKIE, format!("cuocthi_sid={token}")),
            None => req,
        };
        let res = req.send().await?;
        let status = res.status().as_u16();
        let headers = res.headers().clone();
        let body = res.text().await?;
        Ok(Reply {
            status,
            headers,
            body,
        })
    }

    async fn form(
        &self,
        path: &str,
        fields: &[(&str, String)],
        session: Option<&str>,
    ) -> reqwest::Result<Reply> {
        let url = format!("{}{path}", self.base_url);
        self.send(self.client.post(url).form(fields), session).await
    }

    async fn json(
        &self,
        path: &str,
        body: &Value,
        session: Option<&str>,
    ) -> reqwest::Result<Reply> {
        let url = format!("{}{path}", self.base_url);
        self.send(self.client.post(url).json(body), session).await
    }
}

/// The reply to a request made while the server is up: it must be a success.
fn ok(reply: reqwest::Result<Reply>, what: &str) -> Reply {
    let reply = reply.unwrap_or_else(|e| panic!("{what}: {e}"));
    assert_eq!(reply.status, 200, "{what}: {}", reply.body);
    reply
}

/// Registers a participant; returns their session token.
async fn register(http: &Http, phone: &str) -> String {
    let units = ok(http.form("/api/units", &[], None).await, "units").json();
    let unit = units[0]["id"].as_i64().expect("a unit");
    let fields = [
        ("input[full_name]", "Nguyễn Văn Thí".to_string()),
        ("input[birth_date]", "1990-04-30".to_string()),
        ("input[phone]", phone.to_string()),
        ("input[citizen_id]", String::new()),
        ("input[unit_id]", unit.to_string()),
        ("input[password]", "mat-khau-123".to_string()),
    ];
    let reply = ok(
        http.form("/api/auth/register", &fields, None).await,
        "register",
    );
    reply.session().expect("session cookie")
}

/// Starts an attempt in the open round; returns its id.
async fn start_attempt(http: &Http, session: &str) -> i64 {
    let overview = ok(
        http.form("/api/contest/overview", &[], None).await,
        "overview",
    )
    .json();
    let round = overview["rounds"]
        .as_array()
        .and_then(|rounds| rounds.iter().find(|r| r["phase"] == "Open"))
        .expect("an open round")["id"]
        .as_i64()
        .expect("round id");
    let fields = [("round_id", round.to_string())];
    let reply = ok(
        http.form("/api/attempt/start", &fields, Some(session))
            .await,
        "start",
    );
    reply.json().as_i64().expect("attempt id")
}

async fn submit(http: &Http, p: &Participant) -> Value {
    let fields = [("attempt_id", p.attempt.to_string())];
    let reply = http
        .form("/api/attempt/submit", &fields, Some(&p.session))
        .await;
    ok(reply, &format!("submit {}", p.attempt)).json()
}

/// Each question's option ids in the attempt's display order, by seq.
async fn option_orders(db: &Db, attempt: i64) -> Vec<Vec<i64>> {
    let rows: Vec<(i64, String)> = sqlx::query_as(
        "SELECT seq, option_order FROM attempt_questions WHERE attempt_id = $1 ORDER BY seq",
    )
    .bind(attempt)
    .fetch_all(&db.pool)
    .await
    .unwrap();
    rows.into_iter()
        .enumerate()
        .map(|(i, (seq, order))| {
            assert_eq!(seq, i as i64, "questions numbered from 0");
            order.split(',').map(|id| id.parse().unwrap()).collect()
        })
        .collect()
}

/// The answers stored for an attempt, as seq → choice position (`None`: cleared).
async fn stored_answers(db: &Db, p: &Participant) -> BTreeMap<u32, Option<u8>> {
    let rows: Vec<(i64, Option<i64>)> =
        sqlx::query_as("SELECT seq, option_id FROM answers WHERE attempt_id = $1 ORDER BY seq")
            .bind(p.attempt)
            .fetch_all(&db.pool)
            .await
            .unwrap();
    let answers: BTreeMap<u32, Option<u8>> = rows
        .iter()
        .map(|&(seq, option)| {
            let order = &p.orders[seq as usize];
            let choice = option.map(|id| {
                order
                    .iter()
                    .position(|&o| o == id)
                    .unwrap_or_else(|| panic!("option {id} is not one of question {seq}'s"))
                    as u8
            });
            (seq as u32, choice)
        })
        .collect();
    assert_eq!(answers.len(), rows.len(), "one row per question");
    answers
}

async fn count(db: &Db, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(&db.pool).await.unwrap()
}
