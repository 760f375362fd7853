-- Events (analysis/event): documents about one problem at one place. event
-- is the id of a document's event, NULL for none (never analysed, or its
-- content changed since, like the other analysis columns). An event's
-- documents move to the surviving event when it is absorbed, in the write
-- that absorbs it.
ALTER TABLE documents ADD COLUMN event TEXT COLLATE "C";

-- An event's documents are found, counted and moved by this index.
CREATE INDEX documents_event ON documents (event, published) WHERE event IS NOT NULL;
-- Hot events of a period count their documents by publication time,
-- sentiment and source from this index alone.
CREATE INDEX documents_published_event ON documents (published, event) INCLUDE (sentiment, source) WHERE event IS NOT NULL;

-- One row per existing event. first, last and count are what its
-- documents span, recomputed from them whenever the event is written;
-- title and the name lists (JSON arrays, most named first) are the label
-- the analysis gave it last.
CREATE TABLE events (
    id      TEXT COLLATE "C" PRIMARY KEY,
    title   TEXT NOT NULL DEFAULT '',
    sites   TEXT NOT NULL DEFAULT '[]',
    regions TEXT NOT NULL DEFAULT '[]',
    crowds  TEXT NOT NULL DEFAULT '[]',
    first   TIMESTAMPTZ NOT NULL,
    last    TIMESTAMPTZ NOT NULL,
    count   INTEGER NOT NULL
);

-- The cases of an event are found through its documents.
CREATE INDEX cases_document ON cases (document_id);
