-- Foundation schema (SQLite). Keep tables, columns and constraint names identical to
-- migrations/postgres/0001_foundation.sql: both backends run the same queries.
-- Instants are BIGINT milliseconds since the Unix epoch (UTC): one representation
-- that both drivers read the same way through sqlx::Any.

CREATE TABLE units (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    code        TEXT    NOT NULL,
    name        TEXT    NOT NULL,
    kind        TEXT    NOT NULL,
    headcount   INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT units_code_key UNIQUE (code)
);

CREATE TABLE users (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    full_name     TEXT    NOT NULL,
    birth_date    TEXT    NOT NULL,          -- YYYY-MM-DD
    phone         TEXT    NOT NULL,          -- normalised 0xxxxxxxxx
    citizen_id    TEXT,                      -- 12 digits, optional
    unit_id       INTEGER NOT NULL REFERENCES units(id),
    password_hash TEXT    NOT NULL,          -- Argon2id PHC string
    role          TEXT    NOT NULL DEFAULT 'participant',
    created_at    INTEGER NOT NULL,
    CONSTRAINT users_phone_key UNIQUE (phone),
    CONSTRAINT users_citizen_id_key UNIQUE (citizen_id)
);

-- Only a hash of the session token is stored: a leaked table cannot be replayed.
CREATE TABLE sessions (
    token_hash  TEXT    PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL
);
CREATE INDEX sessions_user_idx ON sessions(user_id);

CREATE TABLE contests (
    id                     INTEGER PRIMARY KEY AUTOINCREMENT,
    slug                   TEXT    NOT NULL,
    name                   TEXT    NOT NULL,
    rules_text             TEXT    NOT NULL,
    min_age                INTEGER NOT NULL DEFAULT 0,
    questions_per_attempt  INTEGER NOT NULL,
    time_limit_secs        INTEGER NOT NULL,
    grace_secs             INTEGER NOT NULL DEFAULT 15,
    max_attempts_per_round INTEGER NOT NULL DEFAULT 1,
    points_per_question    INTEGER NOT NULL DEFAULT 5,
    created_at             INTEGER NOT NULL,
    CONSTRAINT contests_slug_key UNIQUE (slug)
);

CREATE TABLE rounds (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    contest_id  INTEGER NOT NULL REFERENCES contests(id),
    name        TEXT    NOT NULL,
    opens_at    INTEGER NOT NULL,
    closes_at   INTEGER NOT NULL,
    CONSTRAINT rounds_window_check CHECK (opens_at < closes_at)
);
CREATE INDEX rounds_contest_idx ON rounds(contest_id);

CREATE TABLE questions (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    contest_id   INTEGER NOT NULL REFERENCES contests(id),
    topic        TEXT    NOT NULL,
    difficulty   INTEGER NOT NULL DEFAULT 1,
    text         TEXT    NOT NULL,
    explanation  TEXT    NOT NULL DEFAULT '',
    reference    TEXT    NOT NULL DEFAULT '',
    status       TEXT    NOT NULL DEFAULT 'approved'
);
CREATE INDEX questions_contest_idx ON questions(contest_id, status);

CREATE TABLE options (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    question_id  INTEGER NOT NULL REFERENCES questions(id),
    position     INTEGER NOT NULL,
    text         TEXT    NOT NULL,
    is_correct   INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT options_position_key UNIQUE (question_id, position)
);

CREATE TABLE attempts (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id        INTEGER NOT NULL REFERENCES users(id),
    round_id       INTEGER NOT NULL REFERENCES rounds(id),
    started_at     INTEGER NOT NULL,
    deadline_at    INTEGER NOT NULL,
    status         TEXT    NOT NULL DEFAULT 'in_progress',  -- in_progress | final
    submitted_at   INTEGER,
    finalized_by   TEXT,                                    -- participant | server
    score          INTEGER,
    correct_count  INTEGER,
    elapsed_ms     INTEGER
);
CREATE INDEX attempts_user_round_idx ON attempts(user_id, round_id);
CREATE INDEX attempts_status_deadline_idx ON attempts(status, deadline_at);
CREATE INDEX attempts_round_rank_idx ON attempts(round_id, status, score, elapsed_ms);
-- At most one running attempt per person and round, even when two starts race.
CREATE UNIQUE INDEX attempts_one_running_key ON attempts(user_id, round_id) WHERE status = 'in_progress';

-- The questions drawn for an attempt, in display order, with that attempt's option order.
CREATE TABLE attempt_questions (
    attempt_id    INTEGER NOT NULL REFERENCES attempts(id),
    seq           INTEGER NOT NULL,
    question_id   INTEGER NOT NULL REFERENCES questions(id),
    option_order  TEXT    NOT NULL,  -- comma-separated option ids in display order
    PRIMARY KEY (attempt_id, seq)
);

-- One row per answered question; a new choice replaces the old one.
CREATE TABLE answers (
    attempt_id   INTEGER NOT NULL REFERENCES attempts(id),
    seq          INTEGER NOT NULL,
    option_id    INTEGER REFERENCES options(id),  -- NULL: the choice was cleared
    saved_at     INTEGER NOT NULL,
    PRIMARY KEY (attempt_id, seq)
);
