package demosite

import (
	"math/rand/v2"
	"slices"
	"strconv"
)

// A demo city's petitions come in events: the same problem at the same
// place, written about again and again in different words (the night
// construction by one road, the property manager of one estate). Each topic
// has a few incidents, each with its own place names, and every thread and
// letter is about one of them; Thread.Event and Letter.Event tell which, so
// that event clustering can be measured on the demo.

// incidentsPerTopic is how many events each topic with places runs at once.
const incidentsPerTopic = 2

// placeSlots are, per topic, its distinguishing place slot: the place
// that tells its incidents apart. An incident also fixes every other place
// slot (placeKinds): letters about one problem name the same surroundings,
// and incidents of a topic share none of them.
var placeSlots = map[string]string{
	"property": "{community}", "demolition": "{road}", "noise": "{road}", "road": "{road}",
	"parking": "{community}", "school": "{school}", "hospital": "{hospital}", "pollution": "{factory}",
	"wages": "{employer}", "heating": "{community}", "bus": "{bus}",
}

// placeKinds are the slots that name places, in a fixed order.
var placeKinds = []string{"{community}", "{district}", "{road}", "{road2}", "{school}", "{hospital}", "{pm}", "{factory}", "{employer}", "{bus}"}

// slotValues are the values each place slot draws from (content.go).
var slotValues = map[string][]string{
	"{community}": communities, "{district}": districts, "{pm}": managers, "{road}": roads,
	"{school}": schools, "{hospital}": hospitals, "{factory}": factories, "{employer}": employers,
	"{bus}": busLines, "{road2}": roads,
}

type incident struct {
	event string   // topic key and number: noise-1
	pairs []string // slot, value, ... as strings.NewReplacer takes them
}

// newIncidents draws every topic's incidents from their own random source,
// so that the content stream of a seed is otherwise unchanged. A topic
// without places (a question about social insurance, a thank-you) is one
// event.
func newIncidents(seed int64) map[*topic][]incident {
	rng := rand.New(rand.NewPCG(uint64(seed), 0x6576656e7473)) // "events"
	out := map[*topic][]incident{}
	for _, tp := range topics {
		if placeSlots[tp.key] == "" {
			out[tp] = []incident{{event: tp.key + "-1"}}
			continue
		}
		// Each slot's values are drawn without replacement, so incidents
		// of a topic share no place.
		perm := map[string][]int{}
		for _, slot := range placeKinds {
			perm[slot] = rng.Perm(len(slotValues[slot]))
		}
		for i := range incidentsPerTopic {
			inc := incident{event: tp.key + "-" + strconv.Itoa(i+1)}
			for _, slot := range placeKinds {
				inc.pairs = append(inc.pairs, slot, slotValues[slot][perm[slot][i]])
			}
			// road2 is another road than road, as slots() makes it.
			if inc.pairs[5] == inc.pairs[7] {
				inc.pairs[7] = slotValues["{road2}"][perm["{road2}"][incidentsPerTopic]]
			}
			out[tp] = append(out[tp], inc)
		}
	}
	return out
}

// incidentPairs overrides pairs (slot, value, ...) with the incident's
// places; later pairs of a strings.Replacer lose to earlier ones, so the
// incident's go first.
func incidentPairs(inc incident, pairs []string) []string {
	return slices.Concat(inc.pairs, pairs)
}
