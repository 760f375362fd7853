package event

import (
	"reflect"
	"testing"
	"time"
)

var day0 = time.Date(2019, 11, 2, 9, 0, 0, 0, time.UTC)

// letters are petitions as a city receives them: two events at one estate
// (a concrete plant's noise and dust; an unpaved road), the plant's noise
// at another estate, and background letters that give the words their
// document frequencies.
var letters = []struct{ id, title, body string }{
	{"a1", "丽发新城附近修建搅拌站噪音灰尘污染", "丽发新城小区附近建了搅拌站，每天噪音很大，灰尘满天飞，居民无法休息。"},
	{"b1", "丽发新城小区云塘路还没有铺沥青", "丽发新城三期旁的云塘路至今没有铺沥青，下雨一身泥，出行困难。"},
	{"x1", "咨询社保断缴补缴问题", "之前公司交社保，离职后断缴了几个月，请问如何补缴。"},
	{"c1", "怡海星城附近搅拌站噪音扰民", "怡海星城小区旁边的搅拌站晚上也在生产，噪音扰民，灰尘很大。"},
	{"a2", "投诉丽发新城搅拌站噪音扰民", "丽发新城边上的搅拌站机器日夜轰鸣，扬尘严重，小区居民苦不堪言。"},
	{"x2", "建议增加公交班次", "早高峰公交车很挤，等车要半小时，建议增加班次。"},
	{"b2", "丽发新城云塘路坑坑洼洼没有铺好", "丽发新城二期和三期中间的云塘路没有铺沥青，坑坑洼洼，下雨全是泥。"},
	{"x3", "孩子入学划片咨询", "孩子明年上小学，想咨询学区划片和入学材料。"},
	{"a3", "丽发新城小区旁搅拌站粉尘噪音严重", "搅拌站离丽发新城不到百米，粉尘和噪音严重影响居民健康，请求搬迁搅拌站。"},
	{"c2", "怡海星城搅拌站扰民", "怡海星城附近搅拌站噪音和灰尘问题一直没有解决。"},
}

func assignLetters(t *testing.T, c *Clusterer, order []int) map[string]string {
	t.Helper()
	x := NewExtractor(nil)
	of := map[string]string{}
	alias := map[string]string{}
	for k, i := range order {
		l := letters[i]
		a := c.Assign(Doc{ID: l.id, Source: "mailbox", Published: day0.Add(time.Duration(k) * 24 * time.Hour), Features: x.Features(l.title, l.body)})
		for _, ab := range a.Absorbed {
			alias[ab] = a.Event
		}
		of[l.id] = a.Event
	}
	for id, e := range of {
		for alias[e] != "" {
			e = alias[e]
		}
		of[id] = e
	}
	return of
}

func inOrder() []int {
	order := make([]int, len(letters))
	for i := range order {
		order[i] = i
	}
	return order
}

func TestEventsFollowPlaceAndProblem(t *testing.T) {
	of := assignLetters(t, New(Options{}), inOrder())
	same := func(a, b string) bool { return of[a] == of[b] }
	for _, p := range [][2]string{{"a1", "a2"}, {"a1", "a3"}, {"b1", "b2"}, {"c1", "c2"}} {
		if !same(p[0], p[1]) {
			t.Errorf("%s and %s are one event, got %s and %s", p[0], p[1], of[p[0]], of[p[1]])
		}
	}
	// Same place, another problem; same problem, another place.
	for _, p := range [][2]string{{"a1", "b1"}, {"a1", "c1"}, {"a2", "c2"}, {"x1", "x2"}} {
		if same(p[0], p[1]) {
			t.Errorf("%s and %s are different events, both got %s", p[0], p[1], of[p[0]])
		}
	}
	if of["a2"] != "a1" {
		t.Errorf("an event's id is its first document's, got %s", of["a2"])
	}
}

func TestSameOrderSameEvents(t *testing.T) {
	first := assignLetters(t, New(Options{}), inOrder())
	again := assignLetters(t, New(Options{}), inOrder())
	if !reflect.DeepEqual(first, again) {
		t.Errorf("replaying the same documents gave other events:\n%v\n%v", first, again)
	}
}

func TestSiteMustAgree(t *testing.T) {
	c := New(Options{})
	f := Features{Sites: []string{"丽发新城"}, Terms: []Term{{1, 3}, {2, 3}, {3, 1}}}
	g := f
	g.Sites = []string{"怡海星城"}
	a := c.Assign(Doc{ID: "1", Published: day0, Features: f})
	b := c.Assign(Doc{ID: "2", Published: day0, Features: g})
	if b.Event == a.Event {
		t.Errorf("identical words at two named places made one event")
	}
	// An event whose titles name no place but whose bodies name one is
	// not where another title names a place the bodies do not.
	silent := c.Assign(Doc{ID: "4", Published: day0, Features: Features{BodySites: []string{"幸福里"}, Terms: []Term{{4, 3}, {5, 3}}}})
	named := c.Assign(Doc{ID: "5", Published: day0, Features: Features{Sites: []string{"纺织厂"}, Terms: []Term{{4, 3}, {5, 3}}}})
	if named.Event == silent.Event {
		t.Errorf("a title at 纺织厂 joined an event whose bodies are at 幸福里")
	}
	h := f
	h.Sites = nil
	if got := c.Assign(Doc{ID: "3", Published: day0, Features: h}); got.Event != a.Event {
		t.Errorf("identical words with no place named joined %s, want %s", got.Event, a.Event)
	}
}

func TestHorizonClosesEvents(t *testing.T) {
	c := New(Options{Horizon: 30 * 24 * time.Hour})
	f := Features{Sites: []string{"丽发新城"}, Terms: []Term{{1, 3}, {2, 3}}}
	a := c.Assign(Doc{ID: "1", Published: day0, Features: f})
	if got := c.Assign(Doc{ID: "2", Published: day0.Add(20 * 24 * time.Hour), Features: f}); got.Event != a.Event {
		t.Fatalf("within the horizon: joined %s, want %s", got.Event, a.Event)
	}
	later := c.Assign(Doc{ID: "3", Published: day0.Add(60 * 24 * time.Hour), Features: f})
	if later.Event == a.Event || !later.New {
		t.Errorf("40 days after its last document the event is closed, got %+v", later)
	}
	c.Assign(Doc{ID: "4", Published: day0.Add(80 * 24 * time.Hour), Features: Features{Terms: []Term{{9, 1}}}})
	if _, ok := c.Event(a.Event); ok || c.Active() != 2 {
		t.Errorf("closed events leave memory: event %s still there, %d active", a.Event, c.Active())
	}
}

func TestDecayWeakensOldEvents(t *testing.T) {
	c := New(Options{})
	e := &event{first: day0, last: day0.Add(10 * 24 * time.Hour)}
	if d := c.decay(day0.Add(5*24*time.Hour), e); d != 1 {
		t.Errorf("inside the event's span decay is %v, want 1", d)
	}
	if d := c.decay(day0.Add(70*24*time.Hour), e); d < 0.49 || d > 0.51 {
		t.Errorf("one half-life after its last document decay is %v, want 0.5", d)
	}
}

func TestMergeWhenEvidenceBridges(t *testing.T) {
	c := New(Options{})
	terms := func(hs ...uint64) Features {
		f := Features{}
		for _, h := range hs {
			f.Terms = append(f.Terms, Term{h, 1})
		}
		return f
	}
	// Background documents give every term the same document frequency.
	for i := range 40 {
		c.Assign(Doc{ID: "bg" + itoa(int64(i)), Published: day0, Features: terms(uint64(100+i), uint64(200+i))})
	}
	// Alike (one term in six shared) but below the threshold to join.
	a := c.Assign(Doc{ID: "a", Published: day0, Features: terms(1, 2, 3, 4, 5, 6)})
	b := c.Assign(Doc{ID: "b", Published: day0, Features: terms(1, 7, 8, 9, 10, 11)})
	if a.Event == b.Event {
		t.Fatalf("b joined a at once (score %v); the test needs two events", b.Score)
	}
	got := c.Assign(Doc{ID: "bridge", Published: day0, Features: terms(1, 2, 3, 7, 8, 9)})
	if got.Event != "a" || len(got.Absorbed) != 1 || got.Absorbed[0] != "b" {
		t.Errorf("the bridge gave %+v, want event a absorbing b", got)
	}
	if _, ok := c.Event("b"); ok {
		t.Errorf("an absorbed event is gone")
	}
	if e, _ := c.Event("a"); e.Count != 3 {
		t.Errorf("merged event has %d documents, want 3", e.Count)
	}
	// Two unlike events are not chained by one document between them.
	c.Assign(Doc{ID: "p", Published: day0, Features: terms(51, 52, 53, 54)})
	c.Assign(Doc{ID: "q", Published: day0, Features: terms(61, 62, 63, 64)})
	if got := c.Assign(Doc{ID: "pq", Published: day0, Features: terms(51, 52, 53, 61, 62, 63)}); len(got.Absorbed) != 0 {
		t.Errorf("unlike events merged: %+v", got)
	}
}
