-- Reserved for the branch that owns migration 0020; the portal branch's
-- 0021 needs an unbroken sequence. Drop this file when that 0020 merges.
SELECT 1;
