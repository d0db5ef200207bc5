-- Which attempt counts when several are allowed (best | first | last), and the prediction
-- question asked at the end of an attempt when the contest uses one.
ALTER TABLE contests ADD COLUMN counting_mode TEXT NOT NULL DEFAULT 'best';
ALTER TABLE contests ADD COLUMN prediction_enabled INTEGER NOT NULL DEFAULT 0;
ALTER TABLE contests ADD COLUMN prediction_prompt TEXT NOT NULL DEFAULT '';

-- When a round's results are published (NULL: not scheduled yet).
ALTER TABLE rounds ADD COLUMN results_at INTEGER;

-- How many questions each attempt draws per topic and difficulty (NULL difficulty: any),
-- so that every attempt is equally hard. No rows: draw from the whole approved bank.
CREATE TABLE draw_quotas (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    contest_id  INTEGER NOT NULL REFERENCES contests(id),
    topic       TEXT    NOT NULL,
    difficulty  INTEGER,
    count       INTEGER NOT NULL,
    CONSTRAINT draw_quotas_count_check CHECK (count > 0)
);
CREATE INDEX draw_quotas_contest_idx ON draw_quotas(contest_id);

-- Units form a tree (province > district > ward/commune; departments; schools) and may
-- carry a mandatory participation quota: the share of the headcount, in percent.
ALTER TABLE units ADD COLUMN parent_id INTEGER REFERENCES units(id);
ALTER TABLE units ADD COLUMN quota_percent INTEGER;
