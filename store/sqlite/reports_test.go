package sqlite

import (
	"testing"

	"minyi"
	"minyi/store/storetest"
)

func TestReports(t *testing.T) {
	storetest.RunReportTests(t, func(t *testing.T) minyi.ReportStore { return openFresh(t) })
}
