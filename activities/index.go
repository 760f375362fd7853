package activities

import (
	"context"
	"fmt"
)

// IndexDocuments loads documents from the store and writes them to the search
// index as one batch. Indexing by id makes a retry harmless. Ingest runs
// started before the outbox still call it on replay; new ones use
// IndexVersions.
func (a *Activities) IndexDocuments(ctx context.Context, ids []string) (int, error) {
	docs, err := a.Store.Documents(ctx, ids)
	if err != nil {
		return 0, fmt.Errorf("loading %d documents: %w", len(ids), err)
	}
	if err := a.Index.Index(ctx, docs); err != nil {
		return 0, fmt.Errorf("indexing %d documents: %w", len(docs), err)
	}
	documentsIndexed.Add(float64(len(docs)))
	return len(docs), nil
}
