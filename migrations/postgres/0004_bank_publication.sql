-- Whether participants may study the approved questions, with answers and explanations,
-- before and during the contest (the plans publish the bank and its answers).
ALTER TABLE contests ADD COLUMN bank_published BIGINT NOT NULL DEFAULT 0;
