package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"minyi"
	"minyi/store/internal/input"
)

var _ minyi.PortalStore = (*Store)(nil)

const portalColumns = `number, document_id, code_hash, publish, state, hold_reason, reviewer, review, created, updated, held, public_text`

// heldLetter is how a held letter's document is kept: the document with its
// contact, which the document's own JSON leaves out.
type heldLetter struct {
	Document minyi.Document `json:"document"`
	Contact  *minyi.Contact `json:"contact,omitempty"`
}

func (s *Store) CreatePortalLetter(ctx context.Context, l minyi.PortalLetter, doc minyi.Document) error {
	switch {
	case strings.TrimSpace(l.Number) == "" || l.CodeHash == "":
		return minyi.Errorf(minyi.EINVALID, "a portal letter needs a number and the hash of its code")
	case l.State != minyi.LetterAccepted && l.State != minyi.LetterHeld:
		return minyi.Errorf(minyi.EINVALID, "portal letter %q: a new letter is accepted or held, not %q", l.Number, l.State)
	case doc.ID != l.DocumentID:
		return minyi.Errorf(minyi.EINVALID, "portal letter %q names document %q, not %q", l.Number, l.DocumentID, doc.ID)
	}
	docs, err := input.PrepareDocuments([]minyi.Document{doc})
	if err != nil {
		return err
	}
	doc = docs[0]
	var held any
	if l.State == minyi.LetterHeld {
		b, err := json.Marshal(heldLetter{Document: doc, Contact: doc.Contact})
		if err != nil {
			return fmt.Errorf("portal letter %q: %w", l.Number, err)
		}
		held = string(b)
	}
	// Letters written at once share a transaction (inGroupTx).
	err = s.inGroupTx(ctx, func(tx DB) error {
		if _, err := tx.Exec(ctx, s.sql(`INSERT INTO portal_letters (`+portalColumns+`, case_id)
			VALUES (?1, ?2, ?3, ?4, ?5, ?6, '', '', ?7, ?7, ?8, ?9, ?10)`),
			l.Number, l.DocumentID, l.CodeHash, l.Publish, string(l.State), l.HoldReason, s.time(l.Created), held,
			l.PublicText, minyi.CaseIDFor(l.DocumentID)); err != nil {
			return err
		}
		if l.State != minyi.LetterAccepted {
			return nil
		}
		if l.Publish {
			if err := s.indexPublicText(ctx, tx, l); err != nil {
				return err
			}
		}
		return s.intakeTx(ctx, tx, doc)
	})
	if err != nil && s.d.IsUniqueViolation(err) {
		return minyi.Errorf(minyi.ECONFLICT, "portal letter %q exists already", l.Number)
	} else if err != nil {
		return s.errorf("create portal letter %q: %w", l.Number, err)
	}
	return nil
}

// intakeTx stores a letter's document and marks it in the outbox, as
// PutDocuments does, so that the ingest pipeline owes it its case.
func (s *Store) intakeTx(ctx context.Context, tx DB, doc minyi.Document) error {
	args, err := s.documentArgs(&doc)
	if err != nil {
		return err
	}
	n, err := tx.Exec(ctx, s.sql(upsertDocument), args...)
	if err != nil || n == 0 {
		return err
	}
	_, err = tx.Exec(ctx, s.sql(markPending), doc.ID, doc.ContentHash, s.time(time.Now()))
	return err
}

func scanPortalLetter(r Row) (minyi.PortalLetter, error) {
	var l minyi.PortalLetter
	var state string
	var held []byte
	err := r.Scan(&l.Number, &l.DocumentID, &l.CodeHash, &l.Publish, &state, &l.HoldReason, &l.Reviewer, &l.Review,
		timeOf(&l.Created), timeOf(&l.Updated), &held, &l.PublicText)
	if err != nil {
		return l, err
	}
	l.State = minyi.LetterState(state)
	if len(held) > 0 {
		var h heldLetter
		if err := json.Unmarshal(held, &h); err != nil {
			return l, fmt.Errorf("portal letter %q: held document: %w", l.Number, err)
		}
		h.Document.Contact = h.Contact
		l.Held = &h.Document
	}
	return l, nil
}

func (s *Store) PortalLetter(ctx context.Context, number string) (minyi.PortalLetter, error) {
	l, err := scanPortalLetter(s.c.Read().QueryRow(ctx, s.sql(`SELECT `+portalColumns+` FROM portal_letters WHERE number = ?1`), number))
	if errors.Is(err, sql.ErrNoRows) {
		return l, minyi.Errorf(minyi.ENOTFOUND, "letter %q not found", number)
	} else if err != nil {
		return l, s.errorf("portal letter %q: %w", number, err)
	}
	return l, nil
}

func (s *Store) HeldLetters(ctx context.Context, limit int) ([]minyi.PortalLetter, error) {
	if limit < 1 || limit > minyi.MaxPageSize {
		return nil, minyi.Errorf(minyi.EINVALID, "held letters: limit %d is outside 1..%d", limit, minyi.MaxPageSize)
	}
	rows, err := s.c.Read().Query(ctx, s.sql(`SELECT `+portalColumns+` FROM portal_letters
		WHERE state = 'held' ORDER BY created, number LIMIT ?1`), limit)
	out := []minyi.PortalLetter{}
	err = each(rows, err, func(r Rows) error {
		l, err := scanPortalLetter(r)
		out = append(out, l)
		return err
	})
	if err != nil {
		return nil, s.errorf("held letters: %w", err)
	}
	return out, nil
}

func (s *Store) ReviewPortalLetter(ctx context.Context, number string, release bool, reviewer, reason string, at time.Time) (minyi.PortalLetter, error) {
	if strings.TrimSpace(reviewer) == "" || !release && strings.TrimSpace(reason) == "" {
		return minyi.PortalLetter{}, minyi.Errorf(minyi.EINVALID, "a review names its reviewer, and a rejection its reason")
	}
	var l minyi.PortalLetter
	err := s.c.InTx(ctx, func(tx DB) error {
		var err error
		l, err = scanPortalLetter(tx.QueryRow(ctx, s.sql(`SELECT `+portalColumns+` FROM portal_letters WHERE number = ?1`), number))
		if errors.Is(err, sql.ErrNoRows) {
			return minyi.Errorf(minyi.ENOTFOUND, "letter %q not found", number)
		} else if err != nil {
			return err
		}
		if l.State != minyi.LetterHeld || l.Held == nil {
			return minyi.Errorf(minyi.ECONFLICT, "letter %q is %s, not held for review", number, l.State)
		}
		l.State, l.Reviewer, l.Review, l.Updated = minyi.LetterRejected, reviewer, reason, at
		if release {
			l.State = minyi.LetterAccepted
			if err := s.intakeTx(ctx, tx, *l.Held); err != nil {
				return err
			}
			if l.Publish {
				if err := s.indexPublicText(ctx, tx, l); err != nil {
					return err
				}
			}
		}
		_, err = tx.Exec(ctx, s.sql(`UPDATE portal_letters SET state = ?2, reviewer = ?3, review = ?4, updated = ?5,
			held = NULL WHERE number = ?1`), number, string(l.State), reviewer, reason, s.time(at))
		return err
	})
	if code := minyi.ErrorCode(err); code == minyi.ENOTFOUND || code == minyi.ECONFLICT {
		return l, err
	} else if err != nil {
		return l, s.errorf("review portal letter %q: %w", number, err)
	}
	return l, nil
}

func (s *Store) PublicLetters(ctx context.Context, f minyi.PublicLetterFilter) ([]minyi.PublicLetter, int, error) {
	switch {
	case f.Limit == 0:
		f.Limit = minyi.DefaultPageSize
	case f.Limit < 1 || f.Limit > minyi.MaxPageSize:
		return nil, 0, minyi.Errorf(minyi.EINVALID, "public letters: limit %d is outside 1..%d", f.Limit, minyi.MaxPageSize)
	}
	if f.Offset < 0 {
		return nil, 0, minyi.Errorf(minyi.EINVALID, "public letters: offset %d is negative", f.Offset)
	}
	var w conditions
	w.add(`p.publish = ?`, true)
	w.add(`p.state = ?`, string(minyi.LetterAccepted))
	switch {
	case f.Unanswered:
		w.conds = append(w.conds, `c.status IN ('routing', 'open')`)
	case !f.Open:
		w.conds = append(w.conds, `c.status IN ('answered', 'closed')`)
	}
	if f.Number != "" {
		w.add(`p.number = ?`, f.Number)
	}
	if f.Department != "" {
		w.add(`c.department = ?`, f.Department)
	}
	if f.Type != "" {
		w.add(`c.message_type = ?`, string(f.Type))
	}
	if !f.From.IsZero() {
		w.add(`p.created >= ?`, s.bound(f.From))
	}
	if !f.To.IsZero() {
		w.add(`p.created < ?`, s.bound(f.To))
	}
	q := strings.TrimSpace(f.Query)
	out := []minyi.PublicLetter{}
	var total int
	err := s.c.InSnapshot(ctx, func(tx DB) error {
		if q != "" {
			var err error
			out, total, err = s.searchPublicLetters(ctx, tx, q, w, f.Offset, f.Limit)
			return err
		}
		from := ` FROM portal_letters p JOIN cases c ON c.id = p.case_id`
		where, args := w.where(), w.args
		// Counting every match costs a case lookup each: the count stops
		// at MaxPublicTotal.
		if err := tx.QueryRow(ctx, s.sql(`SELECT count(*) FROM (SELECT 1`+from+where+
			fmt.Sprintf(` LIMIT %d) AS matches`, minyi.MaxPublicTotal)), args...).Scan(&total); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, s.sql(`SELECT `+publicColumns+from+` JOIN documents d ON d.id = p.document_id`+where+
			` ORDER BY p.created DESC, p.number DESC`+limitOffset(len(args))),
			append(args, f.Limit, f.Offset)...)
		return each(rows, err, func(r Rows) error {
			l, err := scanPublicLetter(r)
			out = append(out, l)
			return err
		})
	})
	if err != nil {
		return nil, 0, s.errorf("public letters: %w", err)
	}
	return out, total, nil
}

// publicColumns are a public letter's: its number, its case, its text.
var publicColumns = `p.number, ` + prefixed("c.", caseColumns) + `, d.title, d.body, d.contact`

func scanPublicLetter(r Row) (minyi.PublicLetter, error) {
	var l minyi.PublicLetter
	var contact []byte
	c, err := scanCase(prefixRow{r, []any{&l.Number}, []any{&l.Title, &l.Body, &contact}})
	if err != nil {
		return l, err
	}
	l.Case = c
	if len(contact) > 0 {
		l.Contact = new(minyi.Contact)
		if err := json.Unmarshal(contact, l.Contact); err != nil {
			return l, err
		}
	}
	return l, nil
}

// prefixed qualifies each column of a column list with a table alias.
func prefixed(alias, columns string) string {
	fields := strings.Split(columns, ",")
	for i, f := range fields {
		fields[i] = alias + strings.TrimSpace(f)
	}
	return strings.Join(fields, ", ")
}

// prefixRow lets scanCase read a row that has other columns before and
// after the case's.
type prefixRow struct {
	r             Row
	before, after []any
}

func (p prefixRow) Scan(dest ...any) error {
	return p.r.Scan(append(append(append([]any{}, p.before...), dest...), p.after...)...)
}
