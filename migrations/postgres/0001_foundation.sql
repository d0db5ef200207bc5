-- Foundation schema (Postgres). Keep tables, columns and constraint names identical to
-- migrations/sqlite/0001_foundation.sql: both backends run the same queries.
-- Instants are BIGINT milliseconds since the Unix epoch (UTC): one representation
-- that both drivers read the same way through sqlx::Any.

CREATE TABLE units (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code        TEXT    NOT NULL,
    name        TEXT    NOT NULL,
    kind        TEXT    NOT NULL,
    headcount   BIGINT NOT NULL DEFAULT 0,
    CONSTRAINT units_code_key UNIQUE (code)
);

CREATE TABLE users (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    full_name     TEXT    NOT NULL,
    birth_date    TEXT    NOT NULL,          -- YYYY-MM-DD
    phone         TEXT    NOT NULL,          -- normalised 0xxxxxxxxx
    citizen_id    TEXT,                      -- 12 digits, optional
    unit_id       BIGINT NOT NULL REFERENCES units(id),
    password_hash TEXT    NOT NULL,          -- Argon2id PHC string
    role          TEXT    NOT NULL DEFAULT 'participant',
    created_at    BIGINT NOT NULL,
    CONSTRAINT users_phone_key UNIQUE (phone),
    CONSTRAINT users_citizen_id_key UNIQUE (citizen_id)
);

-- Only a hash of the session token is stored: a leaked table cannot be replayed.
CREATE TABLE sessions (
    token_hash  TEXT    PRIMARY KEY,
    user_id     BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL
);
CREATE INDEX sessions_user_idx ON sessions(user_id);

CREATE TABLE contests (
    id                     BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug                   TEXT    NOT NULL,
    name                   TEXT    NOT NULL,
    rules_text             TEXT    NOT NULL,
    min_age                BIGINT NOT NULL DEFAULT 0,
    questions_per_attempt  BIGINT NOT NULL,
    time_limit_secs        BIGINT NOT NULL,
    grace_secs             BIGINT NOT NULL DEFAULT 15,
    max_attempts_per_round BIGINT NOT NULL DEFAULT 1,
    points_per_question    BIGINT NOT NULL DEFAULT 5,
    created_at             BIGINT NOT NULL,
    CONSTRAINT contests_slug_key UNIQUE (slug)
);

CREATE TABLE rounds (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    contest_id  BIGINT NOT NULL REFERENCES contests(id),
    name        TEXT    NOT NULL,
    opens_at    BIGINT NOT NULL,
    closes_at   BIGINT NOT NULL,
    CONSTRAINT rounds_window_check CHECK (opens_at < closes_at)
);
CREATE INDEX rounds_contest_idx ON rounds(contest_id);

CREATE TABLE questions (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    contest_id   BIGINT NOT NULL REFERENCES contests(id),
    topic        TEXT    NOT NULL,
    difficulty   BIGINT NOT NULL DEFAULT 1,
    text         TEXT    NOT NULL,
    explanation  TEXT    NOT NULL DEFAULT '',
    reference    TEXT    NOT NULL DEFAULT '',
    status       TEXT    NOT NULL DEFAULT 'approved'
);
CREATE INDEX questions_contest_idx ON questions(contest_id, status);

CREATE TABLE options (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    question_id  BIGINT NOT NULL REFERENCES questions(id),
    position     BIGINT NOT NULL,
    text         TEXT    NOT NULL,
    is_correct   BIGINT NOT NULL DEFAULT 0,
    CONSTRAINT options_position_key UNIQUE (question_id, position)
);

CREATE TABLE attempts (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id        BIGINT NOT NULL REFERENCES users(id),
    round_id       BIGINT NOT NULL REFERENCES rounds(id),
    started_at     BIGINT NOT NULL,
    deadline_at    BIGINT NOT NULL,
    status         TEXT    NOT NULL DEFAULT 'in_progress',  -- in_progress | final
    submitted_at   BIGINT,
    finalized_by   TEXT,                                    -- participant | server
    score          BIGINT,
    correct_count  BIGINT,
    elapsed_ms     BIGINT
);
CREATE INDEX attempts_user_round_idx ON attempts(user_id, round_id);
CREATE INDEX attempts_status_deadline_idx ON attempts(status, deadline_at);
CREATE INDEX attempts_round_rank_idx ON attempts(round_id, status, score, elapsed_ms);
-- At most one running attempt per person and round, even when two starts race.
CREATE UNIQUE INDEX attempts_one_running_key ON attempts(user_id, round_id) WHERE status = 'in_progress';

-- The questions drawn for an attempt, in display order, with that attempt's option order.
CREATE TABLE attempt_questions (
    attempt_id    BIGINT NOT NULL REFERENCES attempts(id),
    seq           BIGINT NOT NULL,
    question_id   BIGINT NOT NULL REFERENCES questions(id),
    option_order  TEXT    NOT NULL,  -- comma-separated option ids in display order
    PRIMARY KEY (attempt_id, seq)
);

-- One row per answered question; a new choice replaces the old one.
CREATE TABLE answers (
    attempt_id   BIGINT NOT NULL REFERENCES attempts(id),
    seq          BIGINT NOT NULL,
    option_id    BIGINT REFERENCES options(id),  -- NULL: the choice was cleared
    saved_at     BIGINT NOT NULL,
    PRIMARY KEY (attempt_id, seq)
);
