package web

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"minyi"
	"minyi/api/core"
	"minyi/api/httpx"
	"minyi/api/labels"
)

// trendsPageData is what templates/trends.html shows.
type trendsPageData struct {
	Interval   string
	Intervals  []string
	Window     string
	Windows    []string
	Q, Source  string
	From, To   string
	Error      string
	Sentiment  core.SentimentSeries
	Categories core.CategoryCounts
	// Events are the hot events of the window ending at To.
	Events     []eventView
	EventsFrom time.Time
	EventsTo   time.Time
	// ECharts option objects for the two charts.
	SentimentChart, CategoryChart map[string]any
}

var (
	trendIntervals = []string{"day", "week", "month"}
	topicWindows   = []string{"24h", "7d", "30d"}
)

// sentimentColors are the colours of 正面, 中性, 负面 in every chart.
var sentimentColors = []string{"#2e7d32", "#9e9e9e", "#c62828"}

func (s *server) trendsPage(c echo.Context) error {
	d := trendsPageData{Interval: c.QueryParam("interval"), Window: c.QueryParam("window"),
		Intervals: trendIntervals, Windows: topicWindows, Q: c.QueryParam("q"), Source: c.QueryParam("source"),
		From: c.QueryParam("from"), To: c.QueryParam("to")}
	if d.Interval == "" {
		d.Interval = "day"
	}
	if d.Window == "" {
		d.Window = "7d"
	}
	err := s.trendsData(c, &d)
	if err != nil {
		if minyi.ErrorCode(err) != minyi.EINVALID {
			return err
		}
		d.Error = minyi.ErrorMessage(err)
		return s.render(c, http.StatusBadRequest, "trends", labels.T("trends.title"), d)
	}
	return s.render(c, http.StatusOK, "trends", labels.T("trends.title"), d)
}

func (s *server) trendsData(c echo.Context, d *trendsPageData) error {
	ctx := c.Request().Context()
	back, ok := core.DefaultSpan[d.Interval]
	if !ok {
		return minyi.Errorf(minyi.EINVALID, "interval must be day, week or month, got %q", d.Interval)
	}
	from, to, err := s.AnalyticsRange(httpx.Params(c), back)
	if err != nil {
		return err
	}
	if d.Sentiment, err = s.SentimentData(ctx, d.Q, d.Source, d.Interval, from, to); err != nil {
		return err
	}
	if d.Categories, err = s.CategoryData(ctx, minyi.SearchQuery{Text: d.Q, Source: d.Source, From: from, To: to}); err != nil {
		return err
	}
	window, err := core.ParseWindow(d.Window)
	if err != nil {
		return err
	}
	if window < time.Hour || window > core.MaxTopicWindow {
		return minyi.Errorf(minyi.EINVALID, "window must be from 1h to 90d, got %q", d.Window)
	}
	// The hot events of the window that ends where the period ends (now,
	// for a period ending today).
	end := to
	if now := s.Now(); now.Before(end) {
		end = now
	}
	hot, err := s.HotEventData(ctx, end.Add(-window), end, hotEventsShown)
	if err != nil {
		return err
	}
	d.EventsFrom, d.EventsTo = hot.From, hot.To
	for _, e := range hot.Events {
		d.Events = append(d.Events, newEventView(e))
	}
	d.SentimentChart = sentimentChart(d.Sentiment)
	d.CategoryChart = categoryChart(d.Categories)
	return nil
}

func sentimentChart(ss core.SentimentSeries) map[string]any {
	var days []string
	first := -1
	for i, b := range ss.Buckets {
		days = append(days, b.Start)
		if first < 0 && b.Total > 0 {
			first = i
		}
	}
	// Open the zoom where the data begins, so a quiet stretch before it
	// does not squeeze the bars; the slider still reaches the whole range.
	zoom := map[string]any{"type": "slider", "height": 18, "bottom": 8}
	if first > 0 {
		zoom["startValue"] = max(first-1, 0)
	}
	var series []map[string]any
	for _, sent := range core.Sentiments {
		var data []int
		for _, b := range ss.Buckets {
			data = append(data, b.Counts[sent])
		}
		series = append(series, map[string]any{"name": string(sent), "type": "bar", "stack": "sentiment", "data": data})
	}
	return map[string]any{
		"color":    sentimentColors,
		"tooltip":  map[string]any{"trigger": "axis"},
		"legend":   map[string]any{"top": 0},
		"grid":     map[string]any{"left": 40, "right": 16, "top": 36, "bottom": 56},
		"xAxis":    map[string]any{"type": "category", "data": days},
		"yAxis":    map[string]any{"type": "value", "minInterval": 1},
		"dataZoom": []map[string]any{zoom},
		"series":   series,
	}
}

func categoryChart(cc core.CategoryCounts) map[string]any {
	var names []string
	var data []int
	// Largest at the top of a horizontal bar chart: ECharts draws the first
	// category at the bottom.
	for i := len(cc.Categories) - 1; i >= 0; i-- {
		names = append(names, cc.Categories[i].Value)
		data = append(data, cc.Categories[i].Count)
	}
	return map[string]any{
		"tooltip": map[string]any{"trigger": "axis"},
		"grid":    map[string]any{"left": 8, "right": 24, "top": 8, "bottom": 24, "containLabel": true},
		"xAxis":   map[string]any{"type": "value", "minInterval": 1},
		"yAxis":   map[string]any{"type": "category", "data": names},
		"series":  []map[string]any{{"name": labels.T("trends.documents"), "type": "bar", "data": data, "color": "#1565c0"}},
	}
}
