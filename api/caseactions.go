package api

import (
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"minyi"
	"minyi/workflows"
)

// Limits on action bodies; the workflow is the authority on everything else.
const (
	maxReasonRunes     = 2000
	maxReplyRunes      = 20_000 // as the case workflow accepts
	maxAttachments     = 20
	maxAttachmentBytes = 2048
	// MaxExtensionDays is DESIGN.md's cap on one extension (信访: ≤ 30 days).
	MaxExtensionDays = 30
)

// The bodies carry no department or supervisor: those come from the
// principal, and an unknown field (such as "department" in a reply) is a 400.

type replyBody struct {
	Text        string   `json:"text"`
	Attachments []string `json:"attachments"`
	Resolved    bool     `json:"resolved"`
}

func decodeReply(c echo.Context, u *minyi.User) (any, error) {
	var b replyBody
	if err := decodeBody(c, &b); err != nil {
		return nil, err
	}
	return replyArgs(u, b)
}

// replyArgs checks a reply from the API or a page form.
func replyArgs(u *minyi.User, b replyBody) (any, error) {
	text := strings.TrimSpace(b.Text)
	if err := checkText("text", text, maxReplyRunes); err != nil {
		return nil, err
	}
	if len(b.Attachments) > maxAttachments {
		return nil, minyi.Errorf(minyi.EINVALID, "a reply has at most %d attachments", maxAttachments)
	}
	var attachments []string
	for _, a := range b.Attachments {
		a = strings.TrimSpace(a)
		if a == "" || len(a) > maxAttachmentBytes || !utf8.ValidString(a) {
			return nil, minyi.Errorf(minyi.EINVALID, "an attachment must be a non-empty reference of at most %d bytes", maxAttachmentBytes)
		}
		attachments = append(attachments, a)
	}
	return workflows.ReplyRequest{Department: u.Department, Text: text, Attachments: attachments, Resolved: b.Resolved}, nil
}

type returnBody struct {
	Reason string `json:"reason"`
}

func decodeReturn(c echo.Context, u *minyi.User) (any, error) {
	var b returnBody
	if err := decodeBody(c, &b); err != nil {
		return nil, err
	}
	return returnArgs(u, b.Reason)
}

func returnArgs(u *minyi.User, reason string) (any, error) {
	reason = strings.TrimSpace(reason)
	if err := checkText("reason", reason, maxReasonRunes); err != nil {
		return nil, err
	}
	return workflows.ReturnRequest{Department: u.Department, Reason: reason}, nil
}

type extensionBody struct {
	Reason string `json:"reason"`
	Days   int    `json:"days"`
}

func decodeExtension(c echo.Context, u *minyi.User) (any, error) {
	var b extensionBody
	if err := decodeBody(c, &b); err != nil {
		return nil, err
	}
	return extensionArgs(u, b.Reason, b.Days)
}

func extensionArgs(u *minyi.User, reason string, days int) (any, error) {
	reason = strings.TrimSpace(reason)
	if err := checkText("reason", reason, maxReasonRunes); err != nil {
		return nil, err
	}
	if days < 1 || days > MaxExtensionDays {
		return nil, minyi.Errorf(minyi.EINVALID, "days must be between 1 and %d, got %d", MaxExtensionDays, days)
	}
	return workflows.ExtensionRequest{Department: u.Department, Reason: reason, Days: days}, nil
}

type decisionBody struct {
	Approve *bool  `json:"approve"`
	Reason  string `json:"reason"`
}

func (s *Server) decodeDecision(c echo.Context, u *minyi.User) (any, error) {
	var b decisionBody
	if err := decodeBody(c, &b); err != nil {
		return nil, err
	}
	return decisionArgs(u, b.Approve, b.Reason)
}

func decisionArgs(u *minyi.User, approve *bool, reason string) (any, error) {
	if approve == nil {
		return nil, minyi.Errorf(minyi.EINVALID, "approve must be true or false")
	}
	reason = strings.TrimSpace(reason)
	// A rejection must tell the department why; an approval may be silent.
	if !*approve || reason != "" {
		if err := checkText("reason", reason, maxReasonRunes); err != nil {
			return nil, err
		}
	}
	return workflows.ExtensionDecision{Supervisor: u.Name, Approve: *approve, Reason: reason}, nil
}

type ratingBody struct {
	Rating  minyi.Rating `json:"rating"`
	Comment string       `json:"comment"`
}

func decodeRating(c echo.Context, _ *minyi.User) (any, error) {
	var b ratingBody
	if err := decodeBody(c, &b); err != nil {
		return nil, err
	}
	return ratingArgs(b.Rating, b.Comment)
}

func ratingArgs(rating minyi.Rating, comment string) (any, error) {
	switch rating {
	case minyi.RatingSatisfied, minyi.RatingBasic, minyi.RatingDissatisfied:
	default:
		return nil, minyi.Errorf(minyi.EINVALID, "rating must be satisfied, basic or dissatisfied, got %q", rating)
	}
	comment = strings.TrimSpace(comment)
	if comment != "" {
		if err := checkText("comment", comment, maxReasonRunes); err != nil {
			return nil, err
		}
	}
	return workflows.RatingRequest{Rating: rating, Comment: comment}, nil
}

type reassignBody struct {
	Department string `json:"department"`
	Reason     string `json:"reason"`
}

func (s *Server) decodeReassign(c echo.Context, u *minyi.User) (any, error) {
	var b reassignBody
	if err := decodeBody(c, &b); err != nil {
		return nil, err
	}
	return s.reassignArgs(u, b.Department, b.Reason)
}

func (s *Server) reassignArgs(u *minyi.User, dept, reason string) (any, error) {
	dept, reason = strings.TrimSpace(dept), strings.TrimSpace(reason)
	if dept == "" {
		return nil, minyi.Errorf(minyi.EINVALID, "department is required")
	}
	if len(s.departments()) > 0 && !slices.ContainsFunc(s.departments(), func(d minyi.Department) bool { return d.ID == dept }) {
		return nil, minyi.Errorf(minyi.EINVALID, "unknown department %q", dept)
	}
	if err := checkText("reason", reason, maxReasonRunes); err != nil {
		return nil, err
	}
	return workflows.ReassignRequest{Supervisor: u.Name, Department: dept, Reason: reason}, nil
}

// decodeBody reads one JSON object and nothing else.
func decodeBody(c echo.Context, v any) error {
	dec := json.NewDecoder(c.Request().Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var tooLarge *http.MaxBytesError
		var he *echo.HTTPError
		switch {
		case errors.As(err, &he) && he.Code == http.StatusRequestEntityTooLarge:
			return he
		case errors.As(err, &tooLarge):
			return minyi.Errorf(minyi.ETOOLARGE, "request body is larger than %d bytes", tooLarge.Limit)
		}
		return minyi.Errorf(minyi.EINVALID, "invalid JSON: %v", err)
	}
	if dec.More() {
		return minyi.Errorf(minyi.EINVALID, "invalid JSON: more than one value in the body")
	}
	return nil
}

func checkText(name, v string, maxRunes int) error {
	switch {
	case v == "":
		return minyi.Errorf(minyi.EINVALID, "%s must not be empty", name)
	case !utf8.ValidString(v):
		return minyi.Errorf(minyi.EINVALID, "%s is not valid UTF-8", name)
	case utf8.RuneCountInString(v) > maxRunes:
		return minyi.Errorf(minyi.ETOOLARGE, "%s has more than %d characters", name, maxRunes)
	}
	return nil
}
