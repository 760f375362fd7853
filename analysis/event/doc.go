// Package event groups documents into events: posts and messages about the
// same problem at the same place, across wording, sources and weeks (the
// concrete plant beside one estate that keeps people awake; one developer's
// late handover raised on the forum and in the mailbox). Near-duplicates
// (analysis/simhash topics) are an event's tightest level; departments meet
// events as repeat complaints (重复件).
//
// # Features
//
// Extractor finds names by suffix rules (小区, 花园, 路, 村, 学校, 公司 end
// sites; 区, 县, 镇, 街道 end regions) with the name reaching left to a stop
// word or the previous name, plus an admin's user Dictionary (names the
// rules miss, aliases such as a common misspelling), and the crowds a
// petition speaks for (业主, 村民, 学生) for display. The problem is the
// text's character bigrams outside proper names, the title's counting
// three times (a name's suffix stays: in 杨美公园 the 公园 matters).
//
// # Assignment
//
// Clusterer.Assign compares a document with the active events found
// through an inverted index (its heaviest terms, its sites' last three
// characters): cosine of tf-idf vectors (document frequencies counted as
// documents arrive, in a fixed-size count-min sketch; a document is its 48
// heaviest terms at unit length, an event the sum, 96 terms kept), times
// a time decay halving every 60 days away from the event's span. Places
// decide first: titles naming sites that differ are different events
// unless a body ties the two places; titles in different districts or
// towns too; a body naming only places (or districts) the event's titles
// do not is elsewhere, and so is a title naming a place none of the bodies
// of an event with silent titles name. It joins the best event above 0.10 when they share a site,
// above 0.20 otherwise, else it starts an event whose id is its own id.
// Events it qualifies for that are alike themselves (centroid cosine 0.10,
// no place conflict that a body does not tie) merge into the oldest, and Assignment.Absorbed lists
// the ids that stopped existing. cmd/eval measured these values on 544
// hand-labelled messages (make eval).
//
// # Memory and rebuilding
//
// An event without a document for Horizon (120 days) closes: it takes no
// more documents and leaves memory with its index entries. State is the
// sketch (16 MiB), the active events and their index, bounded by the rate
// of events times the horizon, not by the history. The same documents in
// the same order give the same events and ids, so the state is rebuilt by
// replaying the store's documents published in the last Horizon, in order
// of publication (ties by id), through Extractor.Features and Assign.
//
// # Integration
//
// The ingest pipeline (analysis/pipeline Analyze) holds one Clusterer next
// to its near-duplicate index and, after the parallel part, in the same
// loop in order of publication as topicOf: f := Extractor.Features(title,
// body) on the normalized text, a := Assign(Doc{ID, Source, Published,
// f}). The author is never passed. A document that already has an event
// keeps it (a retry changes nothing). Per document the store keeps
// Analysis.Event (indexed as a keyword filter in both search backends);
// per event a row events(id, first, last, count, negative, sources, title,
// sites, regions, crowds, heat_inside): the counts, and the Heat they give
// an event all inside a period, recomputed from its documents on every
// write that touches it, the label (minyi.EventLabel) from Summarize
// over its recent titles. For each id in a.Absorbed PutAnalyses runs one
// UPDATE documents SET event = a.Event WHERE event = absorbed in the same
// transaction, and the ingest activity re-indexes the moved documents, so
// ids stay unique and stable. On start the pipeline replays the last
// Horizon of documents (AnalysisStore.ScanPublished); minyi reindex
// assigns every document again from the first (pipeline.RebuildEvents).
// AnalysisStore.HotEvents ranks the events of any period by Heat; the
// case activities use the event id for 重复件 (Case.RepeatOf).
package event
