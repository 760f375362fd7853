package api

import (
	"context"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"minyi"
	"minyi/api/labels"
)

// AlertSubscription watches negative documents matching a keyword (search
// syntax) for a department, as activities.Subscription does.
type AlertSubscription struct {
	Name       string
	Keyword    string
	Department string
	OpenCase   bool
}

// RaisedAlert is an alert the alert workflow raised.
type RaisedAlert struct {
	Key        string
	Title      string
	Text       string
	Start, End time.Time
	Count      int
	Baseline   float64
	CaseID     string // the case it opened, if any
}

// AlertBook keeps the keyword subscriptions and lists raised alerts. The
// server is given one; cmd/minyi provides it (today in memory, seeded from
// the configuration, until the versioned settings store exists).
type AlertBook interface {
	Subscriptions(ctx context.Context) ([]AlertSubscription, error)
	// AddSubscription is ECONFLICT for a name in use.
	AddSubscription(ctx context.Context, sub AlertSubscription, author string) error
	// RemoveSubscription is ENOTFOUND for an unknown name.
	RemoveSubscription(ctx context.Context, name, author string) error
	// Raised lists the newest raised alerts first, at most limit.
	Raised(ctx context.Context, limit int) ([]RaisedAlert, error)
}

type alertsPageData struct {
	Enabled       bool // an AlertBook is configured
	Raised        []RaisedAlert
	Subscriptions []AlertSubscription
	Departments   []minyi.Department
	Error         string
	RaisedError   bool // the raised alerts could not be read; the rest of the page works
	Form          AlertSubscription
}

func (s *Server) alertsPage(c echo.Context) error {
	return s.renderAlerts(c, http.StatusOK, alertsPageData{})
}

func (s *Server) renderAlerts(c echo.Context, status int, d alertsPageData) error {
	d.Departments = s.departments()
	if s.Alerts != nil {
		d.Enabled = true
		ctx := c.Request().Context()
		var err error
		if d.Subscriptions, err = s.Alerts.Subscriptions(ctx); err != nil {
			return err
		}
		if d.Raised, err = s.Alerts.Raised(ctx, 50); err != nil {
			s.Logger.Warn("listing raised alerts", "err", err)
			d.RaisedError = true
		}
	}
	return s.render(c, status, "alerts", labels.T("alerts.title"), d)
}

// maxSubscriptionName bounds what a form may store.
const maxSubscriptionName = 50

func (s *Server) addSubscription(c echo.Context) error {
	sub := AlertSubscription{
		Name:       strings.TrimSpace(c.FormValue("name")),
		Keyword:    strings.TrimSpace(c.FormValue("keyword")),
		Department: strings.TrimSpace(c.FormValue("department")),
		OpenCase:   c.FormValue("open_case") == "on",
	}
	err := s.validSubscription(sub)
	if err == nil {
		if s.Alerts == nil {
			err = minyi.Errorf(minyi.EINVALID, "%s", labels.T("alerts.disabled"))
		} else {
			err = s.Alerts.AddSubscription(c.Request().Context(), sub, principal(c).Login)
		}
	}
	if err != nil {
		if code := minyi.ErrorCode(err); code != minyi.EINVALID && code != minyi.ECONFLICT {
			return err
		}
		return s.renderAlerts(c, http.StatusBadRequest, alertsPageData{Error: minyi.ErrorMessage(err), Form: sub})
	}
	s.audit(c, minyi.AuditEntry{Actor: principal(c).Login, Action: minyi.AuditAlertAdd, Target: sub.Name, Detail: sub.Keyword})
	c.Set(flashKey, labels.Tf("alerts.added", sub.Name))
	return s.renderAlerts(c, http.StatusOK, alertsPageData{})
}

func (s *Server) validSubscription(sub AlertSubscription) error {
	switch {
	case sub.Name == "":
		return minyi.Errorf(minyi.EINVALID, "%s", labels.T("alerts.need_name"))
	case utf8.RuneCountInString(sub.Name) > maxSubscriptionName:
		return minyi.Errorf(minyi.EINVALID, "%s", labels.Tf("alerts.name_long", maxSubscriptionName))
	case sub.OpenCase && sub.Department == "":
		return minyi.Errorf(minyi.EINVALID, "%s", labels.T("alerts.need_department"))
	}
	if _, err := minyi.ParseQuery(sub.Keyword); err != nil {
		return err
	}
	if sub.Department != "" {
		known := false
		for _, d := range s.departments() {
			known = known || d.ID == sub.Department
		}
		if !known {
			return minyi.Errorf(minyi.EINVALID, "%s", labels.Tf("alerts.unknown_department", sub.Department))
		}
	}
	return nil
}

func (s *Server) removeSubscription(c echo.Context) error {
	name := c.FormValue("name")
	if s.Alerts == nil {
		return minyi.Errorf(minyi.EINVALID, "%s", labels.T("alerts.disabled"))
	}
	if err := s.Alerts.RemoveSubscription(c.Request().Context(), name, principal(c).Login); err != nil {
		if minyi.ErrorCode(err) != minyi.ENOTFOUND {
			return err
		}
		return s.renderAlerts(c, http.StatusNotFound, alertsPageData{Error: minyi.ErrorMessage(err)})
	}
	s.audit(c, minyi.AuditEntry{Actor: principal(c).Login, Action: minyi.AuditAlertRemove, Target: name})
	c.Set(flashKey, labels.Tf("alerts.removed", name))
	return s.renderAlerts(c, http.StatusOK, alertsPageData{})
}
