package core

import (
	"time"

	"github.com/labstack/echo/v4"

	"minyi"
	"minyi/report"
)

// MakeEventReport makes a special report (专报) about one event, over the
// days it has documents (its last report.MaxPeriod of them), and keeps it
// as a draft of the principal.
func (s *Server) MakeEventReport(c echo.Context, eventID string) (minyi.Report, error) {
	ev, err := s.Store.Event(c.Request().Context(), eventID)
	if err != nil {
		return minyi.Report{}, err
	}
	day := func(t time.Time) time.Time {
		y, m, d := t.In(minyi.ChinaTime).Date()
		return time.Date(y, m, d, 0, 0, 0, 0, minyi.ChinaTime)
	}
	to := day(ev.Last).AddDate(0, 0, 1)
	from := day(ev.First)
	if earliest := to.Add(-report.MaxPeriod); from.Before(earliest) {
		from = earliest
	}
	spec := report.Spec{Kind: report.Special, Event: ev.ID, From: from, To: to}
	return s.MakeReport(c, spec, Principal(c).Login)
}
