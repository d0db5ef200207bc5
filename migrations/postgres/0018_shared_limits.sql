-- Rate limits and failed-login counts shared by every app server on one Postgres, so a limit
-- holds whichever server a request reaches. (A SQLite installation is one server: it keeps
-- them in memory and leaves these tables empty.)
CREATE TABLE rate_buckets (
    kind        TEXT   NOT NULL,
    key         TEXT   NOT NULL,
    level       BIGINT NOT NULL,
    updated_ms  BIGINT NOT NULL,
    PRIMARY KEY (kind, key)
);
CREATE TABLE login_failures (
    account  TEXT   NOT NULL,
    place    TEXT   NOT NULL,
    failures BIGINT NOT NULL,
    last_ms  BIGINT NOT NULL,
    PRIMARY KEY (account, place)
);
