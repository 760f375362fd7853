package main

import (
	"fmt"
	"math/rand/v2"
	"os"

	"minyi"
	"minyi/analysis/event"
)

// repeatLink is one letter marked 重复件 and the earlier letter it repeats.
type repeatLink struct{ letter, earlier govMessage }

// evalRepeats imports the government messages as a city's history would
// come in, each a letter with its case, and marks a letter 重复件 the way
// ingest does: its event, as known when it arrives, holds a case received
// within the repeat window before it. History cases are all answered, so
// "open or closed within the window" reads as "received within it" here.
// Precision is measured on the links whose two letters are both labelled
// by hand; MINYI_EVAL_REPEAT_SAMPLE prints 30 links, drawn with a fixed
// seed, to be checked by reading.
func evalRepeats(msgs []govMessage, feats []event.Features, labels map[string]string) {
	c := event.New(event.DefaultOptions())
	alias := map[string]string{}
	resolve := func(id string) string {
		for {
			next, ok := alias[id]
			if !ok {
				return id
			}
			id = next
		}
	}
	byEvent := map[string][]govMessage{}
	var links []repeatLink
	for i, m := range msgs {
		a := c.Assign(event.Doc{ID: m.id, Source: "问政西地省", Published: m.published, Features: feats[i]})
		for _, ab := range a.Absorbed {
			alias[ab] = a.Event
			byEvent[a.Event] = append(byEvent[a.Event], byEvent[ab]...)
			delete(byEvent, ab)
		}
		ev := resolve(a.Event)
		var newest *govMessage
		for k := range byEvent[ev] {
			e := &byEvent[ev][k]
			if m.published.Sub(e.published) <= minyi.DefaultRepeatWindow && (newest == nil || e.published.After(newest.published)) {
				newest = e
			}
		}
		if newest != nil {
			links = append(links, repeatLink{m, *newest})
		}
		byEvent[ev] = append(byEvent[ev], m)
	}
	var judged, right int
	for _, l := range links {
		a, okA := labels[l.letter.id]
		b, okB := labels[l.earlier.id]
		if okA && okB {
			judged++
			if a == b {
				right++
			}
		}
	}
	fmt.Printf("repeat complaints (重复件, window %d days): %d of %d letters linked to an earlier case (%.1f %%); precision on the %d links between labelled letters %.3f\n",
		int(minyi.DefaultRepeatWindow.Hours()/24), len(links), len(msgs), 100*float64(len(links))/float64(len(msgs)), judged, ratio(right, judged))
	if os.Getenv("MINYI_EVAL_REPEAT_SAMPLE") == "" {
		return
	}
	rng := rand.New(rand.NewPCG(21, 3))
	for i, k := range rng.Perm(len(links))[:min(30, len(links))] {
		l := links[k]
		fmt.Printf("  %2d. %s %s\n      repeats %s %s\n", i+1, l.letter.id, clip(l.letter.rawTitle, 60), l.earlier.id, clip(l.earlier.rawTitle, 60))
	}
}
