package storetest

import (
	"fmt"
	"time"

	"minyi"
)

// BenchStart is when the first case of BenchCase's set was received.
var BenchStart = time.Date(2026, 1, 1, 8, 0, 0, 0, minyi.ChinaTime)

// BenchCase is case i of the set the backends' benchmarks share (the issue's
// audit benchmark): spread over departments, received every 315 seconds
// (100,000 cases make a year), 20% open, 10% answered, 70% closed, one in
// 25 returned, half the closed ones rated.
func BenchCase(i, departments int) minyi.Case {
	received := BenchStart.Add(time.Duration(i) * 315 * time.Second)
	dept := fmt.Sprintf("dept-%02d", i%departments)
	c := minyi.Case{
		ID: minyi.CaseIDFor(fmt.Sprintf("%020d", i)), DocumentID: fmt.Sprintf("%020d", i),
		Source: "mailbox", Title: fmt.Sprintf("关于小区停车难的问题（%d）", i), MessageType: minyi.TypeHelp,
		Department: dept, Status: minyi.CaseClosed,
		Received: received, Due: received.Add(14 * 24 * time.Hour), Updated: received,
		Routing: &minyi.Routing{Department: dept, Rule: "区域", Reason: "区域匹配", At: received},
	}
	switch i % 10 {
	case 0, 1:
		c.Status = minyi.CaseOpen
	case 2:
		c.Status = minyi.CaseAnswered
	}
	if c.Status != minyi.CaseOpen {
		c.Answered = received.Add(time.Duration(i%20) * 24 * time.Hour)
		c.OnTime = !c.Answered.After(c.Due)
	}
	if i%25 == 0 {
		c.Returns = 1
	}
	if c.Status == minyi.CaseClosed && i%2 == 0 {
		c.Rating = []minyi.Rating{minyi.RatingSatisfied, minyi.RatingBasic, minyi.RatingDissatisfied}[i%3]
	}
	return c
}
