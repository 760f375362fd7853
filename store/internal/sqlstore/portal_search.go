package sqlstore

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"minyi"
)

// searchGrams are the distinct characters, character pairs and character
// triples of a letter's public text, ASCII folded to lower case: a query's
// triples (its pair, its one character) are among them whenever the query
// is a substring of the text, whatever the engine's LIKE does with case.
// Triples because a query's rarest pair can be common in every letter
// (each of 第4242封's pairs is in a tenth of them or more) where its rarest
// triple is in a hundredth: the search walks the letters of one gram.
func searchGrams(text string) []string {
	rs := []rune(foldASCII(text))
	seen := map[string]bool{}
	var out []string
	for i := range rs {
		for n := 1; n <= gramLength && i+n <= len(rs); n++ {
			if g := string(rs[i : i+n]); !seen[g] {
				seen[g] = true
				out = append(out, g)
			}
		}
	}
	return out
}

// gramLength is the longest gram kept: a letter has about three rows per
// character of its text.
const gramLength = 3

// queryGrams are the grams every text containing q has: its triples, or q
// itself when it is shorter.
func queryGrams(q string) []string {
	rs := []rune(foldASCII(q))
	if len(rs) <= gramLength {
		return []string{string(rs)}
	}
	var out []string
	for i := 0; i+gramLength <= len(rs); i++ {
		if g := string(rs[i : i+gramLength]); !slices.Contains(out, g) {
			out = append(out, g)
		}
	}
	return out
}

func foldASCII(s string) string {
	return strings.Map(func(r rune) rune {
		if 'A' <= r && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}, s)
}

// indexPublicText writes the grams of published letters' public texts.
func (s *Store) indexPublicText(ctx context.Context, tx DB, ls ...minyi.PortalLetter) error {
	type row struct {
		gram   string
		letter int
	}
	var rows []row
	for i, l := range ls {
		for _, g := range searchGrams(l.PublicText) {
			rows = append(rows, row{g, i})
		}
	}
	// In key order, a bulk load appends to few pages of the index.
	slices.SortFunc(rows, func(a, b row) int { return strings.Compare(a.gram, b.gram) })
	args := make([][]any, len(rows))
	for i, r := range rows {
		args[i] = []any{r.gram, s.time(ls[r.letter].Created), ls[r.letter].Number}
	}
	_, err := tx.ExecEach(ctx, s.sql(`INSERT INTO portal_grams (gram, created, number) VALUES (?1, ?2, ?3)
		ON CONFLICT DO NOTHING`), args)
	return err
}

// RebuildPublicSearch writes the search grams of every published, accepted
// letter afresh from its public text, in transactions of a few thousand
// letters, for letters loaded into portal_letters in bulk. The board's
// search finds fewer letters until it is done.
func (s *Store) RebuildPublicSearch(ctx context.Context) (int, error) {
	const batch = 2000
	if _, err := s.c.Write().Exec(ctx, `DELETE FROM portal_grams`); err != nil {
		return 0, s.errorf("rebuild public search: %w", err)
	}
	done, after := 0, ""
	for {
		var ls []minyi.PortalLetter
		rows, err := s.c.Read().Query(ctx, s.sql(`SELECT number, created, public_text FROM portal_letters
			WHERE publish = ?1 AND state = 'accepted' AND number > ?2 ORDER BY number LIMIT ?3`), true, after, batch)
		err = each(rows, err, func(r Rows) error {
			var l minyi.PortalLetter
			if err := r.Scan(&l.Number, timeOf(&l.Created), &l.PublicText); err != nil {
				return err
			}
			ls = append(ls, l)
			return nil
		})
		if err != nil {
			return done, s.errorf("rebuild public search: %w", err)
		}
		if len(ls) == 0 {
			return done, nil
		}
		err = s.c.InTx(ctx, func(tx DB) error { return s.indexPublicText(ctx, tx, ls...) })
		if err != nil {
			return done, s.errorf("rebuild public search: %w", err)
		}
		done += len(ls)
		after = ls[len(ls)-1].Number
	}
}

// gramProbes bounds how many of a query's grams are counted to find the
// rarest, and gramProbeCap how far each is counted: enough to tell a rare
// pair from a common one at a bounded cost.
const (
	gramProbes   = 12
	gramProbeCap = 2000
	// gramChecks is how many more grams, after the one walked, a letter
	// must have before its text is matched.
	gramChecks = 3
)

// rarestGrams orders q's grams (the first gramProbes) by how many letters
// have them, counted up to gramProbeCap, rarest first.
func (s *Store) rarestGrams(ctx context.Context, tx DB, q string) ([]string, error) {
	grams := queryGrams(q)
	if len(grams) == 1 {
		return grams, nil // the walk is the count
	}
	if len(grams) > gramProbes {
		// Spread the probes over the query rather than its start.
		picked := make([]string, 0, gramProbes)
		for i := range gramProbes {
			picked = append(picked, grams[i*len(grams)/gramProbes])
		}
		grams = picked
	}
	counts := map[string]int{}
	for _, g := range grams {
		var n int
		if err := tx.QueryRow(ctx, s.sql(fmt.Sprintf(`SELECT count(*) FROM (SELECT 1 FROM portal_grams
			WHERE gram = ?1 LIMIT %d) AS letters`, gramProbeCap)), g).Scan(&n); err != nil {
			return nil, err
		}
		if n == 0 {
			return []string{g}, nil // nothing can match
		}
		counts[g] = n
	}
	slices.SortStableFunc(grams, func(a, b string) int { return counts[a] - counts[b] })
	return grams, nil
}

// searchPublicLetters is the board's search for q within the conditions
// w (on the letter p and its case c): the rarest of q's grams walked newest
// first, each letter checked for the next rarest grams, then for w and for
// q in its public text. The walk runs once, for the
// numbers of the first MaxPublicTotal matches: they are the count, and
// the page is read by number.
func (s *Store) searchPublicLetters(ctx context.Context, tx DB, q string, w conditions, offset, limit int) ([]minyi.PublicLetter, int, error) {
	grams, err := s.rarestGrams(ctx, tx, q)
	if err != nil {
		return nil, 0, err
	}
	// Each check is a scalar subquery of at most one row (by primary
	// key), which neither engine turns into a join: PostgreSQL's planner
	// made joins and semi-joins of the same checks into hash joins over
	// every letter or every posting of a common gram.
	like := "%" + strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(q) + "%"
	w.add(`p.public_text LIKE ? ESCAPE '\'`, like)
	w.conds = append(w.conds, `p.number = g.number`)
	letter := `(SELECT 1 FROM portal_letters p JOIN cases c ON c.id = p.case_id WHERE ` +
		strings.Join(w.conds, " AND ") + `) IS NOT NULL`
	w.conds = nil
	w.add(`g.gram = ?`, grams[0])
	for _, g := range grams[1:min(len(grams), 1+gramChecks)] {
		w.add(`(SELECT 1 FROM portal_grams o WHERE o.gram = ? AND o.created = g.created AND o.number = g.number) IS NOT NULL`, g)
	}
	w.conds = append(w.conds, letter)
	rows, err := tx.Query(ctx, s.sql(`SELECT g.number FROM portal_grams g`+
		w.where()+fmt.Sprintf(` ORDER BY g.created DESC, g.number DESC LIMIT %d`, minyi.MaxPublicTotal)), w.args...)
	var numbers []string
	err = each(rows, err, func(r Rows) error {
		var n string
		numbers = append(numbers, n)
		return r.Scan(&numbers[len(numbers)-1])
	})
	if err != nil {
		return nil, 0, err
	}
	page := numbers[min(offset, len(numbers)):min(offset+limit, len(numbers))]
	out := []minyi.PublicLetter{}
	if len(page) == 0 {
		return out, len(numbers), nil
	}
	in := make([]string, len(page))
	args := make([]any, len(page))
	for i, n := range page {
		in[i], args[i] = fmt.Sprintf("?%d", i+1), n
	}
	rows, err = tx.Query(ctx, s.sql(`SELECT `+publicColumns+` FROM portal_letters p JOIN cases c ON c.id = p.case_id
		JOIN documents d ON d.id = p.document_id WHERE p.number IN (`+strings.Join(in, ", ")+`)`), args...)
	byNumber := map[string]minyi.PublicLetter{}
	err = each(rows, err, func(r Rows) error {
		l, err := scanPublicLetter(r)
		byNumber[l.Number] = l
		return err
	})
	if err != nil {
		return nil, 0, err
	}
	for _, n := range page {
		if l, ok := byNumber[n]; ok {
			out = append(out, l)
		}
	}
	return out, len(numbers), nil
}
