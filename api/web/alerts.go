package web

import (
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"minyi"
	"minyi/api/core"
	"minyi/api/labels"
)

type alertsPageData struct {
	Enabled       bool // an AlertBook is configured
	Raised        []core.RaisedAlert
	Subscriptions []core.AlertSubscription
	Departments   []minyi.Department
	Error         string
	RaisedError   bool // the raised alerts could not be read; the rest of the page works
	Form          core.AlertSubscription
}

func (s *server) alertsPage(c echo.Context) error {
	return s.renderAlerts(c, http.StatusOK, alertsPageData{})
}

func (s *server) renderAlerts(c echo.Context, status int, d alertsPageData) error {
	d.Departments = s.DepartmentList()
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

func (s *server) addSubscription(c echo.Context) error {
	sub := core.AlertSubscription{
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
			err = s.Alerts.AddSubscription(c.Request().Context(), sub, core.Principal(c).Login)
		}
	}
	if err != nil {
		if code := minyi.ErrorCode(err); code != minyi.EINVALID && code != minyi.ECONFLICT {
			return err
		}
		return s.renderAlerts(c, http.StatusBadRequest, alertsPageData{Error: minyi.ErrorMessage(err), Form: sub})
	}
	s.Audit(c, minyi.AuditEntry{Actor: core.Principal(c).Login, Action: minyi.AuditAlertAdd, Target: sub.Name, Detail: sub.Keyword})
	c.Set(flashKey, labels.Tf("alerts.added", sub.Name))
	return s.renderAlerts(c, http.StatusOK, alertsPageData{})
}

func (s *server) validSubscription(sub core.AlertSubscription) error {
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
		for _, d := range s.DepartmentList() {
			known = known || d.ID == sub.Department
		}
		if !known {
			return minyi.Errorf(minyi.EINVALID, "%s", labels.Tf("alerts.unknown_department", sub.Department))
		}
	}
	return nil
}

func (s *server) removeSubscription(c echo.Context) error {
	name := c.FormValue("name")
	if s.Alerts == nil {
		return minyi.Errorf(minyi.EINVALID, "%s", labels.T("alerts.disabled"))
	}
	if err := s.Alerts.RemoveSubscription(c.Request().Context(), name, core.Principal(c).Login); err != nil {
		if minyi.ErrorCode(err) != minyi.ENOTFOUND {
			return err
		}
		return s.renderAlerts(c, http.StatusNotFound, alertsPageData{Error: minyi.ErrorMessage(err)})
	}
	s.Audit(c, minyi.AuditEntry{Actor: core.Principal(c).Login, Action: minyi.AuditAlertRemove, Target: name})
	c.Set(flashKey, labels.Tf("alerts.removed", name))
	return s.renderAlerts(c, http.StatusOK, alertsPageData{})
}
