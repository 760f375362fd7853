-- Repeat complaints (重复件): the earlier cases of the same event that were
-- open, or closed within the repeat window, when this case's letter came;
-- a JSON array of case ids, newest received first, NULL for none.
ALTER TABLE cases ADD COLUMN repeat_of TEXT;
