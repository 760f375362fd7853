package minyi

import (
	"context"
	"fmt"
	"time"
)

// MessageType is what a message asks of the government; it sets the reply
// deadline (DESIGN.md "Deadlines and escalation").
type MessageType string

const (
	TypeInquiry    MessageType = "咨询"
	TypeHelp       MessageType = "求助"
	TypeSuggestion MessageType = "建议"
	TypeComplaint  MessageType = "投诉"
	TypeReport     MessageType = "举报"
	TypePetition   MessageType = "信访"
)

// MessageTypes lists the types in the order a form offers them.
var MessageTypes = []MessageType{TypeInquiry, TypeHelp, TypeSuggestion, TypeComplaint, TypeReport, TypePetition}

// CaseStatus is where a case stands. Overdue is not a status: it is a
// routed or open case whose Due has passed.
type CaseStatus string

const (
	CaseRouting  CaseStatus = "routing"  // waiting for a department (new, or returned 回退)
	CaseOpen     CaseStatus = "open"     // assigned, waiting for the department's reply
	CaseAnswered CaseStatus = "answered" // replied; waiting for the citizen's rating
	CaseClosed   CaseStatus = "closed"   // rated, or the rating window passed
)

// Rung is a step of the escalation ladder, in order.
type Rung string

const (
	RungNone      Rung = ""
	RungReminder  Rung = "reminder"  // 2 working days before due
	RungOverdue   Rung = "overdue"   // at due
	RungUrge      Rung = "urge"      // 催办: due + 1 working day, to the department
	RungSupervise Rung = "supervise" // 督办: due + 5, to supervisor and department head
	RungNotice    Rung = "notice"    // 通报: due + 10, public in the league table
)

// Rating is the citizen's satisfaction after a reply (回访).
type Rating string

const (
	RatingSatisfied    Rating = "satisfied"    // 满意
	RatingBasic        Rating = "basic"        // 基本满意
	RatingDissatisfied Rating = "dissatisfied" // 不满意
)

// Case is a message that needs an answer, as the store projects it for
// listing and statistics. The case workflow is the authority on its state.
type Case struct {
	ID          string      `json:"id"`
	DocumentID  string      `json:"document_id"`
	Source      string      `json:"source"`
	Title       string      `json:"title"`
	MessageType MessageType `json:"message_type"`
	Category    string      `json:"category,omitempty"`
	Region      string      `json:"region,omitempty"`
	Department  string      `json:"department,omitempty"` // department id; empty while routing
	Routing     *Routing    `json:"routing,omitempty"`
	Status      CaseStatus  `json:"status"`
	Received    time.Time   `json:"received"`
	Due         time.Time   `json:"due"`
	Extended    bool        `json:"extended"`
	Answered    time.Time   `json:"answered,omitzero"`
	OnTime      bool        `json:"on_time"`
	Rung        Rung        `json:"rung,omitempty"` // highest rung reached
	Returns     int         `json:"returns"`
	Rating      Rating      `json:"rating,omitempty"`
	Redo        bool        `json:"redo"`       // reopened once after a dissatisfied rating (重办)
	Historical  bool        `json:"historical"` // imported history: no workflow, no notifications
	Updated     time.Time   `json:"updated"`
	// RepeatOf marks a repeat complaint (重复件): the earlier cases of the
	// same event (Analysis.Event) that were open, or closed within the
	// repeat window, when this letter came; newest received first, at most
	// MaxRepeatOf.
	RepeatOf []string `json:"repeat_of,omitempty"`
	// MergedInto is the case this letter was merged into (并单): that
	// case's reply answers it, and it keeps its own petitioner, rating and
	// place in every rate.
	MergedInto string `json:"merged_into,omitempty"`
}

// MaxRepeatOf bounds the earlier cases a repeat complaint links: a letter
// about an event written to a thousand times links the newest, and a
// letter's cost does not grow with every letter before it.
const MaxRepeatOf = 20

// DefaultRepeatWindow is how long after its case closed a letter about the
// same event is still a repeat complaint of it.
const DefaultRepeatWindow = 90 * 24 * time.Hour

// Overdue tells whether a case is past due and unanswered at now.
func (c *Case) Overdue(now time.Time) bool {
	return (c.Status == CaseOpen || c.Status == CaseRouting) && !c.Due.IsZero() && now.After(c.Due)
}

// CaseIDFor derives a case's id from its message, so a redelivered message
// never opens a second case.
func CaseIDFor(documentID string) string { return "case-" + documentID }

// Routing records which rule sent a case to a department, and why.
type Routing struct {
	Department string    `json:"department"`
	Rule       string    `json:"rule"`
	Reason     string    `json:"reason"`
	At         time.Time `json:"at"`
}

// EventType names what happened to a case.
type EventType string

const (
	EventOpened             EventType = "opened"
	EventRouted             EventType = "routed"
	EventReminder           EventType = "reminder"
	EventOverdue            EventType = "overdue"
	EventUrge               EventType = "urge"      // 催办
	EventSupervise          EventType = "supervise" // 督办
	EventNotice             EventType = "notice"    // 通报
	EventReplied            EventType = "replied"
	EventSourceReplied      EventType = "source_replied" // reply published on the source site
	EventReturned           EventType = "returned"       // 回退
	EventExtensionRequested EventType = "extension_requested"
	EventExtensionApproved  EventType = "extension_approved"
	EventExtensionRejected  EventType = "extension_rejected"
	EventRated              EventType = "rated"
	EventReopened           EventType = "reopened" // 重办
	EventReassigned         EventType = "reassigned"
	EventClosed             EventType = "closed"
	EventMerged             EventType = "merged"        // 并单: this letter follows the case it was merged into
	EventMergedLetter       EventType = "merged_letter" // 并入来信: a letter was merged into this case
)

// CaseEvent is one entry of a case's timeline. Key is unique per case and
// makes writing an event idempotent: a retried activity never records a
// rung twice.
type CaseEvent struct {
	CaseID     string    `json:"case_id"`
	Key        string    `json:"key"`
	Type       EventType `json:"type"`
	At         time.Time `json:"at"`
	Actor      string    `json:"actor"` // department id, "supervisor", "citizen" or "system"
	Department string    `json:"department,omitempty"`
	Detail     string    `json:"detail,omitempty"`
	Due        time.Time `json:"due,omitzero"` // the due date in force after the event
}

// EventKey is the key of a case's seq-th event: unique within the case and
// the same on every replay, so recording an event twice records it once.
func EventKey(seq int, t EventType) string { return fmt.Sprintf("%03d-%s", seq, t) }

// Reply is a department's answer to a case.
type Reply struct {
	Department  string    `json:"department"`
	Text        string    `json:"text"`
	Attachments []string  `json:"attachments,omitempty"`
	Resolved    bool      `json:"resolved"`
	At          time.Time `json:"at"`
}

// CaseFilter selects cases for the inbox, the overdue board and exports.
type CaseFilter struct {
	Department string
	Status     CaseStatus
	Overdue    *bool // relative to Now
	Now        time.Time
	From, To   time.Time // received within [From, To)
	Historical *bool
	// MergedInto selects the letters merged into that case (并单).
	MergedInto string
	// ByDue orders the page by due date, earliest first (cases without one
	// last, then by id): a department's inbox, its overdue cases first.
	ByDue  bool
	Offset int
	Limit  int
}

// DepartmentStats are a department's reply figures over a window.
type DepartmentStats struct {
	Department     string `json:"department"`
	Received       int    `json:"received"`
	Answered       int    `json:"answered"`
	Due            int    `json:"due"`              // cases whose due date fell in the window
	AnsweredOnTime int    `json:"answered_on_time"` // of Due
	Returned       int    `json:"returned"`
	Rated          int    `json:"rated"`
	Satisfied      int    `json:"satisfied"` // satisfied or basically satisfied
	Open           int    `json:"open"`
	Overdue        int    `json:"overdue"`
	// Repeats counts the repeat complaints (重复件, Case.RepeatOf set)
	// among the cases received.
	Repeats int `json:"repeats"`
	// AnsweredOnce counts the cases answered at least once: answered or
	// closed now, or reopened as 重办 after their answer. A case can only be
	// reopened once answered, so these are what 重办率 is a share of.
	AnsweredOnce int `json:"answered_once"`
	Redone       int `json:"redone"` // reopened as 重办 (Case.Redo)
	// The rates are nil when their denominator is zero: "not measured",
	// null in the API and "—" on a page, never 0.
	ResponseRate     *float64 `json:"response_rate"`     // 响应率 answered / received
	OnTimeRate       *float64 `json:"on_time_rate"`      // 按时答复率 answered on time / due
	ReturnRate       *float64 `json:"return_rate"`       // 回退率 returned / received
	SatisfactionRate *float64 `json:"satisfaction_rate"` // 满意率 satisfied / rated
	RedoRate         *float64 `json:"redo_rate"`         // 重办率 redone / answered once
}

// Ratio is n / of, or nil (not measured) when of is zero.
func Ratio(n, of int) *float64 {
	if of == 0 {
		return nil
	}
	r := float64(n) / float64(of)
	return &r
}

// WithRates returns d with its five rates computed from its counts; a rate
// whose denominator is zero stays nil.
func (d DepartmentStats) WithRates() DepartmentStats {
	d.ResponseRate = Ratio(d.Answered, d.Received)
	d.OnTimeRate = Ratio(d.AnsweredOnTime, d.Due)
	d.ReturnRate = Ratio(d.Returned, d.Received)
	d.SatisfactionRate = Ratio(d.Satisfied, d.Rated)
	d.RedoRate = Ratio(d.Redone, d.AnsweredOnce)
	return d
}

// RateValue is a rate's value for comparing and sorting, with a rate that
// was not measured as 0; never show it to a user as such.
func RateValue(r *float64) float64 {
	if r == nil {
		return 0
	}
	return *r
}

// CaseStore keeps the projection of cases and their timelines.
type CaseStore interface {
	// PutCase upserts the case snapshot by ID.
	PutCase(ctx context.Context, c Case) error
	// PutCases upserts many in one transaction: all of them, or none when
	// one is invalid.
	PutCases(ctx context.Context, cases []Case) error
	// EventCases lists the cases of an event's documents (Analysis.Event)
	// received at or before receivedBy that are not closed, or closed (last
	// updated) at or after closedSince: what a new letter of the event
	// repeats. Newest received first, id descending on ties; at most limit
	// of them, all when limit is 0.
	EventCases(ctx context.Context, event string, receivedBy, closedSince time.Time, limit int) ([]EventCase, error)
	// AppendCaseEvents writes events, ignoring any whose (CaseID, Key) exists.
	AppendCaseEvents(ctx context.Context, events []CaseEvent) error
	// Case returns ENOTFOUND for an unknown id.
	Case(ctx context.Context, id string) (*Case, error)
	CaseEvents(ctx context.Context, caseID string) ([]CaseEvent, error)
	// Cases returns a page of cases, newest received first (or by due date
	// with ByDue), and the total.
	Cases(ctx context.Context, f CaseFilter) ([]Case, int, error)
	// DepartmentStats computes figures per department for cases received in
	// [from, to), overdue judged at now; departments with no cases are absent.
	DepartmentStats(ctx context.Context, from, to, now time.Time) ([]DepartmentStats, error)
	// OverdueBoard counts the cases overdue at now (Case.Overdue) by
	// department and BoardRung, with the oldest due date of each group; by
	// department id (bytewise), then up the ladder. Groups of no case are absent.
	OverdueBoard(ctx context.Context, now time.Time) ([]OverdueGroup, error)
	// OverdueCases returns a page of one group of the board, oldest due
	// first (id ascending on ties), and the group's total.
	OverdueCases(ctx context.Context, f OverdueFilter) ([]Case, int, error)
	// PutDepartmentEscalation ignores an escalation whose Key exists.
	PutDepartmentEscalation(ctx context.Context, e DepartmentEscalation) error
	// DepartmentEscalations lists escalations at or after since, newest first;
	// department "" means all.
	DepartmentEscalations(ctx context.Context, department string, since time.Time) ([]DepartmentEscalation, error)
}
