-- Collective prizes ranked by a chain of criteria with named tiers: each stored winner keeps
-- its prize's name and money, whether it shares its rank, and the kinds of unit that competed
-- (the chain itself stays in `criterion`, as codes: "share,quota_time,high_prizes").
ALTER TABLE unit_awards ADD COLUMN prize_name TEXT NOT NULL DEFAULT '';
ALTER TABLE unit_awards ADD COLUMN amount INTEGER NOT NULL DEFAULT 0;
ALTER TABLE unit_awards ADD COLUMN tied INTEGER NOT NULL DEFAULT 0;
ALTER TABLE unit_awards ADD COLUMN kinds TEXT NOT NULL DEFAULT '';
