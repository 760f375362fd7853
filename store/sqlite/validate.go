package sqlite

import (
	"strings"
	"time"
	"unicode/utf8"

	"minyi"
)

// The store/postgres package has a twin of this file: backends may not import
// each other, and both must accept and refuse exactly the same documents.

// maxIDBytes bounds document, run and page ids; real ones are 20-hex digests
// or URLs, so anything longer is a bug upstream.
const maxIDBytes = 2048

// prepareDocuments checks every document before anything is written and
// returns copies normalised for storage: times in UTC whole seconds, the
// content hash filled in when the caller left it empty.
func prepareDocuments(docs []minyi.Document) ([]minyi.Document, error) {
	out := make([]minyi.Document, len(docs))
	for i, d := range docs {
		if err := checkDocument(&d); err != nil {
			return nil, minyi.Errorf(minyi.ErrorCode(err), "document %d (id %q): %s", i, d.ID, minyi.ErrorMessage(err))
		}
		d.Published = storedTime(d.Published)
		d.Fetched = storedTime(d.Fetched)
		if len(d.Comments) > 0 {
			cs := make([]minyi.Comment, len(d.Comments))
			for j, c := range d.Comments {
				c.Published = storedTime(c.Published)
				cs[j] = c
			}
			d.Comments = cs
		}
		if d.Reply != nil {
			r := *d.Reply
			r.Published = storedTime(r.Published)
			d.Reply = &r
		}
		if d.Contact != nil {
			c := *d.Contact
			d.Contact = &c
		}
		if d.ContentHash == "" {
			d.ContentHash = d.Hash()
		}
		out[i] = d
	}
	return out, nil
}

func checkDocument(d *minyi.Document) error {
	if d.ID == "" {
		return minyi.Errorf(minyi.EINVALID, "document has no id")
	}
	if len(d.ID) > maxIDBytes {
		return minyi.Errorf(minyi.ETOOLARGE, "document id is longer than %d bytes", maxIDBytes)
	}
	if err := d.Validate(); err != nil {
		return err
	}
	// Validate checks title and body only; PostgreSQL refuses NUL and invalid
	// UTF-8 in any text, and JSON would silently rewrite invalid UTF-8.
	fields := []string{d.ID, d.Source, string(d.Kind), d.URL, d.ExternalID, d.Board, d.Title, d.Body,
		d.Author, d.MessageType, d.Status, d.ContentHash}
	for _, c := range d.Comments {
		fields = append(fields, c.Author, c.Body)
	}
	if d.Reply != nil {
		fields = append(fields, d.Reply.Unit, d.Reply.Body)
	}
	if d.Contact != nil {
		fields = append(fields, d.Contact.Name, d.Contact.Phone, d.Contact.Email)
	}
	for _, f := range fields {
		if err := checkText(f); err != nil {
			return err
		}
	}
	return nil
}

// checkText refuses text that one of the backends could not store as given.
func checkText(s string) error {
	if !utf8.ValidString(s) {
		return minyi.Errorf(minyi.EINVALID, "text is not valid UTF-8")
	}
	if strings.IndexByte(s, 0) >= 0 {
		return minyi.Errorf(minyi.EINVALID, "text contains a NUL character")
	}
	return nil
}

// storedTime is t as the store keeps it.
func storedTime(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return t.UTC().Truncate(time.Second)
}

func checkPageState(p *minyi.PageState) error {
	if p.URL == "" {
		return minyi.Errorf(minyi.EINVALID, "page state has no url")
	}
	if len(p.URL) > maxIDBytes {
		return minyi.Errorf(minyi.ETOOLARGE, "url is longer than %d bytes", maxIDBytes)
	}
	for _, f := range []string{p.URL, p.ETag, p.LastModified, p.ContentHash} {
		if err := checkText(f); err != nil {
			return err
		}
	}
	return nil
}

func checkCrawlRun(r *minyi.CrawlRun) error {
	var err error
	switch {
	case r.ID == "":
		err = minyi.Errorf(minyi.EINVALID, "crawl run has no id")
	case len(r.ID) > maxIDBytes:
		err = minyi.Errorf(minyi.ETOOLARGE, "crawl run id is longer than %d bytes", maxIDBytes)
	case r.Source == "":
		err = minyi.Errorf(minyi.EINVALID, "crawl run has no source")
	case r.Started.IsZero():
		err = minyi.Errorf(minyi.EINVALID, "crawl run has no start time")
	case r.PagesFetched < 0 || r.PagesNotModified < 0 || r.Items < 0 || r.NewItems < 0 || r.Errors < 0:
		err = minyi.Errorf(minyi.EINVALID, "crawl run has a negative count")
	}
	for _, f := range []string{r.ID, r.Source, r.LastError} {
		if err == nil {
			err = checkText(f)
		}
	}
	if err != nil {
		return minyi.Errorf(minyi.ErrorCode(err), "crawl run %q: %s", r.ID, minyi.ErrorMessage(err))
	}
	return nil
}
