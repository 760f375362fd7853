-- The outbox: a document that still has to go through the pipeline (analyse,
-- index, open its case). A row is written in the same transaction as the
-- document, and removed only once the pipeline has finished with that very
-- version (content_hash), so no crash between the store and the index or the
-- case can leave a document behind.
CREATE TABLE pending_documents (
    id           TEXT COLLATE "C" PRIMARY KEY,
    content_hash TEXT NOT NULL,
    since        TIMESTAMPTZ NOT NULL
);

CREATE INDEX pending_documents_since ON pending_documents (since, id);
