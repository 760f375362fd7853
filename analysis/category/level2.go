package category

import (
	"math"
	"strings"
	"unicode/utf8"
)

// matcher scores the level-2 groups of each level-1 category by taxonomy
// keywords found in a message.
type matcher struct {
	groups map[string][]group // level1 → its level-2 groups
}

type group struct {
	name     string
	keywords map[string]float64 // keyword → weight
}

// Level-2 names that say nothing about a message's subject.
var vacuous = map[string]bool{"其他": true, "其它": true, "综合": true}

// generic are administrative words inside taxonomy names (网约车问题,
// 行业监管) that every message may use; as single words they would route
// anything that mentions a 问题 to the one group whose name has it.
var generic = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`问题 管理 建设 监管 服务 工作 政策 人员 相关 有关 行业 情况 事项 体制
		改革 公共 综合 其他 其它 处理 办理 领域 方面 行为 单位 部门 机构 制度 规范 发展`) {
		generic[w] = true
	}
}

func newMatcher(tax *Taxonomy, tok Tokenizer) *matcher {
	byL1 := map[string]map[string]map[string]bool{} // level1 → level2 → raw keywords
	for _, n := range tax.Nodes {
		l2 := byL1[n.Level1]
		if l2 == nil {
			l2 = map[string]map[string]bool{}
			byL1[n.Level1] = l2
		}
		kw := l2[n.Level2]
		if kw == nil {
			kw = map[string]bool{}
			l2[n.Level2] = kw
		}
		for _, name := range []string{n.Level2, n.Level3} {
			for _, k := range keywordsOf(name, tok) {
				kw[k] = true
			}
		}
	}
	m := &matcher{groups: map[string][]group{}}
	for l1, l2s := range byL1 {
		df := map[string]int{}
		for _, kw := range l2s {
			for k := range kw {
				df[k]++
			}
		}
		for name, kw := range l2s {
			if vacuous[name] {
				continue
			}
			g := group{name: name, keywords: map[string]float64{}}
			for k := range kw {
				// Specificity among sibling groups, times length: a long
				// exact name (自来水供应) is stronger evidence than a word.
				idf := math.Log(float64(len(l2s)) / float64(df[k]))
				if idf > 0 {
					g.keywords[k] = idf * math.Sqrt(float64(utf8.RuneCountInString(k)))
				}
			}
			m.groups[l1] = append(m.groups[l1], g)
		}
	}
	return m
}

// keywordsOf returns a taxonomy name, the parts of it joined by 和/与/及/、,
// and the words of those parts of two or more characters.
func keywordsOf(name string, tok Tokenizer) []string {
	if name == "" || vacuous[name] {
		return nil
	}
	out := []string{name}
	parts := strings.FieldsFunc(name, func(r rune) bool { return strings.ContainsRune("和与及、/（）()", r) })
	for _, p := range parts {
		if utf8.RuneCountInString(p) < 2 || generic[p] {
			continue
		}
		out = append(out, p)
		if tok != nil {
			for _, w := range tok(p) {
				if utf8.RuneCountInString(w) >= 2 && !generic[w] {
					out = append(out, w)
				}
			}
		}
	}
	return out
}

// minLevel2Score is the least keyword evidence that names a level-2 group:
// about one specific two-character word in the title or two in the body.
const minLevel2Score = 1.5

// level2 returns the best-matching level-2 group under level1, or "" when
// the evidence is weak or two groups tie.
func (m *matcher) level2(level1, title, body string) string {
	var best, second float64
	name := ""
	for _, g := range m.groups[level1] {
		var s float64
		for k, w := range g.keywords {
			if strings.Contains(title, k) {
				s += 2 * w
			} else if strings.Contains(body, k) {
				s += w
			}
		}
		switch {
		case s > best:
			second, best, name = best, s, g.name
		case s > second:
			second = s
		}
	}
	if best < minLevel2Score || best < 1.25*second {
		return ""
	}
	return name
}
