-- Collective prizes as the committee computed them (the units that receive one), and when
-- they were published. The criterion and the figure each unit was ranked by are kept so the
-- result can be explained and reproduced.
CREATE TABLE unit_awards (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    contest_id   BIGINT NOT NULL REFERENCES contests(id),
    unit_id      BIGINT NOT NULL REFERENCES units(id),
    rank         BIGINT NOT NULL,
    criterion    TEXT   NOT NULL,
    value        TEXT   NOT NULL,
    computed_at  BIGINT NOT NULL,
    CONSTRAINT unit_awards_contest_unit_key UNIQUE (contest_id, unit_id)
);
ALTER TABLE contests ADD COLUMN unit_awards_published_at BIGINT;
