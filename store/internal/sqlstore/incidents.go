package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"minyi"
	"minyi/store/internal/input"
)

var _ minyi.IncidentStore = (*Store)(nil)

// incidentSelect reads an incident with its case's state; an incident whose
// case is not recorded yet reads as routing, assigned as raised.
const incidentSelect = `SELECT i.id, i.title, i.level, i.note, i.event, i.document_id,
	COALESCE(c.department, i.department), i.deadline, i.raised_by, i.raised,
	COALESCE(c.status, 'routing'), COALESCE(c.rung, ''), c.answered
	FROM incidents i LEFT JOIN cases c ON c.id = i.id`

// incidentOrder: open first, the most serious level first, the nearest deadline first.
const incidentOrder = ` ORDER BY CASE WHEN COALESCE(c.status, 'routing') = 'closed' THEN 1 ELSE 0 END,
	CASE i.level WHEN 'major' THEN 0 WHEN 'serious' THEN 1 ELSE 2 END, i.deadline, i.id`

func (s *Store) CreateIncident(ctx context.Context, in minyi.Incident) error {
	switch {
	case !strings.HasPrefix(in.ID, minyi.IncidentIDPrefix) || len(in.ID) > input.MaxIDBytes:
		return minyi.Errorf(minyi.EINVALID, "incident id %q does not start with %q", in.ID, minyi.IncidentIDPrefix)
	case !in.Level.Valid():
		return minyi.Errorf(minyi.EINVALID, "incident %q: unknown level %q", in.ID, in.Level)
	case in.DocumentID == "" || in.Department == "" || strings.TrimSpace(in.Note) == "":
		return minyi.Errorf(minyi.EINVALID, "incident %q needs a document, a department and a judgement", in.ID)
	case in.Deadline.IsZero() || in.Raised.IsZero():
		return minyi.Errorf(minyi.EINVALID, "incident %q needs a deadline and when it was raised", in.ID)
	}
	for _, f := range []string{in.Title, in.Note, in.Event, in.DocumentID, in.Department, in.RaisedBy} {
		if err := input.CheckText(f); err != nil {
			return minyi.Errorf(minyi.ErrorCode(err), "incident %q: %s", in.ID, minyi.ErrorMessage(err))
		}
	}
	_, err := s.c.Write().Exec(ctx, s.sql(`INSERT INTO incidents
		(id, title, level, note, event, document_id, department, deadline, raised_by, raised)
		VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)`),
		in.ID, in.Title, string(in.Level), in.Note, in.Event, in.DocumentID, in.Department,
		s.time(in.Deadline), in.RaisedBy, s.time(in.Raised))
	if err != nil && s.d.IsUniqueViolation(err) {
		return minyi.Errorf(minyi.ECONFLICT, "incident %q exists already", in.ID)
	} else if err != nil {
		return s.errorf("create incident %q: %w", in.ID, err)
	}
	return nil
}

func scanIncident(r interface{ Scan(...any) error }) (minyi.Incident, error) {
	var in minyi.Incident
	var level, status, rung string
	err := r.Scan(&in.ID, &in.Title, &level, &in.Note, &in.Event, &in.DocumentID, &in.Department,
		timeOf(&in.Deadline), &in.RaisedBy, timeOf(&in.Raised), &status, &rung, timeOf(&in.Answered))
	in.Level, in.Status, in.Rung = minyi.IncidentLevel(level), minyi.CaseStatus(status), minyi.Rung(rung)
	return in, err
}

func (s *Store) Incident(ctx context.Context, id string) (minyi.Incident, error) {
	in, err := scanIncident(s.c.Read().QueryRow(ctx, s.sql(incidentSelect+` WHERE i.id = ?1`), id))
	if errors.Is(err, sql.ErrNoRows) {
		return in, minyi.Errorf(minyi.ENOTFOUND, "incident %q not found", id)
	} else if err != nil {
		return in, s.errorf("incident %q: %w", id, err)
	}
	return in, nil
}

func (s *Store) Incidents(ctx context.Context, f minyi.IncidentFilter) ([]minyi.Incident, int, error) {
	var err error
	if f.Limit, err = checkPage("incidents", f.Limit, f.Offset); err != nil {
		return nil, 0, err
	}
	var w conditions
	if f.Department != "" {
		w.add(`COALESCE(c.department, i.department) = ?`, f.Department)
	}
	if f.Open != nil {
		op := "<>"
		if !*f.Open {
			op = "="
		}
		w.add(`COALESCE(c.status, 'routing') `+op+` ?`, string(minyi.CaseClosed))
	}
	where, args := w.where(), w.args
	out := []minyi.Incident{}
	var total int
	err = s.c.InSnapshot(ctx, func(tx DB) error {
		if err := tx.QueryRow(ctx, s.sql(`SELECT count(*) FROM incidents i LEFT JOIN cases c ON c.id = i.id`+where),
			args...).Scan(&total); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, s.sql(incidentSelect+where+incidentOrder+
			fmt.Sprintf(` LIMIT ?%d OFFSET ?%d`, len(args)+1, len(args)+2)), append(args, f.Limit, f.Offset)...)
		return each(rows, err, func(r Rows) error {
			in, err := scanIncident(r)
			out = append(out, in)
			return err
		})
	})
	if err != nil {
		return nil, 0, s.errorf("incidents: %w", err)
	}
	return out, total, nil
}

func (s *Store) WatchSeen(ctx context.Context, login string) (time.Time, error) {
	var seen time.Time
	err := s.c.Read().QueryRow(ctx, s.sql(`SELECT seen FROM watch_seen WHERE login = ?1`), login).Scan(timeOf(&seen))
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, nil
	} else if err != nil {
		return time.Time{}, s.errorf("watch seen of %q: %w", login, err)
	}
	return seen, nil
}

func (s *Store) MarkWatchSeen(ctx context.Context, login string, at time.Time) error {
	if login == "" || at.IsZero() {
		return minyi.Errorf(minyi.EINVALID, "marking the watch desk read needs a login and a time")
	}
	if err := input.CheckText(login); err != nil {
		return err
	}
	_, err := s.c.Write().Exec(ctx, s.sql(`INSERT INTO watch_seen (login, seen) VALUES (?1, ?2)
		ON CONFLICT (login) DO UPDATE SET seen = excluded.seen`), login, s.time(at))
	if err != nil {
		return s.errorf("mark the watch desk of %q: %w", login, err)
	}
	return nil
}
