package report

import "minyi"

// The report's own words. The domain's words (sentiments, kinds of
// document, case statuses and rungs) come from the root package's labels.

var kindLabels = map[Kind]string{Daily: "舆情日报", Weekly: "舆情周报", Monthly: "舆情月报", Special: "舆情专报"}

// Label is the kind's title, e.g. 舆情日报.
func (k Kind) Label() string {
	if l, ok := kindLabels[k]; ok {
		return l
	}
	return string(k)
}

// previousLabels name the period a report compares with.
var previousLabels = map[Kind]string{Daily: "前一日", Weekly: "上周", Monthly: "上月", Special: "上一时段"}

const (
	defaultIssuer = "舆情监测中心"
	untitled      = "（无标题）"
	notMeasured   = "—" // a rate whose denominator is zero (DESIGN.md)
	otherSlice    = "其他"
	uncategorized = "未分类"
	unanalysed    = "未研判"
)

// Section headings, in the order of the report; the outline numbers them.
const (
	hOverview    = "总体情况"
	hTrend       = "舆情走势"
	hDistrib     = "来源与分类"
	hEvents      = "热点事件"
	hNegative    = "需关注的负面信息"
	hCases       = "网上信访办理情况"
	hRemarks     = "研判建议"
	hAppendix    = "附表"
	hSeriesTable = "分时段数据"
	hSourceTable = "来源分布"
	hCatTable    = "分类分布"
)

// chartTitles caption the charts; the outline numbers them.
var chartTitles = map[string]string{
	ChartVolume:      "信息量及情感走势",
	ChartSources:     "来源分布",
	ChartCategories:  "分类分布",
	ChartDepartments: "各部门案件办理情况",
}

// Sentiments in the order of charts and tables, the domain's own words.
var sentiments = []minyi.Sentiment{minyi.SentimentPositive, minyi.SentimentNeutral, minyi.SentimentNegative}
