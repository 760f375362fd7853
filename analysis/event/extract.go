package event

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxNameRunes is how far a name reaches left of its suffix: estate and
// company names are two to six characters (中国铁建国际城).
const maxNameRunes = 6

// titleWeight is how much a title's term counts against the body's: the
// title states the problem, the body adds circumstance.
const titleWeight = 3

// Extractor finds names and problem terms in normalized text (see
// pipeline.Normalize). It is safe for concurrent use once built.
type Extractor struct {
	dict      *Dictionary
	bySuffix  map[rune][]suffix // first rune → suffixes, longest first
	stopWords map[rune][]string // last rune → stop words ending with it
	stops     map[rune]bool
}

// NewExtractor returns an extractor that knows dict's names besides its
// rules; dict may be nil.
func NewExtractor(dict *Dictionary) *Extractor {
	x := &Extractor{dict: dict, bySuffix: map[rune][]suffix{}, stopWords: map[rune][]string{}, stops: map[rune]bool{}}
	for _, s := range suffixes {
		r, _ := utf8.DecodeRuneInString(s.word)
		x.bySuffix[r] = append(x.bySuffix[r], s)
	}
	for _, l := range x.bySuffix {
		slices.SortStableFunc(l, func(a, b suffix) int { return len(b.word) - len(a.word) })
	}
	for _, w := range stopWords {
		r, _ := utf8.DecodeLastRuneInString(w)
		x.stopWords[r] = append(x.stopWords[r], w)
	}
	for _, r := range stopRunes {
		x.stops[r] = true
	}
	return x
}

// span is a name found at runes [from, to) of a text.
type span struct {
	from, to int
	kind     Kind
	name     string
	proper   int // end of the proper name: the suffix (幼儿园, 路) follows
}

// names finds the names of rs left to right: a dictionary name where one
// starts, else a suffix with the name before it, which reaches left no
// further than the previous name's end, a stop rune or word, or
// maxNameRunes.
func (x *Extractor) names(rs []rune) []span {
	var out []span
	boundary := 0
	for p := 0; p < len(rs); {
		if e, n, ok := x.dict.longest(rs, p); ok {
			out = append(out, span{p, p + n, e.kind, e.name, p + n})
			p += n
			boundary = p
			continue
		}
		matched := false
		for _, s := range x.bySuffix[rs[p]] {
			n := utf8.RuneCountInString(s.word)
			if p+n > len(rs) || string(rs[p:p+n]) != s.word || startsNotSuffix(rs[p:]) {
				continue
			}
			if line, ok := busLine(rs, p, boundary, s.word); ok {
				// A bus route is named by its number alone (坐101路,
				// 优化101路 are the route 101路).
				out = append(out, span{p - line, p + n, Site, string(rs[p-line : p+n]), p})
				p += n
				boundary, matched = p, true
				break
			}
			from := x.nameStart(rs, p, boundary, s.kind)
			if p-from < s.minName {
				continue
			}
			name := string(rs[from : p+n])
			if notNames[name] || kindsOfSite[name] || (s.kind == Site && endsWithCommonNoun(name, s.word)) || (s.kind == Site && s.word != "号线" && onlyDigits(rs[from:p])) ||
				(s.kind == Region && endsWithAny(name, regionCommonNouns)) {
				continue
			}
			proper := p
			if isRoad(s.word) {
				// A facility called after its road is a site of its own.
				if f, ok := startsWithAny(rs[p+n:], roadFacilities); ok {
					name, proper, n = name+f, p+n, n+utf8.RuneCountInString(f)
				}
			}
			if s.kind == Site {
				name = canonical(name)
			}
			name = numeralsToDigits(name)
			out = append(out, span{from, p + n, s.kind, name, proper})
			p += n
			boundary, matched = p, true
			break
		}
		if !matched {
			p++
		}
	}
	return out
}

func isRoad(suffix string) bool {
	return suffix == "路" || suffix == "大道" || suffix == "街" || suffix == "巷"
}

// busLine tells a bus route (101路, k2路) from a road by the number right
// before its 路, and returns the number's length.
func busLine(rs []rune, p, boundary int, suffix string) (int, bool) {
	if suffix != "路" {
		return 0, false
	}
	from := p
	for from > boundary && from > p-maxNameRunes && rs[from-1] < utf8.RuneSelf && (unicode.IsDigit(rs[from-1]) || unicode.IsLetter(rs[from-1])) {
		from--
	}
	return p - from, from < p && unicode.IsDigit(rs[p-1])
}

func endsWithAny(name string, words []string) bool {
	return slices.ContainsFunc(words, func(w string) bool { return strings.HasSuffix(name, w) })
}

func startsWithAny(rs []rune, words []string) (string, bool) {
	for _, w := range words {
		n := utf8.RuneCountInString(w)
		if n <= len(rs) && string(rs[:n]) == w {
			return w, true
		}
	}
	return "", false
}

// maxRegionRunes bounds a region's name: 暮云街道, a2区, 星沙镇.
const maxRegionRunes = 4

func (x *Extractor) nameStart(rs []rune, p, boundary int, kind Kind) int {
	limit := maxNameRunes
	if kind == Region {
		limit = maxRegionRunes
	}
	from := p
	for from > boundary && p-from < limit {
		r := rs[from-1]
		if !isNameRune(r) || x.stops[r] {
			break
		}
		if x.endsWithStopWord(rs[boundary:from]) || x.endsWithGenericSite(rs[boundary:from]) {
			break
		}
		from--
	}
	return from
}

func (x *Extractor) endsWithStopWord(rs []rune) bool {
	if len(rs) == 0 {
		return false
	}
	for _, w := range x.stopWords[rs[len(rs)-1]] {
		n := utf8.RuneCountInString(w)
		if n <= len(rs) && string(rs[len(rs)-n:]) == w {
			return true
		}
	}
	return false
}

func startsNotSuffix(rs []rune) bool {
	for _, w := range notSuffixes {
		n := utf8.RuneCountInString(w)
		if n <= len(rs) && string(rs[:n]) == w {
			return true
		}
	}
	return false
}

// endsWithCommonNoun tells whether name ends with a common noun longer
// than its suffix: 管一管道路 and 建搅拌站 end with 道路 and 搅拌站, while
// 丽发新城 ends with just its suffix 新城.
func endsWithCommonNoun(name, suffix string) bool {
	for w := range notNames {
		if len(w) > len(suffix) && strings.HasSuffix(name, w) {
			return true
		}
	}
	return strings.HasSuffix(name, "政府")
}

// endsWithGenericSite tells whether rs ends with a site word of two or
// more characters: a name never holds another's ending, so 小区幼儿园 is
// no name and 丽发新城小区 stays two.
func (x *Extractor) endsWithGenericSite(rs []rune) bool {
	for _, s := range genericSiteWords {
		n := utf8.RuneCountInString(s)
		if n <= len(rs) && string(rs[len(rs)-n:]) == s {
			return true
		}
	}
	return false
}

var genericSiteWords = []string{"小区", "社区", "公司", "集团", "学校", "医院", "市场"}

func onlyDigits(rs []rune) bool {
	for _, r := range rs {
		if !unicode.IsDigit(r) && !('a' <= r && r <= 'z') {
			return false
		}
	}
	return true
}

// numeralsToDigits writes Chinese numerals before 号线 as digits, so
// 地铁三号线 and 地铁3号线 are one line.
func numeralsToDigits(name string) string {
	if !strings.HasSuffix(name, "号线") {
		return name
	}
	return strings.NewReplacer("一", "1", "二", "2", "三", "3", "四", "4", "五", "5", "六", "6", "七", "7", "八", "8", "九", "9").Replace(name)
}

// Names returns the sites, regions and crowds named in text.
func (x *Extractor) Names(text string) Names {
	rs := []rune(text)
	var n Names
	for _, s := range x.names(rs) {
		switch s.kind {
		case Site:
			n.Sites = append(n.Sites, s.name)
		case Region:
			n.Regions = append(n.Regions, s.name)
		case Crowd:
			n.Crowds = append(n.Crowds, s.name)
		}
	}
	for _, c := range crowds {
		if strings.Contains(text, c) {
			n.Crowds = append(n.Crowds, c)
		}
	}
	n.Sites, n.Regions, n.Crowds = sortedUnique(n.Sites), sortedUnique(n.Regions), sortedUnique(n.Crowds)
	return n
}

// Term is a problem term of a document: a character bigram (or a run of
// letters and digits) hashed, with its weighted count.
type Term struct {
	Hash   uint64  `json:"h"`
	Weight float32 `json:"w"`
}

// Features are what the clusterer needs of a document.
type Features struct {
	// Sites are the sites its title names: the place the petition is
	// about. BodySites are the others its body names, many in passing
	// (the bus goes on to 丽发新城), which is weaker evidence.
	Sites     []string `json:"sites,omitempty"`
	BodySites []string `json:"body_sites,omitempty"`
	Regions   []string `json:"regions,omitempty"`
	// TitleRegions are the regions its title names: a petition in one
	// district is not about the same place as one in another.
	TitleRegions []string `json:"title_regions,omitempty"`
	Crowds       []string `json:"crowds,omitempty"`
	// Terms are the text's bigrams outside names, sorted by hash: what
	// the problem is, whatever the place.
	Terms []Term `json:"terms"`
}

// TermHash is the hash of a term string as Features holds it: FNV-1a with
// a final mix, fixed across processes, so that a rebuild or another
// machine reproduces the same term statistics and so the same events.
func TermHash(term string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(term); i++ {
		h ^= uint64(term[i])
		h *= 1099511628211
	}
	h ^= h >> 30
	h *= 0xbf58476d1ce4e5b9
	h ^= h >> 27
	h *= 0x94d049bb133111eb
	return h ^ h>>31
}

// Features extracts the names and terms of a document's normalized title
// and body.
func (x *Extractor) Features(title, body string) Features {
	tr, br := []rune(title), []rune(body)
	ts, bs := x.names(tr), x.names(br)
	var f Features
	for _, s := range ts {
		if s.kind == Site {
			f.Sites = append(f.Sites, s.name)
		}
	}
	for _, s := range ts {
		if s.kind == Region {
			f.TitleRegions = append(f.TitleRegions, s.name)
		}
	}
	f.TitleRegions = sortedUnique(f.TitleRegions)
	for _, s := range bs {
		if s.kind == Site && !slices.Contains(f.Sites, s.name) {
			f.BodySites = append(f.BodySites, s.name)
		}
	}
	names := x.Names(title + "\n" + body)
	f.Sites, f.BodySites, f.Regions, f.Crowds = sortedUnique(f.Sites), sortedUnique(f.BodySites), names.Regions, names.Crowds

	tf := map[uint64]float32{}
	addTerms(tf, tr, ts, titleWeight)
	addTerms(tf, br, bs, 1)
	f.Terms = make([]Term, 0, len(tf))
	for h, w := range tf {
		f.Terms = append(f.Terms, Term{h, w})
	}
	slices.SortFunc(f.Terms, func(a, b Term) int { return cmpUint64(a.Hash, b.Hash) })
	return f
}

// addTerms counts the bigrams of rs outside proper names, and each run
// of letters and digits of two or more as one term (110kv, 58). A name's
// suffix stays a term: in 杨美公园 the 公园 is what the problem is about.
func addTerms(tf map[uint64]float32, rs []rune, names []span, weight float32) {
	inName := make([]bool, len(rs))
	for _, s := range names {
		for i := s.from; i < s.proper; i++ {
			inName[i] = true
		}
	}
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case unicode.Is(unicode.Han, r):
			if i+1 < len(rs) && unicode.Is(unicode.Han, rs[i+1]) && !inName[i] && !inName[i+1] {
				tf[TermHash(string(rs[i:i+2]))] += weight
			}
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			j := i
			for j < len(rs) && !unicode.Is(unicode.Han, rs[j]) && (unicode.IsLetter(rs[j]) || unicode.IsDigit(rs[j])) {
				j++
			}
			if j-i >= 2 && !inName[i] {
				tf[TermHash(string(rs[i:j]))] += weight
			}
			i = j - 1
		}
	}
}

func cmpUint64(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
