package storetest

import (
	"context"
	"encoding/json"
	"reflect"
	"sync"
	"testing"
	"time"

	"minyi"
)

// RunSettingsTests is the suite of minyi.SettingsStore; a backend's test is
// one line:
//
//	func TestSettings(t *testing.T) { storetest.RunSettingsTests(t, openTestSettings) }
//
// Beyond the interface's doc comments it pins down: times come back in UTC,
// truncated to whole seconds; a value comes back as the same JSON (not
// necessarily the same bytes: PostgreSQL normalizes JSONB); keys are
// independent of each other.
func RunSettingsTests(t *testing.T, open func(t *testing.T) minyi.SettingsStore) {
	t.Run("Versions", func(t *testing.T) { testSettingVersions(t, open(t)) })
	t.Run("Invalid", func(t *testing.T) { testSettingInvalid(t, open(t)) })
	t.Run("ConcurrentSaves", func(t *testing.T) { testSettingConcurrent(t, open(t)) })
}

func sameJSON(t *testing.T, got []byte, want string) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("stored value %q is not JSON: %v", got, err)
	}
	json.Unmarshal([]byte(want), &w)
	if !reflect.DeepEqual(g, w) {
		t.Errorf("value %s, want %s", got, want)
	}
}

func testSettingVersions(t *testing.T, s minyi.SettingsStore) {
	ctx := context.Background()
	_, err := s.Setting(ctx, "routing")
	wantCode(t, err, minyi.ENOTFOUND)
	if h, err := s.SettingHistory(ctx, "routing", 10); err != nil || len(h) != 0 {
		t.Fatalf("history of a new key: %v %v", h, err)
	}
	at := time.Date(2026, 3, 1, 9, 30, 15, 700_000_000, minyi.ChinaTime)
	v1, err := s.PutSetting(ctx, "routing", 0, []byte(`{"fallback": "city-office", "rules": []}`), "config", at)
	if err != nil {
		t.Fatal(err)
	}
	if v1.Version != 1 || v1.Key != "routing" || v1.Author != "config" || !v1.At.Equal(at.Truncate(time.Second)) {
		t.Errorf("first save %+v", v1)
	}
	// A save from a stale base, or from one that does not exist yet, changes nothing.
	_, err = s.PutSetting(ctx, "routing", 0, []byte(`{"fallback": "x"}`), "admin", at)
	wantCode(t, err, minyi.ECONFLICT)
	_, err = s.PutSetting(ctx, "routing", 2, []byte(`{"fallback": "x"}`), "admin", at)
	wantCode(t, err, minyi.ECONFLICT)
	v2, err := s.PutSetting(ctx, "routing", 1, []byte(`{"fallback": "mailbox-office", "rules": [{"name": "a"}]}`), "admin", at.Add(time.Hour))
	if err != nil || v2.Version != 2 {
		t.Fatalf("second save %+v %v", v2, err)
	}
	// Another key has its own versions.
	if d, err := s.PutSetting(ctx, "deadlines", 0, []byte(`{"days": {"咨询": 3}}`), "admin", at); err != nil || d.Version != 1 {
		t.Fatalf("other key %+v %v", d, err)
	}

	cur, err := s.Setting(ctx, "routing")
	if err != nil {
		t.Fatal(err)
	}
	if cur.Version != 2 || cur.Author != "admin" || cur.At.Location() != time.UTC || !cur.At.Equal(at.Add(time.Hour).Truncate(time.Second)) {
		t.Errorf("in force %+v", cur)
	}
	sameJSON(t, cur.Value, `{"fallback": "mailbox-office", "rules": [{"name": "a"}]}`)
	h, err := s.SettingHistory(ctx, "routing", 10)
	if err != nil || len(h) != 2 || h[0].Version != 2 || h[1].Version != 1 || h[1].Author != "config" {
		t.Fatalf("history %+v %v", h, err)
	}
	sameJSON(t, h[1].Value, `{"fallback": "city-office", "rules": []}`)
	if h, err := s.SettingHistory(ctx, "routing", 1); err != nil || len(h) != 1 || h[0].Version != 2 {
		t.Errorf("history limit 1: %+v %v", h, err)
	}
	d, err := s.Setting(ctx, "deadlines")
	if err != nil {
		t.Fatal(err)
	}
	sameJSON(t, d.Value, `{"days": {"咨询": 3}}`)
}

func testSettingInvalid(t *testing.T, s minyi.SettingsStore) {
	ctx := context.Background()
	now := time.Now()
	_, err := s.PutSetting(ctx, "routing", 0, []byte(`{"fallback": `), "admin", now)
	wantCode(t, err, minyi.EINVALID)
	_, err = s.PutSetting(ctx, " ", 0, []byte(`{}`), "admin", now)
	wantCode(t, err, minyi.EINVALID)
	_, err = s.PutSetting(ctx, "routing", -1, []byte(`{}`), "admin", now)
	wantCode(t, err, minyi.EINVALID)
	_, err = s.SettingHistory(ctx, "routing", 0)
	wantCode(t, err, minyi.EINVALID)
	_, err = s.Setting(ctx, "routing")
	wantCode(t, err, minyi.ENOTFOUND) // nothing invalid was saved
}

// testSettingConcurrent: of several saves from the same base, one wins and
// the others get ECONFLICT.
func testSettingConcurrent(t *testing.T, s minyi.SettingsStore) {
	ctx := context.Background()
	if _, err := s.PutSetting(ctx, "routing", 0, []byte(`{}`), "config", time.Now()); err != nil {
		t.Fatal(err)
	}
	const n = 6
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = s.PutSetting(ctx, "routing", 1, []byte(`{"by": `+string(rune('0'+i))+`}`), "admin", time.Now())
		}()
	}
	wg.Wait()
	won := 0
	for _, err := range errs {
		switch minyi.ErrorCode(err) {
		case "":
			won++
		case minyi.ECONFLICT:
		default:
			t.Errorf("concurrent save: %v", err)
		}
	}
	if won != 1 {
		t.Errorf("%d of %d saves from the same base won, want 1", won, n)
	}
	if cur, err := s.Setting(ctx, "routing"); err != nil || cur.Version != 2 {
		t.Errorf("in force %+v %v", cur, err)
	}
}
