package main

import (
	"testing"
	"time"

	"minyi/activities"
)

func TestRaisedFromKey(t *testing.T) {
	start := time.Date(2026, 12, 1, 2, 0, 0, 0, time.UTC)
	r := raisedFromKey(activities.AlertKey("keyword:sub-housing", start), time.Hour)
	if r.Title != "舆情预警：订阅“sub-housing”负面信息激增" || !r.Start.Equal(start) || !r.End.Equal(start.Add(time.Hour)) {
		t.Errorf("keyword alert: %+v", r)
	}
	if r := raisedFromKey(activities.AlertKey("topic:abc", start), time.Hour); r.Title != "舆情预警：话题 abc 负面信息激增" {
		t.Errorf("topic alert: %+v", r)
	}
	if r := raisedFromKey("odd", time.Hour); r.Title != "舆情预警：odd" || !r.Start.IsZero() {
		t.Errorf("unknown key: %+v", r)
	}
}
