-- Logins, registrations, organizers' changes and refused actions (src/server/audit.rs).
-- user_id is who was signed in (or who logged in); the phone tried is in detail for failed
-- logins. No foreign key: the log outlives the accounts it mentions.
CREATE TABLE audit_log (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    at       INTEGER NOT NULL,
    kind     TEXT   NOT NULL,
    user_id  INTEGER,
    ip       TEXT   NOT NULL,
    action   TEXT   NOT NULL,
    status   INTEGER NOT NULL,
    detail   TEXT   NOT NULL
);
CREATE INDEX audit_log_kind_idx ON audit_log(kind, id);
