package event

import (
	"cmp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"minyi/analysis"
)

// Summary is how an event is shown: a generated title, where, who and
// what, from the titles of its documents.
type Summary struct {
	Title   string   `json:"title"`
	Sites   []string `json:"sites,omitempty"`
	Regions []string `json:"regions,omitempty"`
	Crowds  []string `json:"crowds,omitempty"`
	Terms   []string `json:"terms,omitempty"` // key phrases of the problem
}

// summaryNames and summaryTerms bound a summary's lists.
const (
	summaryNames = 3
	summaryTerms = 3
	// phraseWords is how many of the segmenter's words a key phrase joins:
	// phrases begin and end at word breaks, so 么时候 and 嫌诈骗巨额资
	// cannot be one.
	phraseWords = 3
)

// petitionWords frame every petition and say nothing of its problem; a
// key phrase neither starts nor ends with one.
var petitionWords = []string{
	"投诉", "反映", "反应", "关于", "建议", "咨询", "举报", "请问", "问题", "希望", "请求", "要求", "恳请", "强烈",
	"何时", "什么", "能否", "是否", "为何", "怎么", "如何", "严重", "相关", "部门", "政府", "领导", "尽快", "解决",
	"附近", "旁边", "周边", "居民", "业主", "市民", "一个", "没有", "不能", "还是", "可以", "我们", "小区", "才能",
}

// Summarize builds the summary of an event from its documents' titles
// (normalized). Key phrases are the runs of whole words that most titles share,
// longer ones preferred, weighted by idf when given (Clusterer.IDF), so
// that 搅拌站 wins over 丽发 and over 影响.
func Summarize(titles []string, x *Extractor, idf func(string) float64) Summary {
	var s Summary
	sites, regions, crowdsSeen := map[string]int{}, map[string]int{}, map[string]int{}
	df := map[string]int{}
	for _, t := range titles {
		rs := []rune(t)
		spans := x.names(rs)
		masked := slices.Clone(rs)
		for _, sp := range spans {
			switch sp.kind {
			case Site:
				sites[sp.name]++
			case Region:
				regions[sp.name]++
			}
			for i := sp.from; i < sp.to; i++ {
				masked[i] = ' '
			}
		}
		// 小区 and its like left after a name are no part of a problem.
		for _, w := range genericSiteWords {
			wr := []rune(w)
			for i := 0; i+len(wr) <= len(masked); i++ {
				if string(masked[i:i+len(wr)]) == w {
					for k := range wr {
						masked[i+k] = ' '
					}
				}
			}
		}
		for _, c := range x.Names(t).Crowds {
			crowdsSeen[c]++
		}
		seen := map[string]bool{}
		for _, run := range strings.FieldsFunc(string(masked), func(r rune) bool { return !unicode.Is(unicode.Han, r) }) {
			ws := analysis.Words(run)
			for i := range ws {
				p := ""
				for _, w := range ws[i:min(i+phraseWords, len(ws))] {
					p += w
					if n := utf8.RuneCountInString(p); n > 6 {
						break
					} else if n >= 2 && !seen[p] && isPhrase(p) {
						seen[p] = true
						df[p]++
					}
				}
			}
		}
	}
	s.Sites, s.Regions, s.Crowds = mostGiven(sites, summaryNames), mostGiven(regions, summaryNames), mostGiven(crowdsSeen, summaryNames)
	type scored struct {
		p     string
		score float64
	}
	var cands []scored
	for p, n := range df {
		w := float64(n) * (1 + 0.3*float64(utf8.RuneCountInString(p)-2))
		if idf != nil {
			w *= meanBigramIDF(p, idf)
		}
		cands = append(cands, scored{p, w})
	}
	slices.SortFunc(cands, func(a, b scored) int {
		if c := cmp.Compare(b.score, a.score); c != 0 {
			return c
		}
		return cmp.Compare(a.p, b.p)
	})
	for _, c := range cands {
		if len(s.Terms) == summaryTerms {
			break
		}
		// Phrases share no character: 车贷 and 贷恶性退出 are one phrase
		// cut twice, not two.
		if slices.ContainsFunc(s.Terms, func(t string) bool { return strings.ContainsAny(t, c.p) }) {
			continue
		}
		s.Terms = append(s.Terms, c.p)
	}
	s.Title = strings.Join(s.Terms, "、")
	if len(s.Sites) > 0 {
		s.Title = s.Sites[0] + "：" + s.Title
	} else if r := mostSpecific(s.Regions); r != "" {
		s.Title = r + "：" + s.Title
	}
	return s
}

func isPhrase(p string) bool {
	for _, w := range petitionWords {
		if strings.HasPrefix(p, w) || strings.HasSuffix(p, w) {
			return false
		}
	}
	return !strings.ContainsAny(p, stopRunes)
}

func meanBigramIDF(p string, idf func(string) float64) float64 {
	rs := []rune(p)
	var sum float64
	for i := 0; i+1 < len(rs); i++ {
		sum += idf(string(rs[i : i+2]))
	}
	return sum / float64(len(rs)-1)
}

func mostGiven(m map[string]int, n int) []string {
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	slices.SortFunc(names, func(a, b string) int {
		if c := cmp.Compare(m[b], m[a]); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	return names[:min(n, len(names))]
}

// mostSpecific is the first region below city level: a street (街道) or
// town says where, a2区 or a市 hardly.
func mostSpecific(regions []string) string {
	for _, r := range regions {
		if !strings.HasSuffix(r, "市") && !strings.HasSuffix(r, "省") && !strings.HasSuffix(r, "区") && !strings.HasSuffix(r, "县") {
			return r
		}
	}
	return ""
}
