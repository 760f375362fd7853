package importer

import (
	"context"
	"fmt"
	"time"

	"minyi"
)

// flush writes the batch: documents in one call, then each case whose
// document or derived snapshot differs from what is stored, then the
// timelines. Nothing in a batch depends on a later one, so an import that
// stops half-way is completed by running it again.
func (im *importer) flush(ctx context.Context) error {
	if len(im.batch) == 0 {
		return nil
	}
	batch := im.batch
	defer func() { im.batch = im.batch[:0] }()

	// A case exists only for a stored message, so only those are looked up:
	// a first import costs one query here per batch, not one per row.
	ids := make([]string, len(batch))
	for i := range batch {
		ids[i] = batch[i].doc.ID
	}
	existing, err := im.deps.Store.Documents(ctx, ids)
	if err != nil {
		return fmt.Errorf("importer: look up the messages of lines %d to %d: %w", batch[0].line, batch[len(batch)-1].line, err)
	}
	known := make(map[string]bool, len(existing))
	for _, d := range existing {
		known[d.ID] = true
	}
	stored := make([]*minyi.Case, len(batch))
	keep := make([]bool, len(batch))
	docs := make([]minyi.Document, 0, len(batch))
	for i := range batch {
		rec := &batch[i]
		if known[rec.doc.ID] {
			c, err := im.deps.Store.Case(ctx, rec.kase.ID)
			switch {
			case err == nil && !c.Historical:
				// A workflow owns this case; history must not rewrite it.
				im.fail(RowError{Line: rec.line, Code: "live_case", Message: fmt.Sprintf(
					"message %q of %s already has a live case %s; history does not overwrite it",
					rec.doc.ExternalID, im.source, c.ID)})
				continue
			case err == nil:
				stored[i] = c
			case minyi.ErrorCode(err) != minyi.ENOTFOUND:
				return fmt.Errorf("importer: look up case of line %d: %w", rec.line, err)
			}
		}
		keep[i] = true
		docs = append(docs, rec.doc)
	}
	if len(docs) == 0 {
		return nil
	}
	res, err := im.deps.Store.PutDocuments(ctx, docs)
	if err != nil {
		return fmt.Errorf("importer: store the messages of lines %d to %d: %w", batch[0].line, batch[len(batch)-1].line, err)
	}
	changed := make(map[string]bool, len(res.Changed))
	for _, id := range res.Changed {
		changed[id] = true
	}
	var events []minyi.CaseEvent
	for i := range batch {
		if !keep[i] {
			continue
		}
		rec := &batch[i]
		if !changed[rec.doc.ID] && stored[i] != nil && sameCase(stored[i], &rec.kase) {
			im.rep.Duplicates++
		} else {
			if err := im.deps.Store.PutCase(ctx, rec.kase); err != nil {
				return fmt.Errorf("importer: store the case of line %d: %w", rec.line, err)
			}
			im.rep.Imported++
		}
		// Appended even for a duplicate: existing keys are ignored, and an
		// import interrupted between cases and events gets its timeline back.
		events = append(events, rec.events...)
		if !rec.kase.Answered.IsZero() {
			im.rep.Answered++
			if rec.kase.OnTime {
				im.rep.OnTime++
			}
		}
		if rec.kase.Department == "" {
			im.rep.Unassigned++
		}
	}
	if err := im.deps.Store.AppendCaseEvents(ctx, events); err != nil {
		return fmt.Errorf("importer: store the case timelines of lines %d to %d: %w", batch[0].line, batch[len(batch)-1].line, err)
	}
	return nil
}

// sameCase tells whether a stored case already says what the row says.
// Updated is left out, and times are compared to the second, as stored.
func sameCase(a, b *minyi.Case) bool {
	sec := func(x, y time.Time) bool { return x.Truncate(time.Second).Equal(y.Truncate(time.Second)) }
	ra, rb := a.Routing, b.Routing
	sameRouting := (ra == nil) == (rb == nil) &&
		(ra == nil || ra.Department == rb.Department && ra.Rule == rb.Rule && ra.Reason == rb.Reason && sec(ra.At, rb.At))
	return sameRouting && a.DocumentID == b.DocumentID && a.Source == b.Source && a.Title == b.Title &&
		a.MessageType == b.MessageType && a.Category == b.Category && a.Region == b.Region &&
		a.Department == b.Department && a.Status == b.Status && a.Historical == b.Historical &&
		a.OnTime == b.OnTime && a.Rating == b.Rating && sec(a.Received, b.Received) && sec(a.Due, b.Due) && sec(a.Answered, b.Answered)
}
