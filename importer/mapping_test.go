package importer

import (
	"os"
	"strings"
	"testing"

	"minyi"
)

func TestParseMapping(t *testing.T) {
	m, err := ParseMapping("title=标题, body=内容,received=来信时间|受理时间,reply_unit=答复单位,reply_time=答复时间,type=类型")
	if err != nil {
		t.Fatal(err)
	}
	want := Mapping{Title: "标题", Body: "内容", Received: "来信时间|受理时间", ReplyUnit: "答复单位", ReplyTime: "答复时间", Type: "类型"}
	if m != want {
		t.Fatalf("got %+v\nwant %+v", m, want)
	}
	// Typed with a Chinese input method left on.
	if m, err := ParseMapping("title＝标题，body＝内容，received＝来信时间"); err != nil || m.Received != "来信时间" {
		t.Fatalf("full-width separators: %+v %v", m, err)
	}
	for in, msg := range map[string]string{
		"":                                    "empty",
		"title=a,body=b,received=c,subject=d": `unknown column mapping key "subject"`,
		"title=a,body=b":                      `no "received"`,
		"title=a,title=b,body=c,received=d":   "twice",
		"title,body=b,received=c":             "not key=column",
		"title=,body=b,received=c":            "not key=column",
	} {
		_, err := ParseMapping(in)
		if minyi.ErrorCode(err) != minyi.EINVALID || !strings.Contains(minyi.ErrorMessage(err), msg) {
			t.Errorf("ParseMapping(%q) = %v, want EINVALID containing %q", in, err, msg)
		}
	}
}

func TestResolveDefaultMapping(t *testing.T) {
	// Spaces, full-width letters and the second alternative of a column.
	header := []string{"\ufeff编 号", "标题", "内　容", "受理时间 ", "ＩＤ", "回复单位", "回复内容", "回复时间", "多余列"}
	c, err := DefaultMapping().resolve(header)
	if err != nil {
		t.Fatal(err)
	}
	got := []int{c.id, c.title, c.body, c.received, c.replyUnit, c.replyText, c.replyTime, c.typ, c.category, c.department}
	want := []int{0, 1, 2, 3, 5, 6, 7, -1, -1, -1}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("columns %v, want %v", got, want)
		}
	}
	if c.name(c.received) != "受理时间" {
		t.Errorf("received column named %q", c.name(c.received))
	}

	_, err = DefaultMapping().resolve([]string{"标题", "正文", "时间"})
	if minyi.ErrorCode(err) != minyi.EINVALID || !strings.Contains(err.Error(), "body=") || !strings.Contains(err.Error(), "正文") {
		t.Errorf("missing required columns: %v", err)
	}
}

func TestResolveStrictMapping(t *testing.T) {
	m, _ := ParseMapping("title=title,body=body,received=time,reply_time=replied")
	_, err := m.resolve([]string{"id", "title", "time", "body"})
	if minyi.ErrorCode(err) != minyi.EINVALID || !strings.Contains(err.Error(), "reply_time=replied") {
		t.Fatalf("a mapped column the file lacks must fail the import: %v", err)
	}
	m.ReplyTime = ""
	if c, err := m.resolve([]string{"id", "TITLE", "time", "body"}); err != nil || c.title != 1 || c.id != -1 {
		t.Fatalf("%+v %v", c, err)
	}
}

// FuzzParseMapping: never panics; an accepted mapping has the required fields.
func FuzzParseMapping(f *testing.F) {
	f.Add("title=标题,body=内容,received=来信时间")
	f.Fuzz(func(t *testing.T, s string) {
		m, err := ParseMapping(s)
		if err != nil {
			if minyi.ErrorCode(err) != minyi.EINVALID {
				t.Fatalf("error code %q", minyi.ErrorCode(err))
			}
			return
		}
		if m.Title == "" || m.Body == "" || m.Received == "" {
			t.Fatalf("accepted %q without a required field: %+v", s, m)
		}
	})
}

// TestHeaderSetsInREADME: the README lists every header HeaderSets knows.
func TestHeaderSetsInREADME(t *testing.T) {
	raw, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(raw)
	for _, set := range HeaderSets {
		for _, key := range mappingKeys {
			for h := range strings.SplitSeq(set.Mapping.Field(key), "|") {
				if h != "" && !strings.Contains(readme, h) {
					t.Errorf("README.md does not list header %q (%s, %s)", h, set.Name, key)
				}
			}
		}
	}
}

func TestSourceName(t *testing.T) {
	for in, want := range map[string]string{
		"/tmp/留言板导出.xlsx": "import-留言板导出", "Cases 2024.csv": "import-cases-2024", "...csv": "import-file",
	} {
		if got := SourceName(in); got != want {
			t.Errorf("SourceName(%q) = %q, want %q", in, got, want)
		}
	}
}
