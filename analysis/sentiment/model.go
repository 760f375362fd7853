package sentiment

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"minyi"
	"minyi/analysis/internal/nbayes"
)

// Example is one labelled text for training.
type Example struct {
	Text  string
	Label Label
}

// Model is a trained naive Bayes analyzer over words and character bigrams.
// It must be used with the tokenizer it was trained with.
type Model struct {
	nb  *nbayes.Model
	tok Tokenizer
}

// Train fits a model on examples; the classes are the labels that occur.
// Fewer than two distinct labels is an error: nothing can be learned.
func Train(examples []Example, tok Tokenizer) (*Model, error) {
	index := map[Label]int{}
	var classes []string
	for _, ex := range examples {
		if !ex.Label.Valid() {
			return nil, minyi.Errorf(minyi.EINVALID, "training label %q is not 正面, 中性 or 负面", ex.Label)
		}
		if _, ok := index[ex.Label]; !ok {
			index[ex.Label] = len(classes)
			classes = append(classes, string(ex.Label))
		}
	}
	if len(classes) < 2 {
		return nil, minyi.Errorf(minyi.EINVALID, "training data has %d distinct labels, need at least 2", len(classes))
	}
	nb := nbayes.New(classes, 0.5)
	for _, ex := range examples {
		f := nbayes.Features{}
		f.Add(tok, ex.Text, 1)
		nb.Add(index[ex.Label], f)
	}
	return &Model{nb: nb, tok: tok}, nil
}

// Analyze returns the most probable label; the score is P(正面) − P(负面).
func (m *Model) Analyze(text string) Result {
	f := nbayes.Features{}
	f.Add(m.tok, text, 1)
	p := m.nb.Posterior(f)
	var score float64
	for c, name := range m.nb.Classes {
		switch Label(name) {
		case Positive:
			score += p[c]
		case Negative:
			score -= p[c]
		}
	}
	best, _ := nbayes.Best(p)
	return Result{Label: Label(m.nb.Classes[best]), Score: score}
}

// Save writes the model as JSON.
func (m *Model) Save(w io.Writer) error { return m.nb.Save(w) }

// Load reads a model written by Save; tok must be the training tokenizer.
func Load(r io.Reader, tok Tokenizer) (*Model, error) {
	nb, err := nbayes.Load(r)
	if err != nil {
		return nil, err
	}
	for _, c := range nb.Classes {
		if !Label(c).Valid() {
			return nil, minyi.Errorf(minyi.EINVALID, "model class %q is not a sentiment label", c)
		}
	}
	return &Model{nb: nb, tok: tok}, nil
}

// RowError is a training row that was skipped, by its line in the file.
type RowError struct {
	Line int
	Msg  string
}

func (e RowError) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Msg) }

// ParseLabel accepts the spellings found in public corpora: 1/0, the
// Chinese labels, and English names.
func ParseLabel(s string) (Label, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "1", "正面", "positive", "pos":
		return Positive, true
	case "0", "负面", "negative", "neg":
		return Negative, true
	case "中性", "neutral", "2":
		return Neutral, true
	}
	return "", false
}

// maxRowErrors stops a read that is clearly not a sentiment file.
const maxRowErrors = 1000

// ReadExamples streams a CSV with a header naming a label column and a text
// column (text, review or body), calling each for every good row. Bad rows
// are skipped and returned with their line numbers; a missing column, an
// error from each, or more than maxRowErrors bad rows stops the read.
func ReadExamples(r io.Reader, each func(Example) error) ([]RowError, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		return nil, minyi.Errorf(minyi.EINVALID, "sentiment CSV has no header: %v", err)
	}
	labelCol, textCol := -1, -1
	for i, h := range header {
		switch strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))) {
		case "label", "sentiment":
			labelCol = i
		case "text", "review", "body", "content":
			textCol = i
		}
	}
	if labelCol < 0 || textCol < 0 {
		return nil, minyi.Errorf(minyi.EINVALID, "sentiment CSV header %q needs a label column and a text/review column", header)
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
			return bad, minyi.Errorf(minyi.EINVALID, "reading sentiment CSV: %v", err)
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
			return bad, minyi.Errorf(minyi.EINVALID, "more than %d bad rows; is this a sentiment CSV?", maxRowErrors)
		}
	}
}
