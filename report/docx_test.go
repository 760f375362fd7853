package report

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"image/png"
	"io"
	"slices"
	"strings"
	"testing"
)

// docxParts unzips a DOCX, failing on any part that is not well-formed XML.
func docxParts(t *testing.T, raw []byte) map[string][]byte {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(raw), int64(len(raw)))
	if err != nil {
		t.Fatalf("the DOCX is not a zip: %v", err)
	}
	parts := map[string][]byte{}
	for _, f := range z.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		parts[f.Name] = b
		if strings.HasSuffix(f.Name, ".xml") || strings.HasSuffix(f.Name, ".rels") {
			d := xml.NewDecoder(bytes.NewReader(b))
			for {
				if _, err := d.Token(); err == io.EOF {
					break
				} else if err != nil {
					t.Fatalf("%s is not well-formed XML: %v", f.Name, err)
				}
			}
		}
	}
	return parts
}

// docxText is the text of document.xml's runs, paragraph by paragraph.
func docxText(t *testing.T, document []byte) string {
	t.Helper()
	var b strings.Builder
	d := xml.NewDecoder(bytes.NewReader(document))
	inText := false
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return b.String()
		}
		if err != nil {
			t.Fatal(err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			inText = tok.Name.Local == "t"
		case xml.EndElement:
			inText = false
			if tok.Name.Local == "p" {
				b.WriteString("\n")
			}
		case xml.CharData:
			if inText {
				b.Write(tok)
			}
		}
	}
}

func writeDOCX(t *testing.T, r *Report) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteDOCX(&buf, r); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestDOCXHoldsTheFigures(t *testing.T) {
	_, r := seededDaily(t)
	parts := docxParts(t, writeDOCX(t, r))
	for _, name := range []string{"[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/styles.xml",
		"word/_rels/document.xml.rels", "word/footer1.xml", "docProps/core.xml"} {
		if parts[name] == nil {
			t.Errorf("the DOCX lacks %s", name)
		}
	}
	doc := parts["word/document.xml"]
	text := docxText(t, doc)
	containsAll(t, "document text", text,
		"舆情日报", "（2026年11月22日）", "一、总体情况",
		"2026年11月22日，共监测到网络舆情信息15条，较前一日（8条）上升87.5%", // the summary
		"信息总量（条）\n15\n8\n上升87.5%",                   // key figures: this period, the day before, change
		"负面占比\n50.0%\n25.0%\n+25.0个百分点",
		"1. 江北区拆迁补偿标准不透明", "相关信息6条，其中负面4条",
		"市住建局\n3\n2\n66.7%\n3\n1\n33.3%\n1", // a department's row, every column
		"市生态环境局\n2\n1\n50.0%\n0\n0\n—\n0",   // not measured is a dash, not 0%
		"合计\n5\n3\n60.0%\n3\n1\n33.3%\n1",
		"小区围墙倒塌无人处理", "催办",
		"附表1　分时段数据", "09时\n1\n0\n0\n1\n100.0%",
	)
	// Chinese fonts are named for East Asian text in the runs themselves.
	for _, font := range []string{"仿宋", "黑体", "宋体", "楷体"} {
		if !bytes.Contains(doc, []byte(`w:eastAsia="`+font+`"`)) {
			t.Errorf("no run sets eastAsia to %s", font)
		}
	}
	if !bytes.Contains(parts["word/styles.xml"], []byte(`w:eastAsia="仿宋"`)) || !bytes.Contains(parts["word/styles.xml"], []byte(`w:eastAsia="zh-CN"`)) {
		t.Error("the default style is not 仿宋 in Chinese")
	}
	// Every chart is a PNG of print resolution that the document shows.
	rels := string(parts["word/_rels/document.xml.rels"])
	for i, name := range []string{"chart1", "chart2", "chart3", "chart4"} {
		img := parts["word/media/"+name+".png"]
		if img == nil {
			t.Fatalf("the DOCX lacks chart %d of 4", i+1)
		}
		cfg, err := png.DecodeConfig(bytes.NewReader(img))
		if err != nil || cfg.Width < 1000 {
			t.Errorf("%s: %dx%d, %v", name, cfg.Width, cfg.Height, err)
		}
		if !strings.Contains(rels, `Target="media/`+name+`.png"`) || !bytes.Contains(doc, []byte(`r:embed="rIdChart`+string(rune('1'+i))+`"`)) {
			t.Errorf("%s is not referenced", name)
		}
	}
	if !strings.Contains(rels, `Target="https://bbs.example.gov.cn/thread-chaiqian-5.html" TargetMode="External"`) {
		t.Error("the newest post of the first event is not linked")
	}
}

// What the analyst edits is what the document says.
func TestDOCXFollowsTheEdits(t *testing.T) {
	_, r := seededDaily(t)
	r.Summary = "今日舆情总体平稳。"
	r.Remarks = "建议市住建局尽快回应拆迁补偿标准问题。\n\n同时关注夜间施工噪音。"
	r.Events = r.Events[1:]
	r.Events[0].Note = "已转交市生态环境局核查"
	r.Charts = []string{ChartVolume}
	parts := docxParts(t, writeDOCX(t, r))
	text := docxText(t, parts["word/document.xml"])
	containsAll(t, "document text", text, "今日舆情总体平稳。", "研判建议", "建议市住建局尽快回应拆迁补偿标准问题。",
		"同时关注夜间施工噪音。", "1. 工地夜间施工噪音扰民", "研判：已转交市生态环境局核查")
	if strings.Contains(text, "共监测到网络舆情信息15条") || strings.Contains(text, "1. 江北区拆迁补偿标准不透明") {
		t.Error("the document still has what the analyst removed")
	}
	if parts["word/media/chart1.png"] == nil || parts["word/media/chart2.png"] != nil {
		t.Error("the document should show the one chart the analyst kept")
	}
}

// Text from the web may hold characters XML cannot: the document must
// still open.
func TestDOCXSurvivesControlCharacters(t *testing.T) {
	_, r := seededDaily(t)
	r.Summary = "坏\x00字符\x0b与<标签>&实体"
	parts := docxParts(t, writeDOCX(t, r))
	if text := docxText(t, parts["word/document.xml"]); !strings.Contains(text, "<标签>&实体") {
		t.Errorf("escaped text lost: %q", text[:200])
	}
}

// Word refuses a document whose property elements are out of the order
// the WordprocessingML schema (ECMA-376 part 1, 17.3) gives, where
// LibreOffice and most readers shrug: every pPr, rPr, tblPr, tcPr and
// sectPr child must come in that order.
var schemaOrder = map[string][]string{
	"pPr": {"pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr", "suppressLineNumbers",
		"pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap", "overflowPunct", "topLinePunct", "autoSpaceDE",
		"autoSpaceDN", "bidi", "adjustRightInd", "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents",
		"suppressOverlap", "jc", "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr", "pPrChange"},
	"rPr": {"rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike", "outline", "shadow", "emboss",
		"imprint", "noProof", "snapToGrid", "vanish", "webHidden", "color", "spacing", "w", "kern", "position", "sz", "szCs",
		"highlight", "u", "effect", "bdr", "shd", "fitText", "vertAlign", "rtl", "cs", "em", "lang", "eastAsianLayout", "specVanish", "oMath"},
	"tblPr": {"tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize", "tblStyleColBandSize", "tblW", "jc",
		"tblCellSpacing", "tblInd", "tblBorders", "shd", "tblLayout", "tblCellMar", "tblLook"},
	"tcPr": {"cnfStyle", "tcW", "gridSpan", "hMerge", "vMerge", "tcBorders", "shd", "noWrap", "tcMar", "textDirection", "tcFitText", "vAlign", "hideMark"},
	"sectPr": {"headerReference", "footerReference", "footnotePr", "endnotePr", "type", "pgSz", "pgMar", "paperSrc", "pgBorders",
		"lnNumType", "pgNumType", "cols", "formProt", "vAlign", "noEndnote", "titlePg", "textDirection", "bidi", "rtlGutter", "docGrid"},
}

func TestDOCXPropertiesInSchemaOrder(t *testing.T) {
	_, r := seededDaily(t)
	r.Remarks = "建议加强巡查。"
	parts := docxParts(t, writeDOCX(t, r))
	for _, name := range []string{"word/document.xml", "word/styles.xml", "word/footer1.xml"} {
		d := xml.NewDecoder(bytes.NewReader(parts[name]))
		type open struct {
			name string
			last int // position in schemaOrder of the last child seen
		}
		var stack []open
		for {
			tok, err := d.Token()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			switch tok := tok.(type) {
			case xml.StartElement:
				if n := len(stack); n > 0 {
					if order, ok := schemaOrder[stack[n-1].name]; ok {
						pos := slices.Index(order, tok.Name.Local)
						if pos < 0 || pos < stack[n-1].last {
							t.Errorf("%s: <%s> inside <%s> is out of the schema's order", name, tok.Name.Local, stack[n-1].name)
						}
						stack[n-1].last = pos
					}
				}
				stack = append(stack, open{name: tok.Name.Local, last: -1})
			case xml.EndElement:
				stack = stack[:len(stack)-1]
			}
		}
	}
}
