// Package rest is the JSON API under /api: its routes, handlers and answer
// types. The contract is openapi.yaml (package openapi); this package never
// renders a page. Errors are the JSON of the one error writer (package core).
package rest

import (
	"github.com/labstack/echo/v4"

	"minyi/api/core"
	"minyi/workflows"
)

// server is the app as the JSON API serves it.
type server struct{ *core.Server }

// Routes registers every /api endpoint, one block per resource, so the
// contract (openapi.yaml) and the routes can be read side by side. Each
// route names the roles that may call it; reading is open to every role
// (a department user confined to its own department by the handler), and
// the case workflow validates every case action again.
func Routes(srv *core.Server, e *echo.Echo) {
	s := &server{srv}
	anyone := s.Authorize()
	exporters := s.Authorize(core.RoleDepartment, core.RoleSupervisor, core.RoleAdmin)
	g := e.Group("/api")

	g.GET("/openapi.json", s.openapiJSON, anyone)
	g.GET("/status", s.status, anyone)

	// Documents: search, one document, direct intake.
	g.GET("/search", s.search, anyone)
	g.GET("/posts/:id", s.getDocument, anyone)
	g.POST("/messages", s.postMessage, s.Authorize(core.RoleIntake))

	// Analytics over what text analysis stored, letters included: for the
	// roles that read every letter, never a department.
	analysts := s.Authorize(core.RoleAnalyst, core.RoleSupervisor, core.RoleAdmin)
	g.GET("/analytics/sentiment", s.sentimentSeries, analysts)
	g.GET("/analytics/topics", s.topicTrends, analysts)
	g.GET("/analytics/categories", s.categoryCounts, analysts)
	g.GET("/analytics/events", s.hotEvents, analysts)
	g.GET("/events/:id", s.getEvent, analysts)

	// Reports: the archive of 舆情 reports, one report, and its files
	// (published: as handed out; a draft: rendered now).
	reportReaders := s.Authorize(core.ReportReaders...)
	g.GET("/reports", s.listReports, reportReaders)
	g.GET("/reports/:id", s.getReport, reportReaders)
	g.GET("/reports/:id/docx", func(c echo.Context) error { return s.ReportFile(c, "docx") }, reportReaders)
	g.GET("/reports/:id/pdf", func(c echo.Context) error { return s.ReportFile(c, "pdf") }, reportReaders)

	// 舆情事件: raised and closed by analysts; read by supervisors, and by
	// a department when assigned to it (it answers in its inbox).
	g.GET("/incidents", s.listIncidents, s.Authorize(core.IncidentReaders...))
	g.POST("/incidents", s.raiseIncident, s.Authorize(core.IncidentRaisers...))
	g.GET("/incidents/:id", s.getIncident, s.Authorize(core.IncidentReaders...))
	g.POST("/incidents/:id/close", s.closeIncident, s.Authorize(core.IncidentRaisers...))

	// Cases: the inbox and overdue board, one case, and its actions.
	g.GET("/cases", s.listCases, anyone)
	g.GET("/cases/export", s.exportCases, exporters)
	g.GET("/cases/:id", s.getCase, anyone)
	dept := s.Authorize(core.RoleDepartment)
	g.POST("/cases/:id/reply", s.caseAction(workflows.UpdateReply, decodeReply), dept)
	g.POST("/cases/:id/return", s.caseAction(workflows.UpdateReturn, decodeReturn), dept)
	g.POST("/cases/:id/extension", s.caseAction(workflows.UpdateRequestExtension, decodeExtension), dept)
	g.POST("/cases/:id/extension/decision", s.caseAction(workflows.UpdateDecideExtension, s.decodeDecision), s.Authorize(core.RoleSupervisor))
	g.POST("/cases/:id/rating", s.caseAction(workflows.UpdateRate, decodeRating), s.Authorize(core.RoleSupervisor, core.RoleAdmin))
	g.POST("/cases/:id/reassign", s.caseAction(workflows.UpdateReassign, s.decodeReassign), s.Authorize(core.RoleSupervisor))
	g.POST("/cases/:id/merge", s.caseAction(workflows.UpdateMerge, decodeMerge), s.Authorize(core.RoleSupervisor))
	g.GET("/extensions/export", s.exportExtensions, s.Authorize(core.RoleSupervisor, core.RoleAdmin))

	// Departments: statistics, the league table (public by design) and
	// the audit's escalations.
	g.GET("/departments/stats", s.departmentStats, anyone)
	g.GET("/departments/stats/export", s.exportStats, exporters)
	g.GET("/departments/escalations", s.departmentEscalations, anyone)
	g.GET("/departments/escalations/export", s.exportEscalations, exporters)
	g.GET("/leaguetable", s.leagueTable, anyone)
}
