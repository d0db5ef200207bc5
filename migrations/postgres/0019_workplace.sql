-- Where a person works, when it is not the unit they registered under (Thái Nguyên: officials
-- take part in the ward where they live). Participation rules count a person who is on no
-- roster at their workplace; collective prizes and reports keep the unit they registered under.
ALTER TABLE users ADD COLUMN workplace_unit_id BIGINT REFERENCES units(id);
