//go:build !linux

package bleve

import "time"

// processCPU is not measured here: processor times print as 0.
func processCPU() time.Duration { return 0 }
