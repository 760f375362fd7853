package core

import (
	"strconv"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
)

var requestDuration = promauto.NewHistogramVec(prometheus.HistogramOpts{
	Name:    "minyi_http_request_duration_seconds",
	Help:    "HTTP requests by route and status.",
	Buckets: prometheus.DefBuckets,
}, []string{"method", "route", "status"})

func metricsMiddleware(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		if err != nil {
			c.Error(err)
		}
		// The route pattern, not the path, keeps label cardinality bounded.
		requestDuration.WithLabelValues(c.Request().Method, c.Path(),
			strconv.Itoa(c.Response().Status)).Observe(time.Since(start).Seconds())
		return nil
	}
}

func BodyLimit(n int64) string { return strconv.FormatInt(n, 10) + "B" }
