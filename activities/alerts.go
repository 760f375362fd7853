package activities

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
	"go.temporal.io/sdk/temporal"

	"minyi"
)

// Subscription watches negative documents matching a keyword (search
// syntax) for a department.
type Subscription struct {
	Name       string `yaml:"name"`
	Keyword    string `yaml:"keyword"`
	Department string `yaml:"department"`
	// OpenCase makes an alert a message to the department: a case with a
	// deadline, routed by the rule cmd/minyi adds for the subscription.
	OpenCase bool `yaml:"open_case"`
}

// AlertCheck is one run of the alert workflow: the window ending at End.
type AlertCheck struct {
	Rule          minyi.AlertRule
	Subscriptions []Subscription
	End           time.Time
}

// Alert is a spike found by CheckAlerts.
type Alert struct {
	// Key identifies the alert: the subscription (or topic) and the window,
	// so a retried check opens no second case.
	Key          string
	Subscription string `json:",omitempty"`
	Keyword      string `json:",omitempty"`
	Topic        string `json:",omitempty"`
	Department   string `json:",omitempty"`
	OpenCase     bool
	Count        int
	Baseline     float64
	Start, End   time.Time
	Title, Text  string
}

// AlertSource is the source of the documents alerts open cases with.
const AlertSource = "alerts"

// AlertKey is the idempotency key of an alert: what it watches and its window.
func AlertKey(what string, start time.Time) string {
	return what + "@" + start.UTC().Format("2006-01-02T15:04Z")
}

// CheckAlerts counts negative documents per subscription in the window
// ending at in.End and in each baseline window before it, and looks for a
// spike in the fastest rising topic.
func (a *Activities) CheckAlerts(ctx context.Context, in AlertCheck) ([]Alert, error) {
	r := in.Rule
	if err := r.Validate(); err != nil {
		return nil, temporal.NewNonRetryableApplicationError(minyi.ErrorMessage(err), minyi.EINVALID, err)
	}
	start := in.End.Add(-r.Window)
	var out []Alert
	for _, sub := range in.Subscriptions {
		counts, err := a.negativeCounts(ctx, minyi.SearchQuery{Text: sub.Keyword}, in.End, r)
		if err != nil {
			return nil, fmt.Errorf("alert %s: %w", sub.Name, err)
		}
		mean, spike := r.Spike(counts[0], counts[1:])
		if !spike {
			continue
		}
		out = append(out, Alert{
			Key: AlertKey("keyword:"+sub.Name, start), Subscription: sub.Name, Keyword: sub.Keyword,
			Department: sub.Department, OpenCase: sub.OpenCase, Count: counts[0], Baseline: mean, Start: start, End: in.End,
			Title: fmt.Sprintf("舆情预警：“%s”负面信息激增", sub.Keyword),
			Text:  fmt.Sprintf("关键词“%s”：%s", sub.Keyword, explain(r, counts[0], mean)),
		})
	}
	topic, err := a.topicAlert(ctx, in.End, r)
	if err != nil {
		return nil, err
	}
	if topic != nil {
		out = append(out, *topic)
	}
	alertsRaised.Add(float64(len(out)))
	return out, nil
}

// topicAlert checks the topic that grew fastest among those with enough
// negative documents in the window.
func (a *Activities) topicAlert(ctx context.Context, end time.Time, r minyi.AlertRule) (*Alert, error) {
	start := end.Add(-r.Window)
	trends, err := a.Store.TopicTrends(ctx, start, end, 20)
	if err != nil {
		return nil, fmt.Errorf("topic trends: %w", err)
	}
	for _, t := range trends {
		if t.Negative < r.MinCount {
			continue
		}
		counts, err := a.negativeCounts(ctx, minyi.SearchQuery{Topic: t.Topic}, end, r)
		if err != nil {
			return nil, fmt.Errorf("topic %s: %w", t.Topic, err)
		}
		mean, spike := r.Spike(t.Negative, counts[1:])
		if !spike {
			return nil, nil
		}
		return &Alert{
			Key: AlertKey("topic:"+t.Topic, start), Topic: t.Topic, Count: t.Negative, Baseline: mean, Start: start, End: end,
			Title: fmt.Sprintf("舆情预警：话题“%s”负面信息激增", t.Title),
			Text:  fmt.Sprintf("话题“%s”（%d 篇，首见 %s）：%s", t.Title, t.Total, t.FirstSeen.In(minyi.ChinaTime).Format("2006-01-02 15:04"), explain(r, t.Negative, mean)),
		}, nil
	}
	return nil, nil
}

// negativeCounts returns the negative documents matching q in the window
// ending at end, then in each baseline window before it, newest first.
func (a *Activities) negativeCounts(ctx context.Context, q minyi.SearchQuery, end time.Time, r minyi.AlertRule) ([]int, error) {
	counts := make([]int, 1+r.BaselineWindows)
	for i := range counts {
		q.Sentiment, q.Page, q.PageSize = minyi.SentimentNegative, 1, 1
		q.To = end.Add(-time.Duration(i) * r.Window)
		q.From = q.To.Add(-r.Window)
		res, err := a.Index.Search(ctx, q)
		if err != nil {
			return nil, err
		}
		counts[i] = int(res.Total)
	}
	return counts, nil
}

// explain states the rule's numbers so a reader can judge the alert:
// "负面 12 in the last hour vs mean 2.1 over the previous 24 hours".
func explain(r minyi.AlertRule, count int, mean float64) string {
	return fmt.Sprintf("负面 %d in the last %s vs mean %.1f over the previous %s (alert above %g× the mean and at least %d)",
		count, span(r.Window, 1), mean, span(r.Window, r.BaselineWindows), r.Factor, r.MinCount)
}

func span(w time.Duration, n int) string {
	unit, per := "", time.Duration(0)
	switch {
	case w%(24*time.Hour) == 0:
		unit, per = "day", 24*time.Hour
	case w%time.Hour == 0:
		unit, per = "hour", time.Hour
	case w%time.Minute == 0:
		unit, per = "minute", time.Minute
	default:
		return (time.Duration(n) * w).String()
	}
	k := int(w/per) * n
	if k == 1 {
		return unit
	}
	return fmt.Sprintf("%d %ss", k, unit)
}

// SubscriptionMarker is the line of an alert's message that names its
// subscription; the routing rule cmd/minyi adds per subscription matches it.
func SubscriptionMarker(name string) string { return "预警订阅 " + name }

// AlertDocument stores the message an alert with OpenCase becomes and
// returns its id. The id derives from the alert's key, so storing it again
// changes nothing and the case workflow started for it is the same one.
// It is not sent through ingest: an alert is not public opinion, so it is
// neither analysed nor indexed and never counts in a later check. (`minyi
// reindex` does index it, under source "alerts"; without a sentiment it
// still counts in no alert and no sentiment series.)
func (a *Activities) AlertDocument(ctx context.Context, al Alert) (string, error) {
	d := minyi.Document{
		ID:         minyi.DocumentID(AlertSource, al.Key),
		Source:     AlertSource,
		Kind:       minyi.KindMessage,
		ExternalID: al.Key,
		Board:      "舆情预警",
		Title:      al.Title,
		Body: strings.Join([]string{al.Text,
			fmt.Sprintf("时段 %s 至 %s（北京时间）", al.Start.In(minyi.ChinaTime).Format("2006-01-02 15:04"), al.End.In(minyi.ChinaTime).Format("2006-01-02 15:04")),
			SubscriptionMarker(al.Subscription)}, "\n"),
		MessageType: string(minyi.TypeComplaint),
		Published:   al.End,
		Fetched:     al.End,
	}
	d.ContentHash = d.Hash()
	if _, err := a.Store.PutDocuments(ctx, []minyi.Document{d}); err != nil {
		return "", fmt.Errorf("storing alert %s: %w", al.Key, err)
	}
	return d.ID, nil
}

var alertsRaised = promauto.NewCounter(prometheus.CounterOpts{
	Name: "minyi_alerts_total", Help: "Negative-volume alerts raised (keyword subscriptions and topics).",
})
