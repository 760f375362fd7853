package report

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"codeberg.org/go-pdf/fpdf"
)

// The PDF is for printing and reading as it is: it embeds its one CJK
// font (a subset of Droid Sans Fallback, see fonts.go), so it prints the
// same on a machine without Chinese fonts. fpdf (MIT, go-pdf) lays out
// pages, embeds and subsets TrueType fonts, and links; lines, tables and
// page breaks are done here, where Chinese punctuation rules apply.

// Page geometry in millimetres: A4 with even margins, wide enough for the
// tables without squeezing.
const (
	pdfMarginX   = 22.0
	pdfMarginTop = 22.0
	pdfMarginBot = 20.0
	pdfFont      = "cjk"
	// Sizes in points, the usual 三号 (16), 四号 (14), 小四 (12), 五号 (10.5).
	sizeTitle   = 26
	sizeH1      = 15
	sizeH2      = 13
	sizeBody    = 12
	sizeSmall   = 9.5
	sizeTable   = 10
	lineSpacing = 1.6 // line height over font size
	cellPad     = 1.5
)

// WritePDF writes r as a PDF.
func WritePDF(w io.Writer, r *Report) error {
	raw, err := loadFont()
	if err != nil {
		return err
	}
	charts, err := renderCharts(r)
	if err != nil {
		return err
	}
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetMargins(pdfMarginX, pdfMarginTop, pdfMarginX)
	pdf.SetAutoPageBreak(true, pdfMarginBot)
	pdf.AddUTF8FontFromBytes(pdfFont, "", raw)
	pdf.SetTitle(r.Title+"（"+PeriodText(r.From, r.To)+"）", true)
	pdf.SetAuthor(r.Issuer, true)
	pdf.SetCreator("minyi", false)
	pdf.SetCreationDate(r.Generated)
	pdf.SetModificationDate(r.Generated)
	pdf.SetLang("zh-CN")
	pdf.AliasNbPages("{nb}")
	pdf.SetFooterFunc(func() {
		pdf.SetY(-14)
		pdf.SetFont(pdfFont, "", 9)
		pdf.SetTextColor(90, 90, 90)
		pdf.CellFormat(0, 6, fmt.Sprintf("第 %d 页 共 {nb} 页", pdf.PageNo()), "", 0, "C", false, 0, "")
	})
	pdf.AddPage()
	p := &pdfWriter{pdf: pdf, charts: charts}
	blocks := outline(r, charts)
	for i, b := range blocks {
		var next block
		if i+1 < len(blocks) {
			next = blocks[i+1]
		}
		p.block(b, next)
		if err := pdf.Error(); err != nil {
			return fmt.Errorf("report: writing the PDF: %w", err)
		}
	}
	return pdf.Output(w)
}

type pdfWriter struct {
	pdf    *fpdf.Fpdf
	charts map[string]chartImage
	images int
}

func (p *pdfWriter) width() float64 {
	w, _ := p.pdf.GetPageSize()
	return w - 2*pdfMarginX
}

func (p *pdfWriter) bottom() float64 {
	_, h := p.pdf.GetPageSize()
	return h - pdfMarginBot
}

// room starts a new page unless h millimetres fit on this one.
func (p *pdfWriter) room(h float64) {
	if p.pdf.GetY()+h > p.bottom() {
		p.pdf.AddPage()
	}
}

func lineHeight(size float64) float64 { return size * lineSpacing * 25.4 / 72 }

func (p *pdfWriter) block(b, next block) {
	pdf := p.pdf
	switch b := b.(type) {
	case titleBlock:
		p.title(b)
	case heading:
		size, before := float64(sizeH1), 4.0
		if b.level > 1 {
			size, before = sizeH2, 2.0
		}
		// A heading keeps company with what follows it.
		p.room(before + lineHeight(size) + p.minHeight(next))
		pdf.Ln(before)
		p.paragraph([]run{{text: b.text, bold: true}}, size, 0, false) // a long post title wraps
	case para:
		size, indent := float64(sizeBody), 0.0
		if b.small {
			size, indent = sizeSmall, 6
		}
		p.paragraph(b.runs, size, indent, b.indent)
		if !b.small {
			pdf.Ln(1.5)
		}
	case table:
		p.table(b)
	case figure:
		p.figure(b)
	case pageBreak:
		pdf.AddPage()
	}
}

// minHeight is the least of the next block that must share a page with a
// heading before it.
func (p *pdfWriter) minHeight(b block) float64 {
	switch b := b.(type) {
	case figure:
		img := p.charts[b.chart]
		return img.height.Points()*25.4/72 + 8
	case table:
		return 3 * (lineHeight(sizeTable) + 2*cellPad)
	case para:
		return 2 * lineHeight(sizeBody)
	case heading:
		return lineHeight(sizeH2) + 2*lineHeight(sizeBody)
	}
	return lineHeight(sizeBody)
}

func (p *pdfWriter) title(t titleBlock) {
	pdf := p.pdf
	pdf.Ln(4)
	pdf.SetFont(pdfFont, "", sizeTitle)
	pdf.SetTextColor(0xC0, 0, 0)
	p.bold(true, 0xC0, 0, 0)
	pdf.CellFormat(0, 16, t.title, "", 1, "C", false, 0, "")
	p.bold(false, 0, 0, 0)
	pdf.SetFont(pdfFont, "", 14)
	pdf.SetTextColor(0, 0, 0)
	pdf.CellFormat(0, 10, "（"+t.period+"）", "", 1, "C", false, 0, "")
	pdf.Ln(4)
	pdf.SetFont(pdfFont, "", 12)
	y := pdf.GetY()
	pdf.CellFormat(p.width()/2, 8, t.issuer, "", 0, "L", false, 0, "")
	pdf.CellFormat(p.width()/2, 8, t.date, "", 1, "R", false, 0, "")
	pdf.SetDrawColor(0xC0, 0, 0)
	pdf.SetLineWidth(0.8)
	pdf.Line(pdfMarginX, y+10, pdfMarginX+p.width(), y+10)
	pdf.SetDrawColor(0, 0, 0)
	pdf.SetLineWidth(0.2)
	pdf.SetY(y + 14)
}

// bold draws the following text filled and stroked in its color, which
// thickens it: the font has no bold face.
func (p *pdfWriter) bold(on bool, r, g, b int) {
	if !on {
		p.pdf.SetTextRenderingMode(0)
		return
	}
	p.pdf.SetDrawColor(r, g, b)
	p.pdf.SetLineWidth(0.25)
	p.pdf.SetTextRenderingMode(2)
}

// paragraph lays runs out over lines, the first indented two characters
// when indent is set.
func (p *pdfWriter) paragraph(runs []run, size, left float64, indent bool) {
	first := 0.0
	if indent {
		p.pdf.SetFont(pdfFont, "", size)
		first = p.pdf.GetStringWidth("中中")
	}
	lines := p.breakLines(runs, size, p.width()-left, first)
	for i, l := range lines {
		x := left
		if i == 0 {
			x += first
		}
		p.room(lineHeight(size))
		p.pdf.SetX(pdfMarginX + x)
		p.line(l, size)
	}
}

// line draws one line of runs at the current position and moves down.
func (p *pdfWriter) line(runs []run, size float64) {
	pdf := p.pdf
	h := lineHeight(size)
	pdf.SetFont(pdfFont, "", size)
	for _, r := range runs {
		switch {
		case r.link != "":
			pdf.SetTextColor(0x05, 0x63, 0xC1)
		case r.red:
			pdf.SetTextColor(0xC0, 0, 0)
		default:
			pdf.SetTextColor(0, 0, 0)
		}
		p.bold(r.bold, 0, 0, 0)
		w := pdf.GetStringWidth(r.text)
		pdf.CellFormat(w, h, r.text, "", 0, "L", false, 0, r.link)
		p.bold(false, 0, 0, 0)
	}
	pdf.SetTextColor(0, 0, 0)
	pdf.Ln(h)
}

// noLineStart are the characters Chinese typesetting keeps off the start
// of a line (closing marks and sentence punctuation); noLineEnd off its end.
const (
	noLineStart = "，。、；：？！）》」』”’】〕…—％%,.;:?!)]"
	noLineEnd   = "（《「『“‘【〔(["
)

// breakLines splits runs into lines of at most width millimetres (the
// first line first millimetres shorter). Latin words stay whole; CJK
// characters may break anywhere except where punctuation forbids it: a
// closing mark hangs into the margin, an opening mark moves down with
// what it opens.
func (p *pdfWriter) breakLines(runs []run, size, width, first float64) [][]run {
	pdf := p.pdf
	pdf.SetFont(pdfFont, "", size)
	type piece struct {
		text string
		run  int
		w    float64
	}
	var pieces []piece
	for i, r := range runs {
		for _, t := range tokens(r.text) {
			pieces = append(pieces, piece{t, i, pdf.GetStringWidth(t)})
		}
	}
	var lines [][]piece
	var cur []piece
	used, limit := 0.0, width-first
	for _, pc := range pieces {
		if used+pc.w > limit && len(cur) > 0 && !startsWithAny(pc.text, noLineStart) {
			var carry []piece
			if last := cur[len(cur)-1]; len(cur) > 1 && startsWithAny(last.text, noLineEnd) {
				cur, carry = cur[:len(cur)-1], []piece{last}
			}
			lines = append(lines, cur)
			cur, used, limit = carry, 0, width
			for _, c := range carry {
				used += c.w
			}
			if strings.TrimSpace(pc.text) == "" {
				continue // no space at the start of a line
			}
		}
		cur = append(cur, pc)
		used += pc.w
	}
	if len(cur) > 0 {
		lines = append(lines, cur)
	}
	out := make([][]run, len(lines))
	for i, l := range lines {
		for _, pc := range l {
			if n := len(out[i]); n > 0 && out[i][n-1] == withText(runs[pc.run], out[i][n-1].text) {
				out[i][n-1].text += pc.text
				continue
			}
			out[i] = append(out[i], withText(runs[pc.run], pc.text))
		}
	}
	return out
}

func withText(r run, text string) run { r.text = text; return r }

// tokens splits text into what a line may not break inside: a Latin word
// or number (with its trailing space), or one other character.
func tokens(s string) []string {
	var out []string
	for s != "" {
		r, n := utf8.DecodeRuneInString(s)
		if r < 0x2E80 && !unicode.IsSpace(r) {
			end := n
			for end < len(s) {
				r2, n2 := utf8.DecodeRuneInString(s[end:])
				if r2 >= 0x2E80 || unicode.IsSpace(r2) {
					break
				}
				end += n2
			}
			out = append(out, s[:end])
			s = s[end:]
			continue
		}
		out = append(out, s[:n])
		s = s[n:]
	}
	return out
}

func startsWithAny(s, set string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return r != utf8.RuneError && strings.ContainsRune(set, r)
}

func (p *pdfWriter) table(t table) {
	pdf := p.pdf
	sum := 0.0
	for _, w := range t.widths {
		sum += w
	}
	widths := make([]float64, len(t.widths))
	for i, w := range t.widths {
		widths[i] = w / sum * p.width()
	}
	lh := lineHeight(sizeTable) * 0.8
	header := make([]cell, len(t.header))
	for i, h := range t.header {
		header[i] = cell{text: h}
	}
	drawRow := func(row []cell, head, bold bool) {
		pdf.SetFont(pdfFont, "", sizeTable)
		cellLines := make([][]string, len(row))
		n := 1
		for i, c := range row {
			cellLines[i] = p.cellLines(c.text, widths[i]-2*cellPad)
			n = max(n, len(cellLines[i]))
		}
		h := float64(n)*lh + 2*cellPad
		if pdf.GetY()+h > p.bottom() {
			pdf.AddPage()
			if !head {
				p.tableRow(header, widths, t.right, p.rowLines(header, widths), lh, true, false)
			}
		}
		p.tableRow(row, widths, t.right, cellLines, lh, head, bold)
	}
	drawRow(header, true, false)
	for i, row := range t.rows {
		drawRow(row, false, t.total && i == len(t.rows)-1)
	}
	pdf.Ln(4)
}

func (p *pdfWriter) rowLines(row []cell, widths []float64) [][]string {
	out := make([][]string, len(row))
	for i, c := range row {
		out[i] = p.cellLines(c.text, widths[i]-2*cellPad)
	}
	return out
}

// cellLines breaks a cell's text to its width with the paragraph rules.
func (p *pdfWriter) cellLines(text string, width float64) []string {
	var out []string
	for _, l := range p.breakLines([]run{{text: text}}, sizeTable, width, 0) {
		var b strings.Builder
		for _, r := range l {
			b.WriteString(r.text)
		}
		out = append(out, b.String())
	}
	if len(out) == 0 {
		out = []string{""}
	}
	return out
}

// tableRow draws one row whose cells are already broken into lines.
func (p *pdfWriter) tableRow(row []cell, widths []float64, right []bool, lines [][]string, lh float64, head, bold bool) {
	pdf := p.pdf
	n := 1
	for _, l := range lines {
		n = max(n, len(l))
	}
	h := float64(n)*lh + 2*cellPad
	x0, y0 := pdfMarginX, pdf.GetY()
	pdf.SetFont(pdfFont, "", sizeTable)
	pdf.SetDrawColor(110, 110, 110)
	pdf.SetLineWidth(0.2)
	x := x0
	for i, c := range row {
		if head {
			pdf.SetFillColor(0xE7, 0xE6, 0xE6)
			pdf.Rect(x, y0, widths[i], h, "FD")
		} else {
			pdf.Rect(x, y0, widths[i], h, "D")
		}
		align := "L"
		switch {
		case head:
			align = "C"
		case right[i]:
			align = "R"
		}
		if c.link != "" {
			pdf.SetTextColor(0x05, 0x63, 0xC1)
			pdf.LinkString(x, y0, widths[i], h, c.link)
		}
		p.bold(head || bold, 0, 0, 0)
		// Lines are centred vertically in the row.
		top := y0 + cellPad + float64(n-len(lines[i]))*lh/2
		for k, l := range lines[i] {
			pdf.SetXY(x+cellPad, top+float64(k)*lh)
			pdf.CellFormat(widths[i]-2*cellPad, lh, l, "", 0, align, false, 0, "")
		}
		p.bold(false, 0, 0, 0)
		pdf.SetTextColor(0, 0, 0)
		x += widths[i]
	}
	pdf.SetDrawColor(0, 0, 0)
	pdf.SetXY(x0, y0+h)
}

func (p *pdfWriter) figure(f figure) {
	pdf := p.pdf
	img := p.charts[f.chart]
	w, h := img.width.Points()*25.4/72, img.height.Points()*25.4/72
	p.room(h + 10)
	p.images++
	name := fmt.Sprintf("chart%d", p.images)
	pdf.RegisterImageOptionsReader(name, fpdf.ImageOptions{ImageType: "PNG"}, bytes.NewReader(img.png))
	y := pdf.GetY() + 2
	pdf.ImageOptions(name, pdfMarginX+(p.width()-w)/2, y, w, h, false, fpdf.ImageOptions{ImageType: "PNG"}, 0, "")
	pdf.SetY(y + h + 1)
	pdf.SetFont(pdfFont, "", sizeSmall)
	pdf.CellFormat(0, 6, f.caption, "", 1, "C", false, 0, "")
	pdf.Ln(3)
}
