-- An excluded person who registers under another phone number and gives no citizen ID is
-- recognised by name and date of birth: such accounts are listed for the organizer, who
-- confirms the match (the account is then kept out everywhere, like a listed one) or
-- dismisses it. A match is never acted on without that decision.
ALTER TABLE excluded_people ADD COLUMN birth_date TEXT;
CREATE TABLE exclusion_reviews (
    excluded_id  INTEGER NOT NULL REFERENCES excluded_people(id),
    user_id      INTEGER NOT NULL REFERENCES users(id),
    confirmed    INTEGER NOT NULL,
    decided_by   INTEGER NOT NULL REFERENCES users(id),
    decided_at   INTEGER NOT NULL,
    CONSTRAINT exclusion_reviews_pkey PRIMARY KEY (excluded_id, user_id)
);
CREATE INDEX exclusion_reviews_user_idx ON exclusion_reviews(user_id);
-- Name-and-birth-date matches (exclusions, rosters) look accounts up by birth date.
CREATE INDEX users_birth_date_idx ON users(birth_date);

-- Questions the organizer adds to a participant's profile in the contest (one per line:
-- "Giới tính | bắt buộc | Nam; Nữ"), and each person's answers as [label, value] pairs in JSON.
ALTER TABLE contests ADD COLUMN extra_fields TEXT NOT NULL DEFAULT '';
ALTER TABLE contest_profiles ADD COLUMN extra TEXT NOT NULL DEFAULT '';
