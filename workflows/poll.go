package workflows

import (
	"errors"
	"fmt"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"minyi"
	"minyi/activities"
)

// PollWorkflowPrefix starts the id of a source's polling workflow:
// poll-<source>, one per source.
const PollWorkflowPrefix = "poll-"

// PollInput is what a source's polling workflow runs with; State carries
// what the last poll saw across continue-as-new.
type PollInput struct {
	Source string
	// Every is how often the list pages are looked at (the source's
	// PollInterval; at least minyi.MinPollInterval).
	Every time.Duration
	// Interval is the source's crawl interval, for the retries of the
	// crawls a change starts.
	Interval time.Duration
	State    minyi.ListState
}

// pollsPerRun bounds one run's history: each poll adds a handful of events
// (a local activity marker, a timer, a workflow task), so after this many
// the workflow continues as new with its state.
const pollsPerRun = 200

// pollOptions run the poll as a local activity: it is a few requests that
// change nothing, and a failed one is simply the next poll's to do, so it
// is not retried and costs no activity task round trip.
var pollOptions = workflow.LocalActivityOptions{
	StartToCloseTimeout: time.Minute,
	RetryPolicy:         &temporal.RetryPolicy{MaximumAttempts: 1},
}

// PollWorkflow watches one source between its scheduled crawls: every
// in.Every it looks at the list pages (a conditional GET that a site
// answers 304 while nothing is new) and, when they changed, crawls the
// source at once in a child CrawlWorkflow and waits for it. So a new post
// is searchable seconds after it appears, and the site sees list requests,
// mostly 304s, rather than full crawls. The scheduled crawl stays as the
// safety net for what a list page does not show.
//
// It ends when the worker does not know the source (removed from the
// config), and continues as new after pollsPerRun polls.
func PollWorkflow(ctx workflow.Context, in PollInput) error {
	every := max(in.Every, minyi.MinPollInterval)
	lctx := workflow.WithLocalActivityOptions(ctx, pollOptions)
	runID := workflow.GetInfo(ctx).WorkflowExecution.RunID
	for i := range pollsPerRun {
		var st minyi.ListState
		err := workflow.ExecuteLocalActivity(lctx, a.PollSource, activities.PollInput{Source: in.Source, Prev: in.State}).Get(ctx, &st)
		var appErr *temporal.ApplicationError
		switch {
		case errors.As(err, &appErr) && appErr.Type() == minyi.ENOTFOUND:
			workflow.GetLogger(ctx).Info("source no longer configured: polling stops", "source", in.Source)
			return nil
		case err != nil:
			workflow.GetLogger(ctx).Warn("poll failed; trying again at the next", "source", in.Source, "error", err)
		default:
			changed := st.Changed
			st.Changed, st.NotModified = false, 0
			in.State = st
			if changed {
				crawlNow(ctx, in, fmt.Sprintf("crawl-%s-poll-%s-%d", in.Source, runID, i))
			}
		}
		if err := workflow.Sleep(ctx, every); err != nil {
			return err
		}
		if workflow.GetInfo(ctx).GetContinueAsNewSuggested() {
			break
		}
	}
	return workflow.NewContinueAsNewError(ctx, PollWorkflow, in)
}

// crawlNow crawls the source in a child workflow and waits for it, so the
// next poll sees the list as the crawl left it and crawls never pile up. A
// failed crawl is logged: the next change or the schedule tries again.
func crawlNow(ctx workflow.Context, in PollInput, id string) {
	cctx := workflow.WithChildOptions(ctx, workflow.ChildWorkflowOptions{
		WorkflowID: id,
		// A poll workflow restarted with new settings must not cut short
		// a crawl that has stored documents and is ingesting them.
		ParentClosePolicy: enumspb.PARENT_CLOSE_POLICY_ABANDON,
	})
	var res CrawlResult
	if err := workflow.ExecuteChildWorkflow(cctx, CrawlWorkflow, CrawlInput{Source: in.Source, Interval: in.Interval, ChangedListsOnly: true}).Get(ctx, &res); err != nil {
		workflow.GetLogger(ctx).Warn("crawl after a list change failed", "source", in.Source, "error", err)
	}
}
