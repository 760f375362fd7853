package demosite

import (
	"context"
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"minyi"
)

func TestDeterministicForSeedAndStart(t *testing.T) {
	a, srvA := newTestSite(t, Options{Seed: 42})
	b, srvB := newTestSite(t, Options{Seed: 42})
	if !reflect.DeepEqual(a.Threads(), b.Threads()) || !reflect.DeepEqual(a.Letters(), b.Letters()) {
		t.Fatal("same seed and start gave different content")
	}
	th := a.Threads()[5]
	for _, path := range []string{"/forum.php?mod=forumdisplay&fid=2", fmt.Sprintf("/forum.php?mod=viewthread&tid=%d", th.TID), "/mailbox/list?page=2"} {
		pa, pb := fetch(t, srvA, path), fetch(t, srvB, path)
		if string(pa.raw) != string(pb.raw) {
			t.Errorf("%s differs between two sites of one seed", path)
		}
	}
	a.Grow(2, 2)
	b.Grow(2, 2)
	if !reflect.DeepEqual(a.Threads(), b.Threads()) || !reflect.DeepEqual(a.Letters(), b.Letters()) {
		t.Error("same seed grew differently")
	}
	c, _ := newTestSite(t, Options{Seed: 43})
	if reflect.DeepEqual(a.Threads()[:10], c.Threads()[:10]) {
		t.Error("different seeds gave the same threads")
	}
}

func TestDefaultsAndTimes(t *testing.T) {
	now := time.Date(2024, 5, 1, 10, 30, 15, 0, time.UTC)
	s := New(Options{Seed: 7, Now: func() time.Time { return now }})
	threads, letters := s.Threads(), s.Letters()
	if len(threads) != 60 || len(letters) != 40 {
		t.Fatalf("%d threads, %d letters, want the defaults 60 and 40", len(threads), len(letters))
	}
	start := now.Add(-span).In(minyi.ChinaTime)
	if !threads[0].Published.Equal(start.Truncate(time.Minute)) || !letters[0].Published.Equal(start) {
		t.Errorf("oldest thread %v, letter %v, want the start %v", threads[0].Published, letters[0].Published, start)
	}
	check := func(what string, at time.Time, unit time.Duration) {
		if at.Location() != minyi.ChinaTime || !at.Equal(at.Truncate(unit)) || at.Before(start.Truncate(time.Minute)) || at.After(now) {
			t.Errorf("%s time %v: want China time, whole %v, between start and now", what, at, unit)
		}
	}
	for _, th := range threads {
		check("thread", th.Published, time.Minute)
		prev := th.Published
		for _, r := range th.Replies {
			check("reply", r.Published, time.Minute)
			if r.Published.Before(prev) {
				t.Errorf("tid %d: reply at %v before the post above it", th.TID, r.Published)
			}
			prev = r.Published
		}
	}
	for _, l := range letters {
		check("letter", l.Published, time.Second)
		if !l.ReplyTime.IsZero() {
			check("letter reply", l.ReplyTime, time.Second)
		}
	}
	if empty := New(Options{Threads: -1, Letters: -1, Now: func() time.Time { return now }}); len(empty.Threads())+len(empty.Letters()) != 0 {
		t.Error("negative counts should give an empty site")
	}
}

func TestGrowAddsThreadsOnPageOneAndRepliesChangeETags(t *testing.T) {
	s, srv := newTestSite(t, Options{Seed: 8})
	before := s.Threads()
	etags := map[int]string{}
	for _, th := range before {
		etags[th.TID] = fetch(t, srv, fmt.Sprintf("/forum.php?mod=viewthread&tid=%d", th.TID)).header.Get("ETag")
	}
	s.Grow(3, 0)
	after := s.Threads()
	if len(after) != len(before)+3 {
		t.Fatalf("%d threads after Grow(3, 0), want %d", len(after), len(before)+3)
	}
	maxOld := before[len(before)-1].TID
	for _, th := range after[len(before):] {
		if th.TID <= maxOld || !th.Published.Equal(testNow) {
			t.Errorf("new thread tid %d at %v, want a tid above %d published now", th.TID, th.Published, maxOld)
		}
		fid := boardFid(th.Board)
		p := fetch(t, srv, fmt.Sprintf("/forum.php?mod=forumdisplay&fid=%d&page=1", fid))
		first := reNormal.FindStringSubmatch(p.text)
		// The newest of the new threads in this board heads its page 1.
		newest := 0
		for _, x := range after {
			if x.Board == th.Board {
				newest = x.TID
			}
		}
		if first == nil || first[1] != strconv.Itoa(newest) {
			t.Errorf("board %s page 1 starts with %v, want tid %d", th.Board, first, newest)
		}
	}
	bumped := 0
	for i, th := range before {
		if len(after[i].Replies) == len(th.Replies) {
			continue
		}
		bumped++
		p := fetch(t, srv, fmt.Sprintf("/forum.php?mod=viewthread&tid=%d", th.TID), "If-None-Match", etags[th.TID])
		if p.status != http.StatusOK || p.header.Get("ETag") == etags[th.TID] {
			t.Errorf("tid %d got a reply but its page kept ETag %s (status %d)", th.TID, etags[th.TID], p.status)
		}
	}
	if bumped == 0 {
		t.Error("Grow added no reply to an existing thread")
	}
}

func boardFid(name string) int {
	i := slices.IndexFunc(boards, func(b board) bool { return b.name == name })
	return boards[i].fid
}

func TestGrowAddsAndAnswersLetters(t *testing.T) {
	s, _ := newTestSite(t, Options{Seed: 9})
	before := s.Letters()
	s.Grow(0, 6)
	after := s.Letters()
	if len(after) != len(before)+6 {
		t.Fatalf("%d letters after Grow(0, 6), want %d", len(after), len(before)+6)
	}
	for _, l := range after[len(before):] {
		if l.Status != "已受理" || !l.ReplyTime.IsZero() || l.No <= before[len(before)-1].No {
			t.Errorf("new letter %+v: want a higher number, accepted and unanswered", l)
		}
	}
	answered := 0
	for i, l := range before {
		if l.ReplyTime.IsZero() && !after[i].ReplyTime.IsZero() {
			answered++
			if a := after[i]; a.Status != "已回复" || a.ReplyUnit == "" || a.ReplyText == "" || !a.ReplyTime.Equal(testNow) {
				t.Errorf("letter %s answered as %+v", a.No, a)
			}
		}
	}
	if answered == 0 {
		t.Error("Grow answered no pending letter")
	}
}

func TestRunGrowsUntilCancelled(t *testing.T) {
	s, _ := newTestSite(t, Options{Seed: 10, Threads: 5, Letters: 5})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { s.Run(ctx, 2*time.Millisecond); close(done) }()
	deadline := time.Now().Add(5 * time.Second)
	for s.threadCount() < 7 || s.letterCount() < 7 {
		if time.Now().After(deadline) {
			t.Fatal("Run did not grow the site")
		}
		time.Sleep(time.Millisecond)
	}
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not stop when its context was cancelled")
	}
}

// Run with -race: requests and growth share the site.
func TestConcurrentRequestsAndGrowth(t *testing.T) {
	s, srv := newTestSite(t, Options{Seed: 11, Threads: 20, Letters: 20})
	tids := s.Threads()
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range 15 {
				th := tids[(g*15+i)%len(tids)]
				fetch(t, srv, fmt.Sprintf("/forum.php?mod=viewthread&tid=%d", th.TID))
				fetch(t, srv, "/forum.php?mod=forumdisplay&fid=2")
				fetch(t, srv, "/mailbox/list?page=1")
			}
		})
	}
	wg.Go(func() {
		for range 20 {
			s.Grow(1, 1)
			_ = s.Threads()
			_ = s.Letters()
		}
	})
	wg.Wait()
	if n := len(s.Threads()); n != 40 {
		t.Errorf("%d threads, want 40", n)
	}
}

func TestThreadsReturnsACopy(t *testing.T) {
	s, _ := newTestSite(t, Options{Seed: 12})
	th := s.Threads()
	for i := range th {
		if len(th[i].Replies) > 0 {
			th[i].Replies[0].Body = "changed"
			if s.Threads()[i].Replies[0].Body == "changed" {
				t.Fatal("Threads shares reply slices with the site")
			}
			return
		}
	}
}

func TestSources(t *testing.T) {
	f, m := ForumSource("http://127.0.0.1:8080/"), MailboxSource("http://127.0.0.1:8080")
	for _, src := range []minyi.Source{f, m} {
		if err := src.Validate(); err != nil {
			t.Errorf("%s: %v", src.Name, err)
		}
	}
	if f.Name != "demo-forum" || f.Kind != minyi.SourceDiscuz || f.StartURLs[0] != "http://127.0.0.1:8080/forum.php" ||
		f.Interval != time.Minute || f.RateLimit != 50 || f.Parallelism != 4 {
		t.Errorf("forum source %+v", f)
	}
	if m.Name != "demo-mailbox" || m.Kind != minyi.SourceMailbox || m.StartURLs[0] != "http://127.0.0.1:8080/mailbox/list?page=1" ||
		m.Selectors.DetailLink != "ul.letter-list li a.letter-link" || m.Selectors.ReplyTime != "span.reply-time" {
		t.Errorf("mailbox source %+v %+v", m, m.Selectors)
	}
}
