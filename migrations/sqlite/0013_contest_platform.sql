-- Many contests on one installation, each with its own branding, documents, help page,
-- news and publication rules; rounds, units and topics that can be retired once used.
ALTER TABLE contests ADD COLUMN archived_at INTEGER;
ALTER TABLE contests ADD COLUMN is_trial INTEGER NOT NULL DEFAULT 0;
-- 1: the live board shows nothing until the round's results time.
ALTER TABLE contests ADD COLUMN board_hidden INTEGER NOT NULL DEFAULT 0;
ALTER TABLE contests ADD COLUMN organizer_name TEXT NOT NULL DEFAULT '';
ALTER TABLE contests ADD COLUMN logo_url TEXT NOT NULL DEFAULT '';
ALTER TABLE contests ADD COLUMN contact_phone TEXT NOT NULL DEFAULT '';
ALTER TABLE contests ADD COLUMN contact_email TEXT NOT NULL DEFAULT '';
ALTER TABLE contests ADD COLUMN contact_address TEXT NOT NULL DEFAULT '';
ALTER TABLE contests ADD COLUMN help_text TEXT NOT NULL DEFAULT '';
ALTER TABLE contests ADD COLUMN cert_title TEXT NOT NULL DEFAULT 'GIẤY CHỨNG NHẬN';
ALTER TABLE contests ADD COLUMN cert_issuer TEXT NOT NULL DEFAULT '';
ALTER TABLE contests ADD COLUMN cert_signer_name TEXT NOT NULL DEFAULT '';
ALTER TABLE contests ADD COLUMN cert_signer_title TEXT NOT NULL DEFAULT '';
ALTER TABLE contests ADD COLUMN cert_place TEXT NOT NULL DEFAULT '';
ALTER TABLE contests ADD COLUMN created_by INTEGER REFERENCES users(id);

-- A round's own prize structure (NULL: the contest's), and retirement once used.
ALTER TABLE rounds ADD COLUMN prizes TEXT;
ALTER TABLE rounds ADD COLUMN retired_at INTEGER;
ALTER TABLE units ADD COLUMN retired_at INTEGER;
ALTER TABLE topics ADD COLUMN retired_at INTEGER;

-- News posts of a contest (closing ceremony, changes), newest first.
CREATE TABLE announcements (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    contest_id  INTEGER NOT NULL REFERENCES contests(id),
    title       TEXT    NOT NULL,
    body        TEXT    NOT NULL,
    created_by  INTEGER NOT NULL REFERENCES users(id),
    created_at  INTEGER NOT NULL
);
CREATE INDEX announcements_contest_idx ON announcements(contest_id, created_at);

-- One-time codes the secretariat issues so a participant can set a new password. Only a
-- hash is stored; a code is used once and expires.
CREATE TABLE password_resets (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id     INTEGER NOT NULL REFERENCES users(id),
    code_hash   TEXT    NOT NULL,
    issued_by   INTEGER NOT NULL REFERENCES users(id),
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    used_at     INTEGER
);
CREATE INDEX password_resets_user_idx ON password_resets(user_id);

-- The contest an organizer's action concerned, when it concerned one.
ALTER TABLE audit_log ADD COLUMN contest_id INTEGER;
