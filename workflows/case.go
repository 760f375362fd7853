package workflows

import (
	"fmt"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"minyi"
	"minyi/activities"
	"minyi/deadline"
)

var rungEvents = map[minyi.Rung]minyi.EventType{
	minyi.RungReminder: minyi.EventReminder, minyi.RungOverdue: minyi.EventOverdue, minyi.RungUrge: minyi.EventUrge,
	minyi.RungSupervise: minyi.EventSupervise, minyi.RungNotice: minyi.EventNotice,
}

// caseState is everything the case workflow knows; update handlers change it
// and bump version so the main loop re-plans its next timer.
type caseState struct {
	c            minyi.Case
	ladder       deadline.Ladder
	ratingWindow time.Duration
	climbed      int // rungs of the current ladder already fired
	cycle        int // 1 after a reopening (重办)
	// incident: the case of a 舆情事件, which the analyst closes after the
	// department's 处置 instead of a citizen rating it.
	incident     bool
	seq          int // events recorded; makes every event key unique and replay-stable
	version      int
	pending      *ExtensionRequest
	excluded     []string  // departments that returned the case
	rerouteBy    time.Time // a returned case must have a department by then
	rerouteFired bool
	// cancelEscalation stops a rung's notification still retrying when the
	// case is answered meanwhile.
	cancelEscalation workflow.CancelFunc
	lock             workflow.Mutex
	// 并单 (case_merge.go): as a primary, the letters merged into it and
	// not yet answered; as a merged case, the primary it is joining.
	merged       []string
	mergingInto  string
	mergeAttempt int
}

// CaseWorkflow runs one case from routing to closing: it fires the escalation
// ladder on working-day deadlines and takes department and supervisor actions
// as validated Updates. Its id is minyi.CaseIDFor(documentID).
func CaseWorkflow(ctx workflow.Context, in CaseInput) (minyi.Case, error) {
	s := &caseState{lock: workflow.NewMutex(ctx)}
	opened, err := s.open(ctx, in)
	if err != nil {
		return s.c, err
	}
	if err := s.registerHandlers(ctx); err != nil {
		return s.c, err
	}
	if s.c.Department != "" {
		s.notifyAssigned(ctx)
	}
	if in.Incident != nil && in.Incident.Level == minyi.IncidentMajor {
		// The leaders hear at once, however long their webhook retries; the
		// ladder does not wait for it.
		workflow.Go(ctx, func(ctx workflow.Context) {
			s.notify(ctx, activities.Notice{Kind: minyi.NoticeIncident, Leaders: true,
				Text: "重大舆情事件 major incident: " + in.Incident.Note})
		})
	}
	if opened.SourceReply != nil {
		if err := s.sourceReplied(ctx, *opened.SourceReply); err != nil {
			return s.c, err
		}
	}
	workflow.Go(ctx, s.listenMerges)
	workflow.Go(ctx, func(ctx workflow.Context) {
		ch := workflow.GetSignalChannel(ctx, SignalSourceReply)
		for {
			var r minyi.OfficialReply
			ch.Receive(ctx, &r)
			if err := s.sourceReplied(ctx, r); err != nil {
				workflow.GetLogger(ctx).Error("applying a reply published on the source", "err", err)
			}
		}
	})
	return s.run(ctx)
}

// open takes the case as the ingest recorded it, or opens and records it.
func (s *caseState) open(ctx workflow.Context, in CaseInput) (activities.CaseOpened, error) {
	if in.Incident != nil {
		return s.openIncident(ctx, *in.Incident)
	}
	if o := in.Opened; o != nil {
		s.c, s.ladder, s.ratingWindow, s.seq = o.Case, o.Ladder, o.RatingWindow, o.Recorded
		return *o, nil
	}
	var opened activities.CaseOpened
	if err := workflow.ExecuteActivity(quick(ctx), a.OpenCase, in.DocumentID).Get(ctx, &opened); err != nil {
		return opened, err
	}
	s.c, s.ladder, s.ratingWindow = opened.Case, opened.Ladder, opened.RatingWindow
	events := []minyi.CaseEvent{s.event(ctx, minyi.EventOpened, "system", "", "")}
	if r := s.c.Routing; r != nil {
		events = append(events, s.event(ctx, minyi.EventRouted, "system", r.Department, r.Reason))
	}
	return opened, s.record(ctx, events...)
}

// openIncident opens and records the case of a 舆情事件, raised by its analyst.
func (s *caseState) openIncident(ctx workflow.Context, in minyi.Incident) (activities.CaseOpened, error) {
	s.incident = true
	var opened activities.CaseOpened
	if err := workflow.ExecuteActivity(quick(ctx), a.OpenIncident, in).Get(ctx, &opened); err != nil {
		return opened, err
	}
	s.c, s.ladder = opened.Case, opened.Ladder
	events := []minyi.CaseEvent{
		s.event(ctx, minyi.EventOpened, in.RaisedBy, "", string(in.Level)+": "+in.Note),
		s.event(ctx, minyi.EventRouted, in.RaisedBy, in.Department, s.c.Routing.Reason),
	}
	return opened, s.record(ctx, events...)
}

// run is the main loop: wait for the next deadline or for a change.
func (s *caseState) run(ctx workflow.Context) (minyi.Case, error) {
	for {
		seen := s.version
		switch s.c.Status {
		case minyi.CaseClosed:
			// Updates still in flight finish before the workflow completes.
			if err := workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) }); err != nil {
				return s.c, err
			}
			return s.c, nil
		case minyi.CaseAnswered:
			if s.incident { // its analyst closes it; no rating window
				if err := workflow.Await(ctx, func() bool { return s.version != seen }); err != nil {
					return s.c, err
				}
				continue
			}
			if passed, err := s.waitUntil(ctx, s.c.Answered.Add(s.ratingWindow), seen); err != nil {
				return s.c, err
			} else if passed {
				s.c.Status = minyi.CaseClosed
				if err := s.record(ctx, s.event(ctx, minyi.EventClosed, "system", "", "no rating within the rating window")); err != nil {
					return s.c, err
				}
			}
		case minyi.CaseRouting:
			if s.rerouteBy.IsZero() || s.rerouteFired {
				if err := workflow.Await(ctx, func() bool { return s.version != seen }); err != nil {
					return s.c, err
				}
				continue
			}
			if passed, err := s.waitUntil(ctx, s.rerouteBy, seen); err != nil {
				return s.c, err
			} else if passed {
				s.rerouteFired = true
				ev := s.event(ctx, minyi.EventSupervise, "system", "", "returned case not re-routed within the deadline: a supervisor must reassign it")
				if err := s.record(ctx, ev); err != nil {
					return s.c, err
				}
				s.notify(ctx, activities.Notice{Kind: minyi.NoticeSupervise, Supervisor: true, Text: ev.Detail})
			}
		case minyi.CaseOpen:
			s.skipTurnedOff()
			if s.climbed >= len(deadline.Rungs) {
				if err := workflow.Await(ctx, func() bool { return s.version != seen }); err != nil {
					return s.c, err
				}
				continue
			}
			if passed, err := s.waitUntil(ctx, s.ladder.At(deadline.Rungs[s.climbed]), seen); err != nil {
				return s.c, err
			} else if passed {
				if err := s.fire(ctx); err != nil {
					return s.c, err
				}
			}
		}
	}
}

// skipTurnedOff passes over rungs the policy turned off: the ladder gives
// them no time (a zero time would otherwise count as long past).
func (s *caseState) skipTurnedOff() {
	for s.climbed < len(deadline.Rungs) && s.ladder.At(deadline.Rungs[s.climbed]).IsZero() {
		s.climbed++
	}
}

// waitUntil reports true when at passed with no change to the case.
func (s *caseState) waitUntil(ctx workflow.Context, at time.Time, seen int) (bool, error) {
	d := at.Sub(workflow.Now(ctx))
	if d <= 0 {
		return true, nil
	}
	changed, err := workflow.AwaitWithTimeout(ctx, d, func() bool { return s.version != seen })
	return !changed, err
}

// fire climbs every rung whose time has come: usually one, several when a
// case is opened or resumed late. All are recorded as events first, so they
// count even if every notification attempt fails; one notification, for the
// highest rung, says how far the case has climbed.
func (s *caseState) fire(ctx workflow.Context) error {
	now := workflow.Now(ctx)
	detail := fmt.Sprintf("due %s", s.c.Due.In(minyi.ChinaTime).Format("2006-01-02 15:04"))
	var events []minyi.CaseEvent
	for {
		s.skipTurnedOff()
		if s.climbed >= len(deadline.Rungs) || s.ladder.At(deadline.Rungs[s.climbed]).After(now) {
			break
		}
		rung := deadline.Rungs[s.climbed]
		s.climbed++
		s.c.Rung = rung
		events = append(events, s.event(ctx, rungEvents[rung], "system", s.c.Department, detail))
	}
	if err := s.record(ctx, events...); err != nil {
		return err
	}
	ectx, cancel := workflow.WithCancel(ctx)
	s.cancelEscalation = cancel
	s.notify(ectx, activities.Notice{Kind: minyi.NoticeKind(s.c.Rung), Text: detail,
		Supervisor: s.c.Rung == minyi.RungSupervise || s.c.Rung == minyi.RungNotice})
	s.cancelEscalation = nil
	return nil
}

// notify delivers a notice with patient retries. A notice that still fails,
// or is cancelled because the case was answered, never fails the case.
func (s *caseState) notify(ctx workflow.Context, n activities.Notice) {
	n = s.addressed(n)
	ctx = workflow.WithActivityOptions(ctx, notifyActivity)
	s.undelivered(ctx, n, workflow.ExecuteActivity(ctx, a.Notify, n).Get(ctx, nil))
}

// notifyAssigned tells the department of its new case. Since
// "local-assigned-notice" the notice is a local activity: it is all a case
// does before its first timer, so the first workflow task runs it and
// completes with that timer, instead of an activity task, its completion
// and a second workflow task through the server; that was most of what a
// case cost to start beyond a bare workflow (BenchmarkCaseStart).
func (s *caseState) notifyAssigned(ctx workflow.Context) {
	n := s.addressed(activities.Notice{Kind: minyi.NoticeAssigned, Text: "新交办案件 / new case assigned"})
	if workflow.GetVersion(ctx, "local-assigned-notice", workflow.DefaultVersion, 1) == workflow.DefaultVersion {
		s.notify(ctx, n)
		return
	}
	ctx = workflow.WithLocalActivityOptions(ctx, notifyLocally)
	s.undelivered(ctx, n, workflow.ExecuteLocalActivity(ctx, a.Notify, n).Get(ctx, nil))
}

// addressed fills in what every notice of the case says about it.
func (s *caseState) addressed(n activities.Notice) activities.Notice {
	n.CaseID, n.Title, n.Department, n.Due = s.c.ID, s.c.Title, s.c.Department, s.c.Due
	return n
}

func (s *caseState) undelivered(ctx workflow.Context, n activities.Notice, err error) {
	if err != nil && !temporal.IsCanceledError(err) {
		workflow.GetLogger(ctx).Warn("notification not delivered", "case", s.c.ID, "kind", n.Kind, "err", err)
	}
}

// record writes the case snapshot and events. The lock orders concurrent
// writers (main loop and update handlers) and the snapshot is taken under it,
// so the last write is always the newest state.
func (s *caseState) record(ctx workflow.Context, events ...minyi.CaseEvent) error {
	if err := s.lock.Lock(ctx); err != nil {
		return err
	}
	defer s.lock.Unlock()
	s.c.Updated = workflow.Now(ctx)
	in := activities.RecordInput{Case: s.c, Events: events}
	return workflow.ExecuteActivity(quick(ctx), a.RecordCase, in).Get(ctx, nil)
}

func (s *caseState) event(ctx workflow.Context, t minyi.EventType, actor, department, detail string) minyi.CaseEvent {
	s.seq++
	return minyi.CaseEvent{
		CaseID: s.c.ID, Key: minyi.EventKey(s.seq, t), Type: t, At: workflow.Now(ctx),
		Actor: actor, Department: department, Detail: detail, Due: s.c.Due,
	}
}

// sourceReplied closes the loop with a reply the department published on the
// source site: answered by that unit at that time.
func (s *caseState) sourceReplied(ctx workflow.Context, r minyi.OfficialReply) error {
	if s.c.Status != minyi.CaseOpen && s.c.Status != minyi.CaseRouting {
		return nil
	}
	if s.c.Department == "" {
		var id string
		if err := workflow.ExecuteActivity(quick(ctx), a.DepartmentByName, r.Unit).Get(ctx, &id); err != nil {
			return err
		}
		s.c.Department = id
	}
	s.answer(r.Published)
	if err := s.record(ctx, s.event(ctx, minyi.EventSourceReplied, r.Unit, s.c.Department, r.Body)); err != nil {
		return err
	}
	s.answerMerged(ctx, minyi.EventSourceReplied, r.Body)
	return nil
}

// answer moves the case to answered at t and stops the ladder.
func (s *caseState) answer(t time.Time) {
	s.c.Status, s.c.Answered, s.c.OnTime = minyi.CaseAnswered, t, !t.After(s.c.Due)
	s.version++
	if s.cancelEscalation != nil {
		s.cancelEscalation()
	}
}

// quick applies quickActivity: update handlers get a context of their own,
// without the options of the workflow's.
func quick(ctx workflow.Context) workflow.Context {
	return workflow.WithActivityOptions(ctx, quickActivity)
}

var quickActivity = workflow.ActivityOptions{
	StartToCloseTimeout: 15 * time.Second, // short: after a crash, the retry waits this long
	RetryPolicy: &temporal.RetryPolicy{
		InitialInterval:        time.Second,
		MaximumInterval:        time.Minute,
		NonRetryableErrorTypes: []string{minyi.ENOTFOUND, minyi.EINVALID},
	},
}

// Notifications retry for a day: a robot webhook down for hours still gets
// the 督办 once it is back.
var notifyActivity = workflow.ActivityOptions{
	StartToCloseTimeout: 30 * time.Second,
	RetryPolicy: &temporal.RetryPolicy{
		InitialInterval:    5 * time.Second,
		BackoffCoefficient: 2,
		MaximumInterval:    30 * time.Minute,
		MaximumAttempts:    60,
	},
}

// notifyLocally retries as notifyActivity does; a backoff longer than a
// workflow task's timeout waits on a timer between attempts.
var notifyLocally = workflow.LocalActivityOptions{
	StartToCloseTimeout: notifyActivity.StartToCloseTimeout,
	RetryPolicy:         notifyActivity.RetryPolicy,
}
