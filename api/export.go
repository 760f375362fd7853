package api

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"minyi"
	"minyi/api/httpx"
	"minyi/api/labels"
)

// exportPageSize is how many cases an export reads from the store at a time.
const exportPageSize = 500

var caseExportColumns = []string{"编号", "标题", "来源", "类型", "分类", "区域", "承办单位", "状态",
	"受理时间", "办理时限", "延期", "答复时间", "是否按时", "升级", "回退次数", "满意度", "重办", "历史导入"}

var statsExportColumns = []string{"承办单位编号", "承办单位", "受理量", "答复量", "到期量", "按时答复量",
	"回退量", "评价量", "满意量", "在办量", "超期量", "响应率", "按时答复率", "回退率", "满意率"}

// exportCases serves GET /api/cases/export?format=xlsx|csv with the filters
// of GET /api/cases, reading the store a page at a time.
func (s *Server) exportCases(c echo.Context) error {
	format, err := exportFormat(c)
	if err != nil {
		return err
	}
	f, err := s.caseFilter(c)
	if err != nil {
		return err
	}
	now := f.Now
	names := s.departmentNames()
	name := fmt.Sprintf("cases-%s.%s", now.In(minyi.ChinaTime).Format("20060102-1504"), format)
	return s.writeTable(c, format, name, "案件", caseExportColumns, func(emit func([]any) error) error {
		// Cases opened during the export shift the pages (newest first), so
		// a case can come round twice; it is written once.
		seen := map[string]bool{}
		for offset := 0; ; offset += exportPageSize {
			f.Offset, f.Limit = offset, exportPageSize
			page, total, err := s.Store.Cases(c.Request().Context(), f)
			if err != nil {
				return err
			}
			for i := range page {
				if seen[page[i].ID] {
					continue
				}
				seen[page[i].ID] = true
				if err := emit(caseRow(&page[i], names, now)); err != nil {
					return err
				}
			}
			if len(page) < exportPageSize || offset+exportPageSize >= total {
				return nil
			}
		}
	})
}

func caseRow(cs *minyi.Case, names map[string]string, now time.Time) []any {
	onTime := ""
	switch {
	case !cs.Answered.IsZero():
		onTime = yesNo(cs.OnTime)
	case cs.Overdue(now):
		onTime = "超期未答"
	}
	dept := cs.Department
	if n := names[dept]; n != "" {
		dept = n
	}
	return []any{cs.ID, cs.Title, cs.Source, string(cs.MessageType), cs.Category, cs.Region, dept,
		cs.Status.Label(), cs.Received, cs.Due, yesNo(cs.Extended),
		cs.Answered, onTime, cs.Rung.Label(), cs.Returns,
		cs.Rating.Label(), yesNo(cs.Redo), yesNo(cs.Historical)}
}

// exportStats serves GET /api/departments/stats/export?format=xlsx|csv&window=30d.
func (s *Server) exportStats(c echo.Context) error {
	format, err := exportFormat(c)
	if err != nil {
		return err
	}
	rep, err := s.statsReport(c)
	if err != nil {
		return err
	}
	name := fmt.Sprintf("department-stats-%s-%s.%s", strings.ReplaceAll(rep.Window, " ~ ", "_"), rep.To.In(minyi.ChinaTime).Format("20060102"), format)
	return s.writeTable(c, format, name, "承办单位", statsExportColumns, func(emit func([]any) error) error {
		for _, d := range rep.Departments {
			err := emit([]any{d.Department, d.Name, d.Received, d.Answered, d.Due, d.AnsweredOnTime,
				d.Returned, d.Rated, d.Satisfied, d.Open, d.Overdue,
				rateCell(d.ResponseRate), rateCell(d.OnTimeRate), rateCell(d.ReturnRate), rateCell(d.SatisfactionRate)})
			if err != nil {
				return err
			}
		}
		return nil
	})
}

func exportFormat(c echo.Context) (string, error) {
	// Any letter case, as spreadsheet users type it.
	switch f := strings.ToLower(httpx.Params(c).String("format")); f {
	case "", "xlsx":
		return "xlsx", nil
	case "csv":
		return "csv", nil
	default:
		return "", minyi.Errorf(minyi.EINVALID, "format must be xlsx or csv, got %q", f)
	}
}

func (s *Server) departmentNames() map[string]string {
	names := make(map[string]string, len(s.departments()))
	for _, d := range s.departments() {
		names[d.ID] = d.Name
	}
	return names
}

// writeTable writes one table as an attachment. fill emits the rows, whose
// cells are string, int, time.Time (zero for none) or rate.
func (s *Server) writeTable(c echo.Context, format, filename, sheet string, header []string, fill func(emit func([]any) error) error) error {
	if format == "csv" {
		return s.writeCSV(c, filename, header, fill)
	}
	return s.writeXLSX(c, filename, sheet, header, fill)
}

// rate is a ratio in [0, 1], shown as a percentage.
type rate float64

// rateCell is a rate's cell: "—" when it was not measured, never 0.
func rateCell(r *float64) any {
	if r == nil {
		return labels.T("common.none")
	}
	return rate(*r)
}

func attachment(c echo.Context, contentType, filename string) {
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, contentType)
	h.Set(echo.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="%s"`, filename))
	h.Set("Cache-Control", "no-store")
	c.Response().WriteHeader(http.StatusOK)
}

// chinaWallClock formats an instant as a reader in China reads it.
func chinaWallClock(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(minyi.ChinaTime).Format("2006-01-02 15:04")
}

func yesNo(b bool) string {
	if b {
		return "是"
	}
	return "否"
}

func orRaw(name, raw string) string {
	if name != "" {
		return name
	}
	return raw
}
