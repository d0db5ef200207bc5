-- Initiative contests (sáng kiến): entries are submissions (a write-up and optionally a video
-- or images) by a unit, scored by a jury against a rubric. Files live on disk, named by their
-- SHA-256; only their metadata is stored here.
CREATE TABLE initiative_contests (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    name                 TEXT    NOT NULL,
    topics               TEXT    NOT NULL,          -- one topic per line
    rubric               TEXT    NOT NULL,          -- one "criterion: max points" per line
    prizes               TEXT    NOT NULL,          -- "Nhất:1, Nhì:2, Ba:3"
    requirements         TEXT    NOT NULL,          -- "ward:1, school:2": entries required per unit kind
    submission_deadline  INTEGER NOT NULL,
    results_at           INTEGER NOT NULL,
    computed_at          INTEGER,
    published_at         INTEGER,
    created_at           INTEGER NOT NULL
);

CREATE TABLE initiative_entries (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    contest_id    INTEGER NOT NULL REFERENCES initiative_contests(id),
    unit_id       INTEGER NOT NULL REFERENCES units(id),
    submitted_by  INTEGER NOT NULL REFERENCES users(id),
    title         TEXT    NOT NULL,
    topic         TEXT    NOT NULL,
    lead_author   TEXT    NOT NULL,                 -- named for the honour when a group wins
    co_authors    TEXT    NOT NULL,
    created_at    INTEGER NOT NULL
);
CREATE INDEX initiative_entries_contest_idx ON initiative_entries(contest_id, unit_id);

CREATE TABLE initiative_files (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    entry_id       INTEGER NOT NULL REFERENCES initiative_entries(id),
    slot           TEXT    NOT NULL,                -- 'writeup' or 'attachment'
    sha256         TEXT    NOT NULL,                -- hex; also the file's name on disk
    size_bytes     INTEGER NOT NULL,
    detected_type  TEXT    NOT NULL,                -- from the content: pdf, docx, mp4, jpeg, png
    original_name  TEXT    NOT NULL,
    created_at     INTEGER NOT NULL
);
CREATE INDEX initiative_files_entry_idx ON initiative_files(entry_id);

-- One juror's points for one criterion (its position in the rubric) of one entry.
CREATE TABLE initiative_scores (
    entry_id    INTEGER NOT NULL REFERENCES initiative_entries(id),
    juror_id    INTEGER NOT NULL REFERENCES users(id),
    criterion   INTEGER NOT NULL,
    points      INTEGER NOT NULL,
    scored_at   INTEGER NOT NULL,
    CONSTRAINT initiative_scores_key UNIQUE (entry_id, juror_id, criterion)
);

-- Prizes as the committee computed them; score is the combined score in hundredths.
CREATE TABLE initiative_awards (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    contest_id  INTEGER NOT NULL REFERENCES initiative_contests(id),
    entry_id    INTEGER NOT NULL REFERENCES initiative_entries(id),
    rank        INTEGER NOT NULL,
    prize       TEXT    NOT NULL,
    score       INTEGER NOT NULL,
    CONSTRAINT initiative_awards_entry_key UNIQUE (contest_id, entry_id)
);
