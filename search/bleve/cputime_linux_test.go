package bleve

import (
	"syscall"
	"time"
	"unsafe"
)

// processCPU is the processor time this process has used so far, from the
// scheduler's count in nanoseconds (getrusage counts in clock ticks).
func processCPU() time.Duration {
	const clockProcessCPUTimeID = 2
	var ts syscall.Timespec
	if _, _, errno := syscall.Syscall(syscall.SYS_CLOCK_GETTIME, clockProcessCPUTimeID, uintptr(unsafe.Pointer(&ts)), 0); errno != 0 {
		return 0
	}
	return time.Duration(ts.Nano())
}
