package activities

import "context"

// IndexDocuments loads documents from the store and writes them to the search
// index as one batch. Indexing by id makes a retry harmless. Ingest runs
// started before the outbox still call it on replay; new ones use
// IndexVersions.
func (a *Activities) IndexDocuments(ctx context.Context, ids []string) (int, error) {
	r, err := a.IndexVersions(ctx, ids)
	return r.Indexed, err
}
