package rest

import (
	"fmt"
	"strings"

	"minyi"
	"minyi/api/core"
	"minyi/api/httpx"

	"github.com/labstack/echo/v4"
)

var statsExportColumns = []string{"承办单位编号", "承办单位", "受理量", "答复量", "到期量", "按时答复量",
	"回退量", "评价量", "满意量", "在办量", "超期量", "响应率", "按时答复率", "回退率", "满意率",
	"重复件", "曾答复量", "重办量", "重办率"}

// exportCases serves GET /api/cases/export?format=xlsx|csv with the filters
// of GET /api/cases, reading the store a page at a time.
func (s *server) exportCases(c echo.Context) error {
	format, err := core.ExportFormat(c)
	if err != nil {
		return err
	}
	f, err := s.CaseFilter(c)
	if err != nil {
		return err
	}
	now := f.Now
	names := s.DepartmentNames()
	name := fmt.Sprintf("cases-%s.%s", now.In(minyi.ChinaTime).Format("20060102-1504"), format)
	return s.WriteTable(c, format, name, "案件", core.CaseExportColumns, func(emit func([]any) error) error {
		// Cases opened during the export shift the pages (newest first), so
		// a case can come round twice; it is written once.
		seen := map[string]bool{}
		for offset := 0; ; offset += core.ExportPageSize {
			f.Offset, f.Limit = offset, core.ExportPageSize
			page, total, err := s.Store.Cases(c.Request().Context(), f)
			if err != nil {
				return err
			}
			for i := range page {
				if seen[page[i].ID] {
					continue
				}
				seen[page[i].ID] = true
				if err := emit(core.CaseRow(&page[i], names, now)); err != nil {
					return err
				}
			}
			if len(page) < core.ExportPageSize || offset+core.ExportPageSize >= total {
				return nil
			}
		}
	})
}

// exportStats serves GET /api/departments/stats/export?format=xlsx|csv&window=30d.
func (s *server) exportStats(c echo.Context) error {
	format, err := core.ExportFormat(c)
	if err != nil {
		return err
	}
	rep, err := s.StatsFor(c)
	if err != nil {
		return err
	}
	name := fmt.Sprintf("department-stats-%s-%s.%s", strings.ReplaceAll(rep.Window, " ~ ", "_"), rep.To.In(minyi.ChinaTime).Format("20060102"), format)
	return s.WriteTable(c, format, name, "承办单位", statsExportColumns, func(emit func([]any) error) error {
		for _, d := range rep.Departments {
			err := emit([]any{d.Department, d.Name, d.Received, d.Answered, d.Due, d.AnsweredOnTime,
				d.Returned, d.Rated, d.Satisfied, d.Open, d.Overdue,
				core.RateCell(d.ResponseRate), core.RateCell(d.OnTimeRate), core.RateCell(d.ReturnRate), core.RateCell(d.SatisfactionRate),
				d.Repeats, d.AnsweredOnce, d.Redone, core.RateCell(d.RedoRate)})
			if err != nil {
				return err
			}
		}
		return nil
	})
}

var extensionExportColumns = []string{"编号", "标题", "承办单位", "办理时限", "申请时间", "延期申请"}

// exportExtensions serves GET /api/extensions/export?format=xlsx|csv: the
// queue of the extensions page.
func (s *server) exportExtensions(c echo.Context) error {
	format, err := core.ExportFormat(c)
	if err != nil {
		return err
	}
	rows, err := s.PendingExtensions(c)
	if err != nil {
		return err
	}
	name := fmt.Sprintf("extensions-%s.%s", s.Now().In(minyi.ChinaTime).Format("20060102-1504"), format)
	return s.WriteTable(c, format, name, "延期申请", extensionExportColumns, func(emit func([]any) error) error {
		for _, r := range rows {
			if err := emit([]any{r.ID, r.Title, r.DepartmentName, r.Due, r.Request.At, core.ExtensionDetail(r.Request.Detail)}); err != nil {
				return err
			}
		}
		return nil
	})
}

var escalationExportColumns = []string{"承办单位编号", "承办单位", "级别", "时间", "按时答复率", "原因"}

// exportEscalations serves GET /api/departments/escalations/export?format=&since=&department=.
func (s *server) exportEscalations(c echo.Context) error {
	format, err := core.ExportFormat(c)
	if err != nil {
		return err
	}
	dept, err := core.DepartmentScope(core.Principal(c), httpx.Params(c).String("department"))
	if err != nil {
		return err
	}
	since, sinceText, err := s.EscalationsSince(c)
	if err != nil {
		return err
	}
	escs, err := s.Store.DepartmentEscalations(c.Request().Context(), dept, since)
	if err != nil {
		return err
	}
	names := s.DepartmentNames()
	name := fmt.Sprintf("escalations-since-%s.%s", sinceText, format)
	return s.WriteTable(c, format, name, "升级记录", escalationExportColumns, func(emit func([]any) error) error {
		for _, e := range escs {
			if err := emit([]any{e.Department, names[e.Department], e.Rung.Label(),
				e.At, core.Rate(e.OnTimeRate), e.Reason}); err != nil {
				return err
			}
		}
		return nil
	})
}
