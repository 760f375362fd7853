package importer

import (
	"bytes"
	"errors"
	"io"
	"testing"
	"unicode/utf8"
)

// A CSV export of any shape is read row by row without panicking: each row
// is valid UTF-8 text or an error naming its line, and reading ends.
func FuzzCSVRows(f *testing.F) {
	f.Add([]byte("留言编号,留言主题,留言时间,留言详情\nA1,路灯不亮,2024/3/5 9:12,晚上很黑\n"))
	f.Add([]byte("\xef\xbb\xbf工单编号,诉求内容\r\n1,\"带\n换行\"\r\n"))
	f.Add([]byte("标题,内容\n\"未闭合,x\n"))
	f.Add([]byte{0xb1, 0xea, 0xcc, 0xe2, ',', 'x', '\n'})
	f.Fuzz(func(t *testing.T, data []byte) {
		rows, err := openRows(bytes.NewReader(data), "csv")
		if err != nil {
			return
		}
		defer rows.Close()
		for i := 0; i <= len(data)+1; i++ {
			cells, line, err := rows.Next()
			if errors.Is(err, io.EOF) {
				return
			}
			var bad *badRow
			if err != nil && !errors.As(err, &bad) {
				return // the file cannot be read on: a clear error ends it
			}
			if err != nil {
				continue
			}
			if line < 1 {
				t.Fatalf("row without a line number: %q", cells)
			}
			for _, c := range cells {
				if !utf8.ValidString(c) {
					t.Fatalf("line %d: cell %q is not UTF-8", line, c)
				}
			}
		}
		t.Fatalf("more rows than bytes in %q", data)
	})
}
