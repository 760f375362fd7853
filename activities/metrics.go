package activities

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
)

var (
	crawlsTotal = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "minyi_crawls_total", Help: "Crawls finished, by source.",
	}, []string{"source"})
	pagesFetched = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "minyi_crawl_pages_fetched_total", Help: "Pages fetched by crawls, by source.",
	}, []string{"source"})
	documentsNew = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "minyi_documents_new_total", Help: "Documents new or changed after a crawl, by source.",
	}, []string{"source"})
	pollsTotal = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "minyi_list_polls_total", Help: "Polls of sources' list pages, by source and outcome (changed, unchanged, error).",
	}, []string{"source", "outcome"})
	freshnessSeconds = promauto.NewHistogramVec(prometheus.HistogramOpts{
		Name: "minyi_freshness_seconds", Help: "Time from a document's publication on its site to its being searchable, by source.",
		Buckets: []float64{2, 5, 10, 20, 30, 60, 120, 300, 600, 1800, 3600},
	}, []string{"source"})
	documentsIndexed = promauto.NewCounter(prometheus.CounterOpts{
		Name: "minyi_documents_indexed_total", Help: "Documents written to the search index.",
	})
)
