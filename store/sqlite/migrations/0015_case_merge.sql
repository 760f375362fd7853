-- 并单: the case a letter was merged into, whose reply answers it; NULL for
-- a letter answered on its own. A primary's page lists its merged letters
-- by this column: a partial index of the few merged ones serves it.
ALTER TABLE cases ADD COLUMN merged_into TEXT;
CREATE INDEX cases_merged_into ON cases (merged_into, id) WHERE merged_into IS NOT NULL;
