package main

import (
	"cmp"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"minyi"
	"minyi/analysis/event"
)

// govMessage is one row of gov-messages-unlabelled.csv, normalized.
type govMessage struct {
	id, title, body string
	published       time.Time
	likes, dislikes int
	rawTitle        string
}

// evalEvents clusters the 4,306 unlabelled government messages in order of
// publication and scores the clustering with B-cubed precision and recall
// on the messages labelled by hand (testdata/gov-events-labels.csv), then
// ranks the whole period's events by heat.
func evalEvents(dir string) error {
	msgs, err := loadGovMessages(filepath.Join(dir, "gov-messages-unlabelled.csv"))
	if err != nil {
		return err
	}
	labels, err := loadEventLabels(filepath.Join(repoDir(), "cmd", "eval", "testdata", "gov-events-labels.csv"))
	if err != nil {
		return err
	}
	fmt.Printf("\n== events: %d messages clustered in order of publication, %d labelled by hand into %d events\n",
		len(msgs), len(labels), countDistinct(labels))
	x := event.NewExtractor(nil)
	start := time.Now()
	feats := make([]event.Features, len(msgs))
	for i, m := range msgs {
		feats[i] = x.Features(m.title, m.body)
	}
	extract := time.Since(start)
	opts := event.DefaultOptions()
	start = time.Now()
	got := clusterGov(msgs, feats, opts)
	fmt.Printf("extraction %s, clustering %s (%.1f µs/message); %d events\n", extract.Round(time.Millisecond),
		time.Since(start).Round(time.Millisecond), float64(time.Since(start).Microseconds())/float64(len(msgs)), countDistinct(got))
	p, r := bcubed(got, labels)
	fmt.Printf("B-cubed on the labelled messages: precision %.3f, recall %.3f, F1 %.3f (target ≥ 0.85 each)\n", p, r, f1(p, r))
	if os.Getenv("MINYI_EVAL_SWEEP") != "" {
		sweepEvents(msgs, feats, labels)
	}
	if os.Getenv("MINYI_EVAL_SPLITS") != "" {
		printSplits(msgs, got, labels)
	}
	printHotEvents(msgs, got, x)
	evalRepeats(msgs, feats, labels)
	evalDemoEvents()
	return nil
}

// clusterGov returns each message's final event, following merges.
func clusterGov(msgs []govMessage, feats []event.Features, opts event.Options) map[string]string {
	c := event.New(opts)
	of := map[string]string{}
	alias := map[string]string{}
	for i, m := range msgs {
		a := c.Assign(event.Doc{ID: m.id, Source: "问政西地省", Published: m.published, Features: feats[i]})
		for _, ab := range a.Absorbed {
			alias[ab] = a.Event
		}
		of[m.id] = a.Event
	}
	resolve := func(id string) string {
		for {
			next, ok := alias[id]
			if !ok {
				return id
			}
			id = next
		}
	}
	for id, e := range of {
		of[id] = resolve(e)
	}
	return of
}

// bcubed scores a clustering against gold labels over the labelled ids:
// precision is, per message, the share of its cluster's labelled messages
// that share its gold event; recall the share of its gold event's messages
// that share its cluster; both averaged over messages (Bagga & Baldwin).
func bcubed(got, gold map[string]string) (precision, recall float64) {
	byGot, byGold := map[string][]string{}, map[string][]string{}
	for id, g := range gold {
		byGot[got[id]] = append(byGot[got[id]], id)
		byGold[g] = append(byGold[g], id)
	}
	for id, g := range gold {
		cluster, truth := byGot[got[id]], byGold[g]
		same := 0
		for _, o := range cluster {
			if gold[o] == g {
				same++
			}
		}
		precision += float64(same) / float64(len(cluster))
		recall += float64(same) / float64(len(truth))
	}
	n := float64(len(gold))
	return precision / n, recall / n
}

func f1(p, r float64) float64 {
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

func countDistinct(m map[string]string) int {
	seen := map[string]bool{}
	for _, v := range m {
		seen[v] = true
	}
	return len(seen)
}

// sweepEvents prints B-cubed for a grid of thresholds, half-lives and
// horizons (MINYI_EVAL_SWEEP=1).
func sweepEvents(msgs []govMessage, feats []event.Features, labels map[string]string) {
	for _, hl := range []int{15, 30, 60, 120} {
		for _, hz := range []int{30, 60, 120, 240} {
			o := event.DefaultOptions()
			o.HalfLife, o.Horizon = time.Duration(hl)*24*time.Hour, time.Duration(hz)*24*time.Hour
			p, r := bcubed(clusterGov(msgs, feats, o), labels)
			fmt.Printf("  half-life %3dd horizon %3dd: P %.3f R %.3f F1 %.3f\n", hl, hz, p, r, f1(p, r))
		}
	}
	for _, th := range []float64{0.15, 0.2, 0.3} {
		for _, st := range []float64{0.04, 0.06, 0.08, 0.1, 0.14} {
			for _, mt := range []float64{0.1, 0.2} {
				o := event.DefaultOptions()
				if dt := os.Getenv("DT"); dt != "" {
					o.DocTerms, _ = strconv.Atoi(dt)
				}
				o.Threshold, o.SiteThreshold, o.MergeThreshold = th, st, mt
				p, r := bcubed(clusterGov(msgs, feats, o), labels)
				fmt.Printf("  threshold %.2f site %.2f merge %.2f: P %.3f R %.3f F1 %.3f\n", th, st, mt, p, r, f1(p, r))
			}
		}
	}
}

func printHotEvents(msgs []govMessage, of map[string]string, x *event.Extractor) {
	members := map[string][]govMessage{}
	for _, m := range msgs {
		members[of[m.id]] = append(members[of[m.id]], m)
	}
	first, last := msgs[0].published, msgs[len(msgs)-1].published
	type hot struct {
		id   string
		heat float64
	}
	var hots []hot
	for id, ms := range members {
		var s event.Period
		for _, m := range ms {
			s.Count++
			s.Likes += m.likes
			s.Dislikes += m.dislikes
		}
		s.Sources = 1
		hots = append(hots, hot{id, event.Heat(s)})
	}
	slices.SortFunc(hots, func(a, b hot) int {
		if c := cmp.Compare(b.heat, a.heat); c != 0 {
			return c
		}
		return cmp.Compare(a.id, b.id)
	})
	fmt.Printf("top 10 events of %s – %s by heat:\n", first.Format(time.DateOnly), last.Format(time.DateOnly))
	for i, h := range hots[:min(10, len(hots))] {
		ms := members[h.id]
		titles := make([]string, len(ms))
		var likes int
		for j, m := range ms {
			titles[j] = m.title
			likes += m.likes
		}
		sum := event.Summarize(titles, x, nil)
		fmt.Printf("  %2d. heat %6.1f  %3d messages, %4d likes, %s – %s  %s\n", i+1, h.heat, len(ms), likes,
			ms[0].published.Format(time.DateOnly), ms[len(ms)-1].published.Format(time.DateOnly), sum.Title)
	}
}

func loadGovMessages(path string) ([]govMessage, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	header, err := r.Read()
	if err != nil {
		return nil, err
	}
	want := []string{"id", "title", "time", "body", "dislikes", "likes"}
	if !slices.Equal(header, want) {
		return nil, fmt.Errorf("%s: header %q, want %q", path, header, want)
	}
	var out []govMessage
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		t, err := parseGovTime(rec[2])
		if err != nil {
			return nil, fmt.Errorf("%s: message %s: %w", path, rec[0], err)
		}
		dis, _ := strconv.Atoi(rec[4])
		likes, _ := strconv.Atoi(rec[5])
		out = append(out, govMessage{id: rec[0], rawTitle: rec[1], title: normalize(rec[1]), body: normalize(rec[3]),
			published: t, likes: likes, dislikes: dis})
	}
	slices.SortStableFunc(out, func(a, b govMessage) int {
		if c := a.published.Compare(b.published); c != 0 {
			return c
		}
		return cmp.Compare(a.id, b.id)
	})
	return out, nil
}

// parseGovTime reads both forms the file uses: 2019/4/25 9:32:09 and
// 2019-08-01 00:00:00.
func parseGovTime(s string) (time.Time, error) {
	for _, layout := range []string{"2006/1/2 15:04:05", "2006-01-02 15:04:05", "2006/1/2 15:04"} {
		if t, err := time.ParseInLocation(layout, strings.TrimSpace(s), minyi.ChinaTime); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("unparsable time %q", s)
}

func loadEventLabels(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(recs) == 0 || !slices.Equal(recs[0], []string{"id", "event"}) {
		return nil, fmt.Errorf("%s: want a header id,event", path)
	}
	out := map[string]string{}
	for _, rec := range recs[1:] {
		out[rec[0]] = rec[1]
	}
	return out, nil
}

// repoDir is the repository root (the eval runs from it with make eval).
func repoDir() string {
	root, err := repoRoot()
	if err != nil {
		fail(err)
	}
	return root
}

// printSplits lists labelled events the clustering split or joined with
// another (MINYI_EVAL_SPLITS=1), for reading the errors.
func printSplits(msgs []govMessage, got, gold map[string]string) {
	title := map[string]string{}
	for _, m := range msgs {
		title[m.id] = m.rawTitle
	}
	byGold := map[string][]string{}
	for _, m := range msgs {
		if g, ok := gold[m.id]; ok {
			byGold[g] = append(byGold[g], m.id)
		}
	}
	for g, ids := range byGold {
		clusters := map[string]bool{}
		for _, id := range ids {
			clusters[got[id]] = true
		}
		if len(clusters) > 1 {
			fmt.Printf("split gold %s into %d:\n", g, len(clusters))
			for _, id := range ids {
				fmt.Printf("   %s → %s  %s\n", id, got[id], title[id])
			}
		}
	}
	byGot := map[string][]string{}
	for id := range gold {
		byGot[got[id]] = append(byGot[got[id]], id)
	}
	for c, ids := range byGot {
		golds := map[string]bool{}
		for _, id := range ids {
			golds[gold[id]] = true
		}
		if len(golds) > 1 {
			fmt.Printf("joined in %s:\n", c)
			for _, id := range ids {
				fmt.Printf("   %s gold %s  %s\n", id, gold[id], title[id])
			}
		}
	}
}
