package workflows

import (
	"context"
	"errors"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"github.com/stretchr/testify/suite"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"

	"minyi"
	"minyi/activities"
)

type crawlSuite struct {
	suite.Suite
	testsuite.WorkflowTestSuite
	env *testsuite.TestWorkflowEnvironment
}

func TestCrawlWorkflow(t *testing.T) { suite.Run(t, new(crawlSuite)) }

func (s *crawlSuite) SetupTest() {
	s.env = s.NewTestWorkflowEnvironment()
	s.env.RegisterWorkflow(IngestWorkflow)
	s.env.RegisterActivity(a)
	// These batches hold only forum posts no rule opens a case for.
	s.env.OnActivity(a.OpenCases, mock.Anything, mock.Anything).Return(nil, nil).Maybe()
	s.env.OnActivity(a.AnalyzeDocuments, mock.Anything, mock.Anything).Return(0, nil).Maybe()
	s.env.OnActivity(a.FinishDocuments, mock.Anything, mock.Anything).Return(nil).Maybe()
}

// Every batch the crawl reports is indexed exactly once, by a child workflow.
func (s *crawlSuite) TestIngestsEveryBatch() {
	batches := [][]string{{"a", "b"}, {"c"}, {"d", "e", "f"}}
	s.env.OnActivity(a.CrawlSource, mock.Anything, mock.MatchedBy(func(in activities.CrawlInput) bool {
		return in.Source == "forum" && in.RunID != ""
	})).Return(activities.CrawlOutput{Run: minyi.CrawlRun{Source: "forum", NewItems: 6}, Batches: batches}, nil).Once()

	var mu sync.Mutex
	var indexed []string
	s.env.OnActivity(a.IndexVersions, mock.Anything, mock.Anything).Return(
		func(_ context.Context, ids []string) (activities.IndexResult, error) {
			mu.Lock()
			defer mu.Unlock()
			indexed = append(indexed, ids...)
			return activities.IndexResult{Indexed: len(ids)}, nil
		}).Times(3)

	s.env.ExecuteWorkflow(CrawlWorkflow, CrawlInput{Source: "forum"})
	s.Require().True(s.env.IsWorkflowCompleted())
	s.Require().NoError(s.env.GetWorkflowError())
	var res CrawlResult
	s.Require().NoError(s.env.GetWorkflowResult(&res))
	s.Equal(3, res.Batches)
	s.Equal(6, res.Indexed)
	sort.Strings(indexed)
	s.Equal([]string{"a", "b", "c", "d", "e", "f"}, indexed)
	s.env.AssertExpectations(s.T())
}

// A crawl with nothing new starts no ingest workflow.
func (s *crawlSuite) TestNothingNew() {
	s.env.OnActivity(a.CrawlSource, mock.Anything, mock.Anything).Return(activities.CrawlOutput{}, nil)
	s.env.ExecuteWorkflow(CrawlWorkflow, CrawlInput{Source: "forum"})
	s.Require().NoError(s.env.GetWorkflowError())
	var res CrawlResult
	s.Require().NoError(s.env.GetWorkflowResult(&res))
	s.Zero(res.Batches)
	s.env.AssertNotCalled(s.T(), "IndexVersions", mock.Anything, mock.Anything)
}

// An unknown source is a configuration error: retrying cannot fix it.
func (s *crawlSuite) TestUnknownSourceIsNotRetried() {
	calls := 0
	s.env.OnActivity(a.CrawlSource, mock.Anything, mock.Anything).Return(
		func(_ context.Context, _ activities.CrawlInput) (activities.CrawlOutput, error) {
			calls++
			return activities.CrawlOutput{}, temporal.NewNonRetryableApplicationError("no such source", minyi.ENOTFOUND, nil)
		})
	s.env.ExecuteWorkflow(CrawlWorkflow, CrawlInput{Source: "gone"})
	err := s.env.GetWorkflowError()
	s.Require().Error(err)
	var appErr *temporal.ApplicationError
	s.Require().True(errors.As(err, &appErr))
	s.Equal(minyi.ENOTFOUND, appErr.Type())
	s.Equal(1, calls)
}

// A flaky crawl is retried; a batch whose indexing keeps failing for a while
// still completes, because indexing by id is idempotent.
func (s *crawlSuite) TestRetriesCrawlAndIndexing() {
	crawlCalls, indexCalls := 0, 0
	s.env.OnActivity(a.CrawlSource, mock.Anything, mock.Anything).Return(
		func(_ context.Context, _ activities.CrawlInput) (activities.CrawlOutput, error) {
			crawlCalls++
			if crawlCalls == 1 {
				return activities.CrawlOutput{}, errors.New("site timed out")
			}
			return activities.CrawlOutput{Batches: [][]string{{"x"}}}, nil
		})
	s.env.OnActivity(a.IndexVersions, mock.Anything, mock.Anything).Return(
		func(_ context.Context, ids []string) (activities.IndexResult, error) {
			indexCalls++
			if indexCalls < 3 {
				return activities.IndexResult{}, errors.New("index busy")
			}
			return activities.IndexResult{Indexed: len(ids)}, nil
		})
	s.env.ExecuteWorkflow(CrawlWorkflow, CrawlInput{Source: "forum"})
	s.Require().NoError(s.env.GetWorkflowError())
	var res CrawlResult
	s.Require().NoError(s.env.GetWorkflowResult(&res))
	s.Equal(1, res.Indexed)
	s.Equal(2, crawlCalls)
	s.Equal(3, indexCalls)
}

// A crawl that keeps failing is retried with backoff over up to the
// source's interval, and then gives way to the next scheduled crawl.
func (s *crawlSuite) TestRetriesSpreadOverTheInterval() {
	var attempts []time.Time
	s.env.OnActivity(a.CrawlSource, mock.Anything, mock.Anything).Return(
		func(context.Context, activities.CrawlInput) (activities.CrawlOutput, error) {
			attempts = append(attempts, s.env.Now())
			return activities.CrawlOutput{}, errors.New("forum is down")
		})
	s.env.ExecuteWorkflow(CrawlWorkflow, CrawlInput{Source: "forum", Interval: 15 * time.Minute})
	s.Require().Error(s.env.GetWorkflowError())
	span := attempts[len(attempts)-1].Sub(attempts[0])
	s.GreaterOrEqual(len(attempts), 6, "attempts")
	s.Greater(span, 10*time.Minute, "retries should cover most of the interval, not seconds")
	s.LessOrEqual(span, 15*time.Minute, "retries should end by the next scheduled crawl")
}

func TestCrawlRetryFitsTheInterval(t *testing.T) {
	for _, every := range []time.Duration{0, 20 * time.Second, time.Minute, 15 * time.Minute, 24 * time.Hour} {
		p := crawlRetry(every)
		total, wait := time.Duration(0), p.InitialInterval
		for range p.MaximumAttempts - 1 {
			total += min(wait, p.MaximumInterval)
			wait = time.Duration(float64(wait) * p.BackoffCoefficient)
		}
		limit := every
		if limit == 0 {
			limit = 15 * time.Minute
		}
		if total > limit || p.MaximumAttempts < 2 && limit >= p.InitialInterval {
			t.Errorf("interval %v: %d attempts waiting %v in all", every, p.MaximumAttempts, total)
		}
	}
}
