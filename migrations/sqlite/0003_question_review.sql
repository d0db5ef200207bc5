-- Question bank workflow: who wrote and who reviewed a question, the reviewer's comment,
-- and which approved question a draft revises (the revised one is retired, never edited,
-- so attempts that saw it keep scoring against what they saw).
ALTER TABLE questions ADD COLUMN author_id INTEGER REFERENCES users(id);
ALTER TABLE questions ADD COLUMN reviewer_id INTEGER REFERENCES users(id);
ALTER TABLE questions ADD COLUMN review_comment TEXT NOT NULL DEFAULT '';
ALTER TABLE questions ADD COLUMN revision_of INTEGER REFERENCES questions(id);
ALTER TABLE questions ADD COLUMN updated_at INTEGER NOT NULL DEFAULT 0;

-- The topics of a contest; imports and drafts must use one of them.
CREATE TABLE topics (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    contest_id  INTEGER NOT NULL REFERENCES contests(id),
    name        TEXT    NOT NULL,
    CONSTRAINT topics_name_key UNIQUE (contest_id, name)
);
INSERT INTO topics (contest_id, name) SELECT DISTINCT contest_id, topic FROM questions;
