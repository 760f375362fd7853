package activities

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"go.temporal.io/sdk/temporal"

	"minyi"
	"minyi/deadline"
	"minyi/internal/crashpoint"
	"minyi/routing"
)

// CaseStart names a document that needs a case, with the reply its source
// has published, if any, for a case that is already running.
type CaseStart struct {
	DocumentID string
	Reply      *minyi.OfficialReply
	Opened     *CaseOpened // recorded by OpenCases; nil: the workflow opens it
}

// SelectCases returns the documents of a batch that need an answer: every
// message, and forum posts a routing rule marks for a case.
func (a *Activities) SelectCases(ctx context.Context, ids []string) ([]CaseStart, error) {
	defer keepAlive(ctx)()
	docs, err := a.Store.Documents(ctx, ids)
	if err != nil {
		return nil, err
	}
	var out []CaseStart
	for i := range docs {
		d := &docs[i]
		c, err := a.recordedCase(ctx, d.ID)
		if err != nil {
			return nil, err
		}
		if c != nil && c.Historical || !a.needsAnswer(d) {
			continue // imported history: its case is final and no workflow owns it
		}
		out = append(out, CaseStart{DocumentID: d.ID, Reply: d.Reply})
	}
	if len(out) > 0 {
		crashpoint.Hit(crashpoint.BeforeCaseStart)
	}
	return out, nil
}

// recordedCase is the case recorded for a document, nil when there is none.
func (a *Activities) recordedCase(ctx context.Context, documentID string) (*minyi.Case, error) {
	c, err := a.Store.Case(ctx, minyi.CaseIDFor(documentID))
	if minyi.ErrorCode(err) == minyi.ENOTFOUND {
		return nil, nil
	}
	return c, err
}

// needsAnswer is every message, and the forum posts a routing rule marks
// for a case.
func (a *Activities) needsAnswer(d *minyi.Document) bool {
	if d.Kind != minyi.KindPost {
		return true
	}
	_, ok := a.Router.Route(routingInput(d, a.region(d), nil))
	return ok
}

// CaseOpened is a new case with its deadline ladder.
type CaseOpened struct {
	Case         minyi.Case
	Ladder       deadline.Ladder
	RatingWindow time.Duration        // how long an answered case waits for a rating
	SourceReply  *minyi.OfficialReply // the source already published a reply
	Recorded     int                  // opening events OpenCases already recorded; 0: the workflow records them
}

// OpenCase builds the case of a stored message for a case workflow that
// started without one (see OpenCases).
func (a *Activities) OpenCase(ctx context.Context, documentID string) (CaseOpened, error) {
	crashpoint.Hit(crashpoint.AfterCaseStart)
	doc, err := a.Store.Document(ctx, documentID)
	if err != nil {
		if minyi.ErrorCode(err) == minyi.ENOTFOUND {
			return CaseOpened{}, temporal.NewNonRetryableApplicationError(err.Error(), minyi.ENOTFOUND, err)
		}
		return CaseOpened{}, err
	}
	o := a.opened(doc)
	if o.Case.RepeatOf, err = newRepeats(a).of(ctx, doc); err != nil {
		return CaseOpened{}, fmt.Errorf("repeat complaints of %s: %w", doc.ID, err)
	}
	if err := a.redo(ctx, &o); err != nil {
		return CaseOpened{}, fmt.Errorf("重办 of %s: %w", doc.ID, err)
	}
	return o, nil
}

// opened builds the case of a stored message: its type (from the source,
// else inferred), region, routing and deadlines counted from when the
// citizen wrote.
func (a *Activities) opened(doc *minyi.Document) CaseOpened {
	t, ok := routing.ParseType(doc.MessageType)
	if !ok {
		t = routing.InferType(doc.Title, doc.Body)
	}
	c := minyi.Case{
		ID:          minyi.CaseIDFor(doc.ID),
		DocumentID:  doc.ID,
		Source:      doc.Source,
		Title:       doc.Title,
		MessageType: t,
		Category:    categoryOf(doc),
		Region:      a.region(doc),
		Status:      minyi.CaseRouting,
		Received:    doc.Published,
	}
	in := routingInput(doc, c.Region, nil)
	in.Type = t
	if r, ok := a.Router.Route(in); ok {
		r.At = doc.Published
		c.Routing, c.Department, c.Status = &r, r.Department, minyi.CaseOpen
	}
	ladder := a.Deadlines.Plan(a.Calendar, doc.Source, t, doc.Published)
	c.Due = ladder.Due
	return CaseOpened{Case: c, Ladder: ladder, RatingWindow: a.Deadlines.RatingWindow, SourceReply: doc.Reply}
}

// RouteInput asks for a department for a case, avoiding those that returned it.
type RouteInput struct {
	DocumentID string
	Type       minyi.MessageType
	Region     string
	Exclude    []string
}

// RouteResult is nil Routing when no department is left: a supervisor must reassign.
type RouteResult struct {
	Routing *minyi.Routing
}

func (a *Activities) RouteCase(ctx context.Context, in RouteInput) (RouteResult, error) {
	doc, err := a.Store.Document(ctx, in.DocumentID)
	if err != nil {
		return RouteResult{}, err
	}
	ri := routingInput(doc, in.Region, in.Exclude)
	ri.Type = in.Type
	r, ok := a.Router.Route(ri)
	if !ok {
		return RouteResult{}, nil
	}
	return RouteResult{Routing: &r}, nil
}

func routingInput(d *minyi.Document, region string, exclude []string) routing.Input {
	return routing.Input{Title: d.Title, Body: d.Body, Category: categoryOf(d), Source: d.Source, Kind: d.Kind,
		Region: region, Exclude: exclude}
}

// region is the region the message's text names, if any.
func (a *Activities) region(d *minyi.Document) string {
	return a.Router.Directory().DetectRegion(d.Title + "\n" + d.Body)
}

// categoryOf is the category a case is routed by: the classifier's when a
// category model is loaded, else the board or column the source filed it in.
func categoryOf(d *minyi.Document) string {
	if d.Analysis != nil && d.Analysis.Category != "" {
		return d.Analysis.Category
	}
	return d.Board
}

// ExtendInput moves a ladder by an approved extension.
type ExtendInput struct {
	Ladder deadline.Ladder
	Type   minyi.MessageType
	Days   int
}

// ExtendLadder fails with an invalid-typed, non-retryable error for days the
// policy does not allow, so the supervisor's decision is rejected unchanged.
func (a *Activities) ExtendLadder(_ context.Context, in ExtendInput) (deadline.Ladder, error) {
	l, err := a.Deadlines.Extend(a.Calendar, in.Ladder, in.Type, in.Days)
	if err != nil {
		return l, temporal.NewNonRetryableApplicationError(minyi.ErrorMessage(err), minyi.ErrorCode(err), nil)
	}
	return l, nil
}

// PlanInput plans a fresh ladder, e.g. for a case reopened as 重办.
type PlanInput struct {
	Source   string
	Type     minyi.MessageType
	Received time.Time
}

func (a *Activities) PlanLadder(_ context.Context, in PlanInput) (deadline.Ladder, error) {
	return a.Deadlines.Plan(a.Calendar, in.Source, in.Type, in.Received), nil
}

// RerouteDeadline is when a returned case must have a new department.
func (a *Activities) RerouteDeadline(_ context.Context, at time.Time) (time.Time, error) {
	return a.Deadlines.Reroute(a.Calendar, at), nil
}

// DepartmentByName maps a reply unit published on a source site to a department id.
func (a *Activities) DepartmentByName(_ context.Context, name string) (string, error) {
	if d, ok := a.Router.Directory().ByName(strings.TrimSpace(name)); ok {
		return d.ID, nil
	}
	return "", nil
}

// RecordInput is a case snapshot and the events that led to it.
type RecordInput struct {
	Case   minyi.Case
	Events []minyi.CaseEvent
}

// RecordCase writes the projection the API lists and the statistics count.
// Events are keyed, so a retry records nothing twice.
func (a *Activities) RecordCase(ctx context.Context, in RecordInput) error {
	if err := a.Store.AppendCaseEvents(ctx, in.Events); err != nil {
		return fmt.Errorf("recording events of %s: %w", in.Case.ID, err)
	}
	if slices.ContainsFunc(in.Events, func(e minyi.CaseEvent) bool { return e.Type == minyi.EventReplied }) {
		crashpoint.Hit(crashpoint.UpdateReply)
	}
	if err := a.Store.PutCase(ctx, in.Case); err != nil {
		return fmt.Errorf("recording %s: %w", in.Case.ID, err)
	}
	return nil
}
