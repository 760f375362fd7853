-- Placeholder on the pages branch so that 0017 loads (migrations run without
-- gaps): the branches merged before it bring the real 0016; drop this file then.
SELECT 1;
