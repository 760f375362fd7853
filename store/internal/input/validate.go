package input

import (
	"strings"
	"time"
	"unicode/utf8"

	"minyi"
)

// MaxIDBytes bounds document, run and page ids; real ones are 20-hex digests
// or URLs, so anything longer is a bug upstream.
const MaxIDBytes = 2048

// PrepareDocuments checks every document before anything is written and
// returns copies normalised for storage: times in UTC whole seconds, the
// content hash filled in when the caller left it empty.
func PrepareDocuments(docs []minyi.Document) ([]minyi.Document, error) {
	out := make([]minyi.Document, len(docs))
	for i, d := range docs {
		if err := CheckDocument(&d); err != nil {
			return nil, minyi.Errorf(minyi.ErrorCode(err), "document %d (id %q): %s", i, d.ID, minyi.ErrorMessage(err))
		}
		d.Published = StoredTime(d.Published)
		d.Fetched = StoredTime(d.Fetched)
		if len(d.Comments) > 0 {
			cs := make([]minyi.Comment, len(d.Comments))
			for j, c := range d.Comments {
				c.Published = StoredTime(c.Published)
				cs[j] = c
			}
			d.Comments = cs
		}
		if d.Reply != nil {
			r := *d.Reply
			r.Published = StoredTime(r.Published)
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

func CheckDocument(d *minyi.Document) error {
	if d.ID == "" {
		return minyi.Errorf(minyi.EINVALID, "document has no id")
	}
	if len(d.ID) > MaxIDBytes {
		return minyi.Errorf(minyi.ETOOLARGE, "document id is longer than %d bytes", MaxIDBytes)
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
		if err := CheckText(f); err != nil {
			return err
		}
	}
	return nil
}

// CheckText refuses text that one of the backends could not store as given.
func CheckText(s string) error {
	if !utf8.ValidString(s) {
		return minyi.Errorf(minyi.EINVALID, "text is not valid UTF-8")
	}
	if strings.IndexByte(s, 0) >= 0 {
		return minyi.Errorf(minyi.EINVALID, "text contains a NUL character")
	}
	return nil
}

// StoredTime is t as the store keeps it.
func StoredTime(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return t.UTC().Truncate(time.Second)
}

func CheckPageState(p *minyi.PageState) error {
	if p.URL == "" {
		return minyi.Errorf(minyi.EINVALID, "page state has no url")
	}
	if len(p.URL) > MaxIDBytes {
		return minyi.Errorf(minyi.ETOOLARGE, "url is longer than %d bytes", MaxIDBytes)
	}
	for _, f := range []string{p.URL, p.ETag, p.LastModified, p.ContentHash} {
		if err := CheckText(f); err != nil {
			return err
		}
	}
	return nil
}

func CheckCrawlRun(r *minyi.CrawlRun) error {
	var err error
	switch {
	case r.ID == "":
		err = minyi.Errorf(minyi.EINVALID, "crawl run has no id")
	case len(r.ID) > MaxIDBytes:
		err = minyi.Errorf(minyi.ETOOLARGE, "crawl run id is longer than %d bytes", MaxIDBytes)
	case r.Source == "":
		err = minyi.Errorf(minyi.EINVALID, "crawl run has no source")
	case r.Started.IsZero():
		err = minyi.Errorf(minyi.EINVALID, "crawl run has no start time")
	case r.PagesFetched < 0 || r.PagesNotModified < 0 || r.Items < 0 || r.NewItems < 0 || r.Errors < 0:
		err = minyi.Errorf(minyi.EINVALID, "crawl run has a negative count")
	}
	for _, f := range []string{r.ID, r.Source, r.LastError} {
		if err == nil {
			err = CheckText(f)
		}
	}
	if err != nil {
		return minyi.Errorf(minyi.ErrorCode(err), "crawl run %q: %s", r.ID, minyi.ErrorMessage(err))
	}
	return nil
}
