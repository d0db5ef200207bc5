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
