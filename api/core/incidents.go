package core

import (
	"context"
	"crypto/rand"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"minyi"
	"minyi/api/httpx"
	"minyi/api/labels"
	"minyi/workflows"
)

// IncidentStarter starts the case workflow of a 舆情事件 just kept
// (api/workflowclient).
type IncidentStarter interface {
	StartIncident(ctx context.Context, in minyi.Incident) error
}

// Who may do what with the 舆情事件: analysts and admins raise and close
// them; supervisors read them all (and see their cases on their boards);
// a department reads only those assigned to it, and answers in its inbox.
var (
	IncidentRaisers = []minyi.Role{RoleAnalyst, RoleAdmin}
	IncidentReaders = []minyi.Role{RoleAnalyst, RoleSupervisor, RoleAdmin, RoleDepartment}
)

// MayRaiseIncidents tells whether u may raise and close 舆情事件.
func MayRaiseIncidents(u *minyi.User) bool {
	return u != nil && (u.Role == RoleAnalyst || u.Role == RoleAdmin)
}

// IncidentRequest is what an analyst raises: an event or a single post.
type IncidentRequest struct {
	Event      string              `json:"event,omitempty" form:"event"`
	DocumentID string              `json:"document_id,omitempty" form:"document_id"`
	Level      minyi.IncidentLevel `json:"level" form:"level"`
	Note       string              `json:"note" form:"note"`
	Department string              `json:"department" form:"department"`
	// Deadline is the last day (China time) to respond: the end of that day.
	Deadline string `json:"deadline" form:"deadline"`
}

// Bounds of what an analyst types.
const (
	maxIncidentNote     = 5000
	maxIncidentDeadline = 366 * 24 * time.Hour
)

// RaiseIncident keeps a 舆情事件 and starts its case workflow, and audits it.
func (s *Server) RaiseIncident(c echo.Context, req IncidentRequest) (minyi.Incident, error) {
	ctx := c.Request().Context()
	u := Principal(c)
	if !MayRaiseIncidents(u) {
		return minyi.Incident{}, minyi.Errorf(minyi.EFORBIDDEN, "%s", labels.T("incident.forbidden"))
	}
	now := s.Now()
	in := minyi.Incident{Level: req.Level, Note: strings.TrimSpace(req.Note), Department: strings.TrimSpace(req.Department),
		RaisedBy: u.Login, Raised: now.UTC().Truncate(time.Second)}
	bad := func(key string, args ...any) (minyi.Incident, error) {
		return minyi.Incident{}, minyi.Errorf(minyi.EINVALID, "%s", labels.Tf(key, args...))
	}
	switch {
	case !in.Level.Valid():
		return bad("incident.bad_level")
	case in.Note == "":
		return bad("incident.need_note")
	case utf8.RuneCountInString(in.Note) > maxIncidentNote:
		return bad("incident.note_long", maxIncidentNote)
	case (req.Event == "") == (req.DocumentID == ""):
		return bad("incident.need_subject")
	}
	if _, ok := s.DepartmentNames()[in.Department]; !ok {
		return bad("incident.bad_department")
	}
	day, err := time.ParseInLocation(time.DateOnly, strings.TrimSpace(req.Deadline), minyi.ChinaTime)
	if err != nil {
		return bad("incident.bad_deadline")
	}
	// The end of the day named: the department has all of it.
	in.Deadline = day.AddDate(0, 0, 1).Add(-time.Second).UTC()
	if !in.Deadline.After(now) || in.Deadline.Sub(now) > maxIncidentDeadline {
		return bad("incident.bad_deadline")
	}
	if req.Event != "" {
		ev, err := s.Store.Event(ctx, req.Event)
		if err != nil {
			return minyi.Incident{}, err
		}
		// The case is about the event's newest document: its department
		// reads what is being said now.
		q := minyi.SearchQuery{Event: ev.ID, PageSize: 1}
		if err := q.Normalize(); err != nil {
			return minyi.Incident{}, err
		}
		res, err := s.Index.Search(ctx, q)
		if err != nil {
			return minyi.Incident{}, err
		}
		if len(res.Hits) == 0 {
			return minyi.Incident{}, minyi.Errorf(minyi.ENOTFOUND, "event %s has no documents", ev.ID)
		}
		in.Event, in.DocumentID, in.Title = ev.ID, res.Hits[0].ID, ev.Title
	} else {
		doc, err := s.Store.Document(ctx, req.DocumentID)
		if err != nil {
			return minyi.Incident{}, err
		}
		in.DocumentID, in.Title = doc.ID, doc.Title
	}
	if in.Title == "" {
		in.Title = labels.T("incident.untitled")
	}
	if s.Incidents == nil {
		return minyi.Incident{}, minyi.Errorf(minyi.EINTERNAL, "incidents are not configured on this server")
	}
	in.ID = fmt.Sprintf("%s%s-%s", minyi.IncidentIDPrefix, now.In(minyi.ChinaTime).Format("20060102"), strings.ToLower(rand.Text()[:8]))
	if err := s.Store.CreateIncident(ctx, in); err != nil {
		return minyi.Incident{}, err
	}
	if err := s.Incidents.StartIncident(ctx, in); err != nil {
		return minyi.Incident{}, fmt.Errorf("starting the case of %s: %w", in.ID, err)
	}
	in.Status = minyi.CaseRouting
	s.Audit(c, minyi.AuditEntry{Actor: u.Login, Action: minyi.AuditIncidentRaise, Target: in.ID,
		Detail: clipDetail(fmt.Sprintf("%s %s → %s by %s: %s", in.Level, in.Title, in.Department,
			in.Deadline.In(minyi.ChinaTime).Format(time.DateOnly), in.Note))})
	return in, nil
}

// IncidentFor loads the incident named in the path if the principal may
// read it: a department only those assigned to it.
func (s *Server) IncidentFor(c echo.Context) (minyi.Incident, error) {
	u := Principal(c)
	in, err := s.Store.Incident(c.Request().Context(), c.Param("id"))
	if err != nil {
		return in, err
	}
	if u.Role == RoleDepartment && in.Department != u.Department {
		return minyi.Incident{}, minyi.Errorf(minyi.EFORBIDDEN, "incident %s is not assigned to department %s", in.ID, u.Department)
	}
	return in, nil
}

// IncidentTimeline loads the incident named in the path, if the principal
// may read it, and its case's timeline (never nil).
func (s *Server) IncidentTimeline(c echo.Context) (minyi.Incident, []minyi.CaseEvent, error) {
	in, err := s.IncidentFor(c)
	if err != nil {
		return in, nil, err
	}
	events, err := s.Store.CaseEvents(c.Request().Context(), in.ID)
	if events == nil {
		events = []minyi.CaseEvent{}
	}
	return in, events, err
}

// IncidentFilterParams reads open (true|false) and department of an
// incident list, a department confined to its own.
func IncidentFilterParams(c echo.Context, p *httpx.Query) (minyi.IncidentFilter, error) {
	f := minyi.IncidentFilter{Open: p.Bool("open"), Department: p.String("department")}
	if err := p.Err(); err != nil {
		return f, err
	}
	var err error
	f.Department, err = DepartmentScope(Principal(c), f.Department)
	return f, err
}

// CloseIncident closes an answered 舆情事件 through its case workflow, and
// audits it.
func (s *Server) CloseIncident(c echo.Context, note string) (minyi.Case, error) {
	u := Principal(c)
	if !MayRaiseIncidents(u) {
		return minyi.Case{}, minyi.Errorf(minyi.EFORBIDDEN, "%s", labels.T("incident.forbidden"))
	}
	in, err := s.IncidentFor(c)
	if err != nil {
		return minyi.Case{}, err
	}
	note = strings.TrimSpace(note)
	if utf8.RuneCountInString(note) > maxIncidentNote {
		return minyi.Case{}, minyi.Errorf(minyi.EINVALID, "%s", labels.Tf("incident.note_long", maxIncidentNote))
	}
	if s.Cases == nil {
		return minyi.Case{}, minyi.Errorf(minyi.EINTERNAL, "case actions are not configured on this server")
	}
	cs, err := s.Cases.UpdateCase(c.Request().Context(), in.ID, workflows.UpdateCloseIncident,
		workflows.CloseRequest{Analyst: u.Login, Note: note})
	if err != nil {
		return cs, err
	}
	s.Audit(c, minyi.AuditEntry{Actor: u.Login, Action: minyi.AuditIncidentClose, Target: in.ID, Detail: clipDetail(note)})
	return cs, nil
}
