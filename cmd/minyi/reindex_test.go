package main

import (
	"context"
	"testing"
	"time"

	"minyi"
)

// minyi reindex assigns events to a store analysed before events existed,
// in order of publication, and builds an index that filters by them.
func TestReindexRebuildsEvents(t *testing.T) {
	ctx := context.Background()
	data := t.TempDir()
	args := []string{"--data", data}
	f, err := parseCommon("reindex", args)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := f.load()
	if err != nil {
		t.Fatal(err)
	}
	store, err := openStore(ctx, cfg.Store)
	if err != nil {
		t.Fatal(err)
	}
	day0 := time.Date(2026, 3, 2, 9, 0, 0, 0, minyi.ChinaTime)
	letters := []struct{ id, title, body string }{
		{"a1", "丽发新城附近修建搅拌站噪音灰尘污染", "丽发新城小区附近建了搅拌站，每天噪音很大，灰尘满天飞，居民无法休息。"},
		{"x1", "咨询社保断缴补缴问题", "之前公司交社保，离职后断缴了几个月，请问如何补缴。"},
		{"a2", "投诉丽发新城搅拌站噪音扰民", "丽发新城边上的搅拌站机器日夜轰鸣，扬尘严重，小区居民苦不堪言。"},
		{"x2", "建议增加公交班次", "早高峰公交车很挤，等车要半小时，建议增加班次。"},
		{"a3", "丽发新城小区旁搅拌站粉尘噪音严重", "搅拌站离丽发新城不到百米，粉尘和噪音严重影响居民健康，请求搬迁搅拌站。"},
	}
	var docs []minyi.Document
	var analyses []minyi.DocumentAnalysis
	for i, l := range letters {
		docs = append(docs, minyi.Document{ID: l.id, Source: "mailbox", Kind: minyi.KindMessage, Title: l.title, Body: l.body,
			Published: day0.Add(time.Duration(i) * 24 * time.Hour)})
		analyses = append(analyses, minyi.DocumentAnalysis{ID: l.id, Analysis: minyi.Analysis{Sentiment: minyi.SentimentNegative}})
	}
	if _, err := store.PutDocuments(ctx, docs); err != nil {
		t.Fatal(err)
	}
	if err := store.PutAnalyses(ctx, analyses); err != nil {
		t.Fatal(err)
	}
	store.Close()

	if err := runReindex(ctx, args); err != nil {
		t.Fatal(err)
	}

	store, err = openStore(ctx, cfg.Store)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	of := map[string]string{}
	for _, l := range letters {
		d, err := store.Document(ctx, l.id)
		if err != nil || d.Analysis == nil || d.Analysis.Event == "" || d.Analysis.Sentiment != minyi.SentimentNegative {
			t.Fatalf("%s after reindex: %+v, %v", l.id, d, err)
		}
		of[l.id] = d.Analysis.Event
	}
	if of["a1"] != "a1" || of["a2"] != "a1" || of["a3"] != "a1" || of["x1"] == "a1" || of["x1"] == of["x2"] {
		t.Errorf("events after reindex: %v", of)
	}
	if e, err := store.Event(ctx, "a1"); err != nil || e.Count != 3 || e.Title == "" {
		t.Errorf("event a1 = %+v, %v", e, err)
	}
	index, err := openIndex(ctx, cfg.Search)
	if err != nil {
		t.Fatal(err)
	}
	defer index.Close()
	res, err := index.Search(ctx, minyi.SearchQuery{Event: "a1"})
	if err != nil || res.Total != 3 {
		t.Errorf("index finds %+v of event a1, %v; want 3", res, err)
	}
}
