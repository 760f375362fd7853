package main

import (
	"testing"
)

// Any config file text is either a config that starts or an error that says
// what is wrong with it; never a panic.
func FuzzParseConfig(f *testing.F) {
	f.Add([]byte("sources:\n  - {name: city-forum, kind: discuz, start_urls: [\"https://bbs.example.gov.cn/forum.php\"]}\n"))
	f.Add([]byte("demo: true\nlisten: 127.0.0.1:8080\ntemporal: {port: 7233}\n"))
	f.Add([]byte("routing:\n  departments: [{id: a, name: 甲}]\n  fallback: b\nsources: []\n"))
	f.Add([]byte("deadlines: {days: {咨询: -1}}\n"))
	f.Add([]byte("sources: {name: x}\n"))
	f.Add([]byte("unknown_key: 1\n"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		cfg, err := parseConfig(raw, "fuzz.yaml")
		if err != nil {
			return
		}
		cfg.DataDir = t.TempDir()
		filled, err := fillDefaults(cfg)
		if err != nil {
			return
		}
		if !filled.Demo && len(filled.Sources) == 0 {
			t.Fatal("a config with no sources and no demo was accepted")
		}
		if filled.Routing.Fallback == "" {
			t.Fatal("an accepted config has no fallback department")
		}
	})
}

// A first install's config lists only its sources, as the README says, and
// starts: every message goes to the government office until the admin sets
// departments and rules.
func TestConfigWithOnlySources(t *testing.T) {
	cfg, err := parseConfig([]byte("sources:\n  - {name: city-forum, kind: discuz, start_urls: [\"https://bbs.example.gov.cn/forum.php\"]}\n"), "city.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cfg.DataDir = t.TempDir()
	filled, err := fillDefaults(cfg)
	if err != nil {
		t.Fatalf("a config with only sources is refused: %v", err)
	}
	if filled.Demo || len(filled.Sources) != 1 || filled.Routing.Fallback != firstDepartment ||
		len(filled.Routing.Departments) != 1 || filled.Routing.Departments[0].Name != "市政府办公室" {
		t.Fatalf("filled config: demo %v, %d sources, routing %+v", filled.Demo, len(filled.Sources), filled.Routing)
	}
	if _, err := parseConfig([]byte("sourcez: []\n"), "city.yaml"); err == nil {
		t.Fatal("a misspelt key was accepted")
	}
}
