package workflows

import (
	"minyi"
	"minyi/activities"
)

// Names of the case workflow's updates, signal and query. Every update
// returns the case snapshot (minyi.Case) after the change; a rejected update
// fails with a temporal.ApplicationError whose type is a minyi error code
// (invalid, forbidden, conflict) and changes nothing.
const (
	UpdateReply            = "reply"             // ReplyRequest, by the assigned department
	UpdateReturn           = "return"            // ReturnRequest (回退), by the assigned department
	UpdateRequestExtension = "request-extension" // ExtensionRequest (延期), by the assigned department
	UpdateDecideExtension  = "decide-extension"  // ExtensionDecision, by a supervisor
	UpdateRate             = "rate"              // RatingRequest (回访), after a reply
	UpdateReassign         = "reassign"          // ReassignRequest, by a supervisor
	UpdateCloseIncident    = "close-incident"    // CloseRequest, by an analyst, after the department's 处置
	UpdateMerge            = "merge"             // MergeRequest (并单), by a supervisor, on the letter to merge
	SignalSourceReply      = "source-reply"      // minyi.OfficialReply seen on the source site
	QueryCase              = "case"              // returns minyi.Case
)

type ReplyRequest struct {
	Department  string   `json:"department"` // the acting department; must be the assigned one
	Text        string   `json:"text"`
	Attachments []string `json:"attachments,omitempty"`
	Resolved    bool     `json:"resolved"`
}

type ReturnRequest struct {
	Department string `json:"department"`
	Reason     string `json:"reason"`
}

type ExtensionRequest struct {
	Department string `json:"department"`
	Reason     string `json:"reason"`
	Days       int    `json:"days"` // working days (calendar days for 信访)
}

type ExtensionDecision struct {
	Supervisor string `json:"supervisor"`
	Approve    bool   `json:"approve"`
	Reason     string `json:"reason"`
}

type RatingRequest struct {
	Rating  minyi.Rating `json:"rating"`
	Comment string       `json:"comment,omitempty"`
}

type ReassignRequest struct {
	Supervisor string `json:"supervisor"`
	Department string `json:"department"`
	Reason     string `json:"reason"`
}

// MergeRequest merges this case's letter (并单) into the open case Into of
// the same department, whose reply then answers it.
type MergeRequest struct {
	Supervisor string `json:"supervisor"`
	Into       string `json:"into"`
	Reason     string `json:"reason,omitempty"`
}

// MergedDetail starts the detail of a merged letter's EventMerged, before
// the primary's id and ": " and the reason, if any.
const MergedDetail = "并单 merged into "

// CloseRequest closes an answered 舆情事件: the analyst judged the
// department's 处置 enough. It stands for a citizen's rating.
type CloseRequest struct {
	Analyst string `json:"analyst"`
	Note    string `json:"note,omitempty"`
}

// CaseInput starts the case workflow of one message; its workflow id is
// minyi.CaseIDFor(DocumentID).
type CaseInput struct {
	DocumentID string
	// Opened is the case as the ingest's OpenCases already recorded it;
	// nil (every case started before that step, or after a crash in it):
	// the workflow opens and records the case itself.
	Opened *activities.CaseOpened `json:",omitempty"`
	// Incident starts the case of a 舆情事件 instead (DocumentID is its
	// post's); the workflow id is the incident's id.
	Incident *minyi.Incident `json:",omitempty"`
}
