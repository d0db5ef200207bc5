-- People who may not enter (organizing committee, secretariat, question writers, technical staff),
-- identified by phone and/or citizen ID. Checked at registration and again at every start,
-- so someone listed after registering is kept out too.
CREATE TABLE excluded_people (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    full_name   TEXT    NOT NULL DEFAULT '',
    phone       TEXT,
    citizen_id  TEXT,
    reason      TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    CONSTRAINT excluded_people_phone_key UNIQUE (phone),
    CONSTRAINT excluded_people_citizen_id_key UNIQUE (citizen_id),
    CONSTRAINT excluded_people_identified_check CHECK (phone IS NOT NULL OR citizen_id IS NOT NULL)
);
