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
	documentsIndexed = promauto.NewCounter(prometheus.CounterOpts{
		Name: "minyi_documents_indexed_total", Help: "Documents written to the search index.",
	})
)
