-- The public board's search. public_text is a letter's text as the public
-- reads it (masked by the portal, without its place), so that a search
-- finds only what a reader sees; portal_grams holds its distinct
-- characters and character pairs (ASCII folded to lower case) for the
-- published letters, written with the letter. A search walks the rarest
-- gram of its words newest first and confirms each letter by substring.
ALTER TABLE portal_letters ADD COLUMN public_text TEXT NOT NULL DEFAULT '';
CREATE TABLE portal_grams (
    gram    TEXT COLLATE "C" NOT NULL,
    created TIMESTAMPTZ NOT NULL, -- the letter's, so a gram's letters are read newest first
    number  TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (gram, created, number)
);
