-- Hot events count a year of an event's documents per China-time day,
-- sentiment and source: this index holds them in that order, so the engine
-- groups them as it reads instead of sorting some 85,000 rows (a year's top
-- events at 1,000,000 documents). Its day is Dialect.ChinaDay, spelt alike.
CREATE INDEX documents_event_day ON documents (event, (published + 28800) / 86400, sentiment, source, published)
    WHERE event IS NOT NULL;

-- They list the cases of those documents, found by document id: with id in
-- documents_event the join reads the index alone instead of every
-- document's row.
DROP INDEX documents_event;
CREATE INDEX documents_event ON documents (event, published, sentiment, source, likes, dislikes, id) WHERE event IS NOT NULL;
