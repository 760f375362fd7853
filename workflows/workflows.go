// Package workflows holds minyi's deterministic orchestration: no I/O, no
// wall clock, no map ranges. Activities are named through a nil
// *activities.Activities, the samples-go idiom; the worker registers a real one.
package workflows

import (
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"minyi/activities"
)

// SourceKey is the custom search attribute on every crawl and poll a
// source starts: the source's name, so that the Temporal UI and `temporal
// workflow list --query 'MinyiSource="..."'` find one city site's crawls.
// A server must have it registered (temporalserver, deploy/).
var SourceKey = temporal.NewSearchAttributeKeyKeyword("MinyiSource")

// TaskQueue is the queue of every workflow and of the activities any worker
// can run.
const TaskQueue = "minyi"

// IndexTaskQueue takes the activities that write or read the search index.
// A bleve index is a directory one process holds, so only that process polls
// this queue; with Elasticsearch every worker does.
const IndexTaskQueue = "minyi-index"

var a *activities.Activities

// onIndexQueue routes the activities of ctx to IndexTaskQueue. Histories
// recorded before the split ran them on TaskQueue and replay that way.
func onIndexQueue(ctx workflow.Context) workflow.Context {
	if workflow.GetVersion(ctx, "index-queue", workflow.DefaultVersion, 1) == workflow.DefaultVersion {
		return ctx
	}
	return workflow.WithTaskQueue(ctx, IndexTaskQueue)
}
