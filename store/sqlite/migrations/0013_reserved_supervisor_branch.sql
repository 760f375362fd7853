-- Reserved for another branch's migration of this number (the supervisor
-- branch's own is 0014, and versions may not skip one). Delete this file
-- when the branch that owns the number is merged.
SELECT 1;
