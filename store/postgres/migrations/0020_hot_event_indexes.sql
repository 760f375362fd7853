-- Hot events list the cases of an event's documents, found by document id:
-- with id in documents_event the join reads the index alone instead of
-- every document's row (a year's top events are some 85,000 documents at
-- 1,000,000).
DROP INDEX documents_event;
CREATE INDEX documents_event ON documents (event, published) INCLUDE (sentiment, source, likes, dislikes, id) WHERE event IS NOT NULL;
