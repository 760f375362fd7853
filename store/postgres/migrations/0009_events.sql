-- Events (analysis/event): documents about one problem at one place. event
-- is the id of a document's event, NULL for none (not analysed yet). A
-- change of content keeps it until the document is analysed again, so that
-- the event it leaves is recomputed then. An event's
-- documents move to the surviving event when it is absorbed, in the write
-- that absorbs it.
ALTER TABLE documents ADD COLUMN event TEXT COLLATE "C";

-- An event's documents are found, moved and counted (by time, sentiment
-- and source) from this index alone.
CREATE INDEX documents_event ON documents (event, published) INCLUDE (sentiment, source) WHERE event IS NOT NULL;

-- One row per existing event. first, last, count, negative (documents of
-- negative sentiment) and sources (distinct) are what its documents say,
-- recomputed from them whenever the event is written, so that hot events
-- read an event inside a period from its row alone; title and the name
-- lists (JSON arrays, most named first) are the label the analysis gave it
-- last.
CREATE TABLE events (
    id      TEXT COLLATE "C" PRIMARY KEY,
    title   TEXT NOT NULL DEFAULT '',
    sites   TEXT NOT NULL DEFAULT '[]',
    regions TEXT NOT NULL DEFAULT '[]',
    crowds  TEXT NOT NULL DEFAULT '[]',
    first   TIMESTAMPTZ NOT NULL,
    last    TIMESTAMPTZ NOT NULL,
    count    INTEGER NOT NULL,
    negative INTEGER NOT NULL,
    sources  INTEGER NOT NULL
);

-- Hot events find the events of a period by when they end, and read those
-- inside it from this index alone.
CREATE INDEX events_last ON events (last, first) INCLUDE (id, count, negative, sources);

-- The cases of an event are found through its documents.
CREATE INDEX cases_document ON cases (document_id);
