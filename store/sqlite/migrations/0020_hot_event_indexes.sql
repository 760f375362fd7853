-- Hot events count a year of an event's documents per China-time day,
-- sentiment and source: this index holds them in that order, so the engine
-- groups them as it reads instead of sorting some 85,000 rows (a year's top
-- events at 1,000,000 documents). Its day is Dialect.ChinaDay, spelt alike.
CREATE INDEX documents_event_day ON documents (event, (published + 28800) / 86400, sentiment, source, published)
    WHERE event IS NOT NULL;

-- An event's heat were all its documents inside a period (sqlstore
-- insideHeat, written with its counts): the hottest events of a long period
-- are read in this order from events_heat, those of a short one from
-- events_last, which covers it too.
ALTER TABLE events ADD COLUMN heat_inside REAL NOT NULL DEFAULT 0;
UPDATE events SET heat_inside = (ln(CAST(count + 1 AS DOUBLE PRECISION)) + 0.5 * ln(CAST(1 + likes + dislikes AS DOUBLE PRECISION)))
    * sqrt(CAST(CASE WHEN count >= 7 THEN 8 ELSE count + 1 END AS DOUBLE PRECISION))
    * (1 + CAST(negative AS DOUBLE PRECISION) / count)
    * (1 + 0.25 * CASE WHEN sources >= 5 THEN 4 WHEN sources < 1 THEN 0 ELSE sources - 1 END);
CREATE INDEX events_heat ON events (heat_inside DESC, id, first, last, count, negative, sources, likes, dislikes);
DROP INDEX events_last;
CREATE INDEX events_last ON events (last, first, id, count, negative, sources, likes, dislikes, heat_inside);

-- A case's event is its document's, copied whenever either is written or
-- an event absorbs another, so that hot events read the cases of an event
-- from cases_event instead of probing the cases of each of its documents.
ALTER TABLE cases ADD COLUMN event TEXT;
UPDATE cases SET event = (SELECT event FROM documents WHERE documents.id = cases.document_id);
CREATE INDEX cases_event ON cases (event, id, document_id, status, received) WHERE event IS NOT NULL;
