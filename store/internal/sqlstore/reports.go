package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"minyi"
)

var _ minyi.ReportStore = (*Store)(nil)

const reportListColumns = `id, kind, period_from, period_to, title, status, author, created, edited, publisher, published`

func (s *Store) CreateReport(ctx context.Context, r minyi.Report) error {
	switch {
	case strings.TrimSpace(r.ID) == "" || strings.TrimSpace(r.Kind) == "":
		return minyi.Errorf(minyi.EINVALID, "a report needs an id and a kind")
	case r.From.IsZero() || !r.From.Before(r.To):
		return minyi.Errorf(minyi.EINVALID, "report %q: its period must start before it ends", r.ID)
	case r.Created.IsZero():
		return minyi.Errorf(minyi.EINVALID, "report %q: when it was made is missing", r.ID)
	case !json.Valid(r.Content):
		return minyi.Errorf(minyi.EINVALID, "report %q: the content is not valid JSON", r.ID)
	}
	_, err := s.c.Write().Exec(ctx, s.sql(`INSERT INTO reports
		(id, kind, period_from, period_to, title, status, author, created, edited, content)
		VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8, ?9)`),
		r.ID, r.Kind, s.time(r.From), s.time(r.To), r.Title, string(minyi.ReportDraft), r.Author,
		s.time(r.Created), string(r.Content))
	if err != nil && s.d.IsUniqueViolation(err) {
		return minyi.Errorf(minyi.ECONFLICT, "report %q exists already", r.ID)
	} else if err != nil {
		return s.errorf("create report %q: %w", r.ID, err)
	}
	return nil
}

func scanReport(r interface{ Scan(...any) error }, extra ...any) (minyi.Report, error) {
	var rep minyi.Report
	var status string
	err := r.Scan(append([]any{&rep.ID, &rep.Kind, timeOf(&rep.From), timeOf(&rep.To), &rep.Title, &status, &rep.Author,
		timeOf(&rep.Created), timeOf(&rep.Edited), &rep.Publisher, timeOf(&rep.Published)}, extra...)...)
	rep.Status = minyi.ReportStatus(status)
	return rep, err
}

func (s *Store) Report(ctx context.Context, id string) (minyi.Report, error) {
	var content string
	var docx, pdf []byte
	rep, err := scanReport(s.c.Read().QueryRow(ctx, s.sql(`SELECT `+reportListColumns+`, content, docx, pdf
		FROM reports WHERE id = ?1`), id), &content, &docx, &pdf)
	if errors.Is(err, sql.ErrNoRows) {
		return minyi.Report{}, minyi.Errorf(minyi.ENOTFOUND, "report %q not found", id)
	} else if err != nil {
		return minyi.Report{}, s.errorf("report %q: %w", id, err)
	}
	rep.Content, rep.DOCX, rep.PDF = []byte(content), docx, pdf
	return rep, nil
}

func (s *Store) Reports(ctx context.Context, f minyi.ReportFilter) ([]minyi.Report, int, error) {
	var err error
	if f.Limit, err = checkPage("reports", f.Limit, f.Offset); err != nil {
		return nil, 0, err
	}
	if f.Status != "" && !slices.Contains([]minyi.ReportStatus{minyi.ReportDraft, minyi.ReportPublished}, f.Status) {
		return nil, 0, minyi.Errorf(minyi.EINVALID, "reports: status %q is neither draft nor published", f.Status)
	}
	var w conditions
	if f.Kind != "" {
		w.add(`kind = ?`, f.Kind)
	}
	if f.Status != "" {
		w.add(`status = ?`, string(f.Status))
	}
	if !f.From.IsZero() {
		w.add(`period_to > ?`, s.time(f.From))
	}
	if !f.To.IsZero() {
		w.add(`period_from < ?`, s.time(f.To))
	}
	where, args := w.where(), w.args
	out := []minyi.Report{}
	var total int
	err = s.c.InSnapshot(ctx, func(tx DB) error {
		if err := tx.QueryRow(ctx, s.sql(`SELECT count(*) FROM reports`+where), args...).Scan(&total); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, s.sql(`SELECT `+reportListColumns+` FROM reports`+where+
			fmt.Sprintf(` ORDER BY period_to DESC, created DESC, id DESC LIMIT ?%d OFFSET ?%d`, len(args)+1, len(args)+2)),
			append(args, f.Limit, f.Offset)...)
		return each(rows, err, func(r Rows) error {
			rep, err := scanReport(r)
			out = append(out, rep)
			return err
		})
	})
	if err != nil {
		return nil, 0, s.errorf("reports: %w", err)
	}
	return out, total, nil
}

// draftOnly runs change on report id if it is still a draft: a published
// report is what was handed out and stays so.
func (s *Store) draftOnly(ctx context.Context, id, what string, change func(tx DB) error) error {
	err := s.c.InTx(ctx, func(tx DB) error {
		var status string
		err := tx.QueryRow(ctx, s.sql(`SELECT status FROM reports WHERE id = ?1`), id).Scan(&status)
		if errors.Is(err, sql.ErrNoRows) {
			return minyi.Errorf(minyi.ENOTFOUND, "report %q not found", id)
		} else if err != nil {
			return err
		}
		if status != string(minyi.ReportDraft) {
			return minyi.Errorf(minyi.ECONFLICT, "report %q is published already and stays as it was handed out", id)
		}
		return change(tx)
	})
	if code := minyi.ErrorCode(err); code == minyi.ENOTFOUND || code == minyi.ECONFLICT {
		return err
	} else if err != nil {
		return s.errorf("%s report %q: %w", what, id, err)
	}
	return nil
}

// stillDraft makes an update that found the report no longer a draft a
// conflict: under PostgreSQL's read committed, a concurrent publication
// can commit between draftOnly's read and the update, which then re-reads
// the row and must not publish it a second time.
func stillDraft(id string, updated int64, err error) error {
	if err == nil && updated == 0 {
		return minyi.Errorf(minyi.ECONFLICT, "report %q is published already and stays as it was handed out", id)
	}
	return err
}

func (s *Store) SaveReportDraft(ctx context.Context, id, title string, content []byte, at time.Time) error {
	if !json.Valid(content) {
		return minyi.Errorf(minyi.EINVALID, "report %q: the content is not valid JSON", id)
	}
	return s.draftOnly(ctx, id, "save", func(tx DB) error {
		n, err := tx.Exec(ctx, s.sql(`UPDATE reports SET title = ?2, content = ?3, edited = ?4 WHERE id = ?1 AND status = ?5`),
			id, title, string(content), s.time(at), string(minyi.ReportDraft))
		return stillDraft(id, n, err)
	})
}

func (s *Store) PublishReport(ctx context.Context, id, publisher string, at time.Time, docx, pdf []byte) error {
	if len(docx) == 0 || len(pdf) == 0 || strings.TrimSpace(publisher) == "" {
		return minyi.Errorf(minyi.EINVALID, "report %q: publishing needs the publisher, the DOCX and the PDF", id)
	}
	return s.draftOnly(ctx, id, "publish", func(tx DB) error {
		n, err := tx.Exec(ctx, s.sql(`UPDATE reports SET status = ?2, publisher = ?3, published = ?4, docx = ?5, pdf = ?6
			WHERE id = ?1 AND status = ?7`), id, string(minyi.ReportPublished), publisher, s.time(at), docx, pdf, string(minyi.ReportDraft))
		return stillDraft(id, n, err)
	})
}

// checkPage refuses a limit outside 1..MaxPageSize or a negative offset of
// a list of what, and turns limit 0 into DefaultPageSize.
func checkPage(what string, limit, offset int) (int, error) {
	switch {
	case limit == 0:
		limit = minyi.DefaultPageSize
	case limit < 1 || limit > minyi.MaxPageSize:
		return 0, minyi.Errorf(minyi.EINVALID, "%s: limit %d is outside 1..%d", what, limit, minyi.MaxPageSize)
	}
	if offset < 0 {
		return 0, minyi.Errorf(minyi.EINVALID, "%s: offset %d is negative", what, offset)
	}
	return limit, nil
}
