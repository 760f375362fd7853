package workflows

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"minyi"
	"minyi/activities"
)

// pollScript answers the polls in order: "same", "changed", "fail".
type pollScript struct {
	t     *testing.T
	steps []string
	calls int
	prevs []minyi.ListState // the Prev each poll was given
}

func (p *pollScript) poll(_ context.Context, in activities.PollInput) (minyi.ListState, error) {
	p.prevs = append(p.prevs, in.Prev)
	step := "same"
	if p.calls < len(p.steps) {
		step = p.steps[p.calls]
	}
	p.calls++
	page := minyi.ListPage{URL: "https://bbs.example.cn/forum.php", ETag: `"v` + string(rune('0'+p.calls)) + `"`}
	switch step {
	case "changed":
		return minyi.ListState{Pages: []minyi.ListPage{page}, Changed: true}, nil
	case "fail":
		return in.Prev, errors.New("connection refused")
	case "gone":
		return in.Prev, temporal.NewNonRetryableApplicationError("no such source", minyi.ENOTFOUND, nil)
	}
	if len(in.Prev.Pages) > 0 {
		page = in.Prev.Pages[0]
	}
	return minyi.ListState{Pages: []minyi.ListPage{page}, NotModified: 1}, nil
}

func newPollEnv(t *testing.T, steps ...string) (*testsuite.TestWorkflowEnvironment, *pollScript, *[]string) {
	script := &pollScript{t: t, steps: steps}
	env, crawls := pollEnv(t, script.poll)
	return env, script, crawls
}

func pollEnv(t *testing.T, poll func(context.Context, activities.PollInput) (minyi.ListState, error)) (*testsuite.TestWorkflowEnvironment, *[]string) {
	var ts testsuite.WorkflowTestSuite
	env := ts.NewTestWorkflowEnvironment()
	env.RegisterActivity(a)
	env.OnActivity(a.PollSource, mock.Anything, mock.Anything).Return(poll)
	var crawls []string
	env.RegisterWorkflow(CrawlWorkflow)
	env.OnWorkflow(CrawlWorkflow, mock.Anything, mock.Anything).Return(
		func(ctx workflow.Context, in CrawlInput) (CrawlResult, error) {
			crawls = append(crawls, workflow.GetInfo(ctx).WorkflowExecution.ID)
			if in.Source != "forum" || in.Interval != time.Minute || !in.ChangedListsOnly {
				t.Errorf("crawl started with %+v, want the source, its interval and only changed lists", in)
			}
			return CrawlResult{}, nil
		})
	return env, &crawls
}

// Only a poll that saw a change crawls; each poll is given what the one
// before it saw, so a change is crawled once; a failed poll changes nothing.
func TestPollCrawlsOnlyWhenTheListChanged(t *testing.T) {
	env, script, crawls := newPollEnv(t, "same", "changed", "same", "fail", "same", "changed", "gone")
	env.ExecuteWorkflow(PollWorkflow, PollInput{Source: "forum", Every: 7 * time.Second, Interval: time.Minute})
	if !env.IsWorkflowCompleted() || env.GetWorkflowError() != nil {
		t.Fatalf("completed %v, error %v; want it to end when the source is gone", env.IsWorkflowCompleted(), env.GetWorkflowError())
	}
	if script.calls != 7 {
		t.Fatalf("%d polls, want 7", script.calls)
	}
	if len(*crawls) != 2 {
		t.Fatalf("crawls %v, want one per change (2)", *crawls)
	}
	// Poll 3 compares with what poll 2 saw; poll 5 with poll 3's, not the failed 4th.
	if got := script.prevs[2].Pages[0].ETag; got != `"v2"` {
		t.Errorf("third poll given ETag %s, want the second poll's", got)
	}
	if script.prevs[4].Pages[0].ETag != script.prevs[3].Pages[0].ETag || script.prevs[2].Changed {
		t.Errorf("after a failed poll the state moved: %+v", script.prevs)
	}
}

// The polls are in.Every apart, never closer than minyi.MinPollInterval.
func TestPollWaitsBetweenPolls(t *testing.T) {
	for _, c := range []struct{ every, want time.Duration }{{7 * time.Second, 7 * time.Second}, {time.Second, minyi.MinPollInterval}} {
		var env *testsuite.TestWorkflowEnvironment
		var times []time.Time
		env, _ = pollEnv(t, func(ctx context.Context, in activities.PollInput) (minyi.ListState, error) {
			times = append(times, env.Now())
			if len(times) == 4 {
				return in.Prev, temporal.NewNonRetryableApplicationError("gone", minyi.ENOTFOUND, nil)
			}
			return in.Prev, nil
		})
		env.ExecuteWorkflow(PollWorkflow, PollInput{Source: "forum", Every: c.every, Interval: time.Minute})
		if len(times) != 4 {
			t.Fatalf("every %v: %d polls", c.every, len(times))
		}
		for i := 1; i < len(times); i++ {
			if d := times[i].Sub(times[i-1]); d != c.want {
				t.Errorf("every %v: polls %v apart, want %v", c.every, d, c.want)
			}
		}
	}
}

// A run ends in continue-as-new with the state it saw, so history stays
// bounded however long the source is watched.
func TestPollContinuesAsNewWithItsState(t *testing.T) {
	env, script, _ := newPollEnv(t, "changed")
	env.ExecuteWorkflow(PollWorkflow, PollInput{Source: "forum", Every: 5 * time.Second, Interval: time.Minute})
	var can *workflow.ContinueAsNewError
	if !errors.As(env.GetWorkflowError(), &can) {
		t.Fatalf("error %v, want continue-as-new", env.GetWorkflowError())
	}
	if script.calls != pollsPerRun {
		t.Errorf("%d polls in one run, want %d", script.calls, pollsPerRun)
	}
	var next PollInput
	if err := converter.GetDefaultDataConverter().FromPayloads(can.Input, &next); err != nil {
		t.Fatal(err)
	}
	if next.Source != "forum" || next.Every != 5*time.Second || len(next.State.Pages) != 1 || next.State.Pages[0].ETag != `"v1"` || next.State.Changed {
		t.Errorf("continued with %+v, want the source, its settings and the last state seen", next)
	}
}
