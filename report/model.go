// Package report makes the analyst's 舆情 reports (日报, 周报, 月报, 专报)
// from the store and the search index, and writes them as DOCX and PDF.
//
// Generate computes a Report from the figures; the Report is a plain value
// that an analyst may edit (the summary, the events and posts kept, remarks)
// and that is stored as JSON between draft and publication; WriteDOCX and
// WritePDF render whatever the Report then says. The package reads counts,
// facets and search hits, never whole documents: a petitioner's contact data
// is not within its reach, and no report can print it.
package report

import (
	"time"

	"minyi"
)

// Kind is the kind of report, which sets its title and usual period.
type Kind string

const (
	Daily   Kind = "daily"   // 舆情日报: one day
	Weekly  Kind = "weekly"  // 舆情周报: Monday to Sunday
	Monthly Kind = "monthly" // 舆情月报: a calendar month
	Special Kind = "special" // 舆情专报: one search or one event, any period
)

// Kinds lists the kinds in the order a form offers them.
var Kinds = []Kind{Daily, Weekly, Monthly, Special}

// Spec says which report to make.
type Spec struct {
	Kind     Kind
	From, To time.Time // the period [From, To)
	// Query is a special report's search, in the syntax of minyi.ParseQuery.
	Query string
	// Event is the id of the event a special report is about (instead of
	// a search): its documents, and the cases opened for them.
	Event string
	// Title and Issuer replace the defaults (the kind's name; 舆情监测中心).
	Title, Issuer string
	// Now is when the report is made: cases are judged overdue at it. Zero
	// means the wall clock.
	Now time.Time
}

// Report is a report's content, ready to be edited and rendered. Every
// field is plain data so that a draft round-trips through JSON unchanged.
type Report struct {
	Kind      Kind      `json:"kind"`
	Title     string    `json:"title"`
	Issuer    string    `json:"issuer"`
	From      time.Time `json:"from"`
	To        time.Time `json:"to"`
	Query     string    `json:"query,omitempty"`
	Event     string    `json:"event,omitempty"` // the event of a special report about one
	Generated time.Time `json:"generated"`

	// Summary is the opening paragraph, written from the figures by
	// Generate; the analyst may rewrite it.
	Summary string `json:"summary"`
	// Remarks are the analyst's assessment and advice (研判建议); a report
	// without any has no such section.
	Remarks string `json:"remarks,omitempty"`

	Figures Figures `json:"figures"`
	// Charts names the charts to show, in order (ChartVolume ...); an
	// analyst drops one by removing its name.
	Charts []string `json:"charts"`
	// Events are the period's hottest events (analysis/event), hottest
	// first; a special report's search has its largest topics instead.
	Events []Event `json:"events"`
	// Negative are negative posts that need attention, beyond the events.
	Negative []Post `json:"negative"`
	// Cases is nil for a special report about a search: cases are counted
	// by period, not by search. One about an event has the event's cases.
	Cases *Cases `json:"cases,omitempty"`
}

// Names of the charts a report can show.
const (
	ChartVolume      = "volume"      // documents per hour or day, by sentiment
	ChartSources     = "sources"     // documents per source
	ChartCategories  = "categories"  // documents per category
	ChartDepartments = "departments" // cases per department
)

// Figures are the counts the summary and the charts are made of.
type Figures struct {
	Total    int `json:"total"`    // documents published in the period
	Previous int `json:"previous"` // in the period of equal length just before
	// Change is (Total-Previous)/Previous; nil when Previous is zero.
	Change   *float64 `json:"change"`
	Posts    int      `json:"posts"`    // forum posts
	Messages int      `json:"messages"` // messages to the government
	Positive int      `json:"positive"`
	Neutral  int      `json:"neutral"`
	Negative int      `json:"negative"`
	// PreviousNegative counts the negative documents of the period before.
	PreviousNegative int `json:"previous_negative"`
	// NegativeShare is Negative over the documents with a sentiment (not
	// yet analysed documents have none); nil when none has.
	NegativeShare         *float64 `json:"negative_share"`
	PreviousNegativeShare *float64 `json:"previous_negative_share"`
	// Sources and Categories count the period's documents, most first.
	Sources    []minyi.FacetCount `json:"sources"`
	Categories []minyi.FacetCount `json:"categories"`
	// Uncategorized counts the documents without a category.
	Uncategorized int `json:"uncategorized"`
	// Series covers the period in hours (up to two days) or days.
	Series []Bucket `json:"series"`
}

// Bucket is one hour or day of the series.
type Bucket struct {
	Start    time.Time `json:"start"`
	Label    string    `json:"label"` // e.g. 08时 or 11-23
	Total    int       `json:"total"`
	Positive int       `json:"positive"`
	Neutral  int       `json:"neutral"`
	Negative int       `json:"negative"`
}

// Event is an event of the period (analysis/event: documents about one
// problem at one place), or, in a special report's search, a topic group
// (near-duplicate posts and reposts).
type Event struct {
	ID       string    `json:"id,omitempty"`    // the event's id; empty for a topic group
	Topic    string    `json:"topic,omitempty"` // the topic group's; empty for an event or a lone document
	Title    string    `json:"title"`
	Size     int       `json:"size"` // documents in the period
	Negative int       `json:"negative"`
	First    time.Time `json:"first"` // first and last publication in the period
	Last     time.Time `json:"last"`
	Sources  []string  `json:"sources"`
	// Posts are representative documents, newest first.
	Posts []Post `json:"posts"`
	// Note is the analyst's comment on the event.
	Note string `json:"note,omitempty"`
}

// Post is one document as a report cites it: what a search hit shows,
// which names no petitioner.
type Post struct {
	ID        string          `json:"id"`
	Title     string          `json:"title"`
	Source    string          `json:"source"`
	Kind      minyi.Kind      `json:"kind"`
	URL       string          `json:"url,omitempty"`
	Published time.Time       `json:"published"`
	Sentiment minyi.Sentiment `json:"sentiment,omitempty"`
	Category  string          `json:"category,omitempty"`
	// Reposts counts the documents of its topic in the period, itself
	// included.
	Reposts int `json:"reposts,omitempty"`
	// Excerpt is where a special report's search matched the text.
	Excerpt string `json:"excerpt,omitempty"`
}

// Cases is what happened to the cases received in the period, judged at
// the report's Generated time.
type Cases struct {
	Received       int `json:"received"`
	Answered       int `json:"answered"`
	Due            int `json:"due"`
	AnsweredOnTime int `json:"answered_on_time"`
	Open           int `json:"open"`
	Overdue        int `json:"overdue"`
	// Unrouted counts cases still waiting for a department (待交办).
	Unrouted     int      `json:"unrouted"`
	ResponseRate *float64 `json:"response_rate"` // 响应率; nil when not measured
	OnTimeRate   *float64 `json:"on_time_rate"`  // 按时答复率; nil when not measured
	// Departments lists every department with cases, most received first.
	Departments []DepartmentRow `json:"departments"`
	// OverdueCases are some of the overdue cases, longest overdue first;
	// Overdue has them all.
	OverdueCases []CaseItem `json:"overdue_cases"`
	// Red and Black name the month's best and worst departments (红榜,
	// 黑榜), as the league table ranks them; monthly reports only.
	Red   []string `json:"red,omitempty"`
	Black []string `json:"black,omitempty"`
}

// DepartmentRow is a department's figures with its name.
type DepartmentRow struct {
	minyi.DepartmentStats
	Name string `json:"name"`
}

// CaseItem is an overdue case as a report lists it.
type CaseItem struct {
	ID         string            `json:"id"`
	Title      string            `json:"title"`
	Department string            `json:"department"` // its name
	Type       minyi.MessageType `json:"type"`
	Received   time.Time         `json:"received"`
	Due        time.Time         `json:"due"`
	Rung       minyi.Rung        `json:"rung,omitempty"`
}
