// Package texts reads texts to analyse from a stream: one per line, or a
// column of a CSV. It holds one text at a time, whatever the input's size.
package texts

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Format is how the input is laid out: one text per line, or CSV with a
// header naming the text's column (and optionally a title's).
type Format struct {
	CSV                 bool
	Column, TitleColumn string
}

// Record is one text and the line where it starts in the input.
type Record struct {
	Line        int
	Title, Text string
}

// MaxBytes bounds one line or CSV field: a text longer than this is a
// wrong file (a binary, a CSV read as lines), not a post.
const MaxBytes = 1 << 20

// Read calls each for every text of the input, in order. Invalid UTF-8
// is replaced, not refused: crawled text has it and is analysed anyway. A
// line or field over MaxBytes, a CSV that does not parse, or a missing
// column stops the read with an error naming the line.
func Read(r io.Reader, in Format, each func(Record) error) error {
	if !in.CSV {
		br := bufio.NewReaderSize(r, 64<<10)
		for line := 1; ; line++ {
			text, err := readLine(br)
			if errors.Is(err, io.EOF) && text == "" {
				return nil
			}
			if err != nil && !errors.Is(err, io.EOF) {
				return fmt.Errorf("line %d: %w", line, err)
			}
			if err := each(Record{Line: line, Text: valid(text)}); err != nil {
				return err
			}
			if err != nil {
				return nil
			}
		}
	}
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		return fmt.Errorf("CSV header: %w", err)
	}
	textCol, titleCol := -1, -1
	for i, h := range header {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		if h == in.Column {
			textCol = i
		}
		if in.TitleColumn != "" && h == in.TitleColumn {
			titleCol = i
		}
	}
	if textCol < 0 || (in.TitleColumn != "" && titleCol < 0) {
		return fmt.Errorf("CSV header %q has no column %q%s", header, in.Column, map[bool]string{true: " or " + strconv.Quote(in.TitleColumn)}[in.TitleColumn != ""])
	}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("CSV: %w", err) // a *csv.ParseError names its line
		}
		line, _ := cr.FieldPos(0)
		var text, title string
		if textCol < len(rec) {
			text = rec[textCol]
		}
		if titleCol >= 0 && titleCol < len(rec) {
			title = rec[titleCol]
		}
		if len(text) > MaxBytes || len(title) > MaxBytes {
			return fmt.Errorf("CSV line %d: a field longer than %d bytes", line, MaxBytes)
		}
		if err := each(Record{Line: line, Title: valid(title), Text: valid(text)}); err != nil {
			return err
		}
	}
}

// readLine reads one line without its end, refusing lines over
// MaxBytes instead of growing a buffer to whatever the input holds.
func readLine(br *bufio.Reader) (string, error) {
	var b strings.Builder
	for {
		chunk, err := br.ReadSlice('\n')
		if b.Len()+len(chunk) > MaxBytes+2 {
			return "", fmt.Errorf("longer than %d bytes; is this a text file (or a CSV that needs -csv)?", MaxBytes)
		}
		b.Write(chunk)
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		s := strings.TrimSuffix(strings.TrimSuffix(b.String(), "\n"), "\r")
		return s, err
	}
}

func valid(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	return strings.ToValidUTF8(s, "\uFFFD")
}
