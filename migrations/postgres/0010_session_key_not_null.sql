-- sessions.token_hash NOT NULL. On Postgres a PRIMARY KEY column already is, so this changes
-- nothing; it keeps the two folders in step with migrations/sqlite/0010, which rebuilds the
-- table because SQLite lets such a key hold NULL unless it is declared NOT NULL.
ALTER TABLE sessions ALTER COLUMN token_hash SET NOT NULL;
