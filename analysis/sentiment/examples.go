package sentiment

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"minyi"
)

// Example is one labelled text for training.
type Example struct {
	Text  string
	Label Label
	// Source names the corpus the example comes from; see
	// TrainOptions.BalanceSources.
	Source string
}

// RowError is a training row that was skipped, by its line in the file.
type RowError struct {
	Line int
	Msg  string
}

func (e RowError) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Msg) }

// ParseLabel accepts the spellings found in public corpora: 1/0 (and -1 for
// negative), the Chinese labels, and English names.
func ParseLabel(s string) (Label, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "1", "正面", "positive", "pos":
		return Positive, true
	case "0", "-1", "负面", "negative", "neg":
		return Negative, true
	case "中性", "neutral", "2":
		return Neutral, true
	}
	return "", false
}

// maxRowErrors stops a read that is clearly not a sentiment file.
const maxRowErrors = 1000

// ReadExamples streams a CSV or tab-separated file (told apart by its header
// line) with a header naming a label column and a text column (text, text_a,
// review, body or content), calling each for every good row. Bad rows are
// skipped and returned with their line numbers; a missing column, an error
// from each, or more than maxRowErrors bad rows stops the read.
func ReadExamples(r io.Reader, each func(Example) error) ([]RowError, error) {
	br := bufio.NewReader(r)
	first, _ := br.Peek(4096)
	headerLine, _, _ := strings.Cut(string(first), "\n")
	var rows rowReader
	if strings.Contains(headerLine, "\t") && !strings.Contains(headerLine, ",") {
		rows = newTSVReader(br)
	} else {
		cr := csv.NewReader(br)
		cr.FieldsPerRecord = -1
		cr.ReuseRecord = true
		rows = csvReader{cr}
	}
	header, _, err := rows.next()
	if err != nil {
		return nil, minyi.Errorf(minyi.EINVALID, "sentiment file has no header: %v", err)
	}
	labelCol, textCol := -1, -1
	for i, h := range header {
		switch strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))) {
		case "label", "sentiment":
			labelCol = i
		case "text", "text_a", "review", "body", "content":
			textCol = i
		}
	}
	if labelCol < 0 || textCol < 0 {
		return nil, minyi.Errorf(minyi.EINVALID, "sentiment file header %q needs a label column and a text/review column", header)
	}
	var bad []RowError
	for {
		rec, line, err := rows.next()
		if errors.Is(err, io.EOF) {
			return bad, nil
		}
		var pe *csv.ParseError
		switch {
		case errors.As(err, &pe):
			bad = append(bad, RowError{pe.StartLine, pe.Err.Error()})
		case err != nil:
			return bad, minyi.Errorf(minyi.EINVALID, "reading sentiment file: %v", err)
		case len(rec) <= max(labelCol, textCol):
			bad = append(bad, RowError{line, fmt.Sprintf("%d fields, want at least %d", len(rec), max(labelCol, textCol)+1)})
		default:
			lab, ok := ParseLabel(rec[labelCol])
			text := strings.TrimSpace(rec[textCol])
			switch {
			case !ok:
				bad = append(bad, RowError{line, fmt.Sprintf("unknown label %q", rec[labelCol])})
			case text == "":
				bad = append(bad, RowError{line, "empty text"})
			default:
				if err := each(Example{Text: text, Label: lab}); err != nil {
					return bad, err
				}
			}
		}
		if len(bad) > maxRowErrors {
			return bad, minyi.Errorf(minyi.EINVALID, "more than %d bad rows; is this a sentiment file?", maxRowErrors)
		}
	}
}

// rowReader yields the fields of each row and the line it started on.
type rowReader interface {
	next() ([]string, int, error)
}

type csvReader struct{ *csv.Reader }

func (c csvReader) next() ([]string, int, error) {
	rec, err := c.Read()
	if err != nil {
		return nil, 0, err
	}
	line, _ := c.FieldPos(0)
	return rec, line, nil
}

// tsvReader reads one row per line. Tab-separated exports quote some fields
// the CSV way ("他说""好""") and leave bare quotes in others, so a quote
// means something only around a whole field, and never spans lines.
type tsvReader struct {
	sc     *bufio.Scanner
	line   int
	fields []string
}

func newTSVReader(r io.Reader) *tsvReader {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	return &tsvReader{sc: sc}
}

func (t *tsvReader) next() ([]string, int, error) {
	if !t.sc.Scan() {
		if err := t.sc.Err(); err != nil {
			return nil, t.line + 1, err
		}
		return nil, t.line, io.EOF
	}
	t.line++
	t.fields = t.fields[:0]
	for f := range strings.SplitSeq(strings.TrimSuffix(t.sc.Text(), "\r"), "\t") {
		if len(f) >= 2 && f[0] == '"' && f[len(f)-1] == '"' {
			f = strings.ReplaceAll(f[1:len(f)-1], `""`, `"`)
		}
		t.fields = append(t.fields, f)
	}
	return t.fields, t.line, nil
}
