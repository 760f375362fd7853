package sqlstore

import (
	"testing"
	"time"
)

func TestTimeDestReadsBothEngines(t *testing.T) {
	at := time.Date(2024, 3, 5, 9, 30, 0, 0, time.FixedZone("CST", 8*3600))
	for name, src := range map[string]any{"unix seconds": at.Unix(), "timestamp": at, "NULL": nil} {
		got := time.Now()
		if err := timeOf(&got).Scan(src); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		want := at.UTC()
		if src == nil {
			want = time.Time{}
		}
		if got != want {
			t.Errorf("%s: scanned %v, want %v", name, got, want)
		}
	}
	var got time.Time
	if err := timeOf(&got).Scan("2024-03-05"); err == nil {
		t.Error("a text time was accepted")
	}
}

func TestPlaceholdersPerDialect(t *testing.T) {
	const query = `SELECT id FROM documents WHERE id > ?1 AND id ` + "IN (%s)" + ` LIMIT ?2`
	if got := params(3, 3); got != "?3, ?4, ?5" {
		t.Errorf("params(3, 3) = %q", got)
	}
	for placeholder, want := range map[string]string{
		"?": query,
		"$": `SELECT id FROM documents WHERE id > $1 AND id IN (%s) LIMIT $2`,
	} {
		s := New(Dialect{Placeholder: placeholder}, nil)
		if got := s.sql(query); got != want {
			t.Errorf("%s: sql = %q, want %q", placeholder, got, want)
		}
	}
}

func TestByKeyKeepsRepeatsInInputOrder(t *testing.T) {
	ids := []string{"b", "a", "b", "c", "a"}
	got := byKey(ids, func(s *string) string { return *s })
	want := []int{1, 4, 0, 2, 3}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("byKey(%q) = %v, want %v", ids, got, want)
		}
	}
}
