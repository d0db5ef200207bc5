-- Who must take part. A contest tells people apart by category (who they are: officials,
-- residents, pupils; each mandatory or encouraged, optionally with its own minimum age) and by
-- position (what they do: unit leader, section head, staff, one-stop shop). Both are lists
-- the organizer edits; one used by a person or a roster is retired, never deleted.
CREATE TABLE contest_groups (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    contest_id  BIGINT  NOT NULL REFERENCES contests(id),
    kind        TEXT    NOT NULL,               -- category | position
    name        TEXT    NOT NULL,
    mandatory   BIGINT  NOT NULL DEFAULT 0,     -- categories: 1 mandatory, 0 encouraged
    min_age     BIGINT,                        -- categories: overrides the contest's
    sort        BIGINT  NOT NULL,
    retired_at  BIGINT,
    CONSTRAINT contest_groups_name_key UNIQUE (contest_id, kind, name)
);

-- A person's category and position in one contest, asked at their first start there (one
-- account serves every contest, each with its own lists).
CREATE TABLE contest_profiles (
    contest_id   BIGINT  NOT NULL REFERENCES contests(id),
    user_id      BIGINT  NOT NULL REFERENCES users(id),
    category_id  BIGINT  REFERENCES contest_groups(id),
    position_id  BIGINT  REFERENCES contest_groups(id),
    created_at   BIGINT  NOT NULL,
    CONSTRAINT contest_profiles_pkey PRIMARY KEY (contest_id, user_id)
);

-- The people each unit must send (its roster), with their position; matched to accounts by
-- phone or citizen ID.
CREATE TABLE roster_entries (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    contest_id   BIGINT  NOT NULL REFERENCES contests(id),
    unit_id      BIGINT  NOT NULL REFERENCES units(id),
    full_name    TEXT    NOT NULL,
    birth_date   TEXT,
    phone        TEXT,
    citizen_id   TEXT,
    position_id  BIGINT  REFERENCES contest_groups(id),
    created_at   BIGINT  NOT NULL
);
CREATE INDEX roster_entries_unit_idx ON roster_entries(contest_id, unit_id);

-- The participation rules by position or category, as the organizer wrote them
-- ("department, district: lãnh đạo đơn vị >= 1; lãnh đạo phòng >= 50%").
ALTER TABLE contests ADD COLUMN quota_rules TEXT NOT NULL DEFAULT '';
