-- The board's search keeps a letter's character triples beside its
-- characters and pairs: a query of three characters or more walks its
-- rarest triple, not its rarest pair. The letters published before this
-- get theirs here, as the store writes them (lower() folds ASCII only, as
-- the store does; substr and length count characters).
WITH RECURSIVE at (number, created, text, i) AS (
    SELECT number, created, lower(public_text), 1 FROM portal_letters
    WHERE publish = 1 AND state = 'accepted' AND length(public_text) >= 3
    UNION ALL
    SELECT number, created, text, i + 1 FROM at WHERE i + 3 <= length(text)
)
INSERT INTO portal_grams (gram, created, number)
SELECT substr(text, i, 3), created, number FROM at WHERE true
ON CONFLICT DO NOTHING;
