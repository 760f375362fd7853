package main

import (
	"context"
	"testing"
	"time"

	"go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"

	"minyi"
	"minyi/demosite"
	"minyi/workflows"
)

// An ingest batch costs Temporal two workflow tasks and one activity task
// (the index), and its cases start outside its history; a letter stored
// again with the reply its source published since answers its running case
// through the same step.
func TestIngestStartsCasesAndPassesReplies(t *testing.T) {
	ta := startTestApp(t, demosite.Options{Seed: 1, Threads: 1, Letters: 1})
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	at := time.Now().UTC().Truncate(time.Second)
	letter := func(id, title string) minyi.Document {
		d := minyi.Document{ID: minyi.DocumentID("demo-mailbox", id), Source: "demo-mailbox", Kind: minyi.KindMessage,
			ExternalID: id, Title: title, Body: title + "，请有关部门处理。", MessageType: "投诉", Published: at, Fetched: at}
		d.ContentHash = d.Hash()
		return d
	}
	docs := []minyi.Document{letter("t-noise", "夜间施工噪音扰民"), letter("t-compensation", "拆迁补偿款迟迟不到位")}
	ingest := func(id string) workflows.IngestResult {
		t.Helper()
		if _, err := ta.store.PutDocuments(ctx, docs); err != nil {
			t.Fatal(err)
		}
		run, err := ta.client.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: id, TaskQueue: workflows.TaskQueue},
			workflows.IngestWorkflow, workflows.IngestInput{IDs: docIDs(docs)})
		if err != nil {
			t.Fatal(err)
		}
		var res workflows.IngestResult
		if err := run.Get(ctx, &res); err != nil {
			t.Fatal(err)
		}
		return res
	}

	if res := ingest("test-ingest-first"); res.Indexed != 2 || res.Cases != 2 {
		t.Fatalf("first ingest: %+v; want both letters indexed and their two cases started", res)
	}
	counts := historyCounts(t, ta.client, "test-ingest-first")
	if counts[enums.EVENT_TYPE_WORKFLOW_TASK_COMPLETED] != 2 || counts[enums.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED] != 1 ||
		counts[enums.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED] != 0 {
		t.Errorf("ingest history %v; want two workflow tasks, one activity task and no child workflow", counts)
	}
	for _, d := range docs {
		desc, err := ta.client.DescribeWorkflowExecution(ctx, minyi.CaseIDFor(d.ID), "")
		if err != nil || desc.GetWorkflowExecutionInfo().GetStatus() != enums.WORKFLOW_EXECUTION_STATUS_RUNNING {
			t.Fatalf("case workflow of %s: %v %v; want running", d.ID, desc.GetWorkflowExecutionInfo().GetStatus(), err)
		}
	}

	// The source publishes the department's reply to the first letter.
	docs[0].Reply = &minyi.OfficialReply{Unit: "市生态环境局", Body: "已责令施工单位停止夜间施工。", Published: at.Add(time.Hour)}
	docs[0].ContentHash = docs[0].Hash()
	if res := ingest("test-ingest-again"); res.Cases != 0 {
		t.Errorf("second ingest started %d cases; want none, both are running", res.Cases)
	}
	for {
		c, err := ta.store.Case(ctx, minyi.CaseIDFor(docs[0].ID))
		if err == nil && c.Status == minyi.CaseAnswered && c.Answered.Equal(docs[0].Reply.Published) {
			break
		}
		if ctx.Err() != nil {
			t.Fatalf("the case never took the reply published on the source: %+v %v", c, err)
		}
		time.Sleep(200 * time.Millisecond)
	}
	if c, err := ta.store.Case(ctx, minyi.CaseIDFor(docs[1].ID)); err != nil || c.Status == minyi.CaseAnswered {
		t.Errorf("the unanswered letter's case: %+v %v; want it not answered", c, err)
	}
}

// historyCounts counts a workflow's history events by type.
func historyCounts(t testing.TB, c client.Client, workflowID string) map[enums.EventType]int {
	t.Helper()
	counts := map[enums.EventType]int{}
	it := c.GetWorkflowHistory(context.Background(), workflowID, "", false, enums.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	for it.HasNext() {
		ev, err := it.Next()
		if err != nil {
			t.Fatal(err)
		}
		counts[ev.GetEventType()]++
	}
	return counts
}

func sumCounts(counts map[enums.EventType]int) int {
	n := 0
	for _, c := range counts {
		n += c
	}
	return n
}
