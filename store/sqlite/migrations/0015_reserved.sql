-- Reserved for the branch that owns migration 0015; the portal branch's
-- 0016 needs an unbroken sequence. Drop this file when that 0015 merges.
SELECT 1;
