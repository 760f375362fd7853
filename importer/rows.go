package importer

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"minyi"
)

// rowSource yields a file's rows one at a time. Next returns io.EOF at the
// end, a *badRow for a row that cannot be read but after which reading can
// go on, and any other error when the file cannot be read further.
type rowSource interface {
	Next() (cells []string, line int, err error)
	// serialEpoch is day 0 of the file's serial dates; zero when a number
	// in a time column is not a date.
	serialEpoch() time.Time
	Close() error
}

// badRow is a row the file format itself makes unreadable (a broken quote).
type badRow struct {
	line int
	msg  string
}

func (e *badRow) Error() string { return fmt.Sprintf("line %d: %s", e.line, e.msg) }

func openRows(r io.Reader, format string) (rowSource, error) {
	switch format {
	case "csv":
		return newCSVRows(r)
	case "xlsx":
		return newXLSXRows(r)
	}
	return nil, minyi.Errorf(minyi.EINVALID, "unknown import format %q: expected csv or xlsx", format)
}

// csvRows streams a CSV file. Exports from Chinese Excel are often GB18030
// (the system code page), so the encoding is guessed from the first 64 KiB
// and revised if a later field turns out not to be UTF-8. Fields are decoded
// one by one rather than the stream, because csv's delimiters are ASCII and
// GB18030 never uses an ASCII byte inside a character.
type csvRows struct {
	r       *csv.Reader
	gb      bool
	decoded []string
}

const peekSize = 64 << 10

func newCSVRows(r io.Reader) (*csvRows, error) {
	br := bufio.NewReaderSize(r, peekSize)
	head, err := br.Peek(peekSize)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, fmt.Errorf("importer: read csv: %w", err)
	}
	atEOF := errors.Is(err, io.EOF)
	gb := false
	if bytes.HasPrefix(head, []byte("\xef\xbb\xbf")) {
		br.Discard(3)
		head = head[3:]
	} else if bytes.HasPrefix(head, []byte("\x84\x31\x95\x33")) { // GB18030's own BOM
		br.Discard(4)
		head, gb = head[4:], true
	}
	c := &csvRows{r: csv.NewReader(br), gb: gb || !validUTF8Prefix(head, atEOF)}
	c.r.FieldsPerRecord = -1 // a short row is judged by the columns it lacks, not rejected wholesale
	c.r.LazyQuotes = true    // exports leave bare quotes in unquoted fields
	c.r.ReuseRecord = true
	firstLine, _, _ := bytes.Cut(head, []byte("\n"))
	if !bytes.ContainsRune(firstLine, ',') && bytes.ContainsRune(firstLine, '\t') {
		c.r.Comma = '\t' // "CSV" saved by Excel as Unicode text is tab separated
	}
	return c, nil
}

// validUTF8Prefix tells whether b is UTF-8, ignoring a character cut off by
// the end of the peek window.
func validUTF8Prefix(b []byte, atEOF bool) bool {
	if !atEOF {
		for i := len(b) - 1; i >= 0 && i >= len(b)-utf8.UTFMax; i-- {
			if utf8.RuneStart(b[i]) {
				if !utf8.FullRune(b[i:]) {
					b = b[:i]
				}
				break
			}
		}
	}
	return utf8.Valid(b)
}

func (c *csvRows) Next() ([]string, int, error) {
	rec, err := c.r.Read()
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return nil, pe.StartLine, &badRow{line: pe.StartLine, msg: pe.Err.Error()}
	} else if errors.Is(err, io.EOF) {
		return nil, 0, io.EOF
	} else if err != nil {
		return nil, 0, fmt.Errorf("importer: read csv: %w", err)
	}
	line, _ := c.r.FieldPos(0)
	c.decoded = c.decoded[:0]
	for _, f := range rec {
		if !c.gb && !utf8.ValidString(f) {
			slog.Warn("importer: csv is not UTF-8; reading it as GB18030 from here on", "line", line)
			c.gb = true
		}
		if c.gb && !isASCII(f) {
			if d, err := simplifiedchinese.GB18030.NewDecoder().String(f); err == nil {
				f = d
			}
		}
		c.decoded = append(c.decoded, f)
	}
	return c.decoded, line, nil
}

func (c *csvRows) Close() error { return nil }

// A CSV date is text; a bare number in a time column is a mistake, not a serial.
func (c *csvRows) serialEpoch() time.Time { return time.Time{} }

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// xlsxRows reads the first sheet with excelize's row iterator. A zip archive
// needs random access, so the file itself is held in memory; the sheet XML
// is decoded as a stream.
type xlsxRows struct {
	f     *excelize.File
	rows  *excelize.Rows
	line  int
	epoch time.Time
}

func newXLSXRows(r io.Reader) (*xlsxRows, error) {
	f, err := excelize.OpenReader(r)
	if err != nil {
		return nil, minyi.Errorf(minyi.EINVALID, "not a readable XLSX file: %v", err)
	}
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		f.Close()
		return nil, minyi.Errorf(minyi.EINVALID, "the XLSX file has no sheet")
	}
	rows, err := f.Rows(sheets[0])
	if err != nil {
		f.Close()
		return nil, minyi.Errorf(minyi.EINVALID, "cannot read sheet %q: %v", sheets[0], err)
	}
	x := &xlsxRows{f: f, rows: rows, epoch: excelEpoch}
	if props, err := f.GetWorkbookProps(); err == nil && props.Date1904 != nil && *props.Date1904 {
		x.epoch = excelEpoch1904
	}
	return x, nil
}

func (x *xlsxRows) Next() ([]string, int, error) {
	if !x.rows.Next() {
		if err := x.rows.Error(); err != nil {
			return nil, x.line, minyi.Errorf(minyi.EINVALID, "reading the XLSX sheet after row %d: %v", x.line, err)
		}
		return nil, x.line, io.EOF
	}
	x.line++ // Next advances one row, empty rows included, so this is the sheet's row number
	// Raw values keep a date cell as its serial number instead of a display
	// format such as "4/25/19 9:32" that loses the century and the seconds.
	cells, err := x.rows.Columns(excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, x.line, &badRow{line: x.line, msg: err.Error()}
	}
	return cells, x.line, nil
}

func (x *xlsxRows) serialEpoch() time.Time { return x.epoch }

func (x *xlsxRows) Close() error {
	err := x.rows.Close()
	if cerr := x.f.Close(); err == nil {
		err = cerr
	}
	return err
}
