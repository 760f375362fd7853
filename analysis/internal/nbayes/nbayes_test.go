package nbayes

import (
	"bytes"
	"math"
	"strings"
	"testing"

	"minyi"
)

func train() *Model {
	m := New([]string{"交通", "教育"}, 0.5)
	for _, s := range []string{"公交车晚点", "地铁站拥挤", "公交线路调整", "红绿灯故障"} {
		f := Features{}
		f.Add(strings.Fields, s, 1)
		m.Add(0, f)
	}
	for _, s := range []string{"学校收费", "学生补课", "教师工资", "幼儿园学位"} {
		f := Features{}
		f.Add(strings.Fields, s, 1)
		m.Add(1, f)
	}
	return m
}

func TestPosteriorAndRoundTrip(t *testing.T) {
	m := train()
	f := Features{}
	f.Add(nil, "学校门口公交车太多", 1)
	p := m.Posterior(f)
	if math.Abs(p[0]+p[1]-1) > 1e-9 {
		t.Fatalf("posterior does not sum to 1: %v", p)
	}
	g := Features{}
	g.Add(nil, "学生补课收费", 1)
	if c, _ := Best(m.Posterior(g)); c != 1 {
		t.Errorf("学生补课收费 → %s, want 教育", m.Classes[c])
	}
	var buf bytes.Buffer
	if err := m.Save(&buf); err != nil {
		t.Fatal(err)
	}
	m2, err := Load(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if q := m2.Posterior(g); math.Abs(q[1]-m.Posterior(g)[1]) > 1e-12 {
		t.Errorf("loaded model disagrees: %v vs %v", q, m.Posterior(g))
	}
}

func TestFeatures(t *testing.T) {
	f := Features{}
	f.Add(strings.Fields, "路灯 坏了!", 2)
	f.Add(strings.Fields, "路灯", 1)
	for _, k := range []string{"w:路灯", "w:坏了!", "b:路灯", "b:坏了"} {
		if f[k] != 2 {
			t.Errorf("feature %q = %v, want 2 (%v)", k, f[k], f)
		}
	}
	if _, ok := f["b:灯坏"]; ok {
		t.Errorf("bigram crosses a space: %v", f)
	}
	if _, ok := f["w:!"]; ok {
		t.Errorf("punctuation-only word kept")
	}
}

func TestLoadRejectsBadFiles(t *testing.T) {
	for _, in := range []string{
		"not json",
		`{"version":9,"classes":["a","b"],"alpha":1,"docs":[1,1],"mass":[1,1]}`,
		`{"version":1,"classes":["a","b"],"alpha":1,"docs":[1],"mass":[1,1]}`,
		`{"version":1,"classes":["a","b"],"alpha":1,"docs":[1,1],"mass":[1,1],"counts":{"w:x":[1]}}`,
		`{"version":1,"classes":["a","b"],"alpha":0,"docs":[1,1],"mass":[1,1]}`,
	} {
		if _, err := Load(strings.NewReader(in)); minyi.ErrorCode(err) != minyi.EINVALID {
			t.Errorf("Load(%q) error = %v, want code invalid", in, err)
		}
	}
}
