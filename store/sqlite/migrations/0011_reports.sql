-- 舆情 reports from draft to publication. The content is the report's JSON,
-- which analysts edit while it is a draft; a published report keeps the
-- DOCX and PDF that were handed out, as they were.
CREATE TABLE reports (
    id          TEXT PRIMARY KEY,
    kind        TEXT NOT NULL,
    period_from INTEGER NOT NULL,
    period_to   INTEGER NOT NULL,
    title       TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('draft', 'published')),
    author      TEXT NOT NULL,
    created     INTEGER NOT NULL,
    edited      INTEGER NOT NULL,
    publisher   TEXT NOT NULL DEFAULT '',
    published   INTEGER,
    content     TEXT NOT NULL CHECK (json_valid(content)),
    docx        BLOB,
    pdf         BLOB
) STRICT;
CREATE INDEX reports_period ON reports (period_to DESC, created DESC);
