-- What the study bank shows while a round is open: 'publish' (answers for everyone, as many
-- plans do), 'hold' (the answers of every question a round can draw stay hidden while a round
-- is open) or 'separate' (participants study only the questions marked for study, which are
-- never drawn). Existing contests keep publishing; new ones start with 'hold'.
ALTER TABLE contests ADD COLUMN study_answers TEXT NOT NULL DEFAULT 'publish';
-- When a participant sees the correct answers of an attempt they took: 'never',
-- 'after_last' (after their last allowed attempt of the round) or 'after_close'.
ALTER TABLE contests ADD COLUMN answer_review TEXT NOT NULL DEFAULT 'after_last';
-- The plausibility review flags entries faster than this many seconds per question.
ALTER TABLE contests ADD COLUMN min_secs_per_question BIGINT NOT NULL DEFAULT 3;
-- A question for study only: shown in the study bank with its answer, never drawn.
ALTER TABLE questions ADD COLUMN study_only BIGINT NOT NULL DEFAULT 0;
-- Where an account was registered and an attempt started (address, and the browser's device
-- id from a long-lived cookie), for the plausibility review only.
ALTER TABLE users ADD COLUMN registered_from TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN registered_device TEXT NOT NULL DEFAULT '';
ALTER TABLE attempts ADD COLUMN started_from TEXT NOT NULL DEFAULT '';
ALTER TABLE attempts ADD COLUMN started_device TEXT NOT NULL DEFAULT '';
-- Secrets of this installation shared by every app server (the key that signs flash cookies).
CREATE TABLE installation_secrets (
    name   TEXT NOT NULL PRIMARY KEY,
    value  TEXT NOT NULL
);
-- The audit log is pruned by age (a retention setting) and filtered by time.
CREATE INDEX audit_log_at_idx ON audit_log(at);
