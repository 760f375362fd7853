package minyi

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxQueryClauses bounds the work one search can ask of an index.
const MaxQueryClauses = 20

// QueryClause is one part of a user's search. Every clause that is not
// excluded must match; an excluded clause must not.
type QueryClause struct {
	Text    string // as typed, quotes and leading '-' removed
	Phrase  bool   // the user quoted it, so it may contain spaces
	Exclude bool
}

// isQuote reports a quotation mark a user may type: ASCII quotes and the
// curly quotes a Chinese input method produces. Any of them closes a phrase,
// because IMEs and copy-paste mix “ and ” freely.
func isQuote(r rune) bool { return r == '"' || r == '“' || r == '”' }

// isExclude reports the exclusion prefix, half- or full-width.
func isExclude(r rune) bool { return r == '-' || r == '－' }

// ParseQuery splits a search into clauses: whitespace separates clauses that
// must all match, "quoted text" (or “中文引号”) is one exact phrase, and a
// leading '-' excludes a clause. Errors have code EINVALID and a message
// meant for the person who typed the query.
//
// Text that is empty or only whitespace is an error here, but the indexes
// never parse it: a SearchQuery with blank Text lists every document that
// passes its filters, newest first, so analysts can browse by filters alone.
func ParseQuery(s string) ([]QueryClause, error) {
	if !utf8.ValidString(s) {
		return nil, Errorf(EINVALID, "the search text is not valid UTF-8")
	}
	if n := utf8.RuneCountInString(s); n > MaxQueryRunes {
		return nil, Errorf(EINVALID, "the search text has %d characters; at most %d are allowed", n, MaxQueryRunes)
	}
	var clauses []QueryClause
	rs := []rune(s)
	for i := 0; i < len(rs); {
		if unicode.IsSpace(rs[i]) {
			i++
			continue
		}
		var c QueryClause
		start := i
		if isExclude(rs[i]) {
			c.Exclude = true
			i++
			if i == len(rs) || unicode.IsSpace(rs[i]) {
				return nil, Errorf(EINVALID, "a '-' must be followed by the word or \"phrase\" to exclude, without a space")
			}
		}
		if isQuote(rs[i]) {
			end := i + 1
			for end < len(rs) && !isQuote(rs[end]) {
				end++
			}
			if end == len(rs) {
				return nil, Errorf(EINVALID, "a quotation mark is not closed: %s", string(rs[i:]))
			}
			c.Phrase = true
			c.Text = strings.TrimSpace(string(rs[i+1 : end]))
			i = end + 1
			if c.Text == "" {
				return nil, Errorf(EINVALID, "the quotation marks at %q enclose nothing", string(rs[start:i]))
			}
		} else {
			// A bare word ends at whitespace or where a quoted phrase begins,
			// so 停车"难" is two clauses rather than an error.
			end := i
			for end < len(rs) && !unicode.IsSpace(rs[end]) && !isQuote(rs[end]) {
				end++
			}
			c.Text = string(rs[i:end])
			i = end
		}
		clauses = append(clauses, c)
		if len(clauses) > MaxQueryClauses {
			return nil, Errorf(EINVALID, "the search has more than %d words or phrases; remove some", MaxQueryClauses)
		}
	}
	if len(clauses) == 0 {
		return nil, Errorf(EINVALID, "the search is empty; type a word or a \"phrase\"")
	}
	for _, c := range clauses {
		if !c.Exclude {
			return clauses, nil
		}
	}
	return nil, Errorf(EINVALID, "the search only excludes words; add a word or phrase to look for")
}
