-- Readers' reactions as the source shows them (点赞/支持 and 反对), on a
-- document, and summed over an event's documents on its row, where hot
-- events read them with the rest of the event's counts.
ALTER TABLE documents ADD COLUMN likes INTEGER NOT NULL DEFAULT 0;
ALTER TABLE documents ADD COLUMN dislikes INTEGER NOT NULL DEFAULT 0;
ALTER TABLE events ADD COLUMN likes INTEGER NOT NULL DEFAULT 0;
ALTER TABLE events ADD COLUMN dislikes INTEGER NOT NULL DEFAULT 0;

-- The indexes that count an event's documents in a period, and that read
-- the events inside a period, cover the reactions too.
DROP INDEX documents_event;
CREATE INDEX documents_event ON documents (event, published, sentiment, source, likes, dislikes) WHERE event IS NOT NULL;
DROP INDEX events_last;
CREATE INDEX events_last ON events (last, first, id, count, negative, sources, likes, dislikes);
