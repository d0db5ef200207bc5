-- The outcome of a plain form post that is too large to travel back in the redirect's URL:
-- an import refused with its errors listed by row and column (up to 50 rows of Vietnamese).
-- The redirect carries only the id; the page reads the outcome for the same person. Rows
-- are kept a day.
CREATE TABLE form_outcomes (
    id          TEXT    NOT NULL,
    user_id     BIGINT  NOT NULL REFERENCES users(id),
    created_at  BIGINT  NOT NULL,
    payload     TEXT    NOT NULL,
    CONSTRAINT form_outcomes_pkey PRIMARY KEY (id)
);
CREATE INDEX form_outcomes_created_idx ON form_outcomes(created_at);
