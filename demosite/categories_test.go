package demosite

import (
	"slices"
	"testing"
)

// The official taxonomy's first-level names, as in gov-category-taxonomy.csv.
var taxonomyLevel1 = []string{"交通运输", "党务政务", "农村农业", "劳动和社会保障", "卫生计生", "商贸旅游", "国土资源",
	"城乡建设", "政法", "教育文体", "民政", "环境保护", "科技与信息产业", "纪检监察", "经济管理"}

func TestEveryTopicHasAnOfficialCategory(t *testing.T) {
	for _, tp := range topics {
		if !slices.Contains(taxonomyLevel1, tp.category) {
			t.Errorf("topic %s: category %q is not a first-level category of the taxonomy", tp.key, tp.category)
		}
	}
	if got := Categories(); len(got) < 5 {
		t.Errorf("Categories() = %q: too few to route by", got)
	}
}

func TestTrainingHistory(t *testing.T) {
	h := TrainingHistory(500, 2)
	if len(h) != 500 {
		t.Fatalf("%d examples, want 500", len(h))
	}
	per := map[string]int{}
	for _, e := range h {
		if e.Title == "" || e.Body == "" || !slices.Contains(Categories(), e.Category) {
			t.Fatalf("bad example %+v", e)
		}
		per[e.Category]++
	}
	if len(per) != len(Categories()) {
		t.Errorf("history covers %d of %d categories: %v", len(per), len(Categories()), per)
	}
	if again := TrainingHistory(500, 2); !slices.Equal(h, again) {
		t.Errorf("the same seed gave another history")
	}
	// Templates repeat, so a short letter may come out the same by chance,
	// but the site is not the history.
	letters, same := New(Options{Seed: 2}).Letters(), 0
	for _, l := range letters {
		if slices.ContainsFunc(h, func(e Example) bool { return e.Body == l.Body }) {
			same++
		}
	}
	if same > len(letters)/10 {
		t.Errorf("%d of the site's %d letters are in the training history", same, len(letters))
	}
}

func TestEventsAreTopicsAtPlaces(t *testing.T) {
	s := New(Options{Seed: 1, Threads: 200, Letters: 200})
	places := map[string]map[string]bool{} // event → distinguishing place values seen
	for _, l := range s.Letters() {
		if l.Event == "" || l.Category == "" {
			t.Fatalf("letter %s has no event or category", l.No)
		}
		if places[l.Event] == nil {
			places[l.Event] = map[string]bool{}
		}
	}
	for _, th := range s.Threads() {
		if th.RepostOf != 0 {
			orig := slices.IndexFunc(s.Threads(), func(o Thread) bool { return o.TID == th.RepostOf })
			if s.Threads()[orig].Event != th.Event {
				t.Errorf("repost %d is about %s, its original about %s", th.TID, th.Event, s.Threads()[orig].Event)
			}
		}
	}
	// Two incidents of a topic share no place.
	for tp, list := range newIncidents(1) {
		for k := 1; len(list) > 1 && k < len(list[0].pairs); k += 2 {
			if list[0].pairs[k] == list[1].pairs[k] {
				t.Errorf("topic %s: incidents share %s %s", tp.key, list[0].pairs[k-1], list[0].pairs[k])
			}
		}
	}
}
