use std::net::SocketAddr;

use cuocthi::server::clock::Clock;
use cuocthi::server::config::Config;
use cuocthi::server::startup::Application;
use cuocthi::server::AppState;
use reqwest::header::{HeaderMap, ACCEPT, CONTENT_TYPE, COOKIE, SET_COOKIE};
use serde_json::{json, Value};

use crate::db;

#[derive(Clone, Copy, Debug)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub struct TestApp {
    pub database_url: String,
    pub addr: SocketAddr,
    pub state: AppState,
    pub client: reqwest::Client,
}

/// Every test account's password.
pub const PASSWORD: &str = "mat-khau-123";

pub struct Reply {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: String,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
    /// The session token set by this reply, if any.
    pub fn session(&self) -> Option<String> {
        self.headers.get_all(SET_COOKIE).iter().find_map(|v| {
            let v = v.to_str().ok()?;
            let (pair, _) = v.split_once(';')?;
            let (name, value) = pair.split_once('=')?;
            (name == "cuocthi_sid" && !value.is_empty()).then(|| value.to_string())
        })
    }
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    }
    /// The flash cookie this reply sets for the next page, if any (see `server::flash`).
    pub fn flash_cookie(&self) -> Option<String> {
        self.headers.get_all(SET_COOKIE).iter().find_map(|v| {
            let (pair, _) = v.to_str().ok()?.split_once(';')?;
            let (name, value) = pair.split_once('=')?;
            (name == cuocthi::server::flash::COOKIE_NAME && !value.is_empty())
                .then(|| value.to_string())
        })
    }
    /// The error this reply carries to the next page in its flash cookie, as JSON.
    pub fn flash_error(&self, app: &TestApp) -> Option<Value> {
        let value = self.flash_cookie()?;
        let now = cuocthi::server::clock::to_ms(app.state.clock.now());
        let flash = cuocthi::server::flash::decode(&app.state.flash_key, &value, now)?;
        serde_json::to_value(flash.error?).ok()
    }
    pub fn set_cookie_header(&self) -> String {
        self.headers
            .get(SET_COOKIE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    }
}

/// Where a redirect sends the browser.
pub fn location(r: &Reply) -> String {
    r.headers["location"].to_str().unwrap().to_string()
}

fn random_name() -> String {
    cuocthi::server::session::new_token()
        .to_lowercase()
        .replace(['-', '_'], "")[..16]
        .to_string()
}

/// The URL of a fresh, empty database for one test: a new SQLite file or a new Postgres database.
pub async fn database_url(backend: Backend) -> String {
    match backend {
        Backend::Sqlite => {
            db::sqlite_url(&std::env::temp_dir().join(format!("cuocthi-test-{}.db", random_name())))
        }
        Backend::Postgres => {
            let admin = db::pg_admin_from_env("CUOCTHI_TEST_PG");
            db::create_pg_database(&admin, &format!("cuocthi_t_{}", random_name()), false)
                .await
                .expect(
                    "Postgres must be running at 127.0.0.1:5432 (set CUOCTHI_TEST_PG to override)",
                )
        }
    }
}

pub async fn spawn_app(backend: Backend) -> TestApp {
    spawn_app_on(database_url(backend).await).await
}

/// A production start on an empty database: no demo contest, no units, no accounts.
pub async fn spawn_empty_app(backend: Backend) -> TestApp {
    spawn_with(database_url(backend).await, false, false).await
}

/// A server told it is reached over HTTPS only (`CUOCTHI_HTTPS=1`).
pub async fn spawn_https_app(backend: Backend) -> TestApp {
    spawn_with(database_url(backend).await, true, true).await
}

/// Another app server on an existing database (several servers sharing one Postgres).
pub async fn spawn_app_on(database_url: String) -> TestApp {
    spawn_with(database_url, true, false).await
}

async fn spawn_with(database_url: String, seed_demo: bool, https_only: bool) -> TestApp {
    let config = test_config(database_url.clone(), seed_demo, https_only);
    let app = Application::build(config, Clock::system())
        .await
        .expect("app builds");
    let addr = app.addr;
    let state = app.state.clone();
    tokio::spawn(app.run());
    test_app(database_url, addr, state)
}

/// The settings every test server runs with.
pub fn test_config(database_url: String, seed_demo: bool, https_only: bool) -> Config {
    Config {
        database_url: database_url.clone(),
        addr: "127.0.0.1:0".parse().unwrap(),
        seed_demo,
        // The tests drive finalization themselves.
        sweep_every: std::time::Duration::from_secs(3600),
        max_body_bytes: 64 * 1024,
        rate_limits: true,
        upload_dir: std::env::temp_dir().join(format!("cuocthi-uploads-{}", random_name())),
        https_only,
        audit_days: 730,
        embed_origins: Vec::new(),
        listen_backlog: 1024,
    }
}

/// A client for a test server already running at `addr`.
pub fn test_app(
    database_url: String,
    addr: std::net::SocketAddr,
    state: cuocthi::server::AppState,
) -> TestApp {
    // A fresh connection per request: a server may close a connection it refused early
    // (413 before reading the body), and a pooled client would race it.
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .pool_max_idle_per_host(0)
        // A request that never gets its answer fails the test instead of hanging the run.
        .timeout(std::time::Duration::from_secs(30))
        .build()
        .unwrap();
    TestApp {
        database_url,
        addr,
        state,
        client,
    }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    async fn send(&self, req: reqwest::RequestBuilder, session: Option<&str>) -> Reply {
        let req = match session {
            Some(token) => req.header(COOKIE, format!("cuocthi_sid={token}")),
            None => req,
        };
        let res = req.send().await.expect("request sent");
        Reply {
            status: res.status().as_u16(),
            headers: res.headers().clone(),
            body: res.text().await.unwrap_or_default(),
        }
    }

    pub async fn post_form(
        &self,
        path: &str,
        fields: &[(&str, String)],
        session: Option<&str>,
    ) -> Reply {
        self.send(self.client.post(self.url(path)).form(fields), session)
            .await
    }

    /// A form post as a browser without JavaScript sends it.
    pub async fn post_html_form(
        &self,
        path: &str,
        fields: &[(&str, String)],
        session: Option<&str>,
    ) -> Reply {
        let req = self
            .client
            .post(self.url(path))
            .form(fields)
            .header(ACCEPT, "text/html")
            .header("referer", self.url("/"));
        self.send(req, session).await
    }

    pub async fn post_json(&self, path: &str, body: Value, session: Option<&str>) -> Reply {
        self.send(self.client.post(self.url(path)).json(&body), session)
            .await
    }

    pub async fn post_raw(
        &self,
        path: &str,
        content_type: &str,
        body: Vec<u8>,
        session: Option<&str>,
    ) -> Reply {
        self.send(
            self.client
                .post(self.url(path))
                .header(CONTENT_TYPE, content_type)
                .body(body),
            session,
        )
        .await
    }

    /// Follows a redirect as a browser does: to its location, with the session and the flash
    /// cookie the redirect set.
    pub async fn follow(&self, redirect: &Reply, session: Option<&str>) -> Reply {
        let mut cookies: Vec<String> = session
            .map(|t| format!("cuocthi_sid={t}"))
            .into_iter()
            .collect();
        if let Some(flash) = redirect.flash_cookie() {
            cookies.push(format!("{}={flash}", cuocthi::server::flash::COOKIE_NAME));
        }
        let req = self.client.get(self.url(&location(redirect)));
        let req = if cookies.is_empty() {
            req
        } else {
            req.header(COOKIE, cookies.join("; "))
        };
        self.send(req, None).await
    }

    pub async fn get(&self, path: &str, session: Option<&str>) -> Reply {
        self.send(self.client.get(self.url(path)), session).await
    }

    /// A page as a browser navigates to it (`Accept: text/html`): a page that sends the
    /// visitor elsewhere answers 302 with its Location.
    pub async fn navigate(&self, path: &str, session: Option<&str>) -> Reply {
        let req = self
            .client
            .get(self.url(path))
            .header(reqwest::header::ACCEPT, "text/html,application/xhtml+xml");
        self.send(req, session).await
    }

    /// A file sent the way the import form sends it (multipart, field `file`).
    pub async fn upload_file(
        &self,
        path: &str,
        bytes: Vec<u8>,
        filename: &str,
        session: Option<&str>,
    ) -> Reply {
        self.upload_file_with(path, bytes, filename, &[], session)
            .await
    }

    /// A file with the form's other fields beside it (the contest, checkboxes).
    pub async fn upload_file_with(
        &self,
        path: &str,
        bytes: Vec<u8>,
        filename: &str,
        fields: &[(&str, &str)],
        session: Option<&str>,
    ) -> Reply {
        let part = reqwest::multipart::Part::bytes(bytes).file_name(filename.to_string());
        let mut form = reqwest::multipart::Form::new();
        for (k, v) in fields {
            form = form.text(k.to_string(), v.to_string());
        }
        let req = self
            .client
            .post(self.url(path))
            .multipart(form.part("file", part));
        self.send(req, session).await
    }

    /// A spreadsheet download as raw bytes (status, content type, body).
    pub async fn download(&self, path: &str, session: Option<&str>) -> (u16, String, Vec<u8>) {
        let req = self.client.get(self.url(path));
        let req = match session {
            Some(token) => req.header(COOKIE, format!("cuocthi_sid={token}")),
            None => req,
        };
        let res = req.send().await.expect("request sent");
        let status = res.status().as_u16();
        let kind = res
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        (status, kind, res.bytes().await.unwrap_or_default().to_vec())
    }

    pub async fn first_unit_id(&self) -> i64 {
        let r = self.post_form("/api/units", &[], None).await;
        assert_eq!(r.status, 200, "{}", r.body);
        r.json()[0]["id"].as_i64().unwrap()
    }

    pub async fn register_with(&self, name: &str, phone: &str, citizen_id: &str) -> Reply {
        let mut form = registration(name, phone, self.first_unit_id().await);
        form[3].1 = citizen_id.to_string();
        self.post_form("/api/auth/register", &form, None).await
    }

    /// Registers a participant and returns their session token.
    pub async fn participant(&self, phone: &str) -> String {
        let r = self.register_with("Nguyễn Văn Thí", phone, "").await;
        assert_eq!(r.status, 200, "register: {}", r.body);
        r.session().expect("session cookie")
    }

    /// Registers someone and gives them an organizer role; returns their session token.
    pub async fn staff(&self, phone: &str, role: &str) -> String {
        let token = self.participant(phone).await;
        let mut conn = self.state.db.pool.acquire().await.unwrap();
        assert!(
            cuocthi::server::repo::users::set_role_by_phone(&mut conn, phone, role)
                .await
                .unwrap()
        );
        token
    }

    /// The public leaderboard of a round, as a viewer asks for it.
    pub async fn round_board(&self, round: i64) -> Reply {
        let r = self
            .post_form(
                "/api/leaderboard/round",
                &[("round_id", round.to_string())],
                None,
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
        r
    }

    pub async fn open_round_id(&self) -> i64 {
        let r = self.post_form("/api/contest/overview", &[], None).await;
        assert_eq!(r.status, 200, "{}", r.body);
        open_round_of(&r.json())
    }

    /// Asks to start an attempt in the open round, whatever the answer.
    pub async fn try_start(&self, session: &str) -> Reply {
        let round = self.open_round_id().await;
        self.post_form(
            "/api/attempt/start",
            &[("round_id", round.to_string())],
            Some(session),
        )
        .await
    }

    /// A `SELECT COUNT(*) ...` straight from the database.
    pub async fn count(&self, sql: &str) -> i64 {
        sqlx::query_scalar(sql)
            .fetch_one(&self.state.db.pool)
            .await
            .unwrap()
    }

    pub async fn start(&self, session: &str) -> i64 {
        let r = self.try_start(session).await;
        assert_eq!(r.status, 200, "start: {}", r.body);
        r.json().as_i64().unwrap()
    }

    pub async fn view(&self, attempt: i64, session: &str) -> Reply {
        self.post_json(
            "/api/attempt/get",
            json!({ "attempt_id": attempt }),
            Some(session),
        )
        .await
    }

    pub async fn save(&self, attempt: i64, seq: u32, choice: Option<u8>, session: &str) -> Reply {
        self.post_json(
            "/api/attempt/save",
            json!({ "attempt_id": attempt, "seq": seq, "choice": choice }),
            Some(session),
        )
        .await
    }

    pub async fn submit(&self, attempt: i64, session: &str) -> Reply {
        self.post_form(
            "/api/attempt/submit",
            &[("attempt_id", attempt.to_string())],
            Some(session),
        )
        .await
    }

    /// Answers the questions `seqs` of an attempt correctly, each save acknowledged.
    pub async fn answer_correctly(&self, attempt: i64, seqs: std::ops::Range<u32>, session: &str) {
        let key = self.answer_key(attempt).await;
        for seq in seqs {
            let r = self
                .save(attempt, seq, Some(key[seq as usize]), session)
                .await;
            assert_eq!(r.status, 200, "save {seq}: {}", r.body);
        }
    }

    /// The correct option position for each question of an attempt, read from the database
    /// (what the server knows and must not tell).
    pub async fn answer_key(&self, attempt: i64) -> Vec<u8> {
        answer_key_in(&self.state.db.pool, attempt).await
    }
}

/// `TestApp::answer_key` for any connection pool (e.g. a server running as a child process).
pub async fn answer_key_in(pool: &sqlx::AnyPool, attempt: i64) -> Vec<u8> {
    let rows: Vec<(i64, String, i64)> = sqlx::query_as(
        "SELECT aq.seq, aq.option_order, o.id FROM attempt_questions aq \
         JOIN options o ON o.question_id = aq.question_id AND o.is_correct = 1 \
         WHERE aq.attempt_id = $1 ORDER BY aq.seq",
    )
    .bind(attempt)
    .fetch_all(pool)
    .await
    .unwrap();
    rows.iter()
        .map(|(_, order, correct)| {
            order
                .split(',')
                .position(|id| id.parse::<i64>().unwrap() == *correct)
                .unwrap() as u8
        })
        .collect()
}

/// A registration form's fields, as the page sends them (no citizen ID, the fourth field).
pub fn registration(name: &str, phone: &str, unit: i64) -> Vec<(&'static str, String)> {
    vec![
        ("input[full_name]", name.to_string()),
        ("input[birth_date]", "1990-04-30".to_string()),
        ("input[phone]", phone.to_string()),
        ("input[citizen_id]", String::new()),
        ("input[unit_id]", unit.to_string()),
        ("input[password]", PASSWORD.to_string()),
    ]
}

/// The id of the open round in a contest overview (`/api/contest/overview`).
pub fn open_round_of(overview: &Value) -> i64 {
    overview["rounds"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["phase"] == "Open")
        .expect("an open round")["id"]
        .as_i64()
        .unwrap()
}

/// The choice (as shown, 0 = A) stored for a question of an attempt, if any.
pub async fn answer_choice_in(pool: &sqlx::AnyPool, attempt: i64, seq: u32) -> Option<u8> {
    let row: Option<(String, Option<i64>)> = sqlx::query_as(
        "SELECT aq.option_order, an.option_id FROM attempt_questions aq \
         JOIN answers an ON an.attempt_id = aq.attempt_id AND an.seq = aq.seq \
         WHERE aq.attempt_id = $1 AND aq.seq = $2",
    )
    .bind(attempt)
    .bind(i64::from(seq))
    .fetch_optional(pool)
    .await
    .unwrap();
    let (order, option) = row?;
    order
        .split(',')
        .position(|id| Some(id.parse::<i64>().unwrap()) == option)
        .map(|p| p as u8)
}

/// Declares each listed `async fn name(backend)` as a test on SQLite and one on Postgres.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() { super::$name($crate::helpers::Backend::Sqlite).await }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() { super::$name($crate::helpers::Backend::Postgres).await }
            )*
        }
    };
}
