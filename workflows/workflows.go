// Package workflows holds minyi's deterministic orchestration: no I/O, no
// wall clock, no map ranges. Activities are named through a nil
// *activities.Activities, the samples-go idiom; the worker registers a real one.
package workflows

import "minyi/activities"

// TaskQueue is the one queue the minyi worker polls.
const TaskQueue = "minyi"

var a *activities.Activities
