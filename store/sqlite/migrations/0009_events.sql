-- Events (analysis/event): documents about one problem at one place. event
-- is the id of a document's event, NULL for none (not analysed yet). A
-- change of content keeps it until the document is analysed again, so that
-- the event it leaves is recomputed then. An event's
-- documents move to the surviving event when it is absorbed, in the write
-- that absorbs it.
ALTER TABLE documents ADD COLUMN event TEXT;

-- An event's documents are found, moved and counted (by time, sentiment
-- and source) from this index alone.
CREATE INDEX documents_event ON documents (event, published, sentiment, source) WHERE event IS NOT NULL;

-- One row per existing event. first, last (unix seconds), count, negative
-- (documents of negative sentiment) and sources (distinct) are what its
-- documents say, recomputed from them whenever the event is written, so
-- that hot events read an event inside a period from its row alone; title
-- and the name lists (JSON arrays, most named first) are the label the
-- analysis gave it last.
CREATE TABLE events (
    id      TEXT PRIMARY KEY,
    title   TEXT NOT NULL DEFAULT '',
    sites   TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(sites)),
    regions TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(regions)),
    crowds  TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(crowds)),
    first   INTEGER NOT NULL,
    last    INTEGER NOT NULL,
    count    INTEGER NOT NULL,
    negative INTEGER NOT NULL,
    sources  INTEGER NOT NULL
) STRICT;

-- Hot events find the events of a period by when they end, and read those
-- inside it from this index alone.
CREATE INDEX events_last ON events (last, first, id, count, negative, sources);

-- The cases of an event are found through its documents.
CREATE INDEX cases_document ON cases (document_id);
