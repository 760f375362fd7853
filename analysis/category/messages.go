package category

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"minyi"
)

// Message is one labelled row of a city's message history.
type Message struct {
	Line     int // line in the CSV where the row starts
	ID       string
	Title    string
	Time     string // as written; the caller parses it if it needs it
	Body     string
	Category string // first-level category
}

// RowError is a row that was skipped, by its line in the file.
type RowError struct {
	Line int
	Msg  string
}

func (e RowError) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Msg) }

const maxRowErrors = 1000

// ReadMessages streams a CSV whose header names title, body and category
// columns (id and time optional, any order), calling each for every good
// row without holding the file in memory. Rows with a wrong field count,
// broken quoting, no text, no category or a category outside tax (when tax
// is not nil) are skipped and returned with their line numbers. A missing
// column, an error from each or more than 1000 bad rows stops the read.
func ReadMessages(r io.Reader, tax *Taxonomy, each func(Message) error) ([]RowError, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return nil, minyi.Errorf(minyi.EINVALID, "messages CSV has no header: %v", err)
	}
	col := map[string]int{"id": -1, "title": -1, "time": -1, "body": -1, "category": -1}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		if _, ok := col[h]; ok {
			col[h] = i
		}
	}
	for _, need := range []string{"title", "body", "category"} {
		if col[need] < 0 {
			return nil, minyi.Errorf(minyi.EINVALID, "messages CSV header %q has no %q column", header, need)
		}
	}
	width := 0
	for _, i := range col {
		width = max(width, i+1)
	}
	field := func(rec []string, name string) string {
		if i := col[name]; i >= 0 {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	var bad []RowError
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return bad, nil
		}
		line, _ := cr.FieldPos(0)
		var pe *csv.ParseError
		switch {
		case errors.As(err, &pe):
			bad = append(bad, RowError{pe.StartLine, pe.Err.Error()})
		case err != nil:
			return bad, minyi.Errorf(minyi.EINVALID, "reading messages CSV: %v", err)
		case len(rec) < width:
			bad = append(bad, RowError{line, fmt.Sprintf("%d fields, want %d", len(rec), width)})
		default:
			m := Message{Line: line, ID: field(rec, "id"), Title: field(rec, "title"), Time: field(rec, "time"),
				Body: field(rec, "body"), Category: field(rec, "category")}
			switch {
			case m.Title == "" && m.Body == "":
				bad = append(bad, RowError{line, "neither title nor body"})
			case m.Category == "":
				bad = append(bad, RowError{line, "no category"})
			case tax != nil && !tax.HasLevel1(m.Category):
				bad = append(bad, RowError{line, fmt.Sprintf("category %q is not a first-level category of the taxonomy", m.Category)})
			default:
				if err := each(m); err != nil {
					return bad, err
				}
			}
		}
		if len(bad) > maxRowErrors {
			return bad, minyi.Errorf(minyi.EINVALID, "more than %d bad rows; is this a messages CSV?", maxRowErrors)
		}
	}
}
