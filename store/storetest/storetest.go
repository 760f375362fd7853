// Package storetest is the conformance suite every minyi.Store backend
// passes, so that the embedded and the scale deployment behave alike. A
// backend's test file is one line:
//
//	func TestStore(t *testing.T) { storetest.RunStoreTests(t, openTestStore) }
//
// Beyond the minyi.Store doc comments, the suite pins down what callers may
// rely on whichever backend runs:
//   - times come back in UTC, truncated to whole seconds (Document.Hash
//     ignores sub-seconds too); a zero time stays zero;
//   - a document without ContentHash is stored with Document.Hash();
//   - a batch with one invalid document fails whole with that document's
//     error code (EINVALID or ETOOLARGE) and its position and id in the message;
//     text anywhere in a document must be valid UTF-8 without NUL;
//   - ScanDocuments orders ids bytewise, as Go compares strings, and refuses a
//     limit below 1 with EINVALID;
//   - a cancelled context fails calls with an error wrapping context.Canceled;
//   - Cases orders newest received first, then by id descending, so pages
//     never overlap; an unknown case has an empty timeline; events at one
//     time keep the order they were appended in;
//   - the overdue board agrees with minyi.Case.Overdue and minyi.BoardRung
//     (a case below the overdue rung counts as overdue); OverdueCases pages
//     oldest due first, then by id, so pages never overlap;
//   - window bounds, Now and since may carry sub-seconds: they compare with
//     the stored (whole second) times as the exact instants they are;
//   - PutDocuments ignores Document.Analysis: only PutAnalyses writes it. A
//     document whose content changes loses its analysis (it described the
//     old text), so Document returns Analysis nil until it is analysed again;
//     an unchanged redelivery keeps it;
//   - an Analysis round-trips exactly, a simhash with the top bit set
//     included; Simhash 0 means "no fingerprint" and Topic "" "no topic";
//   - the outbox lists pending documents oldest first; a mark whose time is
//     within the current second counts as at or before now;
//   - PutAnalyses refuses a sentiment other than the three (or ""), scores
//     outside [-1, 1] and confidences outside [0, 1] with EINVALID;
//   - an event's row (Event) is what its documents span and count, always,
//     with the last label written; absorbing an event moves its documents
//     in the same write, and an event left without documents has no row;
//     a change of content keeps a document in its event until it is
//     analysed again.
package storetest

import (
	"testing"

	"minyi"
)

// RunStoreTests runs the suite. open must return a new, empty store for each
// call and arrange its Close (and any cleanup) with t.Cleanup.
func RunStoreTests(t *testing.T, open func(t *testing.T) minyi.Store) {
	tests := []struct {
		name string
		run  func(*testing.T, minyi.Store)
	}{
		{"RoundTrip", testRoundTrip},
		{"MinimalDocument", testMinimalDocument},
		{"NotFound", testNotFound},
		{"Redelivery", testRedelivery},
		{"ChangedHash", testChangedHash},
		{"HashFilledIn", testHashFilledIn},
		{"DuplicateInBatch", testDuplicateInBatch},
		{"InvalidBatch", testInvalidBatch},
		{"DocumentsOrder", testDocumentsOrder},
		{"ScanPagination", testScanPagination},
		{"ConcurrentPuts", testConcurrentPuts},
		{"CancelledContext", testCancelledContext},
		{"PageStates", testPageStates},
		{"CrawlRuns", testCrawlRuns},
		{"CrawlStatusEmpty", testCrawlStatusEmpty},
		{"InvalidCrawlState", testInvalidCrawlState},
		{"CaseRoundTrip", testCaseRoundTrip},
		{"InvalidCases", testInvalidCases},
		{"CaseEvents", testCaseEvents},
		{"CaseFilters", testCaseFilters},
		{"CasePaging", testCasePaging},
		{"DepartmentStats", testDepartmentStats},
		{"DepartmentStatsAfterWrites", testDepartmentStatsAfterWrites},
		{"OverdueBoard", testOverdueBoard},
		{"DepartmentEscalations", testDepartmentEscalations},
		{"AnalysisRoundTrip", testAnalysisRoundTrip},
		{"StaleAnalysis", testStaleAnalysis},
		{"PutAnalysesErrors", testPutAnalysesErrors},
		{"Fingerprints", testFingerprints},
		{"TopicTrends", testTopicTrends},
		{"Events", testEvents},
		{"ScanPublished", testScanPublished},
		{"HotEvents", testHotEvents},
		{"Reactions", testReactions},
		{"HotEventsRanking", testHotEventsRanking},
		{"HotEventsMix", testHotEventsMix},
		{"RepeatCases", testRepeatCases},
		{"MergedCases", testMergedCases},
		{"Outbox", testOutbox},
		{"OutboxChangedWhilePending", testOutboxChangedWhilePending},
		{"Users", testUsers},
		{"Sessions", testSessions},
		{"APITokens", testAPITokens},
		{"AuditLog", testAuditLog},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.run(t, open(t)) })
	}
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := minyi.ErrorCode(err); got != code {
		t.Fatalf("error code = %q, want %q (err: %v)", got, code, err)
	}
}
