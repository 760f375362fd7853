package event

import (
	"slices"
	"strings"
	"testing"
)

func TestDictionary(t *testing.T) {
	d, err := ParseDictionary(strings.NewReader("# 管理员维护\nsite 伊景园滨河苑 滨河苑，伊景园\n地点 杨美公园 杨梅公园 # 常见错字\ncrowd 铁路职工\n\n"))
	if err != nil {
		t.Fatal(err)
	}
	if d.Len() != 6 {
		t.Errorf("Len = %d, want 6", d.Len())
	}
	x := NewExtractor(d)
	n := x.Names("坚决反对a3区杨梅公园建变电站，铁路职工")
	if !slices.Equal(n.Sites, []string{"杨美公园"}) || !slices.Contains(n.Crowds, "铁路职工") {
		t.Errorf("Names = %+v, want the alias under its name and the crowd", n)
	}
	if f := x.Features("滨河苑捆绑销售车位", ""); !slices.Equal(f.Sites, []string{"伊景园滨河苑"}) {
		t.Errorf("Sites = %q, want the dictionary's name", f.Sites)
	}
	for _, bad := range []string{"site", "place 伊景园", "site 伊", "site " + strings.Repeat("长", MaxNameRunes+1), "site 伊景<b>园"} {
		if _, err := ParseDictionary(strings.NewReader(bad)); err == nil {
			t.Errorf("ParseDictionary(%q) accepted", bad)
		}
	}
}

// FuzzDictionary: any input is a dictionary or an error, never a panic,
// and every name it accepts is then found in a text that holds it.
func FuzzDictionary(f *testing.F) {
	f.Add("site 伊景园滨河苑 滨河苑\ncrowd 铁路职工\n")
	f.Add("区域 暮云街道 # 注释\n")
	f.Fuzz(func(t *testing.T, in string) {
		d, err := ParseDictionary(strings.NewReader(in))
		if err != nil {
			return
		}
		x := NewExtractor(d)
		for surface, e := range d.entries {
			n := x.Names("，" + surface + "。")
			var got []string
			switch e.kind {
			case Site:
				got = n.Sites
			case Region:
				got = n.Regions
			case Crowd:
				got = n.Crowds
			}
			if !slices.Contains(got, e.name) {
				t.Errorf("dictionary name %q (%v) not found in a text holding %q: %+v", e.name, e.kind, surface, n)
			}
		}
	})
}

// FuzzFeatures: extraction never panics and its output is well formed.
func FuzzFeatures(f *testing.F) {
	f.Add("投诉a2区丽发新城附近建搅拌站噪音扰民", "丽发新城小区附近建了搅拌站。")
	f.Add("", "\xff\xfe路路路")
	x := NewExtractor(nil)
	f.Fuzz(func(t *testing.T, title, body string) {
		ft := x.Features(title, body)
		if !slices.IsSortedFunc(ft.Terms, func(a, b Term) int { return cmpUint64(a.Hash, b.Hash) }) {
			t.Errorf("terms not sorted by hash")
		}
		for _, s := range append(ft.Sites, ft.BodySites...) {
			if s == "" {
				t.Errorf("empty site in %+v", ft)
			}
		}
	})
}
