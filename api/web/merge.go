package web

import (
	"github.com/labstack/echo/v4"

	"minyi"
	"minyi/api/core"
)

// mergedLetter is a letter merged into the case on the page (并单).
type mergedLetter struct {
	Case    minyi.Case
	Contact *minyi.Contact // nil where the user may not see it
}

// maxMergedLetters bounds the list on a primary's page; a case with more
// repeat letters than this is a 舆情事件, not a 并单.
const maxMergedLetters = 200

// mergedLetters lists the letters merged into cs that the user may read,
// each petitioner's contact shown by the same rule as a case's own.
func (s *server) mergedLetters(c echo.Context, u *minyi.User, cs *minyi.Case) ([]mergedLetter, error) {
	ctx := c.Request().Context()
	letters, _, err := s.Store.Cases(ctx, minyi.CaseFilter{MergedInto: cs.ID, Limit: maxMergedLetters})
	if err != nil {
		return nil, err
	}
	out := make([]mergedLetter, 0, len(letters))
	for _, l := range letters {
		if u.Role == core.RoleDepartment && l.Department != u.Department {
			continue // a letter moved on is its department's to read, as any case
		}
		m := mergedLetter{Case: l}
		if core.MaySeeContact(u, &l) {
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
