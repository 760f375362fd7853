package event

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"minyi"
	"minyi/analysis"
)

// MaxNameRunes bounds a dictionary name: a longer line is a mistake (a
// pasted sentence), not a place.
const MaxNameRunes = 32

// Dictionary is the user dictionary an admin extends: names the suffix
// rules miss or cut wrongly (a company without 公司, a P2P platform, an
// estate known by two names), each with its aliases, which extraction
// reports under the first name. The zero value is empty and usable.
type Dictionary struct {
	entries map[string]entry // folded surface form → entry
	first   map[rune][]string
}

type entry struct {
	kind Kind
	name string // canonical
}

// Add records name and its aliases as one name of kind. Names are folded
// (traditional to simplified, full width to half) as texts are.
func (d *Dictionary) Add(kind Kind, name string, aliases ...string) error {
	if kind != Site && kind != Region && kind != Crowd {
		return minyi.Errorf(minyi.EINVALID, "dictionary: unknown kind %d", kind)
	}
	canon := analysis.Fold(strings.TrimSpace(name))
	for _, s := range append([]string{name}, aliases...) {
		s = analysis.Fold(strings.TrimSpace(s))
		n := utf8.RuneCountInString(s)
		if n < 2 || n > MaxNameRunes {
			return minyi.Errorf(minyi.EINVALID, "dictionary: name %q must have 2 to %d characters", s, MaxNameRunes)
		}
		if strings.IndexFunc(s, func(r rune) bool { return !isNameRune(r) }) >= 0 {
			return minyi.Errorf(minyi.EINVALID, "dictionary: name %q may hold only letters and digits", s)
		}
		if d.entries == nil {
			d.entries, d.first = map[string]entry{}, map[rune][]string{}
		}
		if _, dup := d.entries[s]; !dup {
			r, _ := utf8.DecodeRuneInString(s)
			d.first[r] = append(d.first[r], s)
		}
		d.entries[s] = entry{kind, canon}
	}
	return nil
}

// Len is the number of surface forms, names and aliases.
func (d *Dictionary) Len() int { return len(d.entries) }

// longest returns the longest surface form starting at rs[i], if any.
func (d *Dictionary) longest(rs []rune, i int) (entry, int, bool) {
	if d == nil || d.first == nil {
		return entry{}, 0, false
	}
	best, bestLen := entry{}, 0
	for _, s := range d.first[rs[i]] {
		n := utf8.RuneCountInString(s)
		if n <= bestLen || i+n > len(rs) || string(rs[i:i+n]) != s {
			continue
		}
		best, bestLen = d.entries[s], n
	}
	return best, bestLen, bestLen > 0
}

// ParseDictionary reads a user dictionary: one name a line, its kind
// first (site, region or crowd, or 地点, 区域, 人群), then the name, then
// any aliases, separated by spaces, commas or 、; # starts a comment.
//
//	site 伊景园滨河苑 滨河苑
//	site 杨美公园 杨梅公园   # a common misspelling
//	crowd 铁路职工
func ParseDictionary(r io.Reader) (*Dictionary, error) {
	d := &Dictionary{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 4096), 64*1024)
	line := 0
	for sc.Scan() {
		line++
		text, _, _ := strings.Cut(sc.Text(), "#")
		fields := strings.FieldsFunc(text, func(r rune) bool {
			return r == ' ' || r == '\t' || r == ',' || r == '，' || r == '、' || r == '\r' || r == '\u3000'
		})
		if len(fields) == 0 {
			continue
		}
		if len(fields) < 2 {
			return nil, minyi.Errorf(minyi.EINVALID, "dictionary line %d: want a kind and a name", line)
		}
		kind, ok := kindNames[strings.ToLower(fields[0])]
		if !ok {
			return nil, minyi.Errorf(minyi.EINVALID, "dictionary line %d: kind %q is not site, region or crowd", line, fields[0])
		}
		if err := d.Add(kind, fields[1], fields[2:]...); err != nil {
			return nil, fmt.Errorf("dictionary line %d: %w", line, err)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, minyi.Errorf(minyi.EINVALID, "dictionary line %d: %v", line+1, err)
	}
	return d, nil
}

var kindNames = map[string]Kind{
	"site": Site, "地点": Site, "region": Region, "区域": Region, "crowd": Crowd, "人群": Crowd,
}
