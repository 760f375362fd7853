-- Posts and messages. Times are whole seconds; NULL means unknown.
-- The reply columns are NULL together when the source published no official reply.
-- id sorts bytewise (COLLATE "C") so that ScanDocuments pages in the order Go
-- compares strings, whatever the database's default collation.
CREATE TABLE documents (
    id              TEXT COLLATE "C" PRIMARY KEY,
    source          TEXT NOT NULL,
    kind            TEXT NOT NULL,
    url             TEXT NOT NULL DEFAULT '',
    external_id     TEXT NOT NULL DEFAULT '',
    board           TEXT NOT NULL DEFAULT '',
    title           TEXT NOT NULL,
    body            TEXT NOT NULL,
    author          TEXT NOT NULL DEFAULT '',
    published       TIMESTAMPTZ NOT NULL,
    fetched         TIMESTAMPTZ,
    message_type    TEXT NOT NULL DEFAULT '',
    status          TEXT NOT NULL DEFAULT '',
    comments        JSONB,
    reply_unit      TEXT,
    reply_body      TEXT,
    reply_published TIMESTAMPTZ,
    content_hash    TEXT NOT NULL,
    contact         JSONB
);

CREATE INDEX documents_source_published ON documents (source, published);
