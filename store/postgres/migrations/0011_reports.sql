-- 舆情 reports from draft to publication. The content is the report's JSON,
-- which analysts edit while it is a draft; a published report keeps the
-- DOCX and PDF that were handed out, as they were.
CREATE TABLE reports (
    id          TEXT COLLATE "C" PRIMARY KEY,
    kind        TEXT NOT NULL,
    period_from TIMESTAMPTZ NOT NULL,
    period_to   TIMESTAMPTZ NOT NULL,
    title       TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('draft', 'published')),
    author      TEXT NOT NULL,
    created     TIMESTAMPTZ NOT NULL,
    edited      TIMESTAMPTZ NOT NULL,
    publisher   TEXT NOT NULL DEFAULT '',
    published   TIMESTAMPTZ,
    content     JSONB NOT NULL,
    docx        BYTEA,
    pdf         BYTEA
);
CREATE INDEX reports_period ON reports (period_to DESC, created DESC);
