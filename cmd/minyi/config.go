package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"minyi"
	"minyi/activities"
	"minyi/api/core"
	"minyi/api/rest"
	"minyi/calendar"
	"minyi/deadline"
	"minyi/report"
	"minyi/routing"
)

// Config is the YAML file given with --config. Every field has an embedded
// default, so running with no file at all is the demo.
type Config struct {
	DataDir string `yaml:"data_dir"`
	Listen  string `yaml:"listen"`
	// MetricsListen serves Prometheus's /metrics (default 127.0.0.1:9464;
	// "off" for none). Kept off the listen address, where every user is.
	MetricsListen string `yaml:"metrics_listen"`
	// TrustedProxies are the addresses (CIDR) of the TLS-terminating
	// proxies in front of minyi; their X-Forwarded-Proto and
	// X-Forwarded-For are believed, nobody else's.
	TrustedProxies []string       `yaml:"trusted_proxies"`
	Temporal       TemporalConfig `yaml:"temporal"`
	Store          StoreConfig    `yaml:"store"`
	Search         SearchConfig   `yaml:"search"`
	Sources        []minyi.Source `yaml:"sources"`
	// Demo starts the bundled demo city site and crawls it; on when no
	// config file is given.
	Demo bool `yaml:"demo"`
	// DemoSite is the URL of a demo city site served elsewhere (`minyi
	// demo-site`): with several processes every one must crawl the same site,
	// so none starts its own.
	DemoSite string `yaml:"demo_site"`
	// role is what this process runs, from serve's --role; never in a file.
	role role

	// BaseURL is how notifications link to a case.
	BaseURL   string          `yaml:"base_url"`
	Routing   routing.Config  `yaml:"routing"`
	Deadlines deadline.Policy `yaml:"deadlines"`
	// RepeatWindow is how long after its case closed a letter of the same
	// event is a repeat complaint (重复件) of it; 0 is 90 days.
	RepeatWindow time.Duration       `yaml:"repeat_window"`
	Holidays     []calendar.Override `yaml:"holidays"` // override the holiday library, e.g. next year's 调休
	Audit        AuditConfig         `yaml:"audit"`
	Notify       NotifyConfig        `yaml:"notify"`
	Users        []core.TokenUser    `yaml:"users"`
	Analysis     AnalysisConfig      `yaml:"analysis"`
	Alerts       AlertsConfig        `yaml:"alerts"`
	Reports      ReportsConfig       `yaml:"reports"`
	Portal       PortalConfig        `yaml:"portal"`

	// alertRules are the rules fillAlerts generated for subscriptions that
	// open cases, appended to Routing.Rules. They are never stored as the
	// admin's settings: the router gets them on top of whatever is in force.
	alertRules []minyi.RoutingRule
}

// seedRouting is the config file's routing without the generated alert
// rules: what the settings store starts from.
func (c Config) seedRouting() routing.Config {
	seed := c.Routing
	seed.Rules = seed.Rules[:len(seed.Rules)-len(c.alertRules)]
	return seed
}

// AnalysisConfig names the trained models the server loads. Without a
// sentiment model the embedded one is used ("lexicon" chooses the word lists
// alone); without a category model documents get no category (train one
// with `minyi train-categories`).
type AnalysisConfig struct {
	SentimentModel   string `yaml:"sentiment_model"`
	CategoryModel    string `yaml:"category_model"`
	SimhashThreshold int    `yaml:"simhash_threshold"` // bits; default 3
}

// AlertsConfig is the negative-volume alert rule and the keyword
// subscriptions. Topic alerts need no subscription.
type AlertsConfig struct {
	minyi.AlertRule `yaml:",inline"`
	Subscriptions   []activities.Subscription `yaml:"subscriptions"`
}

// AuditConfig schedules the department audit.
type AuditConfig struct {
	Cron           string        `yaml:"cron"` // in China time; default daily 02:00
	Window         time.Duration `yaml:"window"`
	SuperviseBelow float64       `yaml:"supervise_below"` // 督办 below this on-time rate
	NoticeBelow    float64       `yaml:"notice_below"`    // 通报 below this
}

// ReportsConfig schedules the drafts of the 舆情 reports: each a cron in
// China time, or "off". The defaults are the morning's daily at 08:00, the
// weekly on Monday and the monthly on the 1st at the same hour.
type ReportsConfig struct {
	Daily   string `yaml:"daily"`
	Weekly  string `yaml:"weekly"`
	Monthly string `yaml:"monthly"`
	// Subscribers receive every published report: the DOCX and PDF by
	// email (with notify.smtp), the summary and link by robot.
	Subscribers struct {
		Webhook       string   `yaml:"webhook"`
		WebhookFormat string   `yaml:"webhook_format"` // json | wecom | dingtalk
		Email         []string `yaml:"email"`
	} `yaml:"subscribers"`
}

// reportsOff turns a report schedule off.
const reportsOff = "off"

// crons lists each kind's cron, "off" included.
func (r ReportsConfig) crons() map[report.Kind]string {
	return map[report.Kind]string{report.Daily: r.Daily, report.Weekly: r.Weekly, report.Monthly: r.Monthly}
}

func (r *ReportsConfig) withDefaults() {
	for p, def := range map[*string]string{&r.Daily: "0 8 * * *", &r.Weekly: "0 8 * * 1", &r.Monthly: "0 8 1 * *"} {
		if strings.TrimSpace(*p) == "" {
			*p = def
		}
	}
}

// NotifyConfig says how supervisors and leaders are reached and how mail
// is sent. Departments' own webhooks and addresses are on the departments.
type NotifyConfig struct {
	SMTP        SMTPConfig    `yaml:"smtp"`
	Supervisors NotifyTargets `yaml:"supervisors"`
	// Leaders are told at once of a 舆情事件 raised as 重大 (major).
	Leaders NotifyTargets `yaml:"leaders"`
}

// NotifyTargets are a robot webhook and email addresses.
type NotifyTargets struct {
	Webhook       string   `yaml:"webhook"`
	WebhookFormat string   `yaml:"webhook_format"` // json | wecom | dingtalk
	Email         []string `yaml:"email"`
}

type SMTPConfig struct {
	Addr     string `yaml:"addr"` // host:port; empty disables email
	From     string `yaml:"from"`
	Username string `yaml:"username"`
	Password string `yaml:"password"`
}

type TemporalConfig struct {
	// Address of a Temporal cluster; empty runs the embedded server.
	Address   string `yaml:"address"`
	Namespace string `yaml:"namespace"`
	Port      int    `yaml:"port"`      // embedded server frontend port
	LogLevel  string `yaml:"log_level"` // embedded server's own logs: debug|info|warn|error|fatal
}

type StoreConfig struct {
	Driver string `yaml:"driver"` // sqlite | postgres
	DSN    string `yaml:"dsn"`    // file path for sqlite, URL for postgres
}

type SearchConfig struct {
	Backend string `yaml:"backend"` // bleve | elasticsearch
	URL     string `yaml:"url"`     // Elasticsearch node URLs, comma-separated
	Index   string `yaml:"index"`   // bleve directory or Elasticsearch alias

	Elasticsearch ElasticsearchConfig `yaml:"elasticsearch"`
}

// ElasticsearchConfig is how minyi reaches a secured ES 8 cluster. Leave
// the secrets out of the file and set MINYI_ELASTICSEARCH_API_KEY or
// MINYI_ELASTICSEARCH_PASSWORD instead; the environment wins.
type ElasticsearchConfig struct {
	APIKey        string `yaml:"api_key"` // the "encoded" value of a created API key
	Username      string `yaml:"username"`
	Password      string `yaml:"password"`
	CACert        string `yaml:"ca_cert"`        // path of the cluster's HTTP CA (PEM), e.g. http_ca.crt
	CAFingerprint string `yaml:"ca_fingerprint"` // or its SHA-256, as Elasticsearch prints it at first start

	RequestTimeout time.Duration `yaml:"request_timeout"` // per attempt; default 30s
	MaxRetries     int           `yaml:"max_retries"`     // on 429/502/503/504 and connection errors; default 5
	RetryBackoff   time.Duration `yaml:"retry_backoff"`   // first wait, doubling; default 200ms
	Compress       *bool         `yaml:"compress"`        // gzip request bodies; default true
}

// String keeps the secrets out of anything that prints a config.
func (c ElasticsearchConfig) String() string {
	set := func(s string) string {
		if s == "" {
			return "unset"
		}
		return "set"
	}
	return fmt.Sprintf("{api_key:%s username:%q password:%s ca_cert:%q ca_fingerprint:%q request_timeout:%s max_retries:%d}",
		set(c.APIKey), c.Username, set(c.Password), c.CACert, c.CAFingerprint, c.RequestTimeout, c.MaxRetries)
}

func defaultConfig() Config {
	// The demo has well-known passwords: it listens on this machine only.
	return Config{DataDir: "./data", Listen: "127.0.0.1:8080", Demo: true, Deadlines: deadline.DefaultPolicy()}
}

// readConfig reads path, or returns the demo defaults for "".
func readConfig(path string) (Config, error) {
	if path == "" {
		return defaultConfig(), nil
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		return defaultConfig(), fmt.Errorf("reading config: %w", err)
	}
	return parseConfig(raw, path)
}

// parseConfig reads a config file's text; unknown keys are errors, so a
// typo never silently falls back to a default.
func parseConfig(raw []byte, name string) (Config, error) {
	cfg := defaultConfig()
	cfg.Demo = false
	dec := yaml.NewDecoder(bytes.NewReader(raw))
	dec.KnownFields(true)
	if err := dec.Decode(&cfg); err != nil && !errors.Is(err, io.EOF) {
		return cfg, fmt.Errorf("config %s: %w", name, err)
	}
	return cfg, nil
}

// firstDepartment takes every message of an install that has no routing yet.
const firstDepartment = "city-office"

// fillDefaults derives what the file left out and validates the sources.
// defaultMetricsListen is Prometheus's customary exporter port, on loopback.
const defaultMetricsListen = "127.0.0.1:9464"

// trustedProxies reads trusted_proxies, which fillDefaults checked.
func (c Config) trustedProxies() []netip.Prefix {
	var out []netip.Prefix
	for _, p := range c.TrustedProxies {
		if pfx, err := netip.ParsePrefix(p); err == nil {
			out = append(out, pfx)
		} else if addr, err := netip.ParseAddr(p); err == nil {
			out = append(out, netip.PrefixFrom(addr, addr.BitLen()))
		}
	}
	return out
}

func fillDefaults(cfg Config) (Config, error) {
	if cfg.Temporal.Namespace == "" {
		cfg.Temporal.Namespace = "default"
	}
	if cfg.Temporal.LogLevel == "" {
		cfg.Temporal.LogLevel = "error"
	}
	if cfg.Temporal.Port == 0 {
		cfg.Temporal.Port = 7233
	}
	if cfg.MetricsListen == "" {
		cfg.MetricsListen = defaultMetricsListen
	}
	for _, p := range cfg.TrustedProxies {
		if _, err := netip.ParsePrefix(p); err != nil {
			if _, err := netip.ParseAddr(p); err != nil {
				return cfg, fmt.Errorf("config: trusted_proxies: %q is neither an address nor a CIDR range like 10.0.0.0/8", p)
			}
		}
	}
	if cfg.Store.Driver == "" {
		cfg.Store.Driver = "sqlite"
	}
	if cfg.Store.Driver == "sqlite" && cfg.Store.DSN == "" {
		cfg.Store.DSN = filepath.Join(cfg.DataDir, "minyi.db")
	}
	if cfg.Search.Backend == "" {
		cfg.Search.Backend = "bleve"
	}
	if cfg.Search.Backend == "bleve" && cfg.Search.Index == "" {
		cfg.Search.Index = filepath.Join(cfg.DataDir, "index.bleve")
	}
	if cfg.Search.Backend == "elasticsearch" && cfg.Search.Index == "" {
		cfg.Search.Index = "minyi-documents"
	}
	if cfg.Search.Backend == "elasticsearch" && strings.TrimSpace(cfg.Search.URL) == "" {
		return cfg, fmt.Errorf("config: search.url: the Elasticsearch backend needs the cluster's URL, e.g. https://es.example.gov.cn:9200")
	}
	seen := map[string]bool{}
	for i, src := range cfg.Sources {
		if err := src.Validate(); err != nil {
			return cfg, fmt.Errorf("config: sources[%d]: %s", i, minyi.ErrorMessage(err))
		}
		if seen[src.Name] {
			return cfg, fmt.Errorf("config: two sources are named %q", src.Name)
		}
		seen[src.Name] = true
		cfg.Sources[i] = src.WithDefaults()
	}
	if cfg.Audit.Cron == "" {
		cfg.Audit.Cron = "0 2 * * *"
	}
	cfg.Reports.withDefaults()
	if cfg.Audit.Window == 0 {
		cfg.Audit.Window = 30 * 24 * time.Hour
	}
	if cfg.Audit.SuperviseBelow == 0 {
		cfg.Audit.SuperviseBelow = 0.9
	}
	if cfg.Audit.NoticeBelow == 0 {
		cfg.Audit.NoticeBelow = 0.6
	}
	if cfg.Demo && len(cfg.Routing.Departments) == 0 {
		cfg.Routing = routing.DemoConfig()
	}
	if len(cfg.Routing.Departments) == 0 && cfg.Routing.Fallback == "" && len(cfg.Routing.Rules) == 0 {
		// A first install lists its sources and nothing else: every message
		// goes to the government office until the admin sets departments
		// and rules on the admin pages.
		cfg.Routing = routing.Config{Departments: []minyi.Department{{ID: firstDepartment, Name: "市政府办公室"}},
			Fallback: firstDepartment}
	}
	if cfg.Demo && len(cfg.Users) == 0 {
		cfg.Users = demoUsers(cfg.Routing.Departments)
	}
	if err := core.ValidateUsers(cfg.Users, cfg.Routing.Departments); err != nil {
		return cfg, fmt.Errorf("config: users: %s", minyi.ErrorMessage(err))
	}
	if cfg.RepeatWindow < 0 {
		return cfg, fmt.Errorf("config: repeat_window must not be negative, not %s", cfg.RepeatWindow)
	}
	if err := cfg.Deadlines.Validate(); err != nil {
		return cfg, fmt.Errorf("config: deadlines: %s", minyi.ErrorMessage(err))
	}
	if err := cfg.Portal.validate(); err != nil {
		return cfg, err
	}
	if err := fillAlerts(&cfg); err != nil {
		return cfg, err
	}
	if !cfg.Demo && len(cfg.Sources) == 0 {
		return cfg, fmt.Errorf("config: no sources and demo is off: nothing to crawl")
	}
	return cfg, nil
}

// demoUsers gives the demo a token per role and per department, printed at
// start, so a newcomer can try every view. Never used with a config file.
func demoUsers(depts []minyi.Department) []core.TokenUser {
	users := []core.TokenUser{
		{Name: "demo analyst", Token: demoToken("analyst"), Role: core.RoleAnalyst},
		{Name: "demo supervisor", Token: demoToken("supervisor"), Role: core.RoleSupervisor},
		{Name: "demo admin", Token: demoToken("admin"), Role: core.RoleAdmin},
		// The city's mailbox bridge or hotline system: it may deliver
		// letters for these channels and do nothing else.
		{Name: "demo intake", Token: demoToken("intake"), Role: core.RoleIntake, Sources: demoIntakeSources},
	}
	for _, d := range depts {
		users = append(users, core.TokenUser{Name: d.Name, Token: demoToken(d.ID), Role: core.RoleDepartment, Department: d.ID})
	}
	return users
}

func demoToken(who string) string { return "minyi-demo-token-" + who }

// demoIntakeSources are the channels the demo's intake token delivers for:
// the default channel of POST /api/messages and a 12345 hotline.
var demoIntakeSources = []string{rest.DefaultIntakeSource, "hotline"}

// fillAlerts applies the default alert rule, checks the subscriptions and
// gives each subscription that opens cases a routing rule: the alert's
// message names its subscription, and the rule sends it to the
// subscription's department ahead of every configured rule. Routing through
// a rule (rather than setting the department on the case) keeps one path
// for every case and puts the reason in the case's routing record.
func fillAlerts(cfg *Config) error {
	r, def := &cfg.Alerts.AlertRule, minyi.DefaultAlertRule
	if r.Window == 0 {
		r.Window = def.Window
	}
	if r.BaselineWindows == 0 {
		r.BaselineWindows = def.BaselineWindows
	}
	if r.Factor == 0 {
		r.Factor = def.Factor
	}
	if r.MinCount == 0 {
		r.MinCount = def.MinCount
	}
	if err := r.Validate(); err != nil {
		return fmt.Errorf("config: alerts: %s", minyi.ErrorMessage(err))
	}
	if cfg.Demo && len(cfg.Alerts.Subscriptions) == 0 {
		cfg.Alerts.Subscriptions = demoSubscriptions(cfg.Routing.Departments)
	}
	depts := map[string]bool{}
	top := 0
	for _, d := range cfg.Routing.Departments {
		depts[d.ID] = true
	}
	for _, rule := range cfg.Routing.Rules {
		top = max(top, rule.Priority)
	}
	seen := map[string]bool{}
	for i, sub := range cfg.Alerts.Subscriptions {
		where := fmt.Sprintf("config: alerts: subscriptions[%d]", i)
		switch {
		case strings.TrimSpace(sub.Name) == "":
			return fmt.Errorf("%s has no name", where)
		case seen[sub.Name]:
			return fmt.Errorf("%s: two subscriptions are named %q", where, sub.Name)
		case sub.Department != "" && !depts[sub.Department]:
			return fmt.Errorf("%s (%s): department %q is not in routing.departments", where, sub.Name, sub.Department)
		case sub.OpenCase && sub.Department == "":
			return fmt.Errorf("%s (%s): open_case needs a department", where, sub.Name)
		}
		if _, err := minyi.ParseQuery(sub.Keyword); err != nil {
			return fmt.Errorf("%s (%s): keyword: %s", where, sub.Name, minyi.ErrorMessage(err))
		}
		seen[sub.Name] = true
		if sub.OpenCase {
			rule := minyi.RoutingRule{
				Name: "alert-" + sub.Name, Priority: top + 1, Department: sub.Department,
				Sources: []string{activities.AlertSource}, Keywords: []string{activities.SubscriptionMarker(sub.Name)},
			}
			cfg.Routing.Rules = append(cfg.Routing.Rules, rule)
			cfg.alertRules = append(cfg.alertRules, rule)
		}
	}
	return nil
}

// demoSubscriptions watch two issues the demo site keeps producing, when
// the demo departments are configured.
func demoSubscriptions(depts []minyi.Department) []activities.Subscription {
	has := map[string]bool{}
	for _, d := range depts {
		has[d.ID] = true
	}
	var subs []activities.Subscription
	if has["ecology"] {
		subs = append(subs, activities.Subscription{Name: "noise", Keyword: "噪音", Department: "ecology", OpenCase: true})
	}
	if has["housing"] {
		subs = append(subs, activities.Subscription{Name: "elevators", Keyword: "电梯", Department: "housing"})
	}
	return subs
}
