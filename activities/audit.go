package activities

import (
	"context"
	"fmt"
	"time"

	"minyi"
)

// AuditInput sets the audit's window and thresholds (DESIGN.md defaults: 30
// days, 督办 below 90% on time, 通报 below 60%).
type AuditInput struct {
	At             time.Time
	Window         time.Duration
	SuperviseBelow float64
	NoticeBelow    float64
}

// AuditResult is what one audit found.
type AuditResult struct {
	Departments int
	Escalations []minyi.DepartmentEscalation
}

// AuditDepartments computes every department's reply figures over the window
// and escalates those below a threshold: one escalation per department, rung
// and day, so a retried or re-run audit opens nothing twice.
func (a *Activities) AuditDepartments(ctx context.Context, in AuditInput) (AuditResult, error) {
	stats, err := a.Store.DepartmentStats(ctx, in.At.Add(-in.Window), in.At, in.At)
	if err != nil {
		return AuditResult{}, fmt.Errorf("department stats: %w", err)
	}
	res := AuditResult{Departments: len(stats)}
	day := in.At.In(minyi.ChinaTime).Format("2006-01-02")
	for _, s := range stats {
		if s.Due == 0 || s.OnTimeRate == nil {
			continue // nothing fell due: no rate to judge
		}
		onTime := *s.OnTimeRate
		var rung minyi.Rung
		switch {
		case onTime < in.NoticeBelow:
			rung = minyi.RungNotice
		case onTime < in.SuperviseBelow:
			rung = minyi.RungSupervise
		default:
			continue
		}
		e := minyi.DepartmentEscalation{
			Key:        fmt.Sprintf("%s:%s:%s", s.Department, rung, day),
			Department: s.Department,
			Rung:       rung,
			At:         in.At,
			OnTimeRate: onTime,
			Reason: fmt.Sprintf("按时答复率 %.1f%% (%d/%d) over %d days, threshold %.0f%%; 响应率 %.1f%%",
				100*onTime, s.AnsweredOnTime, s.Due, int(in.Window.Hours()/24),
				100*threshold(rung, in), 100*minyi.RateValue(s.ResponseRate)),
		}
		if err := a.Store.PutDepartmentEscalation(ctx, e); err != nil {
			return res, err
		}
		if err := a.Notify(ctx, Notice{Kind: minyi.NoticeKind(rung), Department: s.Department, Supervisor: true,
			Title: "部门答复率 department reply rate", Text: e.Reason}); err != nil {
			return res, err
		}
		res.Escalations = append(res.Escalations, e)
	}
	return res, nil
}

func threshold(r minyi.Rung, in AuditInput) float64 {
	if r == minyi.RungNotice {
		return in.NoticeBelow
	}
	return in.SuperviseBelow
}
