package routing_test

import (
	"testing"

	"minyi"
	"minyi/demosite"
	"minyi/routing"
)

func TestDemoConfigIsValid(t *testing.T) {
	r := newRouter(t, routing.DemoConfig())
	if d, ok := r.Directory().Department(routing.DemoCityOffice); !ok || d.Name != "市政府办公室" {
		t.Errorf("fallback department = %+v", d)
	}
	if got := r.Directory().DetectRegion("我家在新港区滨江路"); got != "新港区" {
		t.Errorf("DetectRegion = %q, want 新港区", got)
	}
}

// Every answered demo letter must route to the department the demo site
// shows as its 回复单位: the demo then looks like a city whose routing works.
// Seed 1 is what `minyi serve` shows; more seeds and letters cover every
// template combination the generator has.
func TestDemoLettersRouteToTheirReplyUnit(t *testing.T) {
	r := newRouter(t, routing.DemoConfig())
	sites := []*demosite.Site{demosite.New(demosite.Options{Seed: 1})}
	for seed := int64(2); seed <= 6; seed++ {
		sites = append(sites, demosite.New(demosite.Options{Seed: seed, Letters: 200}))
	}
	answered, matched := 0, 0
	for i, site := range sites {
		for _, l := range site.Letters() {
			typ, ok := routing.ParseType(l.Type)
			if !ok {
				t.Errorf("letter %s: type %q does not parse", l.No, l.Type)
			}
			got, ok := r.Route(routing.Input{Title: l.Title, Body: l.Body, Kind: minyi.KindMessage, Type: typ, Source: "demo-mailbox"})
			if !ok {
				t.Errorf("letter %s %q: not routed", l.No, l.Title)
				continue
			}
			if l.ReplyUnit == "" {
				continue
			}
			answered++
			unit, ok := r.Directory().ByName(l.ReplyUnit)
			if !ok {
				t.Errorf("reply unit %q is no demo department", l.ReplyUnit)
			}
			if got.Department == unit.ID {
				matched++
			} else {
				d, _ := r.Directory().Department(got.Department)
				t.Errorf("site %d letter %s %q → %s (%s), but %s replied", i, l.No, l.Title, d.Name, got.Reason, l.ReplyUnit)
			}
		}
	}
	if answered < 100 {
		t.Fatalf("only %d answered letters; the test needs the demo to answer most of them", answered)
	}
	t.Logf("%d of %d answered demo letters routed to their reply unit", matched, answered)
}

// Forum posts open a case only for the two topics marked Posts.
func TestDemoThreads(t *testing.T) {
	r := newRouter(t, routing.DemoConfig())
	cases := 0
	threads := demosite.New(demosite.Options{Seed: 1}).Threads()
	for _, th := range threads {
		got, ok := r.Route(routing.Input{Title: th.Title, Body: th.Body, Kind: minyi.KindPost})
		if !ok {
			continue
		}
		cases++
		if got.Rule != "pollution" && got.Rule != "wages" {
			t.Errorf("thread %d %q opened a case by rule %q", th.TID, th.Title, got.Rule)
		}
	}
	if cases == 0 || cases == len(threads) {
		t.Errorf("%d of %d threads opened a case; want some but not all", cases, len(threads))
	}
}
