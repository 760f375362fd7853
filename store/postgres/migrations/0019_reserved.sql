-- Reserved for the branch that owns migration 0019; the portal branch's
-- 0021 needs an unbroken sequence. Drop this file when that 0019 merges.
SELECT 1;
