-- Reserved: version 12 is another branch's migration. Delete this file when that
-- branch is merged (its 0012 takes the number).
SELECT 1;
