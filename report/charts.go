package report

import (
	"bytes"
	"fmt"
	"image/color"
	"math"
	"strconv"
	"sync"

	"golang.org/x/image/font/opentype"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"minyi"
)

// Charts are drawn in Go (gonum/plot) as PNG at print resolution, so a
// report needs no browser: the same image goes into the DOCX and the PDF.
const (
	chartWidth = 15 * vg.Centimeter
	chartDPI   = 200
)

// chartImage is one rendered chart.
type chartImage struct {
	png           []byte
	width, height vg.Length
}

var (
	colorPositive   = color.RGBA{0x43, 0xA0, 0x47, 0xff}
	colorNeutral    = color.RGBA{0x90, 0xA4, 0xAE, 0xff}
	colorNegative   = color.RGBA{0xD3, 0x2F, 0x2F, 0xff}
	colorUnanalysed = color.RGBA{0xE0, 0xE0, 0xE0, 0xff}
	colorBar        = color.RGBA{0x1E, 0x63, 0xB4, 0xff}
	colorAnswered   = color.RGBA{0x43, 0xA0, 0x47, 0xff}
)

// chartFont registers the CJK font with gonum/plot once; plots name it in
// every text style, since the library's default (Liberation) has no CJK.
var chartFont = sync.OnceValues(func() (font.Font, error) {
	raw, err := loadFont()
	if err != nil {
		return font.Font{}, err
	}
	face, err := opentype.Parse(raw)
	if err != nil {
		return font.Font{}, fmt.Errorf("report: parsing the CJK font for charts: %w", err)
	}
	f := font.Font{Typeface: "minyi-cjk"}
	font.DefaultCache.Add(font.Collection{{Font: f, Face: face}})
	return f, nil
})

// renderCharts draws every chart the report names.
func renderCharts(r *Report) (map[string]chartImage, error) {
	out := map[string]chartImage{}
	for _, name := range r.Charts {
		var p *plot.Plot
		var h vg.Length
		var err error
		switch name {
		case ChartVolume:
			p, err = volumeChart(r.Figures.Series)
			h = 7 * vg.Centimeter
		case ChartSources:
			p, h, err = rankChart(withOther(r.Figures.Sources, 0, ""), colorBar)
		case ChartCategories:
			p, h, err = rankChart(withOther(r.Figures.Categories, r.Figures.Uncategorized, uncategorized), colorBar)
		case ChartDepartments:
			if r.Cases == nil {
				continue
			}
			p, h, err = departmentChart(r.Cases.Departments)
		default:
			return nil, minyi.Errorf(minyi.EINVALID, "the report names a chart %q that does not exist", name)
		}
		if err != nil {
			return nil, err
		}
		img, err := toPNG(p, chartWidth, h)
		if err != nil {
			return nil, err
		}
		out[name] = img
	}
	return out, nil
}

// newPlot is a plot whose every text is in the CJK font.
func newPlot() (*plot.Plot, error) {
	f, err := chartFont()
	if err != nil {
		return nil, err
	}
	p := plot.New()
	for _, st := range []*font.Font{&p.Title.TextStyle.Font, &p.X.Label.TextStyle.Font, &p.Y.Label.TextStyle.Font,
		&p.X.Tick.Label.Font, &p.Y.Tick.Label.Font, &p.Legend.TextStyle.Font} {
		size := st.Size
		*st = font.From(f, size)
	}
	p.X.Tick.Label.Font.Size, p.Y.Tick.Label.Font.Size = 9, 9
	p.Legend.TextStyle.Font.Size = 9
	p.Legend.Top, p.Legend.Left = true, false
	p.Y.Min = 0
	return p, nil
}

// volumeChart stacks each hour's or day's documents by sentiment.
func volumeChart(series []Bucket) (*plot.Plot, error) {
	p, err := newPlot()
	if err != nil {
		return nil, err
	}
	if len(series) == 0 {
		p.Title.Text = "暂无数据"
		return p, nil
	}
	n := len(series)
	width := (chartWidth - 2*vg.Centimeter) / vg.Length(n) * 0.7
	layers := []struct {
		name  string
		color color.Color
		value func(b Bucket) int
	}{
		{string(minyi.SentimentNegative), colorNegative, func(b Bucket) int { return b.Negative }},
		{string(minyi.SentimentNeutral), colorNeutral, func(b Bucket) int { return b.Neutral }},
		{string(minyi.SentimentPositive), colorPositive, func(b Bucket) int { return b.Positive }},
		{unanalysed, colorUnanalysed, func(b Bucket) int { return max(b.Total-b.Positive-b.Neutral-b.Negative, 0) }},
	}
	var below *plotter.BarChart
	for _, l := range layers {
		vs := make(plotter.Values, len(series))
		for i, b := range series {
			vs[i] = float64(l.value(b))
		}
		bars, err := plotter.NewBarChart(vs, width)
		if err != nil {
			return nil, err
		}
		bars.Color, bars.LineStyle.Width = l.color, 0
		if below != nil {
			bars.StackOn(below)
		}
		below = bars
		p.Add(bars)
		p.Legend.Add(l.name, bars)
	}
	p.NominalX(thinLabels(series)...)
	p.Y.Label.Text = "条"
	p.Y.Tick.Marker = integerTicks{}
	// Room above the tallest bar for the legend.
	maxTotal := 0
	for _, b := range series {
		maxTotal = max(maxTotal, b.Total)
	}
	p.Y.Max = float64(max(maxTotal, 1)) * 1.25
	return p, nil
}

// thinLabels names every hour or day while they fit, else every few: at
// most a dozen labels fit under a chart.
func thinLabels(series []Bucket) []string {
	every := max(1, (len(series)+11)/12)
	out := make([]string, len(series))
	for i, b := range series {
		if i%every == 0 {
			out[i] = b.Label
		}
	}
	return out
}

// withOther keeps the largest values and adds up the rest as 其他, with
// extra (e.g. the uncategorized) as a value of its own.
func withOther(fs []minyi.FacetCount, extra int, extraName string) []minyi.FacetCount {
	out := make([]minyi.FacetCount, 0, chartSlices+2)
	rest := 0
	for i, f := range fs {
		if i < chartSlices {
			out = append(out, f)
		} else {
			rest += f.Count
		}
	}
	if rest > 0 {
		out = append(out, minyi.FacetCount{Value: otherSlice, Count: rest})
	}
	if extra > 0 {
		out = append(out, minyi.FacetCount{Value: extraName, Count: extra})
	}
	return out
}

// rankChart draws counts as horizontal bars, the largest on top, each with
// its number.
func rankChart(fs []minyi.FacetCount, c color.Color) (*plot.Plot, vg.Length, error) {
	p, err := newPlot()
	if err != nil {
		return nil, 0, err
	}
	n := len(fs)
	height := vg.Length(max(n, 2))*0.9*vg.Centimeter + 1.5*vg.Centimeter
	vs, names := make(plotter.Values, n), make([]string, n)
	for i, f := range fs {
		// The first row of a horizontal chart is at the bottom.
		vs[n-1-i], names[n-1-i] = float64(f.Count), f.Value
	}
	if n == 0 {
		p.Title.Text = "暂无数据"
		return p, height, nil
	}
	bars, err := plotter.NewBarChart(vs, 0.55*vg.Centimeter)
	if err != nil {
		return nil, 0, err
	}
	bars.Horizontal, bars.Color, bars.LineStyle.Width = true, c, 0
	p.Add(bars)
	if err := addBarLabels(p, vs, 0); err != nil {
		return nil, 0, err
	}
	p.NominalY(names...)
	p.Y.Min, p.Y.Max = -0.7, float64(n)-0.3 // room above the top bar
	p.X.Min = 0
	p.X.Max = maxValue(vs) * 1.15
	p.X.Tick.Marker = integerTicks{}
	return p, height, nil
}

// departmentChart compares each department's received, answered and
// overdue cases, the departments with most cases first.
func departmentChart(rows []DepartmentRow) (*plot.Plot, vg.Length, error) {
	p, err := newPlot()
	if err != nil {
		return nil, 0, err
	}
	rows = rows[:min(len(rows), chartSlices)]
	n := len(rows)
	height := vg.Length(max(n, 2))*1.2*vg.Centimeter + 2*vg.Centimeter
	series := []struct {
		name  string
		color color.Color
		value func(DepartmentRow) int
	}{
		{"超期", colorNegative, func(d DepartmentRow) int { return d.Overdue }},
		{"已答复", colorAnswered, func(d DepartmentRow) int { return d.Answered }},
		{"受理", colorBar, func(d DepartmentRow) int { return d.Received }},
	}
	names := make([]string, n)
	for i, d := range rows {
		names[n-1-i] = d.Name
	}
	const barWidth = 0.3 * vg.Centimeter
	for k, s := range series {
		vs := make(plotter.Values, n)
		for i, d := range rows {
			vs[n-1-i] = float64(s.value(d))
		}
		bars, err := plotter.NewBarChart(vs, barWidth)
		if err != nil {
			return nil, 0, err
		}
		bars.Horizontal, bars.Color, bars.LineStyle.Width = true, s.color, 0
		bars.Offset = vg.Length(k-1) * barWidth
		p.Add(bars)
		p.Legend.Add(s.name, bars)
		if err := addBarLabels(p, vs, bars.Offset); err != nil {
			return nil, 0, err
		}
	}
	p.NominalY(names...)
	p.Y.Min, p.Y.Max = -0.7, float64(n)-0.3
	p.X.Min = 0
	maxReceived := 1
	for _, d := range rows {
		maxReceived = max(maxReceived, d.Received)
	}
	p.X.Max = float64(maxReceived) * 1.45 // the legend sits right of the longest bar
	p.X.Tick.Marker = integerTicks{}
	return p, height, nil
}

// addBarLabels writes each horizontal bar's count just past its end.
func addBarLabels(p *plot.Plot, vs plotter.Values, offset vg.Length) error {
	xys := make(plotter.XYs, len(vs))
	labels := make([]string, len(vs))
	for i, v := range vs {
		xys[i] = plotter.XY{X: v, Y: float64(i)}
		labels[i] = itoa(int(v))
	}
	l, err := plotter.NewLabels(plotter.XYLabels{XYs: xys, Labels: labels})
	if err != nil {
		return err
	}
	for i := range l.TextStyle {
		l.TextStyle[i].Font = p.X.Tick.Label.Font
		l.TextStyle[i].Font.Size = 8
		l.TextStyle[i].YAlign = draw.YCenter
	}
	l.Offset = vg.Point{X: 2, Y: offset}
	p.Add(l)
	return nil
}

func maxValue(vs plotter.Values) float64 {
	m := 1.0
	for _, v := range vs {
		m = max(m, v)
	}
	return m
}

// integerTicks marks whole numbers only, labelled without decimals:
// counts have no fractions.
type integerTicks struct{}

func (integerTicks) Ticks(lo, hi float64) []plot.Tick {
	var out []plot.Tick
	for _, t := range (plot.DefaultTicks{}).Ticks(lo, hi) {
		switch {
		case t.Value != math.Trunc(t.Value):
		case t.Label != "":
			out = append(out, plot.Tick{Value: t.Value, Label: strconv.FormatFloat(t.Value, 'f', 0, 64)})
		default:
			out = append(out, t) // a minor tick
		}
	}
	return out
}

func toPNG(p *plot.Plot, w, h vg.Length) (chartImage, error) {
	c := vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(chartDPI), vgimg.UseBackgroundColor(color.White))
	p.Draw(draw.New(c))
	var buf bytes.Buffer
	if _, err := (vgimg.PngCanvas{Canvas: c}).WriteTo(&buf); err != nil {
		return chartImage{}, fmt.Errorf("report: drawing a chart: %w", err)
	}
	return chartImage{png: buf.Bytes(), width: w, height: h}, nil
}
