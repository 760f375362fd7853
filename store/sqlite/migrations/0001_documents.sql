-- Posts and messages. Times are unix seconds in UTC; NULL means unknown.
-- The reply columns are NULL together when the source published no official reply.
CREATE TABLE documents (
    id              TEXT PRIMARY KEY,
    source          TEXT NOT NULL,
    kind            TEXT NOT NULL,
    url             TEXT NOT NULL DEFAULT '',
    external_id     TEXT NOT NULL DEFAULT '',
    board           TEXT NOT NULL DEFAULT '',
    title           TEXT NOT NULL,
    body            TEXT NOT NULL,
    author          TEXT NOT NULL DEFAULT '',
    published       INTEGER NOT NULL,
    fetched         INTEGER,
    message_type    TEXT NOT NULL DEFAULT '',
    status          TEXT NOT NULL DEFAULT '',
    comments        TEXT CHECK (comments IS NULL OR json_valid(comments)),
    reply_unit      TEXT,
    reply_body      TEXT,
    reply_published INTEGER,
    content_hash    TEXT NOT NULL,
    contact         TEXT CHECK (contact IS NULL OR json_valid(contact))
) STRICT;

CREATE INDEX documents_source_published ON documents (source, published);
