package importer

import (
	"errors"
	"io"
	"path/filepath"
	"strings"
	"unicode"

	"minyi"
)

// Preview is what a person sees before an import runs: the header row, the
// first data rows, and the column each field would be read from.
type Preview struct {
	Header []string          `json:"header"`
	Rows   [][]string        `json:"rows"`
	Detect map[string]string `json:"detect"` // mapping key → header as the file spells it; absent when none
	Total  int               `json:"total"`  // data rows in the file, blank rows not counted
}

// Inspect reads the whole file once, as Import will, keeping only the header,
// the first n rows and a count: memory stays bounded for any file size.
func Inspect(r io.Reader, format string, n int) (Preview, error) {
	var p Preview
	rows, err := openRows(r, strings.ToLower(format))
	if err != nil {
		return p, err
	}
	defer rows.Close()
	for {
		cells, _, err := rows.Next()
		var bad *badRow
		if errors.Is(err, io.EOF) {
			break
		} else if errors.As(err, &bad) {
			p.Total++
			continue
		} else if err != nil {
			return p, err
		}
		if blank(cells) {
			continue
		}
		if p.Header == nil {
			p.Header = make([]string, len(cells))
			for i, c := range cells {
				p.Header[i] = strings.TrimSpace(strings.TrimPrefix(c, "\ufeff"))
			}
			continue
		}
		p.Total++
		if len(p.Rows) < n {
			p.Rows = append(p.Rows, append([]string(nil), cells...))
		}
	}
	if p.Header == nil {
		return p, minyi.Errorf(minyi.EINVALID, "the file is empty: no header row")
	}
	p.Detect = Detect(p.Header)
	return p, nil
}

// Detect tells which header of the file DefaultMapping reads each field from.
func Detect(header []string) map[string]string {
	c, _ := DefaultMapping().resolve(header) // missing columns are simply absent here
	out := map[string]string{}
	idx := []int{c.id, c.title, c.body, c.received, c.typ, c.category, c.region, c.replyUnit, c.replyText,
		c.replyTime, c.department, c.rating, c.likes, c.dislikes}
	for i, key := range mappingKeys {
		if name := c.name(idx[i]); name != "" {
			out[key] = name
		}
	}
	return out
}

// Check tells whether m finds its columns in header, with the error Import
// would fail with.
func (m Mapping) Check(header []string) error {
	_, err := m.resolve(header)
	return err
}

// SourceName is the default source of an imported file: import-<file name>,
// letters (Chinese too) and digits kept, anything else a dash.
func SourceName(file string) string {
	base := strings.TrimSuffix(filepath.Base(file), filepath.Ext(file))
	name := strings.ToLower(strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '_' {
			return r
		}
		return '-'
	}, base))
	name = strings.Trim(name, "-")
	if name == "" {
		name = "file"
	}
	return "import-" + name
}
