package core

import (
	"context"

	"minyi"
)

// MergedLetter is a letter merged into a case (并单), with its petitioner's
// contact where the reader may see it.
type MergedLetter struct {
	Case    minyi.Case     `json:"case"`
	Contact *minyi.Contact `json:"contact,omitempty"` // nil where the user may not see it
}

// maxMergedLetters bounds the list on a primary; a case with more repeat
// letters than this is a 舆情事件, not a 并单.
const maxMergedLetters = 200

// MergedLetters lists the letters merged into cs that u may read, each
// petitioner's contact shown by the same rule as a case's own. The page and
// the API show the same list.
func (s *Server) MergedLetters(ctx context.Context, u *minyi.User, cs *minyi.Case) ([]MergedLetter, error) {
	letters, _, err := s.Store.Cases(ctx, minyi.CaseFilter{MergedInto: cs.ID, Limit: maxMergedLetters})
	if err != nil {
		return nil, err
	}
	out := make([]MergedLetter, 0, len(letters))
	for _, l := range letters {
		if u.Role == RoleDepartment && l.Department != u.Department {
			continue // a letter moved on is its department's to read, as any case
		}
		m := MergedLetter{Case: l}
		if MaySeeContact(u, &l) {
			doc, err := s.Store.Document(ctx, l.DocumentID)
			switch {
			case err == nil:
				m.Contact = doc.Contact
			case minyi.ErrorCode(err) != minyi.ENOTFOUND:
				return nil, err
			}
		}
		out = append(out, m)
	}
	return out, nil
}
