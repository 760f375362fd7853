package web

import (
	"io/fs"
	"regexp"
	"testing"

	"minyi/api/labels"
)

// Every key a template or the navigation names is in the label table, in
// both languages, so no page shows a raw key.
func TestLabelsComplete(t *testing.T) {
	keys := map[string]string{}
	for _, n := range nav {
		keys[n.label] = "nav"
	}
	uses := regexp.MustCompile(`\{\{-?\s*(?:t|tf)\s+"([^"]+)"`)
	err := fs.WalkDir(templateFS, "templates", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(templateFS, path)
		if err != nil {
			return err
		}
		for _, m := range uses.FindAllStringSubmatch(string(b), -1) {
			keys[m[1]] = path
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) < 10 {
		t.Fatalf("found only %d label uses; is the pattern right?", len(keys))
	}
	for k, where := range keys {
		if _, ok := labels.Lookup(k); !ok {
			t.Errorf("%s uses label %q, which is not in the table", where, k)
			continue
		}
		if !labels.Complete(k) {
			t.Errorf("label %q lacks its Chinese or English text", k)
		}
	}
	if _, err := loadPages(); err != nil {
		t.Fatalf("templates do not parse: %v", err)
	}
}
