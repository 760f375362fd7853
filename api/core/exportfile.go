package core

import (
	"encoding/csv"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/xuri/excelize/v2"

	"minyi"
)

// UTF8BOM makes Excel read a CSV file as UTF-8 instead of the local code page (GBK).
const UTF8BOM = "\uFEFF"

// WriteCSV streams rows as they come. The response starts with the first
// row, so an error before it (a bad filter, a failing store) is still a
// JSON error; one after it can only cut the file short, and is logged.
func (s *Server) WriteCSV(c echo.Context, filename string, header []string, fill func(emit func([]any) error) error) error {
	s.auditExport(c, filename)
	w := csv.NewWriter(c.Response())
	w.UseCRLF = true // what Excel writes and expects
	started := false
	start := func() error {
		started = true
		attachment(c, "text/csv; charset=utf-8", filename)
		if _, err := c.Response().Write([]byte(UTF8BOM)); err != nil {
			return err
		}
		return w.Write(header)
	}
	err := fill(func(cells []any) error {
		if !started {
			if err := start(); err != nil {
				return err
			}
		}
		return w.Write(csvRecord(cells))
	})
	if err == nil && !started {
		err = start()
	}
	if err == nil {
		w.Flush()
		err = w.Error()
	}
	if err != nil && started {
		s.Logger.Error("CSV export cut short", "path", c.Path(), "err", err)
		return nil
	}
	return err
}

func csvRecord(cells []any) []string {
	rec := make([]string, len(cells))
	for i, v := range cells {
		switch v := v.(type) {
		case string:
			rec[i] = defuseFormula(v)
		case int:
			rec[i] = strconv.Itoa(v)
		case time.Time:
			rec[i] = chinaWallClock(v)
		case Rate:
			rec[i] = strconv.FormatFloat(float64(v)*100, 'f', 1, 64) + "%"
		default:
			rec[i] = fmt.Sprint(v)
		}
	}
	return rec
}

// defuseFormula keeps a citizen's title such as "=HYPERLINK(...)" from
// running as a formula when the CSV is opened in a spreadsheet.
func defuseFormula(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// WriteXLSX builds the workbook with excelize's stream writer, which keeps
// rows on disk rather than in memory, and sends it when complete; an error
// while filling is therefore always a JSON error.
func (s *Server) WriteXLSX(c echo.Context, filename, sheet string, header []string, fill func(emit func([]any) error) error) error {
	s.auditExport(c, filename)
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName(f.GetSheetName(0), sheet); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	timeFmt := "yyyy-mm-dd hh:mm"
	timeStyle, err := f.NewStyle(&excelize.Style{CustomNumFmt: &timeFmt})
	if err != nil {
		return err
	}
	rateStyle, err := f.NewStyle(&excelize.Style{NumFmt: 10}) // 0.00%
	if err != nil {
		return err
	}
	headStyle, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	if err := sw.SetColWidth(1, len(header), 16); err != nil {
		return err
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	head := make([]any, len(header))
	for i, h := range header {
		head[i] = excelize.Cell{StyleID: headStyle, Value: h}
	}
	if err := sw.SetRow("A1", head); err != nil {
		return err
	}
	row := 1
	err = fill(func(cells []any) error {
		row++
		vals := make([]any, len(cells))
		for i, v := range cells {
			switch v := v.(type) {
			case time.Time:
				if !v.IsZero() {
					vals[i] = excelize.Cell{StyleID: timeStyle, Value: excelWallClock(v)}
				}
			case Rate:
				vals[i] = excelize.Cell{StyleID: rateStyle, Value: float64(v)}
			default:
				vals[i] = v
			}
		}
		cell, err := excelize.CoordinatesToCellName(1, row)
		if err != nil {
			return err
		}
		return sw.SetRow(cell, vals)
	})
	if err != nil {
		return err
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	attachment(c, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", filename)
	if err := f.Write(c.Response()); err != nil {
		s.Logger.Error("XLSX export cut short", "path", c.Path(), "err", err)
	}
	return nil
}

// excelWallClock gives the China wall-clock time as a zone-less instant:
// Excel times have no zone, and excelize converts from UTC.
func excelWallClock(t time.Time) time.Time {
	l := t.In(minyi.ChinaTime)
	return time.Date(l.Year(), l.Month(), l.Day(), l.Hour(), l.Minute(), l.Second(), 0, time.UTC)
}

// auditExport records who exported what: exports carry citizens' messages
// out of the system, and the audit log is where that is answered for.
func (s *Server) auditExport(c echo.Context, filename string) {
	e := minyi.AuditEntry{Action: minyi.AuditExport, Target: filename, Detail: c.Request().URL.RequestURI()}
	if u := Principal(c); u != nil {
		e.Actor = u.Login
	}
	s.Audit(c, e)
}
