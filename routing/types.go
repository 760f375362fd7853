package routing

import (
	"strings"
	"unicode"

	"minyi"
	"minyi/analysis"
)

// typeCue is a message type and the phrases that ask for it. A phrase of
// several parts matches when they occur in this order within one sentence
// ("反映…问题"), which keeps a 希望 in one sentence and an 增设 three
// sentences later from making a suggestion.
type typeCue struct {
	t       minyi.MessageType
	phrases [][]string
}

// typeCues are tried in order and the first type with a matching phrase
// wins. The order puts the more specific ask first: a letter that reports
// wrongdoing (举报) usually also complains and asks questions, a complaint
// usually also hopes for something, and 是否/如何 occur in nearly every
// kind of letter. 信访 comes last because a message that mentions it is
// usually a complaint about a petition gone unanswered; formal petitions
// arrive through a channel that states their type.
var typeCues = []typeCue{
	{minyi.TypeReport, [][]string{{"举报"}}},
	{minyi.TypeComplaint, [][]string{{"投诉"}, {"不作为"}, {"反映", "问题"}}},
	{minyi.TypeHelp, [][]string{{"求助"}, {"帮忙"}, {"救助"}}},
	{minyi.TypeSuggestion, [][]string{{"建议"}, {"希望", "增设"}}},
	{minyi.TypeInquiry, [][]string{{"咨询"}, {"请问"}, {"是否"}, {"如何"}, {"怎么办理"}}},
	{minyi.TypePetition, [][]string{{"信访"}}},
}

// DefaultType is what InferType gives a message with no cue: 求助 (help),
// because a message that states no kind of ask is most often someone
// describing a problem they need solved, and its 10-working-day deadline
// is the middle of the range.
const DefaultType = minyi.TypeHelp

// InferType guesses the type of a message whose source states none. The
// title is how the writer labels the message, so it is read first; the
// body only when the title has no cue.
func InferType(title, body string) minyi.MessageType {
	for _, text := range []string{title, body} {
		sentences := splitSentences(analysis.Fold(text))
		for _, cue := range typeCues {
			for _, phrase := range cue.phrases {
				for _, s := range sentences {
					if inOrder(s, phrase) {
						return cue.t
					}
				}
			}
		}
	}
	return DefaultType
}

func splitSentences(s string) []string {
	// Text is folded, so full-width ！？；， are ASCII here; 。 and 、 stay.
	return strings.FieldsFunc(s, func(r rune) bool {
		return strings.ContainsRune("。!?;\n", r)
	})
}

// inOrder tells whether parts occur in s one after another (not overlapping).
func inOrder(s string, parts []string) bool {
	for _, p := range parts {
		i := strings.Index(s, p)
		if i < 0 {
			return false
		}
		s = s[i+len(p):]
	}
	return true
}

var typeNames = map[string]minyi.MessageType{
	"inquiry": minyi.TypeInquiry, "help": minyi.TypeHelp, "suggestion": minyi.TypeSuggestion,
	"complaint": minyi.TypeComplaint, "report": minyi.TypeReport, "petition": minyi.TypePetition,
}

// ParseType reads a message type as a source or a config writes it: the
// Chinese name (咨询, 投訴 in traditional, "【投诉】", "投诉类") or the English
// word (inquiry, Complaint), with spaces and brackets around it ignored.
func ParseType(s string) (minyi.MessageType, bool) {
	s = strings.TrimFunc(analysis.Fold(s), func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune("[](){}<>【】〔〕《》「」『』\"'“”‘’", r)
	})
	if t, ok := typeNames[s]; ok {
		return t, true
	}
	s = strings.TrimSuffix(s, "类")
	for _, t := range minyi.MessageTypes {
		if s == string(t) {
			return t, true
		}
	}
	return "", false
}
