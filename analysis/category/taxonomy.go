package category

import (
	"encoding/csv"
	"errors"
	"io"
	"slices"
	"strings"

	"minyi"
)

// Node is one leaf of the official three-level category tree.
type Node struct {
	Level1 string `json:"level1"`
	Level2 string `json:"level2"`
	Level3 string `json:"level3"`
}

// Taxonomy is the official category tree (level1, level2, level3).
type Taxonomy struct {
	Nodes []Node `json:"nodes"`
}

// LoadTaxonomy reads a CSV with header level1,level2,level3. Any bad row
// fails the load: a routing taxonomy with holes is worse than none.
func LoadTaxonomy(r io.Reader) (*Taxonomy, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = 3
	header, err := cr.Read()
	if err != nil {
		return nil, minyi.Errorf(minyi.EINVALID, "taxonomy CSV: %v", err)
	}
	want := []string{"level1", "level2", "level3"}
	for i := range header {
		header[i] = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(header[i], "\ufeff")))
	}
	if !slices.Equal(header, want) {
		return nil, minyi.Errorf(minyi.EINVALID, "taxonomy CSV header is %q, want %q", header, want)
	}
	t := &Taxonomy{}
	seen := map[Node]bool{}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			return nil, minyi.Errorf(minyi.EINVALID, "taxonomy CSV: %v", err)
		}
		n := Node{strings.TrimSpace(rec[0]), strings.TrimSpace(rec[1]), strings.TrimSpace(rec[2])}
		if n.Level1 == "" || n.Level2 == "" {
			return nil, minyi.Errorf(minyi.EINVALID, "taxonomy CSV line %d: level1 and level2 must not be empty", line)
		}
		if !seen[n] {
			seen[n] = true
			t.Nodes = append(t.Nodes, n)
		}
	}
	if len(t.Nodes) == 0 {
		return nil, minyi.Errorf(minyi.EINVALID, "taxonomy CSV has no categories")
	}
	return t, nil
}

// Level1 returns the first-level categories in file order.
func (t *Taxonomy) Level1() []string {
	var out []string
	for _, n := range t.Nodes {
		if !slices.Contains(out, n.Level1) {
			out = append(out, n.Level1)
		}
	}
	return out
}

// HasLevel1 reports whether name is a first-level category.
func (t *Taxonomy) HasLevel1(name string) bool {
	return slices.ContainsFunc(t.Nodes, func(n Node) bool { return n.Level1 == name })
}
