// Package importer loads a city's past messages and replies from a CSV or
// XLSX export as documents and historical cases, so that department
// statistics have a baseline from the first day. History never starts a
// workflow and never notifies anyone: every case it writes is Historical.
package importer

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"minyi"
)

// Deps are the policies the importer applies; the command wires in the
// deadline policy, the calendar and the router the live pipeline uses.
type Deps struct {
	Store minyi.Store
	// Plan returns the reply deadline of a message received at received.
	Plan func(source string, t minyi.MessageType, received time.Time) (due time.Time)
	// Route picks a department when the file names none; nil routes nothing.
	Route func(doc minyi.Document, t minyi.MessageType, region string) (minyi.Routing, bool)
	// DepartmentByName maps a unit's name (回复单位, 承办单位) to a department
	// id; nil matches nothing.
	DepartmentByName func(name string) (id string, ok bool)
	// InferType guesses the message type when the file has none.
	InferType func(title, body string) minyi.MessageType
	// ParseType reads the file's type column; nil accepts the six type names exactly.
	ParseType func(s string) (minyi.MessageType, bool)
	// RowError, when set, is told every row error, not only the first
	// MaxErrors that Report keeps: a page writes them all to a file.
	RowError func(RowError)
	// Progress, when set, is told the data rows read so far after each batch.
	Progress func(rows int)
	// Now stamps Fetched and Updated and bounds plausible times; nil is time.Now.
	Now func() time.Time
}

// RowError is one problem with one row; the row is skipped.
type RowError struct {
	Line    int    `json:"line"`             // 1-based line (CSV) or row number (XLSX)
	Column  string `json:"column,omitempty"` // the header as the file spells it
	Value   string `json:"value,omitempty"`
	Message string `json:"message"`
	// Code names the kind of problem (bad_time, bad_rating, ...) for a
	// page that explains it in the reader's language.
	Code string `json:"code,omitempty"`
}

func (e RowError) String() string {
	s := fmt.Sprintf("line %d", e.Line)
	if e.Column != "" {
		s += fmt.Sprintf(", column %s", e.Column)
	}
	if e.Value != "" {
		s += fmt.Sprintf(" (%q)", e.Value)
	}
	return s + ": " + e.Message
}

// Report is what an import did.
type Report struct {
	Rows       int        `json:"rows"`       // data rows read, blank rows not counted
	Imported   int        `json:"imported"`   // rows written: new, or changed since the last import
	Duplicates int        `json:"duplicates"` // rows already stored as they are, or repeated in the file
	Failed     int        `json:"failed"`     // rows skipped for errors
	Errors     []RowError `json:"errors"`     // the first MaxErrors of them
	Answered   int        `json:"answered"`   // of the rows imported or already stored
	OnTime     int        `json:"on_time"`    // answered no later than due
	Unassigned int        `json:"unassigned"` // no department found: absent from department statistics
}

// MaxErrors bounds Report.Errors; Report.Failed counts them all.
const MaxErrors = 100

// batchSize rows are written per store round trip.
const batchSize = 500

// maxCellBytes bounds a cell before it is examined further; a larger one is
// a row error (Document.Validate bounds title and body more tightly).
const maxCellBytes = 4 * minyi.MaxBodyRunes

// Import reads rows from r in format "csv" or "xlsx" and stores each as a
// message document of source plus a historical case. Rows with errors are
// reported and skipped; Import fails only when the file as a whole cannot be
// read (unknown format, missing columns) or the store fails, and then the
// report says how far it got. Importing the same file again changes nothing.
func Import(ctx context.Context, deps Deps, source string, r io.Reader, format string, m Mapping) (Report, error) {
	var rep Report
	if err := deps.check(source); err != nil {
		return rep, err
	}
	if deps.Now == nil {
		deps.Now = time.Now
	}
	if deps.ParseType == nil {
		deps.ParseType = exactType
	}
	rows, err := openRows(r, strings.ToLower(format))
	if err != nil {
		return rep, err
	}
	defer rows.Close()

	im := &importer{deps: deps, source: source, epoch: rows.serialEpoch(), rep: &rep, seen: map[[10]byte]seenRow{}}
	header := false
	for {
		if err := ctx.Err(); err != nil {
			return rep, err
		}
		cells, line, err := rows.Next()
		var bad *badRow
		if errors.Is(err, io.EOF) {
			break
		} else if errors.As(err, &bad) {
			rep.Rows++
			im.fail(RowError{Line: bad.line, Code: "unreadable", Message: bad.msg})
			continue
		} else if err != nil {
			return rep, err
		}
		if blank(cells) {
			continue
		}
		if !header {
			if im.cols, err = m.resolve(cells); err != nil {
				return rep, err
			}
			header = true
			continue
		}
		rep.Rows++
		if rec, ok := im.record(line, cells); ok {
			im.batch = append(im.batch, rec)
		}
		if len(im.batch) >= batchSize {
			if err := im.flush(ctx); err != nil {
				return rep, err
			}
			if deps.Progress != nil {
				deps.Progress(rep.Rows)
			}
		}
	}
	if !header {
		return rep, minyi.Errorf(minyi.EINVALID, "the file is empty: no header row")
	}
	if err := im.flush(ctx); err != nil {
		return rep, err
	}
	if deps.Progress != nil {
		deps.Progress(rep.Rows)
	}
	slog.Info("importer: history imported", "source", source, "rows", rep.Rows, "imported", rep.Imported,
		"duplicates", rep.Duplicates, "failed", rep.Failed, "answered", rep.Answered, "on_time", rep.OnTime,
		"unassigned", rep.Unassigned)
	return rep, nil
}

func (d *Deps) check(source string) error {
	switch {
	case d.Store == nil:
		return minyi.Errorf(minyi.EINVALID, "import needs a store")
	case d.Plan == nil:
		return minyi.Errorf(minyi.EINVALID, "import needs a deadline plan")
	case d.InferType == nil:
		return minyi.Errorf(minyi.EINVALID, "import needs a message type inference for rows without a type")
	case strings.TrimSpace(source) == "":
		return minyi.Errorf(minyi.EINVALID, "import needs a source name")
	}
	return nil
}

func exactType(s string) (minyi.MessageType, bool) {
	for _, t := range minyi.MessageTypes {
		if string(t) == s {
			return t, true
		}
	}
	return "", false
}

func blank(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// importer is the state of one import.
type importer struct {
	deps   Deps
	source string
	epoch  time.Time // day 0 of the file's serial dates, zero for none
	cols   columns
	rep    *Report
	batch  []record
	// seen remembers every message of the file by document id, so that a
	// row repeated further down is a duplicate and an id reused for another
	// message is an error, not a silent overwrite. It grows with the file
	// (about 50 bytes a row), unlike the rows themselves.
	seen map[[10]byte]seenRow
}

type seenRow struct {
	line int32
	hash [8]byte // leading bytes of the content hash
}

// seenKey packs a document id, 20 hex digits, into its 10 bytes.
func seenKey(docID string) [10]byte {
	var k [10]byte
	if _, err := hex.Decode(k[:], []byte(docID)); err != nil {
		copy(k[:], docID) // not from minyi.DocumentID; still deterministic
	}
	return k
}

// hashPrefix packs the leading 16 hex digits of a content hash.
func hashPrefix(contentHash string) [8]byte {
	var h [8]byte
	hex.Decode(h[:], []byte(contentHash[:min(16, len(contentHash))]))
	return h
}

// fail skips a row for the errors found in it.
func (im *importer) fail(errs ...RowError) {
	im.rep.Failed++
	for _, e := range errs {
		if im.deps.RowError != nil {
			im.deps.RowError(e)
		}
		if len(im.rep.Errors) < MaxErrors {
			im.rep.Errors = append(im.rep.Errors, e)
		}
	}
}
