-- sessions.token_hash NOT NULL, as on Postgres. SQLite lets a PRIMARY KEY column that is not
-- an INTEGER PRIMARY KEY hold NULL unless it is declared NOT NULL (a legacy quirk), so the
-- table is rebuilt with the declaration (found by tests/schema.rs). Nothing references it.
CREATE TABLE sessions_new (
    token_hash  TEXT    NOT NULL PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL
);
INSERT INTO sessions_new (token_hash, user_id, created_at, expires_at)
    SELECT token_hash, user_id, created_at, expires_at FROM sessions WHERE token_hash IS NOT NULL;
DROP TABLE sessions;
ALTER TABLE sessions_new RENAME TO sessions;
CREATE INDEX sessions_user_idx ON sessions(user_id);
