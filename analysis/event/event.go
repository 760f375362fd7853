package event

import (
	"cmp"
	"slices"
	"strings"
	"time"
)

// Count is a name with the number of an event's documents that gave it.
type Count struct {
	Name  string `json:"name"`
	Count int    `json:"count"`
}

// Event is the public view of an active event.
type Event struct {
	ID      string    `json:"id"` // id of its first document; stable
	First   time.Time `json:"first"`
	Last    time.Time `json:"last"`
	Count   int       `json:"count"`   // documents
	Sites   []Count   `json:"sites"`   // most given first
	Regions []Count   `json:"regions"` // most given first
	Crowds  []Count   `json:"crowds"`  // most given first
	Sources []Count   `json:"sources"` // documents per source, most first
}

// maxNames bounds each name list an event keeps; a long tail of names
// given once is noise that costs memory at a million documents.
const maxNames = 12

// event is the clusterer's state of one event.
type event struct {
	seq          int64 // order of creation: the older event survives a merge
	id           string
	first, last  time.Time
	count        int
	centroid     []Term // sum of its documents' vectors, sorted by hash
	norm         float64
	sites        []Count // from its documents' titles
	bodySites    []Count // named only in bodies
	regions      []Count
	titleRegions []Count
	crowds       []Count
	sources      []Count
	indexed      []uint64 // terms it is listed under in the index
}

func (e *event) public() Event {
	return Event{ID: e.id, First: e.first, Last: e.last, Count: e.count,
		Sites: ranked(e.sites), Regions: ranked(e.regions), Crowds: ranked(e.crowds), Sources: ranked(e.sources)}
}

func ranked(cs []Count) []Count {
	out := slices.Clone(cs)
	slices.SortStableFunc(out, func(a, b Count) int {
		if c := cmp.Compare(b.Count, a.Count); c != 0 {
			return c
		}
		return cmp.Compare(a.Name, b.Name)
	})
	return out
}

// addNames adds n to each of names in cs, keeping at most maxNames: when
// full, a new name replaces the least given one if that was given once.
func addNames(cs []Count, names []string, n int) []Count {
	for _, name := range names {
		if i := slices.IndexFunc(cs, func(c Count) bool { return c.Name == name }); i >= 0 {
			cs[i].Count += n
			continue
		}
		if len(cs) < maxNames {
			cs = append(cs, Count{name, n})
			continue
		}
		low := 0
		for i, c := range cs {
			if c.Count < cs[low].Count {
				low = i
			}
		}
		if cs[low].Count <= 1 {
			cs[low] = Count{name, n}
		}
	}
	return cs
}

func mergeNames(into, from []Count) []Count {
	for _, c := range from {
		into = addNames(into, []string{c.Name}, c.Count)
	}
	return into
}

// hasSite tells whether any of sites is one of the event's.
func (e *event) hasSite(sites []string) bool { return anySame(sites, e.sites) }

func anySame(sites []string, cs []Count) bool {
	for _, s := range sites {
		for _, c := range cs {
			if SameSite(s, c.Name) {
				return true
			}
		}
	}
	return false
}

func (e *event) siteNames() []string {
	out := make([]string, len(e.sites))
	for i, c := range e.sites {
		out[i] = c.Name
	}
	return out
}

// regionLevel tells a district (区, 县) from a town or street (镇, 乡,
// 街道); city and province are too coarse to tell events apart (0).
func regionLevel(r string) int {
	switch {
	case strings.HasSuffix(r, "街道"), strings.HasSuffix(r, "镇"), strings.HasSuffix(r, "乡"):
		return 2
	case strings.HasSuffix(r, "区"), strings.HasSuffix(r, "县"):
		return 1
	}
	return 0
}

// regionsConflict tells whether a document's title regions and an event's
// name different areas of one level and none in common at that level.
func regionsConflict(regions []string, cs []Count) bool {
	for level := 1; level <= 2; level++ {
		var mine, theirs []string
		for _, r := range regions {
			if regionLevel(r) == level {
				mine = append(mine, r)
			}
		}
		for _, c := range cs {
			if regionLevel(c.Name) == level {
				theirs = append(theirs, c.Name)
			}
		}
		if len(mine) > 0 && len(theirs) > 0 && !slices.ContainsFunc(mine, func(r string) bool { return slices.Contains(theirs, r) }) {
			return true
		}
	}
	return false
}
