//! Direct database work: the context every phase shares, seeding and checks.

use cuocthi::server::db::{Backend, Db};
use cuocthi::server::session::{hash_token, new_token};

use crate::client::Http;
use crate::monitor::{clock_ticks, Monitor};
use crate::options::{die, Opts};
use crate::process::Server;

pub struct BankQuestion {
    pub id: i64,
    pub options: Vec<i64>,
    pub correct: i64,
}

pub struct Ctx {
    pub opts: Opts,
    pub backend: Backend,
    pub url: String,
    pub http: Http,
    pub db: Db,
    pub mon: Monitor,
    pub round_id: i64,
    pub contest_id: i64,
    pub grace_secs: i64,
    pub questions: usize,
    pub unit_first: i64,
    pub unit_count: i64,
    pub bank: Vec<BankQuestion>,
}

/// A participant with a session and a running attempt. `last[seq]`: the last acknowledged
/// choice (-1: never saved, -2: unknown, the last save failed).
pub struct Participant {
    pub user_id: i64,
    pub token: String,
    pub attempt: i64,
    pub last: Vec<i16>,
}

pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// A dummy password hash: seeded accounts never log in.
pub const NO_PASSWORD: &str = "$argon2id$v=19$m=19456,t=2,p=1$YmVuY2g$bm9sb2dpbg";

impl Ctx {
    pub async fn exec(&self, sql: &str) -> u64 {
        sqlx::query(sql)
            .execute(&self.db.pool)
            .await
            .unwrap_or_else(|e| die(&format!("{e}\nin: {sql}")))
            .rows_affected()
    }

    pub async fn scalar(&self, sql: &str) -> i64 {
        sqlx::query_scalar(sql)
            .fetch_one(&self.db.pool)
            .await
            .unwrap_or_else(|e| die(&format!("{e}\nin: {sql}")))
    }

    /// `WITH` prefix and `FROM` source of the integers 0..n, per backend.
    pub fn series(&self, n: usize) -> (String, String) {
        match self.backend {
            Backend::Sqlite => (
                format!(
                    "WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i + 1 < {n}) "
                ),
                "s".into(),
            ),
            Backend::Postgres => (
                String::new(),
                format!("generate_series(0, {}) AS s(i)", n.max(1) - 1),
            ),
        }
    }

    pub fn zero_pad(&self, expr: &str, width: usize) -> String {
        match self.backend {
            Backend::Sqlite => format!("substr('{}' || ({expr}), -{width})", "0".repeat(width)),
            Backend::Postgres => format!("lpad(({expr})::text, {width}, '0')"),
        }
    }

    /// Creates `n` participant accounts whose phones start with `prefix` (10 digits in all);
    /// returns their ids in order.
    pub async fn seed_users(&self, prefix: &str, n: usize) -> Vec<i64> {
        let (with, from) = self.series(n);
        let phone = self.zero_pad("i", 10 - prefix.len());
        self.exec(&format!(
            "{with}INSERT INTO users (full_name, birth_date, phone, unit_id, password_hash, created_at) \
             SELECT 'Người thi ' || i, '1990-04-30', '{prefix}' || {phone}, {} + (i % {}), '{NO_PASSWORD}', {} \
             FROM {from}",
            self.unit_first,
            self.unit_count,
            now_ms() - 86_400_000
        ))
        .await;
        sqlx::query_scalar(&format!(
            "SELECT id FROM users WHERE phone LIKE '{prefix}%' ORDER BY id"
        ))
        .fetch_all(&self.db.pool)
        .await
        .unwrap_or_else(|e| die(&e.to_string()))
    }

    /// A session token for each user, stored as the server stores them.
    pub async fn seed_sessions(&self, users: &[i64]) -> Vec<String> {
        let tokens: Vec<String> = users.iter().map(|_| new_token()).collect();
        let now = now_ms();
        let expires = now + 30 * 86_400_000;
        let mut tx = self.db.begin_write().await.expect("transaction");
        for chunk in users.iter().zip(&tokens).collect::<Vec<_>>().chunks(500) {
            let values: Vec<String> = chunk
                .iter()
                .map(|(u, t)| format!("('{}', {u}, {now}, {expires})", hash_token(t)))
                .collect();
            sqlx::query(&format!(
                "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES {}",
                values.join(", ")
            ))
            .execute(&mut *tx)
            .await
            .unwrap_or_else(|e| die(&e.to_string()));
        }
        tx.commit().await.expect("commit");
        tokens
    }

    /// A round of the demo contest, open now, for one phase's attempts.
    pub async fn seed_round(&self, name: &str) -> i64 {
        let now = now_ms();
        self.scalar(&format!(
            "INSERT INTO rounds (contest_id, name, opens_at, closes_at) \
             VALUES ({}, '{name}', {}, {}) RETURNING id",
            self.contest_id,
            now - 86_400_000,
            now + 7 * 86_400_000
        ))
        .await
    }

    /// The bank's first questions as an inline table (seq, question, option order) and the
    /// chosen answers (seq, option) for the first `answered` of them, half of them right.
    pub fn drawn_tables(&self, answered: usize) -> (String, String) {
        let drawn = self
            .bank
            .iter()
            .enumerate()
            .map(|(seq, q)| {
                let order: Vec<String> = q.options.iter().map(i64::to_string).collect();
                format!(
                    "SELECT {seq} AS seq, {} AS qid, '{}' AS ord",
                    q.id,
                    order.join(",")
                )
            })
            .collect::<Vec<_>>()
            .join(" UNION ALL ");
        let answers = self
            .bank
            .iter()
            .take(answered)
            .enumerate()
            .map(|(seq, q)| {
                let option = if seq % 2 == 0 {
                    q.correct
                } else {
                    q.options[0]
                };
                format!("SELECT {seq} AS seq, {option} AS opt")
            })
            .collect::<Vec<_>>()
            .join(" UNION ALL ");
        (drawn, answers)
    }

    /// Running attempts in `round` for `users` (deadline `deadline`), with their drawn
    /// questions and `answered` saved answers. Returns the attempt ids, in user order.
    pub async fn seed_running_attempts(
        &self,
        round: i64,
        prefix: &str,
        deadline: i64,
        answered: usize,
    ) -> Vec<i64> {
        let now = now_ms();
        self.exec(&format!(
            "INSERT INTO attempts (user_id, round_id, started_at, deadline_at, accept_until, max_score, status) \
             SELECT id, {round}, {now}, {deadline}, {deadline} + {grace_ms}, {max_score}, 'in_progress' \
             FROM users WHERE phone LIKE '{prefix}%'",
            grace_ms = self.grace_secs * 1000,
            max_score = self.questions * 5,
        ))
        .await;
        let (drawn, answers) = self.drawn_tables(answered);
        self.exec(&format!(
            "INSERT INTO attempt_questions (attempt_id, seq, question_id, option_order) \
             SELECT a.id, q.seq, q.qid, q.ord FROM attempts a CROSS JOIN ({drawn}) q \
             WHERE a.round_id = {round} AND a.status = 'in_progress'"
        ))
        .await;
        if answered > 0 {
            self.exec(&format!(
                "INSERT INTO answers (attempt_id, seq, option_id, saved_at) \
                 SELECT a.id, q.seq, q.opt, {now} FROM attempts a CROSS JOIN ({answers}) q \
                 WHERE a.round_id = {round} AND a.status = 'in_progress'"
            ))
            .await;
        }
        sqlx::query_scalar(&format!(
            "SELECT a.id FROM attempts a JOIN users u ON u.id = a.user_id \
             WHERE a.round_id = {round} AND a.status = 'in_progress' ORDER BY u.id"
        ))
        .fetch_all(&self.db.pool)
        .await
        .unwrap_or_else(|e| die(&e.to_string()))
    }
}

pub async fn context(opts: &Opts, backend: Backend, server: &Server, url: &str) -> Ctx {
    let db = Db::connect(url)
        .await
        .unwrap_or_else(|e| die(&format!("harness connection: {e}")));
    let (contest_id, grace_secs, questions): (i64, i64, i64) = sqlx::query_as(
        "SELECT id, grace_secs, questions_per_attempt FROM contests ORDER BY id LIMIT 1",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap_or_else(|e| die(&format!("the demo contest: {e}")));
    let now = now_ms();
    let round_id: i64 = sqlx::query_scalar(
        "SELECT id FROM rounds WHERE contest_id = $1 AND opens_at <= $2 AND closes_at > $2 ORDER BY id LIMIT 1",
    )
    .bind(contest_id)
    .bind(now)
    .fetch_one(&db.pool)
    .await
    .unwrap_or_else(|e| die(&format!("the demo contest has no open round: {e}")));
    let (unit_first, unit_last, unit_count): (i64, i64, i64) =
        sqlx::query_as("SELECT MIN(id), MAX(id), COUNT(*) FROM units")
            .fetch_one(&db.pool)
            .await
            .unwrap_or_else(|e| die(&e.to_string()));
    // Units are spread over by id arithmetic; with gaps, everybody goes to the first one.
    let unit_count = if unit_last - unit_first + 1 == unit_count {
        unit_count
    } else {
        1
    };
    let ids: Vec<i64> = sqlx::query_scalar(
        "SELECT id FROM questions WHERE contest_id = $1 AND status = 'approved' ORDER BY id LIMIT $2",
    )
    .bind(contest_id)
    .bind(questions)
    .fetch_all(&db.pool)
    .await
    .unwrap_or_else(|e| die(&e.to_string()));
    let mut bank = Vec::new();
    for id in ids {
        let options: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT id, is_correct FROM options WHERE question_id = $1 ORDER BY position",
        )
        .bind(id)
        .fetch_all(&db.pool)
        .await
        .unwrap_or_else(|e| die(&e.to_string()));
        bank.push(BankQuestion {
            id,
            correct: options
                .iter()
                .find(|(_, c)| *c != 0)
                .map(|(o, _)| *o)
                .unwrap_or(0),
            options: options.into_iter().map(|(o, _)| o).collect(),
        });
    }
    Ctx {
        opts: opts.clone(),
        backend,
        url: url.to_string(),
        http: Http::new(&server.addr, opts.timeout),
        db,
        mon: Monitor {
            server_pid: server.child.id(),
            postgres: backend == Backend::Postgres,
            ticks_per_sec: clock_ticks(),
        },
        round_id,
        contest_id,
        grace_secs,
        questions: questions as usize,
        unit_first,
        unit_count,
        bank,
    }
}
