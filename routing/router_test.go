package routing_test

import (
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"minyi"
	"minyi/routing"
)

func dept(id, name, parent string, regions ...string) minyi.Department {
	return minyi.Department{ID: id, Name: name, Parent: parent, Regions: regions}
}

// testConfig is a small city: one rule per kind of condition.
func testConfig() routing.Config {
	return routing.Config{
		Fallback: "office",
		Departments: []minyi.Department{
			dept("office", "市政府办公室", ""),
			dept("env", "市生态环境局", "office"),
			dept("urban", "市城管局", "office"),
			dept("police", "市公安局", "office"),
			dept("traffic", "市公安局交警支队", "police"),
			dept("housing", "市住建局", "office"),
			dept("north", "江北区人民政府", "office", "江北区", "江北区新城街道"),
			dept("south", "城南区人民政府", "office", "城南区"),
		},
		Rules: []minyi.RoutingRule{
			{Name: "noise", Priority: 50, Department: "env", Keywords: []string{"噪音", "扰民"}},
			{Name: "night-works", Priority: 50, Department: "urban", Keywords: []string{"夜间施工"}},
			{Name: "construction-noise", Priority: 60, Department: "urban", Keywords: []string{"工地噪音"}},
			{Name: "hotline-complaints", Priority: 40, Department: "housing", Sources: []string{"hotline"}, Types: []minyi.MessageType{minyi.TypeComplaint}},
			{Name: "category-env", Priority: 20, Department: "env", Categories: []string{"环境保护"}},
			{Name: "north", Priority: 10, Department: "north", Regions: []string{"江北区"}},
			{Name: "discharge-posts", Priority: 30, Department: "env", Keywords: []string{"偷排"}, Posts: true},
		},
	}
}

func newRouter(t *testing.T, cfg routing.Config) *routing.Router {
	t.Helper()
	r, err := routing.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func route(t *testing.T, r *routing.Router, in routing.Input) minyi.Routing {
	t.Helper()
	got, ok := r.Route(in)
	if !ok {
		t.Fatalf("Route(%+v) found no department", in)
	}
	return got
}

func TestRoutePriorities(t *testing.T) {
	r := newRouter(t, testConfig())
	// Both "noise" (50) and "construction-noise" (60) match: the higher wins.
	got := route(t, r, routing.Input{Title: "工地噪音太大", Body: "每天晚上都吵"})
	if got.Department != "urban" || got.Rule != "construction-noise" {
		t.Errorf("got %+v, want construction-noise → urban", got)
	}
	// "noise" and "night-works" tie at 50: config order decides.
	got = route(t, r, routing.Input{Title: "夜间施工扰民"})
	if got.Rule != "noise" || got.Department != "env" {
		t.Errorf("got %+v, want the first of the tied rules (noise)", got)
	}
	if want := `关键词 "扰民" (keyword) → 市生态环境局`; got.Reason != want {
		t.Errorf("Reason = %q, want %q", got.Reason, want)
	}
	// Priority beats a rule listed earlier: keyword (50) over region (10).
	got = route(t, r, routing.Input{Title: "江北区噪音", Region: "江北区"})
	if got.Rule != "noise" {
		t.Errorf("got %+v, want noise over the region rule", got)
	}
}

func TestRouteConditions(t *testing.T) {
	r := newRouter(t, testConfig())
	cases := []struct {
		name     string
		in       routing.Input
		rule     string
		reason   string
		fallback bool
	}{
		{"keyword in body", routing.Input{Title: "反映一个问题", Body: "楼下烧烤店扰民到凌晨"}, "noise", `关键词 "扰民" (keyword)`, false},
		{"keyword in traditional text", routing.Input{Title: "工地噪音擾民"}, "construction-noise", `关键词 "工地噪音"`, false},
		{"traditional keyword only", routing.Input{Body: "夜間施工到半夜"}, "night-works", `关键词 "夜间施工"`, false},
		{"category", routing.Input{Title: "河道发黑", Category: "环境保护"}, "category-env", `类别 "环境保护" (category)`, false},
		{"other category", routing.Input{Title: "河道发黑", Category: "交通运输"}, "fallback", "", true},
		{"region field", routing.Input{Title: "路灯不亮", Region: "江北区"}, "north", `区域 "江北区" (region)`, false},
		{"region in text", routing.Input{Title: "江北区滨江路路灯不亮"}, "north", `区域 "江北区" (region)`, false},
		{"other region", routing.Input{Title: "城南区路灯不亮", Region: "城南区"}, "fallback", "", true},
		{"source and type", routing.Input{Title: "物业乱收费", Source: "hotline", Type: minyi.TypeComplaint}, "hotline-complaints",
			`来源 "hotline" (source) + 类型 "投诉" (type) → 市住建局`, false},
		{"source without the type", routing.Input{Title: "物业乱收费", Source: "hotline", Type: minyi.TypeInquiry}, "fallback", "", true},
		{"type without the source", routing.Input{Title: "物业乱收费", Source: "mailbox", Type: minyi.TypeComplaint}, "fallback", "", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := route(t, r, c.in)
			if got.Rule != c.rule {
				t.Fatalf("rule = %q (%s), want %q", got.Rule, got.Reason, c.rule)
			}
			if c.fallback && got.Department != "office" {
				t.Errorf("fallback went to %q", got.Department)
			}
			if !strings.Contains(got.Reason, c.reason) {
				t.Errorf("Reason = %q, want it to contain %q", got.Reason, c.reason)
			}
		})
	}
}

func TestRouteFallback(t *testing.T) {
	r := newRouter(t, testConfig())
	got := route(t, r, routing.Input{Title: "咨询公积金提取", Kind: minyi.KindMessage})
	want := minyi.Routing{Department: "office", Rule: routing.FallbackRule, Reason: "无规则匹配，兜底 (no rule matched, fallback) → 市政府办公室"}
	if got != want {
		t.Errorf("got %+v, want %+v", got, want)
	}
}

func TestRouteExcludesDepartmentsThatReturned(t *testing.T) {
	r := newRouter(t, testConfig())
	in := routing.Input{Title: "工地噪音扰民"} // construction-noise (urban), then noise (env)
	first := route(t, r, in)
	if first.Department != "urban" {
		t.Fatalf("first routing %+v, want urban", first)
	}
	in.Exclude = []string{"urban"}
	second := route(t, r, in)
	if second.Department != "env" || second.Rule != "noise" {
		t.Errorf("after urban returned it: %+v, want noise → env", second)
	}
	if !strings.Contains(second.Reason, "市城管局") || !strings.Contains(second.Reason, "skipped") {
		t.Errorf("Reason %q does not say the returning department was skipped", second.Reason)
	}
	in.Exclude = []string{"urban", "env"}
	if third := route(t, r, in); third.Rule != routing.FallbackRule {
		t.Errorf("after urban and env returned it: %+v, want the fallback", third)
	}
	in.Exclude = []string{"urban", "env", "office"}
	if got, ok := r.Route(in); ok {
		t.Errorf("every candidate returned it, yet routed to %+v; a supervisor must reassign", got)
	}
	// An excluded fallback does not stop a matching rule.
	if got := route(t, r, routing.Input{Title: "扰民", Exclude: []string{"office"}}); got.Department != "env" {
		t.Errorf("got %+v, want env", got)
	}
}

func TestRoutePosts(t *testing.T) {
	r := newRouter(t, testConfig())
	// A post matching only rules without Posts opens no case, and never falls back.
	for _, title := range []string{"楼下广场舞扰民", "今天天气不错"} {
		if got, ok := r.Route(routing.Input{Title: title, Kind: minyi.KindPost}); ok {
			t.Errorf("post %q routed to %+v, want no case", title, got)
		}
	}
	// A Posts rule takes it, even when a higher non-Posts rule also matches.
	got := route(t, r, routing.Input{Title: "化工厂偷排废水还扰民", Kind: minyi.KindPost})
	if got.Rule != "discharge-posts" || got.Department != "env" {
		t.Errorf("got %+v, want discharge-posts", got)
	}
	// For a message the same text follows priority as usual.
	if got := route(t, r, routing.Input{Title: "化工厂偷排废水还扰民"}); got.Rule != "noise" {
		t.Errorf("message got %+v, want noise (priority 50 over 30)", got)
	}
	if _, ok := r.Route(routing.Input{Title: "偷排", Kind: minyi.KindPost, Exclude: []string{"env"}}); ok {
		t.Error("a post whose only department returned it was routed")
	}
}

func TestNewRejectsBadConfig(t *testing.T) {
	cases := []struct {
		name   string
		change func(c *routing.Config)
		want   string
	}{
		{"empty id", func(c *routing.Config) { c.Departments = append(c.Departments, dept(" ", "市水务局", "")) }, `department 9 ("市水务局") has no id`},
		{"duplicate id", func(c *routing.Config) { c.Departments = append(c.Departments, dept("env", "市水务局", "")) }, `department "env" is defined twice`},
		{"duplicate name", func(c *routing.Config) {
			c.Departments = append(c.Departments, dept("env2", "市生态环境局 ", ""))
		}, `department "env2" has the same name`},
		{"no name", func(c *routing.Config) { c.Departments = append(c.Departments, dept("water", "", "")) }, `department "water" has no name`},
		{"unknown parent", func(c *routing.Config) { c.Departments = append(c.Departments, dept("water", "市水务局", "city")) }, `department "water": parent "city" does not exist`},
		{"self parent", func(c *routing.Config) { c.Departments[0].Parent = "office" }, `department "office": its parent chain goes round in a cycle`},
		{"cycle", func(c *routing.Config) { c.Departments[0].Parent = "traffic" }, `department "police": its parent chain goes round in a cycle`},
		{"empty region", func(c *routing.Config) { c.Departments[1].Regions = []string{""} }, `department "env" has an empty region`},
		{"rule department", func(c *routing.Config) { c.Rules[0].Department = "ecology" }, `rule 1 "noise": department "ecology" does not exist`},
		{"rule without conditions", func(c *routing.Config) {
			c.Rules = append(c.Rules, minyi.RoutingRule{Name: "all", Department: "env", Posts: true})
		}, `rule 8 "all" sets no condition`},
		{"empty keyword", func(c *routing.Config) { c.Rules[0].Keywords = append(c.Rules[0].Keywords, " ") }, `rule 1 "noise" has an empty keyword`},
		{"unknown type", func(c *routing.Config) { c.Rules[3].Types = []minyi.MessageType{"complaint"} }, `rule 4 "hotline-complaints": unknown message type "complaint"`},
		{"no rule name", func(c *routing.Config) { c.Rules[1].Name = "" }, `rule 2 has no name`},
		{"duplicate rule name", func(c *routing.Config) { c.Rules[1].Name = "noise" }, `rule 2 "noise": another rule has the same name`},
		{"reserved rule name", func(c *routing.Config) { c.Rules[1].Name = "fallback" }, `reserved for the fallback`},
		{"no fallback", func(c *routing.Config) { c.Fallback = "" }, "no fallback department"},
		{"unknown fallback", func(c *routing.Config) { c.Fallback = "12345" }, `fallback department "12345" does not exist`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := testConfig()
			c.change(&cfg)
			r, err := routing.New(cfg)
			if r != nil || minyi.ErrorCode(err) != minyi.EINVALID {
				t.Fatalf("New = %v, %v; want EINVALID", r, err)
			}
			if !strings.Contains(minyi.ErrorMessage(err), c.want) {
				t.Errorf("message %q does not say %q", minyi.ErrorMessage(err), c.want)
			}
		})
	}
}

func TestNewCopiesConfig(t *testing.T) {
	cfg := testConfig()
	r := newRouter(t, cfg)
	cfg.Rules[0].Keywords[0] = "天气"
	cfg.Departments[1].Name = "changed"
	if got := route(t, r, routing.Input{Title: "天气"}); got.Rule != routing.FallbackRule {
		t.Errorf("editing the config after New changed routing: %+v", got)
	}
	ds := r.Directory().Departments()
	ds[6].Regions[0] = "changed"
	if d, _ := r.Directory().Department("north"); d.Regions[0] != "江北区" || d.Name != "江北区人民政府" {
		t.Errorf("editing Departments() changed the router: %+v", d)
	}
	if len(ds) != len(cfg.Departments) || ds[0].ID != "office" || ds[7].ID != "south" {
		t.Errorf("Departments() = %v, want config order", ds)
	}
	if _, ok := r.Directory().Department("nope"); ok {
		t.Error("Department(nope) found something")
	}
}

func TestByName(t *testing.T) {
	r := newRouter(t, testConfig())
	cases := []struct{ name, want string }{
		{"市生态环境局", "env"},
		{" 市生態環境局 ", "env"},       // traditional, spaces
		{"临江市公安局交警支队", "traffic"}, // longest contained name, not 市公安局
		{"临江市公安局", "police"},
		{"市住建局物业科", "housing"},
		{"交警支队", "traffic"}, // the only name that contains it
		{"区人民政府", ""},       // two districts: ambiguous
		{"市", ""},           // too short to mean anything
		{"", ""},
		{"市教育局", ""},
	}
	for _, c := range cases {
		d, ok := r.Directory().ByName(c.name)
		if ok != (c.want != "") || d.ID != c.want {
			t.Errorf("ByName(%q) = %q, %v; want %q", c.name, d.ID, ok, c.want)
		}
	}
}

func TestDetectRegion(t *testing.T) {
	r := newRouter(t, testConfig())
	cases := []struct{ text, want string }{
		{"我住在城南区，工作在江北区", "城南区"},
		{"江北区新城街道的路灯坏了", "江北区新城街道"},
		{"江北區新城街道", "江北区新城街道"}, // traditional
		{"高新区", ""},
		{"", ""},
	}
	for _, c := range cases {
		if got := r.Directory().DetectRegion(c.text); got != c.want {
			t.Errorf("DetectRegion(%q) = %q, want %q", c.text, got, c.want)
		}
	}
}

// The config file is YAML; this pins the keys.
func TestConfigFromYAML(t *testing.T) {
	src := `
fallback: office
departments:
  - {id: office, name: 市政府办公室}
  - {id: env, name: 市生态环境局, parent: office, regions: [江北区]}
rules:
  - name: hotline-noise
    priority: 5
    department: env
    keywords: [噪音]
    sources: [hotline]
    types: [投诉]
    posts: true
`
	var cfg routing.Config
	if err := yaml.Unmarshal([]byte(src), &cfg); err != nil {
		t.Fatal(err)
	}
	r := newRouter(t, cfg)
	got := route(t, r, routing.Input{Title: "噪音", Source: "hotline", Type: minyi.TypeComplaint, Kind: minyi.KindPost})
	if got.Rule != "hotline-noise" || got.Department != "env" {
		t.Errorf("got %+v", got)
	}
	if r.Directory().DetectRegion("江北区") != "江北区" {
		t.Error("regions not loaded")
	}
}
