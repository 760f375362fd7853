package core

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

func ExportFormat(c echo.Context) (string, error) {
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

func (s *Server) DepartmentNames() map[string]string {
	names := make(map[string]string, len(s.DepartmentList()))
	for _, d := range s.DepartmentList() {
		names[d.ID] = d.Name
	}
	return names
}

// WriteTable writes one table as an attachment. fill emits the rows, whose
// cells are string, int, time.Time (zero for none) or rate.
func (s *Server) WriteTable(c echo.Context, format, filename, sheet string, header []string, fill func(emit func([]any) error) error) error {
	if format == "csv" {
		return s.WriteCSV(c, filename, header, fill)
	}
	return s.WriteXLSX(c, filename, sheet, header, fill)
}

// Rate is a ratio in [0, 1], shown as a percentage.
type Rate float64

// RateCell is a rate's cell: "—" when it was not measured, never 0.
func RateCell(r *float64) any {
	if r == nil {
		return labels.T("common.none")
	}
	return Rate(*r)
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

func OrRaw(name, raw string) string {
	if name != "" {
		return name
	}
	return raw
}
