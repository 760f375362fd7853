package event

import (
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"time"
)

// synthetic is a stream of documents about generated events, a stand-in
// for a city's years of petitions at a size no sample reaches: event sizes
// follow a power law (most petitions stand alone, a few events draw
// hundreds), an event's documents spread over weeks, each document words
// its problem with a random subset of the problem's terms among common
// words of a Zipf-distributed vocabulary, and names its site in the title,
// only in the body, or not at all.
type synthetic struct {
	start  time.Time
	docs   []synthDoc // in order of publication
	events []synthEvent
	zipf   *rand.Zipf
	rng    *rand.Rand
}

type synthDoc struct {
	at    int64 // seconds after start
	event int32
}

type synthEvent struct {
	problem, site int32
}

const (
	synthProblems      = 3000
	synthProblemTerms  = 40
	synthSites         = 200000
	synthVocabulary    = 200000
	synthSpan          = 3 * 365 * 24 * time.Hour
	synthMeanEventDays = 20
)

func newSynthetic(docs int, seed uint64) *synthetic {
	rng := rand.New(rand.NewPCG(seed, 1))
	s := &synthetic{start: time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC), rng: rng,
		zipf: rand.NewZipf(rng, 1.1, 2, synthVocabulary-1)}
	for len(s.docs) < docs {
		// P(size ≥ k) ~ k^-1.2: half the events are one letter.
		size := min(int(math.Pow(1-rng.Float64(), -1/1.2)), 500, docs-len(s.docs))
		ev := int32(len(s.events))
		s.events = append(s.events, synthEvent{problem: int32(rng.IntN(synthProblems)), site: int32(rng.IntN(synthSites))})
		begin := rng.Int64N(int64(synthSpan / time.Second))
		for range size {
			gap := int64(rng.ExpFloat64() * synthMeanEventDays * 86400)
			s.docs = append(s.docs, synthDoc{at: begin + gap, event: ev})
		}
	}
	slices.SortStableFunc(s.docs, func(a, b synthDoc) int { return int(a.at - b.at) })
	return s
}

// doc returns the i-th document of the stream.
func (s *synthetic) doc(i int) Doc {
	d := s.docs[i]
	ev := s.events[d.event]
	tf := map[uint64]float32{}
	for range 12 { // the problem, in some of its words
		k := s.rng.IntN(synthProblemTerms)
		tf[TermHash("p"+strconv.Itoa(int(ev.problem))+"."+strconv.Itoa(k))] += 1 + 2*float32(s.rng.IntN(2))
	}
	for range 60 { // everything else a letter says
		tf[TermHash("w"+strconv.FormatUint(s.zipf.Uint64(), 10))]++
	}
	f := Features{Terms: make([]Term, 0, len(tf))}
	for h, w := range tf {
		f.Terms = append(f.Terms, Term{h, w})
	}
	slices.SortFunc(f.Terms, func(a, b Term) int { return cmpUint64(a.Hash, b.Hash) })
	site := synthSite(int(ev.site))
	switch r := s.rng.IntN(10); {
	case r < 8:
		f.Sites = []string{site}
	case r < 9:
		f.BodySites = []string{site}
	}
	return Doc{ID: "d" + strconv.Itoa(i), Source: "s" + strconv.Itoa(s.rng.IntN(3)),
		Published: s.start.Add(time.Duration(d.at) * time.Second), Features: f}
}

// synthSite names site n like a real one: two or three common characters
// and a suffix (锦绣花园, 建设北路), so that names share endings as real
// ones do.
func synthSite(n int) string {
	chars := []rune(synthNameChars)
	suffixes := []string{"花园", "新城", "小区", "路", "村", "中学", "家园", "苑"}
	name := []rune{chars[n%len(chars)], chars[n/len(chars)%len(chars)]}
	if n/(len(chars)*len(chars))%2 == 1 {
		name = append(name, chars[n/(len(chars)*len(chars)*2)%len(chars)])
	}
	return string(name) + suffixes[n%len(suffixes)]
}

const synthNameChars = "锦绣阳光翠湖幸福金港滨江书香和谐纺织铁路人民解放建设学府长青望江平文化工业东西南北中华兴盛泰安康宁丰源鑫达宏鼎恒万家城乡新旧星月桂枫松柏梅兰竹菊龙凤麒麟天地山水河湖海岛洲桥塔楼台亭阁园林田野春夏秋冬红黄蓝绿白紫金银铜玉珠宝"
