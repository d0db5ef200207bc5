-- How a contest ranks entries and what prizes a round gives (see src/domain/awards.rs).
ALTER TABLE contests ADD COLUMN rank_chain TEXT NOT NULL DEFAULT 'score,elapsed';
ALTER TABLE contests ADD COLUMN all_correct_only BIGINT NOT NULL DEFAULT 0;
-- What the prediction question asks for: 'all_correct' (entries with every answer right)
-- or 'participants' (people who took part in the round).
ALTER TABLE contests ADD COLUMN prediction_target TEXT NOT NULL DEFAULT 'all_correct';
ALTER TABLE contests ADD COLUMN round_prizes TEXT NOT NULL DEFAULT '';
ALTER TABLE contests ADD COLUMN prize_cap_percent BIGINT;
ALTER TABLE contests ADD COLUMN one_prize_per_person BIGINT NOT NULL DEFAULT 0;

-- The participant's answer to the prediction question, sent with the submission.
ALTER TABLE attempts ADD COLUMN prediction BIGINT;

-- Prizes of a round as computed from stored data, with the reason for each rank.
-- published_at: when the committee released them (shown publicly from the round's results_at).
CREATE TABLE awards (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    round_id     BIGINT NOT NULL REFERENCES rounds(id),
    user_id      BIGINT NOT NULL REFERENCES users(id),
    attempt_id   BIGINT NOT NULL REFERENCES attempts(id),
    rank         BIGINT NOT NULL,
    tier         BIGINT NOT NULL,
    prize        TEXT    NOT NULL,
    explanation  TEXT    NOT NULL,
    computed_at  BIGINT NOT NULL,
    CONSTRAINT awards_round_user_key UNIQUE (round_id, user_id)
);
ALTER TABLE rounds ADD COLUMN awards_published_at BIGINT;

-- Entries the committee set aside, with the recorded reason.
CREATE TABLE disqualifications (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    round_id    BIGINT NOT NULL REFERENCES rounds(id),
    user_id     BIGINT NOT NULL REFERENCES users(id),
    reason      TEXT    NOT NULL,
    decided_by  BIGINT NOT NULL REFERENCES users(id),
    created_at  BIGINT NOT NULL,
    CONSTRAINT disqualifications_round_user_key UNIQUE (round_id, user_id)
);

-- Minutes before the close during which the public leaderboard stops changing, until the
-- results are published (0: never frozen).
ALTER TABLE contests ADD COLUMN freeze_minutes BIGINT NOT NULL DEFAULT 0;

-- Prizes over the whole contest: each person's counted entries of every round added up.
ALTER TABLE contests ADD COLUMN overall_prizes TEXT NOT NULL DEFAULT '';
ALTER TABLE contests ADD COLUMN overall_published_at BIGINT;
CREATE TABLE overall_awards (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    contest_id   BIGINT NOT NULL REFERENCES contests(id),
    user_id      BIGINT NOT NULL REFERENCES users(id),
    rank         BIGINT NOT NULL,
    tier         BIGINT NOT NULL,
    prize        TEXT    NOT NULL,
    explanation  TEXT    NOT NULL,
    computed_at  BIGINT NOT NULL,
    CONSTRAINT overall_awards_contest_user_key UNIQUE (contest_id, user_id)
);
