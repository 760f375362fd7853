package report

import (
	"fmt"
	"math"
	"strings"

	"minyi"
)

// The outline is the report laid out as a list of blocks that both
// writers render, each in its own format: what a report says, and in
// which order, is decided here once.

type block interface{ isBlock() }

// titleBlock is the masthead: the title in red over a red rule, as the
// government's own bulletins look.
type titleBlock struct {
	title, period, issuer, date string
}

type heading struct {
	level int // 1: 一、…; 2: a numbered item
	text  string
}

// para is a paragraph of runs.
type para struct {
	runs   []run
	indent bool // first line indented two characters, as Chinese prose is
	small  bool // notes and links
}

type run struct {
	text string
	bold bool
	link string
	red  bool
}

// table is a grid with a header row; widths are relative.
type table struct {
	header []string
	widths []float64
	right  []bool // columns of numbers, aligned right
	rows   [][]cell
	total  bool // the last row sums up the others, in bold
}

type cell struct {
	text string
	link string
}

// figure is a chart with its caption.
type figure struct {
	chart   string
	caption string
}

type pageBreak struct{}

func (titleBlock) isBlock() {}
func (heading) isBlock()    {}
func (para) isBlock()       {}
func (table) isBlock()      {}
func (figure) isBlock()     {}
func (pageBreak) isBlock()  {}

var chineseNumerals = []string{"一", "二", "三", "四", "五", "六", "七", "八", "九", "十"}

// outline lays out r. Charts r names but charts lacks are left out.
func outline(r *Report, charts map[string]chartImage) []block {
	o := &outliner{r: r, charts: charts}
	o.add(titleBlock{title: r.Title, period: PeriodText(r.From, r.To), issuer: r.Issuer, date: dateCN(r.Generated)})
	o.section(hOverview)
	o.add(para{runs: []run{{text: r.Summary}}, indent: true})
	o.keyFigures()
	if o.has(ChartVolume) {
		o.section(hTrend)
		o.figure(ChartVolume)
	}
	if o.has(ChartSources) || o.has(ChartCategories) {
		o.section(hDistrib)
		o.figure(ChartSources)
		o.figure(ChartCategories)
	}
	o.section(hEvents)
	o.events()
	o.section(hNegative)
	o.negative()
	if r.Cases != nil {
		o.section(hCases)
		o.cases()
	}
	if strings.TrimSpace(r.Remarks) != "" {
		o.section(hRemarks)
		for _, p := range strings.Split(strings.TrimSpace(r.Remarks), "\n") {
			if p = strings.TrimSpace(p); p != "" {
				o.add(para{runs: []run{{text: p}}, indent: true})
			}
		}
	}
	o.appendix()
	return o.blocks
}

type outliner struct {
	r        *Report
	charts   map[string]chartImage
	blocks   []block
	sections int
	figures  int
}

func (o *outliner) add(b ...block) { o.blocks = append(o.blocks, b...) }

func (o *outliner) has(chart string) bool { _, ok := o.charts[chart]; return ok }

func (o *outliner) section(title string) {
	o.add(heading{level: 1, text: chineseNumerals[o.sections] + "、" + title})
	o.sections++
}

func (o *outliner) figure(chart string) {
	if !o.has(chart) {
		return
	}
	o.figures++
	o.add(figure{chart: chart, caption: fmt.Sprintf("图%d　%s", o.figures, chartTitles[chart])})
}

// keyFigures sets the period's main counts beside the previous period's.
func (o *outliner) keyFigures() {
	f := &o.r.Figures
	prev := previousLabels[o.r.Kind]
	countChange := func(now, before int) string {
		if before == 0 {
			return notMeasured
		}
		c := float64(now-before) / float64(before)
		return changeText(&c)
	}
	shareChange := notMeasured
	if f.NegativeShare != nil && f.PreviousNegativeShare != nil {
		points := math.Round((*f.NegativeShare-*f.PreviousNegativeShare)*1000) / 10
		shareChange = fmt.Sprintf("%+.1f个百分点", points)
	}
	o.add(table{
		header: []string{"指标", "本期", prev, "变化"},
		widths: []float64{3, 2, 2, 2.5},
		right:  []bool{false, true, true, true},
		rows: [][]cell{
			{{text: "信息总量（条）"}, {text: itoa(f.Total)}, {text: itoa(f.Previous)}, {text: countChange(f.Total, f.Previous)}},
			{{text: "负面信息（条）"}, {text: itoa(f.Negative)}, {text: itoa(f.PreviousNegative)}, {text: countChange(f.Negative, f.PreviousNegative)}},
			{{text: "负面占比"}, {text: pct(f.NegativeShare)}, {text: pct(f.PreviousNegativeShare)}, {text: shareChange}},
			{{text: minyi.KindPost.Label() + "（条）"}, {text: itoa(f.Posts)}, {text: notMeasured}, {text: notMeasured}},
			{{text: minyi.KindMessage.Label() + "（条）"}, {text: itoa(f.Messages)}, {text: notMeasured}, {text: notMeasured}},
		},
	})
}

func (o *outliner) events() {
	if len(o.r.Events) == 0 {
		o.add(para{runs: []run{{text: "本期无热点事件。"}}, indent: true})
		return
	}
	for i, e := range o.r.Events {
		o.add(heading{level: 2, text: fmt.Sprintf("%d. %s", i+1, e.Title)})
		facts := fmt.Sprintf("相关信息%d条，其中%s%d条；首发于%s，最近一条发布于%s；来源：%s。",
			e.Size, minyi.SentimentNegative, e.Negative, timeCN(e.First), timeCN(e.Last), strings.Join(e.Sources, "、"))
		o.add(para{runs: []run{{text: facts}}, indent: true})
		if n := strings.TrimSpace(e.Note); n != "" {
			o.add(para{runs: []run{{text: "研判：", bold: true}, {text: n}}, indent: true})
		}
		for _, p := range e.Posts {
			o.add(postLine(p))
		}
	}
}

// postLine cites a post: its title as a link, source and time, and the
// address printed out for a paper copy.
func postLine(p Post) para {
	runs := []run{{text: "· "}, {text: p.Title, link: p.URL}, {text: fmt.Sprintf("（%s，%s）", p.Source, timeCN(p.Published))}}
	if p.Excerpt != "" {
		runs = append(runs, run{text: "“" + p.Excerpt + "”"})
	}
	if p.URL != "" {
		runs = append(runs, run{text: " " + p.URL, link: p.URL})
	}
	return para{runs: runs, small: true}
}

func (o *outliner) negative() {
	if len(o.r.Negative) == 0 {
		o.add(para{runs: []run{{text: "本期无其他需关注的负面信息。"}}, indent: true})
		return
	}
	t := table{
		header: []string{"序号", "标题", "来源", "发布时间", "相关条数"},
		widths: []float64{1, 7, 2.4, 2.6, 1.6},
		right:  []bool{true, false, false, false, true},
	}
	for i, p := range o.r.Negative {
		t.rows = append(t.rows, []cell{{text: itoa(i + 1)}, {text: p.Title, link: p.URL}, {text: p.Source},
			{text: timeCN(p.Published)}, {text: itoa(max(p.Reposts, 1))}})
	}
	o.add(t)
}

func (o *outliner) cases() {
	c := o.r.Cases
	o.add(para{runs: []run{{text: caseSentence(c)}}, indent: true})
	if len(c.Departments) == 0 {
		return
	}
	t := table{
		header: []string{"承办单位", "受理", "已答复", "响应率", "到期", "按时答复", "按时答复率", "超期"},
		widths: []float64{3.2, 1.2, 1.4, 1.7, 1.2, 1.7, 2.2, 1.2},
		right:  []bool{false, true, true, true, true, true, true, true},
		total:  true,
	}
	for _, d := range c.Departments {
		t.rows = append(t.rows, []cell{{text: d.Name}, {text: itoa(d.Received)}, {text: itoa(d.Answered)},
			{text: pct(d.ResponseRate)}, {text: itoa(d.Due)}, {text: itoa(d.AnsweredOnTime)}, {text: pct(d.OnTimeRate)}, {text: itoa(d.Overdue)}})
	}
	t.rows = append(t.rows, []cell{{text: "合计"}, {text: itoa(c.Received)}, {text: itoa(c.Answered)},
		{text: pct(c.ResponseRate)}, {text: itoa(c.Due)}, {text: itoa(c.AnsweredOnTime)}, {text: pct(c.OnTimeRate)}, {text: itoa(c.Overdue)}})
	o.add(t)
	if len(c.Red) > 0 {
		o.add(para{runs: []run{{text: "红榜：", bold: true, red: true}, {text: strings.Join(c.Red, "、") + "。"},
			{text: "　黑榜：", bold: true}, {text: strings.Join(c.Black, "、") + "。"}}, indent: true})
	}
	o.figure(ChartDepartments)
	if len(c.OverdueCases) == 0 {
		return
	}
	o.add(para{runs: []run{{text: fmt.Sprintf("超期未答复案件（共%d件，列出受理最早的%d件）：", c.Overdue, len(c.OverdueCases)), bold: true}}})
	ot := table{
		header: []string{"序号", "案件标题", "承办单位", "类型", "应答复时间", "督办"},
		widths: []float64{1, 5.4, 2.6, 1.3, 3.1, 1.4},
		right:  []bool{true, false, false, false, false, false},
	}
	for i, k := range c.OverdueCases {
		rung := notMeasured
		if k.Rung != minyi.RungNone {
			rung = k.Rung.Label()
		}
		ot.rows = append(ot.rows, []cell{{text: itoa(i + 1)}, {text: k.Title}, {text: k.Department},
			{text: k.Type.Label()}, {text: timeCN(k.Due)}, {text: rung}})
	}
	o.add(ot)
}

// appendix tabulates what the charts show, for whoever needs the numbers.
func (o *outliner) appendix() {
	f := &o.r.Figures
	o.add(pageBreak{}, heading{level: 1, text: hAppendix})
	o.add(para{runs: []run{{text: "附表1　" + hSeriesTable, bold: true}}})
	st := table{
		header: []string{"时段", "总量", string(minyi.SentimentPositive), string(minyi.SentimentNeutral), string(minyi.SentimentNegative), "负面占比"},
		widths: []float64{2.5, 1.5, 1.5, 1.5, 1.5, 1.8},
		right:  []bool{false, true, true, true, true, true},
		total:  true,
	}
	for _, b := range f.Series {
		share := minyi.Ratio(b.Negative, b.Positive+b.Neutral+b.Negative)
		st.rows = append(st.rows, []cell{{text: b.Label}, {text: itoa(b.Total)}, {text: itoa(b.Positive)},
			{text: itoa(b.Neutral)}, {text: itoa(b.Negative)}, {text: pct(share)}})
	}
	st.rows = append(st.rows, []cell{{text: "合计"}, {text: itoa(f.Total)}, {text: itoa(f.Positive)},
		{text: itoa(f.Neutral)}, {text: itoa(f.Negative)}, {text: pct(f.NegativeShare)}})
	o.add(st)
	o.add(para{runs: []run{{text: "附表2　" + hSourceTable, bold: true}}})
	o.add(shareTable("来源", f.Sources, f.Total, 0, ""))
	o.add(para{runs: []run{{text: "附表3　" + hCatTable, bold: true}}})
	o.add(shareTable("分类", f.Categories, f.Total, f.Uncategorized, uncategorized))
}

// shareTable lists counts with their share of total.
func shareTable(what string, fs []minyi.FacetCount, total, extra int, extraName string) table {
	t := table{header: []string{what, "条数", "占比"}, widths: []float64{4, 2, 2}, right: []bool{false, true, true}}
	row := func(name string, n int) []cell {
		return []cell{{text: name}, {text: itoa(n)}, {text: pct(minyi.Ratio(n, total))}}
	}
	for _, f := range fs {
		t.rows = append(t.rows, row(f.Value, f.Count))
	}
	if extra > 0 {
		t.rows = append(t.rows, row(extraName, extra))
	}
	if len(t.rows) == 0 {
		t.rows = append(t.rows, []cell{{text: "暂无数据"}, {text: "0"}, {text: notMeasured}})
	}
	return t
}
