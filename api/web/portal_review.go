package web

import (
	"net/http"
	"os"

	"github.com/labstack/echo/v4"

	"minyi"
	"minyi/api/core"
	"minyi/api/labels"
)

// The review queue of the public portal (待审): letters the portal held
// because they looked like spam or abuse. A supervisor or an admin releases
// one to intake (it is stored and ingested like every letter) or rejects it
// with a reason the writer reads with the 查询码; none is dropped.

func (s *server) portalReviewRoutes(e *echo.Echo) {
	guard := s.page(core.RoleSupervisor, core.RoleAdmin)
	e.GET("/portal/held", s.heldLettersPage, guard)
	e.POST("/portal/held/:number", s.reviewLetter, guard)
}

type heldRow struct {
	minyi.PortalLetter
	Reason string
}

type heldPage struct {
	Rows []heldRow
	CSRF string
	Done string
}

func (s *server) portalStore() (minyi.PortalStore, error) {
	ps, ok := s.Store.(minyi.PortalStore)
	if !ok {
		return nil, minyi.Errorf(minyi.ENOTFOUND, "this store keeps no portal letters")
	}
	return ps, nil
}

func (s *server) heldLettersPage(c echo.Context) error {
	return s.renderHeld(c, "")
}

func (s *server) renderHeld(c echo.Context, done string) error {
	ps, err := s.portalStore()
	if err != nil {
		return err
	}
	held, err := ps.HeldLetters(c.Request().Context(), minyi.MaxPageSize)
	if err != nil {
		return err
	}
	v := heldPage{CSRF: core.CSRFToken(c), Done: done}
	for _, l := range held {
		reason, ok := labels.Lookup("portal.review.hold_" + l.HoldReason)
		if !ok {
			reason = l.HoldReason
		}
		v.Rows = append(v.Rows, heldRow{PortalLetter: l, Reason: reason})
	}
	return s.render(c, http.StatusOK, "portal_held", labels.T("portal.review.title"), v)
}

// reviewLetter releases a held letter to intake (action=release) or rejects
// it (action=reject, with a reason).
func (s *server) reviewLetter(c echo.Context) error {
	ps, err := s.portalStore()
	if err != nil {
		return err
	}
	u := core.Principal(c)
	number, release := c.Param("number"), c.FormValue("action") == "release"
	if !release && c.FormValue("action") != "reject" {
		return minyi.Errorf(minyi.EINVALID, "action is release or reject")
	}
	ctx := c.Request().Context()
	l, err := ps.ReviewPortalLetter(ctx, number, release, u.Login, c.FormValue("reason"), s.Now())
	if err != nil {
		return err
	}
	action, done := "portal_reject", labels.Tf("portal.review.rejected", number)
	if !release && s.AttachmentDir != "" {
		// The photos of a letter that will never be a case would be kept
		// for no one: they may show faces and number plates.
		dir := caseDirIn(s.AttachmentDir, minyi.CaseIDFor(l.DocumentID))
		if err := os.RemoveAll(dir); err != nil {
			s.Logger.Warn("portal review: photos of a rejected letter not removed", "letter", number, "err", err)
		}
	}
	if release {
		action, done = "portal_release", labels.Tf("portal.review.released", number)
		doc, err := s.Store.Document(ctx, l.DocumentID)
		if err != nil {
			return err
		}
		// As every intake: the outbox ingests it if this start fails.
		if err := s.Ingester.Ingest(ctx, *doc); err != nil {
			s.Logger.Warn("portal review: ingest not started; the outbox will ingest the letter", "letter", number, "err", err)
		}
	}
	s.Audit(c, minyi.AuditEntry{Actor: u.Login, Action: action, Target: number})
	return s.renderHeld(c, done)
}
