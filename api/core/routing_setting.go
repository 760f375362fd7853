package core

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"minyi"
	"minyi/api/labels"
	"minyi/routing"
)

// RoutingSetting is the settings-store key of the departments, routing
// rules and fallback the admin edits on the pages.
const RoutingSetting = "routing"

// storedDepartment is a department as the settings store keeps it: with
// the notification addresses minyi.Department leaves out of its JSON.
type storedDepartment struct {
	ID            string   `json:"id"`
	Name          string   `json:"name"`
	Parent        string   `json:"parent,omitempty"`
	Regions       []string `json:"regions,omitempty"`
	Webhook       string   `json:"webhook,omitempty"`
	WebhookFormat string   `json:"webhook_format,omitempty"`
	Email         []string `json:"email,omitempty"`
	HeadEmail     []string `json:"head_email,omitempty"`
}

type storedRouting struct {
	Departments []storedDepartment  `json:"departments"`
	Rules       []minyi.RoutingRule `json:"rules"`
	Fallback    string              `json:"fallback"`
}

// EncodeRouting is the JSON document the settings store keeps for cfg.
func EncodeRouting(cfg routing.Config) ([]byte, error) {
	v := storedRouting{Rules: cfg.Rules, Fallback: cfg.Fallback}
	if v.Rules == nil {
		v.Rules = []minyi.RoutingRule{}
	}
	v.Departments = []storedDepartment{}
	for _, d := range cfg.Departments {
		v.Departments = append(v.Departments, storedDepartment(d))
	}
	return json.Marshal(v)
}

// DecodeRouting reads what EncodeRouting wrote.
func DecodeRouting(b []byte) (routing.Config, error) {
	var v storedRouting
	if err := json.Unmarshal(b, &v); err != nil {
		return routing.Config{}, minyi.Errorf(minyi.EINVALID, "stored routing setting: %v", err)
	}
	cfg := routing.Config{Rules: v.Rules, Fallback: v.Fallback}
	for _, d := range v.Departments {
		cfg.Departments = append(cfg.Departments, minyi.Department(d))
	}
	return cfg, nil
}

// WithGenerated is the config the router routes by: the admin's cfg with
// the generated rules (alert subscriptions that open cases) put ahead of
// every rule the admin set. Generated rules are never stored.
func WithGenerated(cfg routing.Config, generated []minyi.RoutingRule) routing.Config {
	if len(generated) == 0 {
		return cfg
	}
	top := 0
	for _, rl := range cfg.Rules {
		top = max(top, rl.Priority)
	}
	out := cfg
	out.Rules = slices.Clone(cfg.Rules)
	for _, rl := range generated {
		rl.Priority = top + 1
		out.Rules = append(out.Rules, rl)
	}
	return out
}

// Settings is the store of the admin's edits, nil when there is none.
func (s *Server) Settings() minyi.SettingsStore {
	if s.Admin.Settings != nil {
		return s.Admin.Settings
	}
	st, _ := s.Store.(minyi.SettingsStore)
	return st
}

// RoutingConfig is the admin-editable routing in force and its version (0:
// never saved, the config file's).
func (s *Server) RoutingConfig(ctx context.Context) (routing.Config, int, error) {
	st := s.Settings()
	if st == nil {
		return s.Admin.Routing, 0, nil
	}
	set, err := st.Setting(ctx, RoutingSetting)
	if minyi.ErrorCode(err) == minyi.ENOTFOUND {
		return s.Admin.Routing, 0, nil
	}
	if err != nil {
		return routing.Config{}, 0, err
	}
	cfg, err := DecodeRouting(set.Value)
	return cfg, set.Version, err
}

// RoutingHistory lists the saved versions, newest first.
func (s *Server) RoutingHistory(ctx context.Context) ([]minyi.Setting, error) {
	st := s.Settings()
	if st == nil {
		return nil, nil
	}
	h, err := st.SettingHistory(ctx, RoutingSetting, 50)
	if minyi.ErrorCode(err) == minyi.ENOTFOUND {
		return nil, nil
	}
	return h, err
}

// SaveRouting validates cfg with the generated rules on top, stores it as
// version base+1 and puts it in force. Nothing is saved when cfg is invalid
// (EINVALID) or another admin saved since base (ECONFLICT); the messages
// are for the page.
func (s *Server) SaveRouting(c echo.Context, base int, cfg routing.Config) error {
	a := s.Admin
	st := s.Settings()
	if st == nil || a.Router == nil {
		return minyi.Errorf(minyi.EINVALID, "%s", labels.T("admin.edit_unavailable"))
	}
	merged := WithGenerated(cfg, a.Generated)
	if _, err := routing.New(merged); err != nil {
		return minyi.Errorf(minyi.EINVALID, "%s%s", labels.T("admin.routing_invalid"), minyi.ErrorMessage(err))
	}
	value, err := EncodeRouting(cfg)
	if err != nil {
		return err
	}
	u := Principal(c)
	// One save at a time, so the router ends with the newest version.
	a.saveMu.Lock()
	defer a.saveMu.Unlock()
	set, err := st.PutSetting(c.Request().Context(), RoutingSetting, base, value, u.Login, time.Now())
	if minyi.ErrorCode(err) == minyi.ECONFLICT {
		return minyi.Errorf(minyi.ECONFLICT, "%s", labels.T("admin.conflict"))
	}
	if err != nil {
		return err
	}
	if err := a.Router.Replace(merged); err != nil {
		return err // validated above; cannot happen
	}
	s.Logger.Info("routing saved from the admin page", "version", set.Version, "by", u.Login)
	s.Audit(c, minyi.AuditEntry{Actor: u.Login, Action: minyi.AuditRouting, Target: RoutingSetting,
		Detail: fmt.Sprintf("v%d", set.Version)})
	return nil
}

// SplitList reads a list field: values separated by commas (also ，、；) or
// lines, trimmed, empty ones dropped.
func SplitList(s string) []string {
	var out []string
	for _, v := range strings.FieldsFunc(s, func(r rune) bool {
		return r == ',' || r == '，' || r == '、' || r == ';' || r == '；' || r == '\n' || r == '\r'
	}) {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

func JoinList(xs []string) string { return strings.Join(xs, ", ") }

// FormBase is the version the editor's form was made from.
func FormBase(c echo.Context) int {
	n, _ := strconv.Atoi(c.FormValue("base"))
	return n
}

// PageError re-renders a page for a refused edit; other errors go up.
func PageError(err error) (string, int, bool) {
	switch minyi.ErrorCode(err) {
	case minyi.EINVALID:
		return minyi.ErrorMessage(err), http.StatusBadRequest, true
	case minyi.ECONFLICT:
		return minyi.ErrorMessage(err), http.StatusConflict, true
	case minyi.ENOTFOUND:
		return minyi.ErrorMessage(err), http.StatusNotFound, true
	}
	return "", 0, false
}

// DepartmentList is the departments in force: the router's, which the admin
// pages edit, when there is one; else Server.Departments.
func (s *Server) DepartmentList() []minyi.Department {
	if s.Admin != nil && s.Admin.Router != nil {
		return s.Admin.Router.Directory().Departments()
	}
	return s.Departments
}
