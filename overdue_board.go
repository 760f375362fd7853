package minyi

import "time"

// The overdue board (督查): the cases overdue at a moment, counted by
// department and by the rung of the ladder they stand at, then the cases of
// one such group a page at a time. A city has tens of thousands of open
// cases, so the board is counted by the store, never listed whole.

// BoardRungs are the columns of the overdue board, up the ladder.
var BoardRungs = []Rung{RungOverdue, RungUrge, RungSupervise, RungNotice}

// BoardRung is the rung an overdue case stands at on the board: its own,
// or RungOverdue while the ladder has recorded nothing past the reminder
// (the overdue rung is written moments after the due date passes).
func BoardRung(r Rung) Rung {
	if r == RungNone || r == RungReminder {
		return RungOverdue
	}
	return r
}

// OverdueGroup is one cell of the overdue board.
type OverdueGroup struct {
	Department string    `json:"department"` // "" for cases still being routed
	Rung       Rung      `json:"rung"`       // one of BoardRungs
	Count      int       `json:"count"`
	OldestDue  time.Time `json:"oldest_due"` // the earliest due date among them
}

// OverdueFilter selects a page of one group of the board.
type OverdueFilter struct {
	Department string // "" selects the cases still being routed
	Rung       Rung   // one of BoardRungs, or RungNone for every rung of the department
	Now        time.Time
	Offset     int
	Limit      int // 1..500; 0 means 50
}
