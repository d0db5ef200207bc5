-- Collective prizes as the committee computed them (the units that receive one), and when
-- they were published. The criterion and the figure each unit was ranked by are kept so the
-- result can be explained and reproduced.
CREATE TABLE unit_awards (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    contest_id   INTEGER NOT NULL REFERENCES contests(id),
    unit_id      INTEGER NOT NULL REFERENCES units(id),
    rank         INTEGER NOT NULL,
    criterion    TEXT   NOT NULL,
    value        TEXT   NOT NULL,
    computed_at  INTEGER NOT NULL,
    CONSTRAINT unit_awards_contest_unit_key UNIQUE (contest_id, unit_id)
);
ALTER TABLE contests ADD COLUMN unit_awards_published_at INTEGER;
