package main

import (
	"context"

	"go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/api/temporalproto"
	"go.temporal.io/sdk/client"
)

// historyJSON fetches a workflow's full history in the JSON form that
// worker.WorkflowReplayer reads.
func historyJSON(ctx context.Context, c client.Client, workflowID, runID string) ([]byte, error) {
	it := c.GetWorkflowHistory(ctx, workflowID, runID, false, enums.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	var h historypb.History
	for it.HasNext() {
		ev, err := it.Next()
		if err != nil {
			return nil, err
		}
		h.Events = append(h.Events, ev)
	}
	return temporalproto.CustomJSONMarshalOptions{Indent: "  "}.Marshal(&h)
}
