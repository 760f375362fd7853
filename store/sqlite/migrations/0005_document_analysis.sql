-- Text-analysis results beside each document. analysed_at (unix seconds) is
-- NULL until the document is analysed, and the other columns are NULL with
-- it; a change of content clears them all again, since they describe the old
-- text. simhash is the 64-bit fingerprint bit-cast to a signed integer (SQLite
-- has no unsigned type), NULL when the analysis has none; topic is NULL
-- rather than '' for a document in no topic, which keeps it out of the index.
ALTER TABLE documents ADD COLUMN sentiment           TEXT;
ALTER TABLE documents ADD COLUMN sentiment_score     REAL;
ALTER TABLE documents ADD COLUMN category            TEXT;
ALTER TABLE documents ADD COLUMN category2           TEXT;
ALTER TABLE documents ADD COLUMN category_confidence REAL;
ALTER TABLE documents ADD COLUMN topic               TEXT;
ALTER TABLE documents ADD COLUMN simhash             INTEGER;
ALTER TABLE documents ADD COLUMN analysed_at         INTEGER;

-- Topic trends count a topic's documents by publication time and sentiment
-- from this index alone.
CREATE INDEX documents_topic_published ON documents (topic, published, sentiment) WHERE topic IS NOT NULL;
-- Topics active in a window are found by publication time.
CREATE INDEX documents_published ON documents (published);
-- The near-duplicate index is rebuilt from the fingerprints since a time.
CREATE INDEX documents_fingerprints ON documents (published, id, simhash, topic) WHERE simhash IS NOT NULL;
