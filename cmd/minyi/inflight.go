package main

import (
	"context"
	"time"

	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
)

// inFlight reads from Temporal's visibility store when the oldest crawl or
// ingest still running started (activities.InFlight).
type inFlight struct{ client client.Client }

// inFlightQuery names the workflows that write outbox marks (crawls) or
// clear them (ingests, those a reconcile starts included).
const inFlightQuery = "ExecutionStatus = 'Running' AND WorkflowType IN ('CrawlWorkflow', 'IngestWorkflow')"

func (f inFlight) OldestRunningStart(ctx context.Context) (time.Time, bool, error) {
	var oldest time.Time
	var token []byte
	for {
		resp, err := f.client.ListWorkflow(ctx, &workflowservice.ListWorkflowExecutionsRequest{
			PageSize: 1000, NextPageToken: token, Query: inFlightQuery,
		})
		if err != nil {
			return time.Time{}, false, err
		}
		for _, ex := range resp.Executions {
			if t := ex.GetStartTime().AsTime(); oldest.IsZero() || t.Before(oldest) {
				oldest = t
			}
		}
		if token = resp.NextPageToken; len(token) == 0 {
			return oldest, !oldest.IsZero(), nil
		}
	}
}
