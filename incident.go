package minyi

import (
	"context"
	"strings"
	"time"
)

// IncidentLevel is how serious an analyst judges a 舆情事件.
type IncidentLevel string

const (
	IncidentGeneral IncidentLevel = "general" // 一般
	IncidentSerious IncidentLevel = "serious" // 较大
	IncidentMajor   IncidentLevel = "major"   // 重大: the configured leaders are told at once
)

// IncidentLevels lists the levels, least serious first.
var IncidentLevels = []IncidentLevel{IncidentGeneral, IncidentSerious, IncidentMajor}

// Valid tells whether l is one of IncidentLevels.
func (l IncidentLevel) Valid() bool {
	return l == IncidentGeneral || l == IncidentSerious || l == IncidentMajor
}

// IncidentIDPrefix starts the id of every 舆情事件. The id is also that of
// its case and case workflow, so a case is an incident's exactly when its
// id has this prefix (a message's case is CaseIDFor, "case-…").
const IncidentIDPrefix = "incident-"

// IsIncident tells whether a case id is a 舆情事件's.
func IsIncident(caseID string) bool { return strings.HasPrefix(caseID, IncidentIDPrefix) }

// Incident is a 舆情事件: an event or a single post an analyst raised, with
// a level and a judgement (研判意见), handed to a department to respond to
// (处置) by a deadline. It runs as a case of its own on the case ladder; the
// department's reply is its 处置结果 and the analyst closes it. The store
// keeps what was raised; Status, Rung and Answered are its case's.
type Incident struct {
	ID    string        `json:"id"`
	Title string        `json:"title"`
	Level IncidentLevel `json:"level"`
	Note  string        `json:"note"` // 研判意见
	// Event is the hot event raised (its id), "" when a single post was.
	Event string `json:"event,omitempty"`
	// DocumentID is the post raised, or the event's newest document when
	// it was raised.
	DocumentID string    `json:"document_id"`
	Department string    `json:"department"`
	Deadline   time.Time `json:"deadline"` // respond (处置) by then
	RaisedBy   string    `json:"raised_by"`
	Raised     time.Time `json:"raised"`

	// From its case; a case not yet recorded reads as routing.
	Status   CaseStatus `json:"status"`
	Rung     Rung       `json:"rung,omitempty"`
	Answered time.Time  `json:"answered,omitzero"`
}

// IncidentFilter selects incidents; zero fields select all.
type IncidentFilter struct {
	Department string // the department its case is assigned to now
	Open       *bool  // true: not closed; false: closed
	Limit      int    // 1..MaxPageSize; 0 means DefaultPageSize
	Offset     int
}

// IncidentStore keeps the 舆情事件 analysts raise.
type IncidentStore interface {
	// CreateIncident keeps a new incident; an id kept already is ECONFLICT.
	CreateIncident(ctx context.Context, in Incident) error
	// Incident returns one incident with its case's state; ENOTFOUND.
	Incident(ctx context.Context, id string) (Incident, error)
	// Incidents lists incidents and how many match: open ones first, the
	// most serious level first, then the nearest deadline, then id.
	Incidents(ctx context.Context, f IncidentFilter) ([]Incident, int, error)
}

// WatchStore remembers, per analyst, when they last marked the watch desk
// (值班台) read: what arrived after that is new to them.
type WatchStore interface {
	// WatchSeen is zero for an analyst who never marked it.
	WatchSeen(ctx context.Context, login string) (time.Time, error)
	MarkWatchSeen(ctx context.Context, login string, at time.Time) error
}
