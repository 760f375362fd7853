package web

import (
	"cmp"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"minyi"
	"minyi/api/core"
	"minyi/api/labels"
	"minyi/routing"
)

// departmentRow is a department as the list shows it.
type departmentRow struct {
	minyi.Department
	ParentName string
	Rules      int
	Fallback   bool
}

// departmentForm is the add/edit form as typed.
type departmentForm struct {
	Orig                         string // id of the department edited; "" adds one
	ID, Name, Parent             string
	Regions, Webhook, WebhookFmt string
	Email                        string
}

type departmentsPage struct {
	Rows     []departmentRow
	Form     departmentForm
	Editable bool
	Base     int
	History  []minyi.Setting
	Error    string
}

func (s *server) adminDepartments(c echo.Context) error {
	p := departmentsPage{}
	if id := c.QueryParam("edit"); id != "" {
		cfg, _, err := s.RoutingConfig(c.Request().Context())
		if err != nil {
			return err
		}
		if i := slices.IndexFunc(cfg.Departments, func(d minyi.Department) bool { return d.ID == id }); i >= 0 {
			d := cfg.Departments[i]
			p.Form = departmentForm{Orig: d.ID, ID: d.ID, Name: d.Name, Parent: d.Parent, Regions: core.JoinList(d.Regions),
				Webhook: d.Webhook, WebhookFmt: d.WebhookFormat, Email: core.JoinList(d.Email)}
		}
	}
	return s.renderDepartments(c, http.StatusOK, p)
}

func (s *server) renderDepartments(c echo.Context, status int, p departmentsPage) error {
	ctx := c.Request().Context()
	cfg, version, err := s.RoutingConfig(ctx)
	if err != nil {
		return err
	}
	p.Base = version // after a conflict too: the form now shows the newest version
	if p.History, err = s.RoutingHistory(ctx); err != nil {
		return err
	}
	p.Editable = s.Settings() != nil && s.Admin.Router != nil
	names := map[string]string{}
	for _, d := range cfg.Departments {
		names[d.ID] = d.Name
	}
	rules := append(slices.Clone(cfg.Rules), s.Admin.Generated...)
	for _, d := range cfg.Departments {
		r := departmentRow{Department: d, ParentName: names[d.Parent], Fallback: d.ID == cfg.Fallback}
		for _, rl := range rules {
			if rl.Department == d.ID {
				r.Rules++
			}
		}
		p.Rows = append(p.Rows, r)
	}
	return s.render(c, status, "admin_departments", labels.T("nav.departments"), p)
}

func (s *server) adminSaveDepartment(c echo.Context) error {
	f := departmentForm{
		Orig: strings.TrimSpace(c.FormValue("orig")), ID: strings.TrimSpace(c.FormValue("id")),
		Name: strings.TrimSpace(c.FormValue("name")), Parent: strings.TrimSpace(c.FormValue("parent")),
		Regions: c.FormValue("regions"), Webhook: strings.TrimSpace(c.FormValue("webhook")),
		WebhookFmt: strings.TrimSpace(c.FormValue("webhook_format")), Email: c.FormValue("email"),
	}
	if f.Orig != "" {
		f.ID = f.Orig // the id is the key rules and users refer to: fixed once made
	}
	base := core.FormBase(c)
	err := s.editRouting(c, base, func(cfg *routing.Config) error {
		if f.ID == "" || f.Name == "" {
			return minyi.Errorf(minyi.EINVALID, "%s", labels.T("admin.dept_need_id_name"))
		}
		d := minyi.Department{ID: f.ID, Name: f.Name, Parent: f.Parent, Regions: core.SplitList(f.Regions),
			Webhook: f.Webhook, WebhookFormat: f.WebhookFmt, Email: core.SplitList(f.Email)}
		i := slices.IndexFunc(cfg.Departments, func(x minyi.Department) bool { return x.ID == f.ID })
		switch {
		case f.Orig == "" && i >= 0:
			return minyi.Errorf(minyi.EINVALID, "%s", labels.Tf("admin.dept_exists", f.ID))
		case f.Orig != "" && i < 0:
			return minyi.Errorf(minyi.ENOTFOUND, "%s", labels.Tf("admin.dept_missing", f.ID))
		case i >= 0:
			d.HeadEmail = cfg.Departments[i].HeadEmail
			cfg.Departments[i] = d
		default:
			cfg.Departments = append(cfg.Departments, d)
		}
		if cfg.Fallback == "" {
			cfg.Fallback = d.ID // a first department takes what no rule does
		}
		return nil
	})
	if err != nil {
		msg, status, ok := core.PageError(err)
		if !ok {
			return err
		}
		return s.renderDepartments(c, status, departmentsPage{Form: f, Error: msg, Base: base})
	}
	c.Set(flashKey, labels.Tf("admin.dept_saved", f.Name))
	return s.renderDepartments(c, http.StatusOK, departmentsPage{})
}

func (s *server) adminRemoveDepartment(c echo.Context) error {
	id := c.FormValue("id")
	err := s.editRouting(c, core.FormBase(c), func(cfg *routing.Config) error {
		i := slices.IndexFunc(cfg.Departments, func(x minyi.Department) bool { return x.ID == id })
		if i < 0 {
			return minyi.Errorf(minyi.ENOTFOUND, "%s", labels.Tf("admin.dept_missing", id))
		}
		var users []string
		for _, rl := range append(slices.Clone(cfg.Rules), s.Admin.Generated...) {
			if rl.Department == id {
				users = append(users, rl.Name)
			}
		}
		if cfg.Fallback == id {
			users = append(users, labels.T("admin.fallback"))
		}
		for _, d := range cfg.Departments {
			if d.Parent == id {
				users = append(users, d.Name)
			}
		}
		if len(users) > 0 {
			return minyi.Errorf(minyi.EINVALID, "%s", labels.Tf("admin.dept_in_use", cfg.Departments[i].Name, strings.Join(users, "、")))
		}
		cfg.Departments = slices.Delete(cfg.Departments, i, i+1)
		return nil
	})
	if err != nil {
		msg, status, ok := core.PageError(err)
		if !ok {
			return err
		}
		return s.renderDepartments(c, status, departmentsPage{Error: msg})
	}
	c.Set(flashKey, labels.Tf("admin.dept_removed", id))
	return s.renderDepartments(c, http.StatusOK, departmentsPage{})
}

// editRouting applies edit to the version base of the admin's routing and
// saves the result. A base other than the one in force is a conflict
// before edit runs, so an edit never applies to a version its admin has not
// seen.
func (s *server) editRouting(c echo.Context, base int, edit func(*routing.Config) error) error {
	cfg, version, err := s.RoutingConfig(c.Request().Context())
	if err != nil {
		return err
	}
	if base != version {
		return minyi.Errorf(minyi.ECONFLICT, "%s", labels.T("admin.conflict"))
	}
	cfg.Departments = slices.Clone(cfg.Departments)
	cfg.Rules = slices.Clone(cfg.Rules)
	if err := edit(&cfg); err != nil {
		return err
	}
	return s.SaveRouting(c, base, cfg)
}

// ruleRow is a routing rule with its department's name.
type ruleRow struct {
	minyi.RoutingRule
	DepartmentName string
	Matched        bool // the rule the tester's message went to
	Generated      bool // from an alert subscription: not edited here
}

// ruleTest is the tester's message and what routing made of it.
type ruleTest struct {
	Title, Body, Category, Region, Source string
	Type                                  minyi.MessageType
	Asked                                 bool
	InferredType                          minyi.MessageType // when the form left the type open
	DetectedRegion                        string            // when the form left the region open
	Routed                                bool
	Routing                               minyi.Routing
	DepartmentName                        string
	Fallback                              bool
}

// ruleForm is the add/edit form as typed.
type ruleForm struct {
	Orig                                   string // name of the rule edited; "" adds one
	Name, Priority, Department             string
	Keywords, Categories, Regions, Sources string
	Types                                  []minyi.MessageType
	Posts                                  bool
}

func (f ruleForm) HasType(t minyi.MessageType) bool { return slices.Contains(f.Types, t) }

type rulesPage struct {
	Rules       []ruleRow
	Fallback    string // its name
	FallbackID  string
	Departments []minyi.Department
	Types       []minyi.MessageType
	Test        ruleTest
	Form        ruleForm
	Editable    bool
	Base        int
	History     []minyi.Setting
	Error       string
}

func (s *server) adminRules(c echo.Context) error {
	p := rulesPage{}
	if name := c.QueryParam("edit"); name != "" {
		cfg, _, err := s.RoutingConfig(c.Request().Context())
		if err != nil {
			return err
		}
		if i := slices.IndexFunc(cfg.Rules, func(r minyi.RoutingRule) bool { return r.Name == name }); i >= 0 {
			r := cfg.Rules[i]
			p.Form = ruleForm{Orig: r.Name, Name: r.Name, Priority: strconv.Itoa(r.Priority), Department: r.Department,
				Keywords: core.JoinList(r.Keywords), Categories: core.JoinList(r.Categories), Regions: core.JoinList(r.Regions),
				Sources: core.JoinList(r.Sources), Types: r.Types, Posts: r.Posts}
		}
	}
	return s.renderRules(c, http.StatusOK, p)
}

func (s *server) renderRules(c echo.Context, status int, p rulesPage) error {
	a := s.Admin
	ctx := c.Request().Context()
	cfg, version, err := s.RoutingConfig(ctx)
	if err != nil {
		return err
	}
	p.Base = version // after a conflict too: the form now shows the newest version
	if p.History, err = s.RoutingHistory(ctx); err != nil {
		return err
	}
	p.Editable = s.Settings() != nil && a.Router != nil
	p.Types = minyi.MessageTypes
	p.Departments = cfg.Departments
	name := func(id string) string {
		if a.Router != nil {
			if d, ok := a.Router.Directory().Department(id); ok {
				return d.Name
			}
		}
		return id
	}
	p.FallbackID = cfg.Fallback
	p.Fallback = name(cfg.Fallback)

	q := c.QueryParams()
	t := &p.Test
	t.Title, t.Body = strings.TrimSpace(q.Get("title")), strings.TrimSpace(q.Get("body"))
	t.Category, t.Region, t.Source = strings.TrimSpace(q.Get("category")), strings.TrimSpace(q.Get("region")), strings.TrimSpace(q.Get("source"))
	t.Type = minyi.MessageType(q.Get("type"))
	if (t.Title != "" || t.Body != "") && a.Router != nil {
		t.Asked = true
		in := routing.Input{Title: t.Title, Body: t.Body, Category: t.Category, Region: t.Region, Source: t.Source,
			Kind: minyi.KindMessage, Type: t.Type}
		if in.Type == "" {
			in.Type = routing.InferType(t.Title, t.Body)
			t.InferredType = in.Type
		}
		if in.Region == "" {
			in.Region = a.Router.Directory().DetectRegion(t.Title + "\n" + t.Body)
			t.DetectedRegion = in.Region
		}
		t.Routing, t.Routed = a.Router.Route(in)
		t.DepartmentName = name(t.Routing.Department)
		t.Fallback = t.Routing.Rule == routing.FallbackRule
	}
	// The order routing tries them: by descending priority, ties in config
	// order, the generated rules on top.
	merged := core.WithGenerated(cfg, a.Generated)
	rows := make([]ruleRow, 0, len(merged.Rules))
	for i, rl := range merged.Rules {
		rows = append(rows, ruleRow{RoutingRule: rl, DepartmentName: name(rl.Department),
			Matched: t.Routed && rl.Name == t.Routing.Rule, Generated: i >= len(cfg.Rules)})
	}
	slices.SortStableFunc(rows, func(x, y ruleRow) int { return cmp.Compare(y.Priority, x.Priority) })
	p.Rules = rows
	return s.render(c, status, "admin_rules", labels.T("nav.rules"), p)
}

func (s *server) adminSaveRule(c echo.Context) error {
	form, _ := c.FormParams()
	f := ruleForm{
		Orig: strings.TrimSpace(c.FormValue("orig")), Name: strings.TrimSpace(c.FormValue("name")),
		Priority: strings.TrimSpace(c.FormValue("priority")), Department: strings.TrimSpace(c.FormValue("department")),
		Keywords: c.FormValue("keywords"), Categories: c.FormValue("categories"), Regions: c.FormValue("regions"),
		Sources: c.FormValue("sources"), Posts: c.FormValue("posts") == "on",
	}
	for _, t := range form["types"] {
		f.Types = append(f.Types, minyi.MessageType(t))
	}
	base := core.FormBase(c)
	err := s.editRouting(c, base, func(cfg *routing.Config) error {
		prio := 0
		if f.Priority != "" {
			n, err := strconv.Atoi(f.Priority)
			if err != nil {
				return minyi.Errorf(minyi.EINVALID, "%s", labels.T("admin.rule_bad_priority"))
			}
			prio = n
		}
		if f.Name == "" {
			return minyi.Errorf(minyi.EINVALID, "%s", labels.T("admin.rule_need_name"))
		}
		if slices.ContainsFunc(s.Admin.Generated, func(r minyi.RoutingRule) bool { return r.Name == f.Name }) {
			return minyi.Errorf(minyi.EINVALID, "%s", labels.Tf("admin.rule_exists", f.Name))
		}
		r := minyi.RoutingRule{Name: f.Name, Priority: prio, Department: f.Department,
			Keywords: core.SplitList(f.Keywords), Categories: core.SplitList(f.Categories), Regions: core.SplitList(f.Regions),
			Sources: core.SplitList(f.Sources), Types: f.Types, Posts: f.Posts}
		if len(r.Keywords)+len(r.Categories)+len(r.Regions)+len(r.Sources)+len(r.Types) == 0 {
			return minyi.Errorf(minyi.EINVALID, "%s", labels.T("admin.rule_need_condition"))
		}
		if !slices.ContainsFunc(cfg.Departments, func(d minyi.Department) bool { return d.ID == r.Department }) {
			return minyi.Errorf(minyi.EINVALID, "%s", labels.T("admin.rule_need_department"))
		}
		other := slices.IndexFunc(cfg.Rules, func(x minyi.RoutingRule) bool { return x.Name == f.Name })
		if other >= 0 && f.Orig != f.Name {
			return minyi.Errorf(minyi.EINVALID, "%s", labels.Tf("admin.rule_exists", f.Name))
		}
		if f.Orig == "" {
			cfg.Rules = append(cfg.Rules, r)
			return nil
		}
		i := slices.IndexFunc(cfg.Rules, func(x minyi.RoutingRule) bool { return x.Name == f.Orig })
		if i < 0 {
			return minyi.Errorf(minyi.ENOTFOUND, "%s", labels.Tf("admin.rule_missing", f.Orig))
		}
		cfg.Rules[i] = r
		return nil
	})
	if err != nil {
		msg, status, ok := core.PageError(err)
		if !ok {
			return err
		}
		return s.renderRules(c, status, rulesPage{Form: f, Error: msg, Base: base})
	}
	c.Set(flashKey, labels.Tf("admin.rule_saved", f.Name))
	return s.renderRules(c, http.StatusOK, rulesPage{})
}

func (s *server) adminRemoveRule(c echo.Context) error {
	name := c.FormValue("name")
	err := s.editRouting(c, core.FormBase(c), func(cfg *routing.Config) error {
		i := slices.IndexFunc(cfg.Rules, func(x minyi.RoutingRule) bool { return x.Name == name })
		if i < 0 {
			return minyi.Errorf(minyi.ENOTFOUND, "%s", labels.Tf("admin.rule_missing", name))
		}
		cfg.Rules = slices.Delete(cfg.Rules, i, i+1)
		return nil
	})
	if err != nil {
		msg, status, ok := core.PageError(err)
		if !ok {
			return err
		}
		return s.renderRules(c, status, rulesPage{Error: msg})
	}
	c.Set(flashKey, labels.Tf("admin.rule_removed", name))
	return s.renderRules(c, http.StatusOK, rulesPage{})
}

func (s *server) adminSetFallback(c echo.Context) error {
	id := strings.TrimSpace(c.FormValue("fallback"))
	err := s.editRouting(c, core.FormBase(c), func(cfg *routing.Config) error {
		if !slices.ContainsFunc(cfg.Departments, func(d minyi.Department) bool { return d.ID == id }) {
			return minyi.Errorf(minyi.EINVALID, "%s", labels.T("admin.rule_need_department"))
		}
		cfg.Fallback = id
		return nil
	})
	if err != nil {
		msg, status, ok := core.PageError(err)
		if !ok {
			return err
		}
		return s.renderRules(c, status, rulesPage{Error: msg})
	}
	c.Set(flashKey, labels.T("admin.fallback_saved"))
	return s.renderRules(c, http.StatusOK, rulesPage{})
}
