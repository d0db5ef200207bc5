-- Question bank workflow: who wrote and who reviewed a question, the reviewer's comment,
-- and which approved question a draft revises (the revised one is retired, never edited,
-- so attempts that saw it keep scoring against what they saw).
ALTER TABLE questions ADD COLUMN author_id BIGINT REFERENCES users(id);
ALTER TABLE questions ADD COLUMN reviewer_id BIGINT REFERENCES users(id);
ALTER TABLE questions ADD COLUMN review_comment TEXT NOT NULL DEFAULT '';
ALTER TABLE questions ADD COLUMN revision_of BIGINT REFERENCES questions(id);
ALTER TABLE questions ADD COLUMN updated_at BIGINT NOT NULL DEFAULT 0;

-- The topics of a contest; imports and drafts must use one of them.
CREATE TABLE topics (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    contest_id  BIGINT NOT NULL REFERENCES contests(id),
    name        TEXT    NOT NULL,
    CONSTRAINT topics_name_key UNIQUE (contest_id, name)
);
INSERT INTO topics (contest_id, name) SELECT DISTINCT contest_id, topic FROM questions;
