package report

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"
)

// The DOCX is written part by part with archive/zip and encoding/xml's
// escaping: the Go DOCX libraries are unmaintained forks or new and
// unproven, and a report needs a small, fixed part of WordprocessingML
// (styled paragraphs, tables, inline PNGs, hyperlinks, a page-number
// footer) whose every font attribute must be right for Chinese text.
//
// Fonts follow the government's document conventions (GB/T 9704): the
// title in 宋体 bold (方正小标宋 where offices have it is a swap in the
// style), headings in 黑体 and 楷体, body text in 仿宋, tables in 宋体.
// The DOCX names the fonts and embeds none: the offices that edit and
// forward it have them, which is what they expect of a Word file.

// Fonts of each kind of text: eastAsia for Chinese, ascii for the rest.
type docxFont struct{ eastAsia, ascii string }

var (
	fontTitle   = docxFont{"宋体", "Times New Roman"}
	fontHeading = docxFont{"黑体", "Times New Roman"}
	fontItem    = docxFont{"楷体", "Times New Roman"}
	fontBody    = docxFont{"仿宋", "Times New Roman"}
	fontTable   = docxFont{"宋体", "Times New Roman"}
)

// Page: A4 with GB/T 9704's margins, in twentieths of a point.
const (
	pageWidthTw  = 11906
	pageHeightTw = 16838
	marginTopTw  = 2098 // 37 mm
	marginBotTw  = 1984 // 35 mm
	marginLeftTw = 1588 // 28 mm
	marginRghtTw = 1474 // 26 mm
	textWidthTw  = pageWidthTw - marginLeftTw - marginRghtTw
	emuPerPoint  = 12700
)

// WriteDOCX writes r as a Word document.
func WriteDOCX(w io.Writer, r *Report) error {
	charts, err := renderCharts(r)
	if err != nil {
		return err
	}
	d := &docxWriter{charts: charts}
	body := d.body(outline(r, charts))
	z := zip.NewWriter(w)
	parts := []struct {
		name string
		data []byte
	}{
		{"[Content_Types].xml", []byte(contentTypes)},
		{"_rels/.rels", []byte(packageRels)},
		{"docProps/core.xml", []byte(coreProps(r))},
		{"docProps/app.xml", []byte(appProps)},
		{"word/document.xml", []byte(xmlHeader + `<w:document ` + wordNS + `><w:body>` + body + sectionProps + `</w:body></w:document>`)},
		{"word/styles.xml", []byte(styles())},
		{"word/settings.xml", []byte(settings)},
		{"word/footer1.xml", []byte(footer)},
		{"word/_rels/document.xml.rels", []byte(d.rels())},
	}
	for i, img := range d.images {
		parts = append(parts, struct {
			name string
			data []byte
		}{fmt.Sprintf("word/media/chart%d.png", i+1), img})
	}
	for _, p := range parts {
		f, err := z.Create(p.name)
		if err != nil {
			return err
		}
		if _, err := f.Write(p.data); err != nil {
			return err
		}
	}
	return z.Close()
}

// docxWriter renders blocks as document.xml and collects the
// relationships they need.
type docxWriter struct {
	charts map[string]chartImage
	images [][]byte
	links  []string
}

func (d *docxWriter) body(blocks []block) string {
	var b strings.Builder
	for _, bl := range blocks {
		switch bl := bl.(type) {
		case titleBlock:
			d.title(&b, bl)
		case heading:
			style, f, size := "Heading1", fontHeading, 32
			if bl.level > 1 {
				style, f, size = "Heading2", fontItem, 30
			}
			fmt.Fprintf(&b, `<w:p><w:pPr><w:pStyle w:val="%s"/></w:pPr>%s</w:p>`, style, textRun(bl.text, f, size, bl.level > 1, ""))
		case para:
			d.para(&b, bl)
		case table:
			d.table(&b, bl)
		case figure:
			d.figure(&b, bl)
		case pageBreak:
			b.WriteString(`<w:p><w:r><w:br w:type="page"/></w:r></w:p>`)
		}
	}
	return b.String()
}

func (d *docxWriter) title(b *strings.Builder, t titleBlock) {
	fmt.Fprintf(b, `<w:p><w:pPr><w:spacing w:before="240" w:after="240"/><w:jc w:val="center"/></w:pPr>%s</w:p>`,
		textRun(t.title, fontTitle, 52, true, "C00000"))
	fmt.Fprintf(b, `<w:p><w:pPr><w:spacing w:after="120"/><w:jc w:val="center"/></w:pPr>%s</w:p>`,
		textRun("（"+t.period+"）", fontItem, 32, false, ""))
	// Issuer on the left, date on the right, over the red rule.
	fmt.Fprintf(b, `<w:p><w:pPr><w:pBdr><w:bottom w:val="single" w:sz="18" w:space="4" w:color="C00000"/></w:pBdr>`+
		`<w:tabs><w:tab w:val="right" w:pos="%d"/></w:tabs><w:spacing w:after="360"/></w:pPr>`+
		`%s<w:r><w:tab/></w:r>%s</w:p>`, textWidthTw, textRun(t.issuer, fontBody, 28, false, ""), textRun(t.date, fontBody, 28, false, ""))
}

func (d *docxWriter) para(b *strings.Builder, p para) {
	f, size := fontBody, 28
	pPr := `<w:pPr><w:spacing w:line="440" w:lineRule="exact"/>`
	if p.small {
		f, size = fontTable, 21
		pPr = `<w:pPr><w:spacing w:after="60"/><w:ind w:left="420"/>`
	}
	if p.indent {
		pPr += `<w:ind w:firstLineChars="200" w:firstLine="560"/><w:jc w:val="both"/>`
	}
	b.WriteString(`<w:p>` + pPr + `</w:pPr>`)
	for _, r := range p.runs {
		color := ""
		if r.red {
			color = "C00000"
		}
		if id := d.link(r.link); id != "" {
			fmt.Fprintf(b, `<w:hyperlink r:id="%s" w:history="1">%s</w:hyperlink>`, id, linkRun(r.text, f, size))
			continue
		}
		b.WriteString(textRun(r.text, f, size, r.bold, color))
	}
	b.WriteString(`</w:p>`)
}

func (d *docxWriter) table(b *strings.Builder, t table) {
	sum := 0.0
	for _, w := range t.widths {
		sum += w
	}
	widths := make([]int, len(t.widths))
	for i, w := range t.widths {
		widths[i] = int(w / sum * textWidthTw)
	}
	b.WriteString(`<w:tbl><w:tblPr><w:tblW w:w="` + itoa(textWidthTw) + `" w:type="dxa"/><w:jc w:val="center"/>` +
		`<w:tblBorders><w:top w:val="single" w:sz="8" w:color="000000"/><w:left w:val="single" w:sz="4" w:color="000000"/>` +
		`<w:bottom w:val="single" w:sz="8" w:color="000000"/><w:right w:val="single" w:sz="4" w:color="000000"/>` +
		`<w:insideH w:val="single" w:sz="4" w:color="808080"/><w:insideV w:val="single" w:sz="4" w:color="808080"/></w:tblBorders>` +
		`<w:tblLayout w:type="fixed"/><w:tblCellMar><w:left w:w="80" w:type="dxa"/><w:right w:w="80" w:type="dxa"/></w:tblCellMar>` +
		`</w:tblPr><w:tblGrid>`)
	for _, w := range widths {
		b.WriteString(`<w:gridCol w:w="` + itoa(w) + `"/>`)
	}
	b.WriteString(`</w:tblGrid>`)
	// The header row repeats on every page the table runs over.
	b.WriteString(`<w:tr><w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>`)
	for i, h := range t.header {
		fmt.Fprintf(b, `<w:tc><w:tcPr><w:tcW w:w="%d" w:type="dxa"/><w:shd w:val="clear" w:color="auto" w:fill="E7E6E6"/><w:vAlign w:val="center"/></w:tcPr>`+
			`<w:p><w:pPr>%s<w:jc w:val="center"/></w:pPr>%s</w:p></w:tc>`, widths[i], cellSpacing, textRun(h, fontHeading, 21, false, ""))
	}
	b.WriteString(`</w:tr>`)
	for ri, row := range t.rows {
		bold := t.total && ri == len(t.rows)-1
		b.WriteString(`<w:tr><w:trPr><w:cantSplit/></w:trPr>`)
		for i, c := range row {
			jc := "left"
			if t.right[i] {
				jc = "right"
			}
			fmt.Fprintf(b, `<w:tc><w:tcPr><w:tcW w:w="%d" w:type="dxa"/><w:vAlign w:val="center"/></w:tcPr><w:p><w:pPr>%s<w:jc w:val="%s"/></w:pPr>`, widths[i], cellSpacing, jc)
			if id := d.link(c.link); id != "" {
				fmt.Fprintf(b, `<w:hyperlink r:id="%s" w:history="1">%s</w:hyperlink>`, id, linkRun(c.text, fontTable, 21))
			} else {
				b.WriteString(textRun(c.text, fontTable, 21, bold, ""))
			}
			b.WriteString(`</w:p></w:tc>`)
		}
		b.WriteString(`</w:tr>`)
	}
	// Word needs a paragraph between two tables, and it spaces them apart.
	b.WriteString(`</w:tbl><w:p><w:pPr><w:spacing w:after="120"/></w:pPr></w:p>`)
}

func (d *docxWriter) figure(b *strings.Builder, f figure) {
	img := d.charts[f.chart]
	d.images = append(d.images, img.png)
	n := len(d.images)
	cx, cy := int64(img.width.Points()*emuPerPoint), int64(img.height.Points()*emuPerPoint)
	fmt.Fprintf(b, `<w:p><w:pPr><w:keepNext/><w:jc w:val="center"/></w:pPr><w:r><w:drawing>`+
		`<wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="%d" cy="%d"/><wp:docPr id="%d" name="chart%d" descr="%s"/>`+
		`<a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">`+
		`<pic:pic xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:nvPicPr><pic:cNvPr id="%d" name="chart%d.png"/><pic:cNvPicPr/></pic:nvPicPr>`+
		`<pic:blipFill><a:blip r:embed="rIdChart%d"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>`+
		`<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="%d" cy="%d"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr>`+
		`</pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>`,
		cx, cy, n, n, escape(f.caption), n, n, n, cx, cy)
	fmt.Fprintf(b, `<w:p><w:pPr><w:pStyle w:val="Caption"/><w:jc w:val="center"/></w:pPr>%s</w:p>`, textRun(f.caption, fontTable, 21, false, ""))
}

// cellSpacing keeps table rows single-spaced, tighter than the prose.
const cellSpacing = `<w:spacing w:before="40" w:after="40" w:line="276" w:lineRule="auto"/>`

// link registers an external link and returns its relationship id; ""
// for an address Word would refuse (only http and https are linked).
func (d *docxWriter) link(target string) string {
	u, err := url.Parse(target)
	if target == "" || err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	d.links = append(d.links, u.String())
	return fmt.Sprintf("rIdLink%d", len(d.links))
}

func (d *docxWriter) rels() string {
	var b strings.Builder
	b.WriteString(xmlHeader + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
		`<Relationship Id="rIdStyles" Type="` + relNS + `/styles" Target="styles.xml"/>` +
		`<Relationship Id="rIdSettings" Type="` + relNS + `/settings" Target="settings.xml"/>` +
		`<Relationship Id="rIdFooter" Type="` + relNS + `/footer" Target="footer1.xml"/>`)
	for i := range d.images {
		fmt.Fprintf(&b, `<Relationship Id="rIdChart%d" Type="%s/image" Target="media/chart%d.png"/>`, i+1, relNS, i+1)
	}
	for i, l := range d.links {
		fmt.Fprintf(&b, `<Relationship Id="rIdLink%d" Type="%s/hyperlink" Target="%s" TargetMode="External"/>`, i+1, relNS, escape(l))
	}
	b.WriteString(`</Relationships>`)
	return b.String()
}

// textRun is a run with its fonts named for both scripts, size in half
// points, and color in hex ("" for automatic).
func textRun(text string, f docxFont, halfPoints int, bold bool, color string) string {
	var rPr strings.Builder
	rPr.WriteString(runFonts(f))
	if bold {
		rPr.WriteString(`<w:b/><w:bCs/>`)
	}
	if color != "" {
		rPr.WriteString(`<w:color w:val="` + color + `"/>`)
	}
	fmt.Fprintf(&rPr, `<w:sz w:val="%d"/><w:szCs w:val="%d"/>`, halfPoints, halfPoints)
	return `<w:r><w:rPr>` + rPr.String() + `</w:rPr><w:t xml:space="preserve">` + escape(text) + `</w:t></w:r>`
}

func linkRun(text string, f docxFont, halfPoints int) string {
	return fmt.Sprintf(`<w:r><w:rPr><w:rStyle w:val="Hyperlink"/>%s<w:color w:val="0563C1"/><w:sz w:val="%d"/><w:szCs w:val="%d"/><w:u w:val="single"/></w:rPr>`+
		`<w:t xml:space="preserve">%s</w:t></w:r>`, runFonts(f), halfPoints, halfPoints, escape(text))
}

func runFonts(f docxFont) string {
	return fmt.Sprintf(`<w:rFonts w:ascii="%s" w:hAnsi="%s" w:eastAsia="%s" w:cs="%s" w:hint="eastAsia"/>`, f.ascii, f.ascii, f.eastAsia, f.ascii)
}

// escape makes text safe in XML; characters XML cannot hold at all
// (control characters) become U+FFFD rather than a broken file.
func escape(s string) string {
	var b bytes.Buffer
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

const (
	xmlHeader = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"
	relNS     = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
	wordNS    = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" ` +
		`xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" ` +
		`xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"`
)

var sectionProps = fmt.Sprintf(`<w:sectPr><w:footerReference w:type="default" r:id="rIdFooter"/>`+
	`<w:pgSz w:w="%d" w:h="%d"/><w:pgMar w:top="%d" w:right="%d" w:bottom="%d" w:left="%d" w:header="851" w:footer="992" w:gutter="0"/>`+
	`<w:docGrid w:linePitch="312"/></w:sectPr>`,
	pageWidthTw, pageHeightTw, marginTopTw, marginRghtTw, marginBotTw, marginLeftTw)

const contentTypes = xmlHeader + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
	`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
	`<Default Extension="xml" ContentType="application/xml"/>` +
	`<Default Extension="png" ContentType="image/png"/>` +
	`<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>` +
	`<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>` +
	`<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>` +
	`<Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>` +
	`<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>` +
	`<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>` +
	`</Types>`

const packageRels = xmlHeader + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
	`<Relationship Id="rId1" Type="` + relNS + `/officeDocument" Target="word/document.xml"/>` +
	`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>` +
	`<Relationship Id="rId3" Type="` + relNS + `/extended-properties" Target="docProps/app.xml"/>` +
	`</Relationships>`

const appProps = xmlHeader + `<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>minyi</Application></Properties>`

func coreProps(r *Report) string {
	return xmlHeader + `<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" ` +
		`xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" ` +
		`xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
		`<dc:title>` + escape(r.Title+"（"+PeriodText(r.From, r.To)+"）") + `</dc:title>` +
		`<dc:creator>` + escape(r.Issuer) + `</dc:creator>` +
		`<dcterms:created xsi:type="dcterms:W3CDTF">` + r.Generated.UTC().Format(time.RFC3339) + `</dcterms:created>` +
		`</cp:coreProperties>`
}

const settings = xmlHeader + `<w:settings xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">` +
	`<w:defaultTabStop w:val="420"/><w:characterSpacingControl w:val="compressPunctuation"/>` +
	`<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>` +
	`</w:settings>`

// footer numbers the pages 第 N 页, centred.
var footer = xmlHeader + `<w:ftr ` + wordNS + `><w:p><w:pPr><w:jc w:val="center"/></w:pPr>` +
	textRun("第 ", fontTable, 21, false, "") +
	`<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>` +
	`<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>` +
	textRun(" 页", fontTable, 21, false, "") + `</w:p></w:ftr>`

// styles names the paragraph styles Word's navigation pane and an editor
// use; the runs carry their fonts themselves, so text pasted elsewhere
// keeps them.
func styles() string {
	return xmlHeader + `<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">` +
		`<w:docDefaults><w:rPrDefault><w:rPr>` + runFonts(fontBody) + `<w:sz w:val="28"/><w:szCs w:val="28"/><w:lang w:val="en-US" w:eastAsia="zh-CN"/></w:rPr></w:rPrDefault>` +
		`<w:pPrDefault><w:pPr><w:spacing w:after="0" w:line="360" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>` +
		`<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>` +
		`<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/>` +
		`<w:pPr><w:keepNext/><w:spacing w:before="240" w:after="120"/><w:outlineLvl w:val="0"/></w:pPr>` +
		`<w:rPr>` + runFonts(fontHeading) + `<w:sz w:val="32"/><w:szCs w:val="32"/></w:rPr></w:style>` +
		`<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/>` +
		`<w:pPr><w:keepNext/><w:spacing w:before="120" w:after="60"/><w:outlineLvl w:val="1"/></w:pPr>` +
		`<w:rPr>` + runFonts(fontItem) + `<w:b/><w:sz w:val="30"/><w:szCs w:val="30"/></w:rPr></w:style>` +
		`<w:style w:type="paragraph" w:styleId="Caption"><w:name w:val="caption"/><w:basedOn w:val="Normal"/><w:qFormat/>` +
		`<w:pPr><w:spacing w:before="60" w:after="200"/></w:pPr><w:rPr>` + runFonts(fontTable) + `<w:sz w:val="21"/></w:rPr></w:style>` +
		`<w:style w:type="character" w:styleId="Hyperlink"><w:name w:val="Hyperlink"/><w:rPr><w:color w:val="0563C1"/><w:u w:val="single"/></w:rPr></w:style>` +
		`</w:styles>`
}

// DOCXContentType is the media type of a DOCX file.
const DOCXContentType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
