-- An attempt's terms are frozen when it starts: the last instant an answer is accepted
-- (deadline + the grace in force at the start) and the maximum score (questions drawn x
-- points per question then). An organizer who later edits the grace or the points changes
-- attempts started afterwards, never a running or finished one. Saves and the sweeper read
-- these columns instead of joining the contest.
ALTER TABLE attempts ADD COLUMN accept_until INTEGER NOT NULL DEFAULT 0;
ALTER TABLE attempts ADD COLUMN max_score INTEGER NOT NULL DEFAULT 0;

UPDATE attempts SET
    accept_until = deadline_at + 1000 * (
        SELECT c.grace_secs FROM rounds r JOIN contests c ON c.id = r.contest_id
        WHERE r.id = attempts.round_id),
    max_score = (SELECT COUNT(*) FROM attempt_questions q WHERE q.attempt_id = attempts.id) * (
        SELECT c.points_per_question FROM rounds r JOIN contests c ON c.id = r.contest_id
        WHERE r.id = attempts.round_id);

-- The sweeper's scan: running attempts by the instant they can no longer receive answers.
CREATE INDEX attempts_running_accept_until_idx ON attempts(accept_until) WHERE status = 'in_progress';
