package simhash

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
	"unicode"

	"minyi"
)

// bigrams is the test tokenizer; production passes the gse segmenter.
func bigrams(s string) []string {
	var out []string
	for _, run := range strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsNumber(r) }) {
		rs := []rune(run)
		for i := 0; i+1 < len(rs); i++ {
			out = append(out, string(rs[i:i+2]))
		}
	}
	return out
}

const original = "A市西湖建筑集团占道施工有安全隐患。A3区大道西行便道，未管所路口至加油站路段，人行道包括路灯杆，" +
	"被圈西湖建筑集团燕子山安置房项目施工围墙内。每天尤其上下班期间这条路上人流车流极多，安全隐患非常大。" +
	"强烈请求文明城市A市，尽快整改这个极不文明的路段。"

const other = "我是一名乡村教师，学校已经三个月没有发放工资，多次向教育局反映都没有答复，生活十分困难，" +
	"家里老人生病也没钱看，恳请领导关注乡村教师的待遇问题，督促有关部门尽快发放拖欠的工资，谢谢。"

func TestFingerprint(t *testing.T) {
	fp := Fingerprint(bigrams(original))
	if fp == 0 || fp != Fingerprint(bigrams(original)) {
		t.Fatalf("fingerprint not deterministic or zero: %x", fp)
	}
	if Fingerprint(nil) != 0 || Fingerprint([]string{"，", " "}) != 0 {
		t.Errorf("words without letters moved the fingerprint")
	}
	if d := Distance(fp, Fingerprint(bigrams("转帖 "+original))); d > DefaultThreshold {
		t.Errorf("repost with a prefix is %d bits away", d)
	}
	// One replaced word changes a few percent of a short message's bigrams:
	// it moves the fingerprint by some bits, far fewer than another text.
	edited := Distance(fp, Fingerprint(bigrams(strings.Replace(original, "极多", "很多", 1))))
	unrelated := Distance(fp, Fingerprint(bigrams(other)))
	if edited > 10 || unrelated < 20 {
		t.Errorf("edited message %d bits away, unrelated %d", edited, unrelated)
	}
	if Distance(0, ^uint64(0)) != 64 || Distance(5, 5) != 0 {
		t.Errorf("Distance is wrong")
	}
}

// TestBandingFindsEveryNearPair checks the pigeonhole claim against a
// brute-force scan on random fingerprints with random few-bit flips.
func TestBandingFindsEveryNearPair(t *testing.T) {
	for _, k := range []int{0, DefaultThreshold, 5, MaxThreshold} {
		t.Run(fmt.Sprint(k), func(t *testing.T) { testBanding(t, k) })
	}
}

func testBanding(t *testing.T, threshold int) {
	rng := rand.New(rand.NewPCG(1, uint64(threshold)))
	d, err := NewDedup(threshold)
	if err != nil {
		t.Fatal(err)
	}
	var fps []uint64
	for i := range 500 {
		fp := rng.Uint64()
		fps = append(fps, fp)
		d.Add(fmt.Sprint(i), fp, time.Time{})
	}
	for range 2000 {
		base := fps[rng.IntN(len(fps))]
		q := base
		for range rng.IntN(threshold + 1) {
			q ^= 1 << rng.IntN(64)
		}
		if _, ok := d.Lookup(q); !ok {
			t.Fatalf("fingerprint %d bits from an indexed one not found", Distance(q, base))
		}
	}
	for range 200 {
		q := rng.Uint64()
		_, ok := d.Lookup(q)
		brute := false
		for _, fp := range fps {
			brute = brute || Distance(q, fp) <= threshold
		}
		if ok != brute {
			t.Fatalf("lookup %v, brute force %v", ok, brute)
		}
	}
}

func TestDedupTopics(t *testing.T) {
	d, err := NewDedup(DefaultThreshold)
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2020, 1, 6, 12, 0, 0, 0, minyi.ChinaTime)
	fp := func(s string) uint64 { return Fingerprint(bigrams(s)) }
	a := d.Add("a", fp(original), t0)
	if a.ID != "a" || a.Count != 1 || !a.FirstSeen.Equal(t0) {
		t.Fatalf("first document: %+v", a)
	}
	b := d.Add("b", fp(other), t0.Add(time.Hour))
	if b.ID != "b" {
		t.Errorf("unrelated document joined topic %+v", b)
	}
	// A repost that is older than the first one we saw moves first-seen back.
	c := d.Add("c", fp("转帖 "+original), t0.Add(-time.Hour))
	if c.ID != "a" || c.Count != 2 || !c.FirstSeen.Equal(t0.Add(-time.Hour)) {
		t.Errorf("repost: %+v", c)
	}
	if again := d.Add("c", fp("转帖 "+original), t0); again != c {
		t.Errorf("redelivery changed the topic: %+v → %+v", c, again)
	}
	if tp, ok := d.TopicOf("a"); !ok || tp.Count != 2 {
		t.Errorf("TopicOf(a) = %+v, %v", tp, ok)
	}
	if d.Len() != 3 {
		t.Errorf("Len = %d, want 3", d.Len())
	}
	for _, bad := range []int{-1, MaxThreshold + 1} {
		if _, err := NewDedup(bad); minyi.ErrorCode(err) != minyi.EINVALID {
			t.Errorf("NewDedup(%d) err = %v", bad, err)
		}
	}
}
