package minyi

import (
	"context"
	"time"
)

// ReportStatus is where a kept report stands: a draft the analysts edit, or
// published, after which it does not change.
type ReportStatus string

const (
	ReportDraft     ReportStatus = "draft"
	ReportPublished ReportStatus = "published"
)

// ScheduleAuthor is the author of the drafts the report schedules make.
const ScheduleAuthor = "schedule"

// Report is a 舆情 report kept by minyi: its content (the JSON of a
// report.Report, which the analyst edits while it is a draft) and, once
// published, the DOCX and PDF that were handed out, kept as they were.
type Report struct {
	ID     string       `json:"id"` // e.g. daily-20261206 for a scheduled one
	Kind   string       `json:"kind"`
	From   time.Time    `json:"from"`
	To     time.Time    `json:"to"`
	Title  string       `json:"title"`
	Status ReportStatus `json:"status"`
	// Author is the login that made it, or ScheduleAuthor.
	Author  string    `json:"author"`
	Created time.Time `json:"created"`
	// Edited is the last save of the draft (Created until one).
	Edited    time.Time `json:"edited"`
	Publisher string    `json:"publisher,omitempty"`
	Published time.Time `json:"published,omitzero"`

	// Content, DOCX and PDF are left out of lists.
	Content []byte `json:"-"`
	DOCX    []byte `json:"-"`
	PDF     []byte `json:"-"`
}

// ReportFilter selects kept reports; zero fields select all.
type ReportFilter struct {
	Kind   string
	Status ReportStatus
	// From and To select reports whose period overlaps [From, To).
	From, To time.Time
	Limit    int // 1..MaxPageSize; 0 means DefaultPageSize
	Offset   int
}

// ReportStore keeps reports from draft to publication.
type ReportStore interface {
	// CreateReport keeps a new draft (Status and Edited are set by the
	// store). An id already kept is ECONFLICT and changes nothing: a
	// schedule that runs twice for one period makes one draft.
	CreateReport(ctx context.Context, r Report) error
	// Report returns one report with its content and files; ENOTFOUND.
	Report(ctx context.Context, id string) (Report, error)
	// Reports lists reports without content or files, latest period first
	// (ties: newest first), and how many match in all.
	Reports(ctx context.Context, f ReportFilter) ([]Report, int, error)
	// SaveReportDraft replaces a draft's title and content; a published
	// report is ECONFLICT and stays as it was handed out.
	SaveReportDraft(ctx context.Context, id, title string, content []byte, at time.Time) error
	// PublishReport publishes a draft with the files rendered from its
	// content; a report already published is ECONFLICT.
	PublishReport(ctx context.Context, id, publisher string, at time.Time, docx, pdf []byte) error
}
