package report

import (
	"bytes"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"unicode"

	"codeberg.org/go-pdf/fpdf"
	"golang.org/x/image/font/sfnt"
)

// poppler finds one of poppler-utils' commands: the PDF tests read what
// they write the way a reader's tools do.
func poppler(t *testing.T, name string) string {
	t.Helper()
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("%s is not installed; .ci/run installs poppler-utils with apt-get", name)
	}
	t.Skipf("%s is not installed (apt-get install poppler-utils)", name)
	return ""
}

// outputDir keeps the files a test writes in $MINYI_REPORT_SAMPLES when
// set, to be looked at; else in the test's temporary directory.
func outputDir(t *testing.T) string {
	if d := os.Getenv("MINYI_REPORT_SAMPLES"); d != "" {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		return d
	}
	return t.TempDir()
}

func writePDFFile(t *testing.T, r *Report, path string) {
	t.Helper()
	var buf bytes.Buffer
	if err := WritePDF(&buf, r); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

func runTool(t *testing.T, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(poppler(t, name), args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %v: %v\n%s", name, args, err, out)
	}
	return string(out)
}

var spaces = regexp.MustCompile(`\s+`)

func TestPDFHoldsTheFiguresInAnEmbeddedFont(t *testing.T) {
	_, r := seededDaily(t)
	dir := outputDir(t)
	path := filepath.Join(dir, "daily.pdf")
	writePDFFile(t, r, path)
	var docx bytes.Buffer
	if err := WriteDOCX(&docx, r); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "daily.docx"), docx.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}

	// Every font is embedded, with a map back to Unicode for copying text;
	// fpdf subsets it (without the subset tag pdffonts looks for), which
	// keeps the file far smaller than the 5 MB font.
	fonts := strings.Split(strings.TrimSpace(runTool(t, "pdffonts", path)), "\n")
	if len(fonts) != 3 {
		t.Fatalf("pdffonts lists %d fonts, want the one:\n%s", len(fonts)-2, strings.Join(fonts, "\n"))
	}
	// name type encoding emb sub uni object ID
	if cols := strings.Fields(fonts[2]); len(cols) < 7 || cols[1] != "CID" || cols[len(cols)-5] != "yes" || cols[len(cols)-3] != "yes" {
		t.Errorf("font not embedded as a CID TrueType font with a Unicode map: %s", fonts[2])
	}
	if st, err := os.Stat(path); err != nil || st.Size() > 1<<20 {
		t.Errorf("the PDF has %d bytes: is the whole font embedded? %v", st.Size(), err)
	}

	// The text a reader copies out holds the figures.
	text := spaces.ReplaceAllString(runTool(t, "pdftotext", "-enc", "UTF-8", path, "-"), "")
	containsAll(t, "PDF text", text,
		"舆情日报", "（2026年11月22日）", "一、总体情况",
		"2026年11月22日，共监测到网络舆情信息15条，较前一日（8条）上升87.5%",
		"负面信息占50.0%（前一日25.0%）",
		"1.江北区拆迁补偿标准不透明", "相关信息6条，其中负面4条",
		"市住建局3266.7%3133.3%1", "市生态环境局2150.0%00—0", "合计5360.0%3133.3%1",
		"小区围墙倒塌无人处理", "附表1分时段数据", "第1页共",
	)

	// Pages render, and none is blank.
	prefix := filepath.Join(dir, "daily-page")
	runTool(t, "pdftoppm", "-r", "80", "-png", path, prefix)
	pages, _ := filepath.Glob(prefix + "-*.png")
	sort.Strings(pages)
	if len(pages) < 3 {
		t.Fatalf("%d pages rendered, want at least 3", len(pages))
	}
	for _, p := range pages {
		if ink := inkShare(t, p); ink < 0.005 {
			t.Errorf("%s is nearly blank (%.2f%% ink)", filepath.Base(p), ink*100)
		}
	}
}

// inkShare is the share of a page's pixels that are not white.
func inkShare(t *testing.T, path string) float64 {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	b := img.Bounds()
	ink := 0
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if r, g, bl, _ := img.At(x, y).RGBA(); r < 0xf000 || g < 0xf000 || bl < 0xf000 {
				ink++
			}
		}
	}
	return float64(ink) / float64(b.Dx()*b.Dy())
}

// No character of a report may be missing from the embedded font: it
// would print as an empty box (tofu). The report's own words and the
// fixture's text are checked glyph by glyph.
func TestTheFontCoversTheReport(t *testing.T) {
	_, r := seededDaily(t)
	r.Remarks = "建议：及时回应关切，做好解释工作；加强巡查、督办落实。"
	raw, err := loadFont()
	if err != nil {
		t.Fatal(err)
	}
	fnt, err := sfnt.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	var buf sfnt.Buffer
	missing := map[rune]bool{}
	check := func(s string) {
		for _, c := range s {
			if unicode.IsSpace(c) {
				continue
			}
			if g, err := fnt.GlyphIndex(&buf, c); err != nil || g == 0 {
				missing[c] = true
			}
		}
	}
	for _, b := range outline(r, map[string]chartImage{ChartVolume: {}, ChartSources: {}, ChartCategories: {}, ChartDepartments: {}}) {
		switch b := b.(type) {
		case titleBlock:
			check(b.title + b.period + b.issuer + b.date)
		case heading:
			check(b.text)
		case para:
			for _, r := range b.runs {
				check(r.text)
			}
		case table:
			check(strings.Join(b.header, ""))
			for _, row := range b.rows {
				for _, c := range row {
					check(c.text)
				}
			}
		case figure:
			check(b.caption)
		}
	}
	check(noLineStart + noLineEnd + "第页共条件")
	if len(missing) > 0 {
		var rs []string
		for c := range missing {
			rs = append(rs, string(c))
		}
		t.Errorf("the font lacks %s", strings.Join(rs, " "))
	}
}

// Lines never start with a closing mark, and a long title in a narrow
// cell wraps instead of running over the next column.
func TestLineBreaking(t *testing.T) {
	p := newTestPDFWriter(t)
	text := strings.Repeat("关于小区停车难的问题，", 12)
	lines := p.breakLines([]run{{text: text}}, sizeBody, 60, 0)
	if len(lines) < 4 {
		t.Fatalf("%d lines for %d characters in 60 mm", len(lines), len([]rune(text)))
	}
	var joined strings.Builder
	for i, l := range lines {
		s := ""
		for _, r := range l {
			s += r.text
		}
		joined.WriteString(s)
		if i > 0 && startsWithAny(s, noLineStart) {
			t.Errorf("line %d starts with a closing mark: %q", i, s)
		}
		p.pdf.SetFont(pdfFont, "", sizeBody)
		if w := p.pdf.GetStringWidth(strings.TrimRight(s, noLineStart)); w > 60.01 {
			t.Errorf("line %d is %.1f mm wide, more than 60: %q", i, w, s)
		}
	}
	if joined.String() != text {
		t.Errorf("breaking lost text:\n%s\n%s", joined.String(), text)
	}
	// A title of a hundred characters as an event's heading stays on the page.
	p.pdf.SetY(40)
	p.block(heading{level: 2, text: "1. " + strings.Repeat("拆迁补偿", 25)}, nil)
	if y := p.pdf.GetY(); y < 40+3*lineHeight(sizeH2) {
		t.Errorf("a long heading took %.1f mm: not wrapped", y-40)
	}
	cells := p.cellLines("江北区某小区拆迁补偿标准不透明，居民多次反映无果", 30)
	if len(cells) < 2 {
		t.Errorf("a long title in a 30 mm cell is one line: %q", cells)
	}
}

func newTestPDFWriter(t *testing.T) *pdfWriter {
	t.Helper()
	raw, err := loadFont()
	if err != nil {
		t.Fatal(err)
	}
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.AddUTF8FontFromBytes(pdfFont, "", raw)
	pdf.AddPage()
	return &pdfWriter{pdf: pdf}
}
