package report

import (
	"fmt"
	"strings"

	"minyi"
)

// summaryTopics is how many events the summary names.
const summaryTopics = 3

// summarize writes the opening paragraph from the figures, as an analyst
// would: volume and its change, the mix of kinds and sentiments, where it
// came from and what it was about, the largest topics, and the cases.
func summarize(r *Report) string {
	f := &r.Figures
	var b strings.Builder
	what := "网络舆情信息"
	switch {
	case r.Query != "":
		what = fmt.Sprintf("与“%s”相关的网络信息", r.Query)
	case r.Event != "" && len(r.Events) > 0:
		what = fmt.Sprintf("事件“%s”的相关信息", r.Events[0].Title)
	}
	prev := previousLabels[r.Kind]
	if f.Total == 0 {
		fmt.Fprintf(&b, "%s，未监测到%s", PeriodText(r.From, r.To), what)
		if f.Previous > 0 {
			fmt.Fprintf(&b, "（%s%d条）", prev, f.Previous)
		}
		b.WriteString("。")
	} else {
		fmt.Fprintf(&b, "%s，共监测到%s%d条", PeriodText(r.From, r.To), what, f.Total)
		if ch := changeText(f.Change); ch != "" {
			fmt.Fprintf(&b, "，较%s（%d条）%s", prev, f.Previous, ch)
		} else {
			fmt.Fprintf(&b, "，%s无相关信息", prev)
		}
		fmt.Fprintf(&b, "。其中%s%d条、%s%d条。", minyi.KindPost.Label(), f.Posts, minyi.KindMessage.Label(), f.Messages)
		if f.NegativeShare != nil {
			fmt.Fprintf(&b, "经研判，%s%d条、%s%d条、%s%d条，%s信息占%s",
				minyi.SentimentPositive, f.Positive, minyi.SentimentNeutral, f.Neutral, minyi.SentimentNegative, f.Negative,
				minyi.SentimentNegative, pct(f.NegativeShare))
			if f.PreviousNegativeShare != nil {
				fmt.Fprintf(&b, "（%s%s）", prev, pct(f.PreviousNegativeShare))
			}
			b.WriteString("。")
		}
		if s := topCounts(f.Sources, 3, "条"); s != "" {
			fmt.Fprintf(&b, "信息主要来自%s", s)
			if c := topCounts(f.Categories, 3, "条"); c != "" {
				fmt.Fprintf(&b, "，主要涉及%s等方面", c)
			}
			b.WriteString("。")
		}
		var topics []string
		for _, e := range r.Events[:min(len(r.Events), summaryTopics)] {
			if e.Size > 1 {
				topics = append(topics, fmt.Sprintf("“%s”（%d条）", e.Title, e.Size))
			}
		}
		if len(topics) > 0 {
			fmt.Fprintf(&b, "热度较高的话题有%s。", strings.Join(topics, "、"))
		}
	}
	if c := r.Cases; c != nil {
		b.WriteString(caseSentence(c))
	}
	return b.String()
}

// caseSentence sums up the period's cases and names the department with
// the most overdue.
func caseSentence(c *Cases) string {
	if c.Received == 0 && c.Unrouted == 0 {
		return "本期未受理网上信访案件。"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "本期受理网上信访案件%d件", c.Received+c.Unrouted)
	if c.Unrouted > 0 {
		fmt.Fprintf(&b, "（%s%d件）", minyi.CaseRouting.Label(), c.Unrouted)
	}
	fmt.Fprintf(&b, "，已答复%d件，响应率%s", c.Answered, pct(c.ResponseRate))
	if c.Due > 0 {
		fmt.Fprintf(&b, "；到期%d件，按时答复%d件，按时答复率%s", c.Due, c.AnsweredOnTime, pct(c.OnTimeRate))
	}
	if c.Overdue > 0 {
		fmt.Fprintf(&b, "；超期未答复%d件", c.Overdue)
		worst := c.Departments[0]
		for _, d := range c.Departments {
			if d.Overdue > worst.Overdue {
				worst = d
			}
		}
		fmt.Fprintf(&b, "，其中%s%d件", worst.Name, worst.Overdue)
	}
	b.WriteString("。")
	return b.String()
}

// topCounts names up to n facet values with their counts.
func topCounts(fs []minyi.FacetCount, n int, unit string) string {
	var parts []string
	for _, f := range fs[:min(len(fs), n)] {
		parts = append(parts, fmt.Sprintf("%s（%d%s）", f.Value, f.Count, unit))
	}
	return strings.Join(parts, "、")
}
