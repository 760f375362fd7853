-- Placeholder for the branch that owns migration 0019; the events branch's
-- 0020 needs an unbroken sequence. Drop this file when that 0019 merges.
SELECT 1;
