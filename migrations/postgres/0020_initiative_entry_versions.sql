-- Initiative entries as plans allow them: a write-up, a video or both, plus images; the
-- submitter edits or withdraws an entry until the deadline, and every earlier version is kept.

-- The entry's current version (1 when submitted), when it last changed, and whether it was
-- withdrawn (a withdrawn entry no longer counts, nor is it scored).
ALTER TABLE initiative_entries ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE initiative_entries ADD COLUMN updated_at BIGINT;
ALTER TABLE initiative_entries ADD COLUMN withdrawn_at BIGINT;

-- A file belongs to the entry from `version` on, until the version that removed or replaced
-- it (`replaced_in`; NULL while it is current).
ALTER TABLE initiative_files ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE initiative_files ADD COLUMN replaced_in BIGINT;
-- The single optional attachment becomes a video or an image, by its content.
UPDATE initiative_files SET slot = CASE WHEN detected_type = 'mp4' THEN 'video' ELSE 'image' END
    WHERE slot = 'attachment';
CREATE INDEX initiative_files_current_idx ON initiative_files(entry_id, replaced_in);

-- An entry's text as it was before each edit or its withdrawal.
CREATE TABLE initiative_entry_versions (
    entry_id     BIGINT  NOT NULL REFERENCES initiative_entries(id),
    version      BIGINT  NOT NULL,
    title        TEXT    NOT NULL,
    topic        TEXT    NOT NULL,
    lead_author  TEXT    NOT NULL,
    co_authors   TEXT    NOT NULL,
    saved_at     BIGINT  NOT NULL,              -- when this version was made
    replaced_at  BIGINT  NOT NULL,              -- when the next one (or the withdrawal) came
    replaced_by  BIGINT  NOT NULL REFERENCES users(id),
    PRIMARY KEY (entry_id, version)
);

-- The stages after submission. An intermediate body (a unit a "chọn" requirement names, e.g.
-- the education office) pre-selects its units' entries; only those go on to the jury. The
-- committee then selects the entries it forwards to the next level, and records the prize
-- each won there and the author proposed for commendation.
ALTER TABLE initiative_entries ADD COLUMN preselected_at BIGINT;
ALTER TABLE initiative_entries ADD COLUMN preselected_by BIGINT REFERENCES users(id);
ALTER TABLE initiative_entries ADD COLUMN forwarded_at BIGINT;
ALTER TABLE initiative_entries ADD COLUMN higher_prize TEXT;
ALTER TABLE initiative_entries ADD COLUMN honoree TEXT;

-- The contest's rules (Thể lệ) as free text, and the cover letter of the forwarding package:
-- who sends it, to whom, and its wording.
ALTER TABLE initiative_contests ADD COLUMN rules_text TEXT NOT NULL DEFAULT '';
ALTER TABLE initiative_contests ADD COLUMN issuer TEXT NOT NULL DEFAULT '';
ALTER TABLE initiative_contests ADD COLUMN recipient TEXT NOT NULL DEFAULT '';
ALTER TABLE initiative_contests ADD COLUMN letter TEXT NOT NULL DEFAULT '';
-- The rules as a document too (PDF or Word), kept in the file store under its SHA-256.
ALTER TABLE initiative_contests ADD COLUMN rules_file TEXT;
ALTER TABLE initiative_contests ADD COLUMN rules_file_type TEXT;
ALTER TABLE initiative_contests ADD COLUMN rules_file_name TEXT;

-- A juror's comment on one criterion of one entry.
ALTER TABLE initiative_scores ADD COLUMN comment TEXT NOT NULL DEFAULT '';

-- Which juror scores which entry. No rows for a contest: every juror scores every entry.
CREATE TABLE initiative_assignments (
    contest_id  BIGINT  NOT NULL REFERENCES initiative_contests(id),
    entry_id    BIGINT  NOT NULL REFERENCES initiative_entries(id),
    juror_id    BIGINT  NOT NULL REFERENCES users(id),
    PRIMARY KEY (entry_id, juror_id)
);
CREATE INDEX initiative_assignments_juror_idx ON initiative_assignments(contest_id, juror_id);
