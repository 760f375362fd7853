-- Letters written on the public portal: the public number, the hash of the
-- 查询码 (the secret itself is shown once and never kept), whether the
-- writer allowed publication, and the review state. A letter held for
-- review (待审) keeps its document here until a reviewer releases it to
-- intake, when it moves to documents like any letter; the text and contact
-- of an accepted letter live in documents only.
CREATE TABLE portal_letters (
    number       TEXT PRIMARY KEY,
    document_id  TEXT NOT NULL,
    case_id      TEXT NOT NULL, -- the case the letter opens (minyi.CaseIDFor), to join on
    code_hash    TEXT NOT NULL,
    publish      INTEGER NOT NULL,
    state        TEXT NOT NULL CHECK (state IN ('accepted', 'held', 'rejected')),
    hold_reason  TEXT NOT NULL DEFAULT '',
    reviewer     TEXT NOT NULL DEFAULT '',
    review       TEXT NOT NULL DEFAULT '',
    created      INTEGER NOT NULL,
    updated      INTEGER NOT NULL,
    held         TEXT CHECK (held IS NULL OR json_valid(held))
) STRICT;
CREATE INDEX portal_letters_case ON portal_letters (case_id);
-- The public board, newest first: walked in order, its cases looked up by id.
CREATE INDEX portal_letters_board ON portal_letters (publish, state, created DESC, number DESC);
CREATE INDEX portal_letters_held ON portal_letters (state, created) WHERE state = 'held';
