-- The board's search keeps a letter's character triples beside its
-- characters and pairs: a query of three characters or more walks its
-- rarest triple, not its rarest pair. The letters published before this
-- get theirs here, as the store writes them (ASCII folded to lower case
-- and nothing else; substr and char_length count characters).
INSERT INTO portal_grams (gram, created, number)
SELECT substr(l.text, i, 3), l.created, l.number
FROM (SELECT number, created,
             translate(public_text, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz') AS text
      FROM portal_letters WHERE publish AND state = 'accepted') AS l,
     generate_series(1, char_length(l.text) - 2) AS i
ON CONFLICT DO NOTHING;
