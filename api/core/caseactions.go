package core

import (
	"slices"
	"strings"
	"unicode/utf8"

	"minyi"
	"minyi/workflows"
)

// Limits on action bodies; the workflow is the authority on everything else.
const (
	maxReasonRunes     = 2000
	maxReplyRunes      = 20_000 // as the case workflow accepts
	MaxAttachments     = 20
	maxAttachmentBytes = 2048
	// MaxExtensionDays is DESIGN.md's cap on one extension (信访: ≤ 30 days).
	MaxExtensionDays = 30
	maxCaseIDBytes   = 200 // a case id is "case-" and a document id
)

// The bodies carry no department or supervisor: those come from the
// principal, and an unknown field (such as "department" in a reply) is a 400.

type ReplyBody struct {
	Text        string   `json:"text"`
	Attachments []string `json:"attachments"`
	Resolved    bool     `json:"resolved"`
}

// ReplyArgs checks a reply from the API or a page form.
func ReplyArgs(u *minyi.User, b ReplyBody) (any, error) {
	text := strings.TrimSpace(b.Text)
	if err := checkText("text", text, maxReplyRunes); err != nil {
		return nil, err
	}
	if len(b.Attachments) > MaxAttachments {
		return nil, minyi.Errorf(minyi.EINVALID, "a reply has at most %d attachments", MaxAttachments)
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

func ReturnArgs(u *minyi.User, reason string) (any, error) {
	reason = strings.TrimSpace(reason)
	if err := checkText("reason", reason, maxReasonRunes); err != nil {
		return nil, err
	}
	return workflows.ReturnRequest{Department: u.Department, Reason: reason}, nil
}

func ExtensionArgs(u *minyi.User, reason string, days int) (any, error) {
	reason = strings.TrimSpace(reason)
	if err := checkText("reason", reason, maxReasonRunes); err != nil {
		return nil, err
	}
	if days < 1 || days > MaxExtensionDays {
		return nil, minyi.Errorf(minyi.EINVALID, "days must be between 1 and %d, got %d", MaxExtensionDays, days)
	}
	return workflows.ExtensionRequest{Department: u.Department, Reason: reason, Days: days}, nil
}

func DecisionArgs(u *minyi.User, approve *bool, reason string) (any, error) {
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

func RatingArgs(rating minyi.Rating, comment string) (any, error) {
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

func (s *Server) ReassignArgs(u *minyi.User, dept, reason string) (any, error) {
	dept, reason = strings.TrimSpace(dept), strings.TrimSpace(reason)
	if dept == "" {
		return nil, minyi.Errorf(minyi.EINVALID, "department is required")
	}
	if len(s.DepartmentList()) > 0 && !slices.ContainsFunc(s.DepartmentList(), func(d minyi.Department) bool { return d.ID == dept }) {
		return nil, minyi.Errorf(minyi.EINVALID, "unknown department %q", dept)
	}
	if err := checkText("reason", reason, maxReasonRunes); err != nil {
		return nil, err
	}
	return workflows.ReassignRequest{Supervisor: u.Name, Department: dept, Reason: reason}, nil
}

// MergeArgs checks a 并单 from the API or a page form: the case to merge
// into is named by its id; the workflows judge whether it takes the letter.
func MergeArgs(u *minyi.User, into, reason string) (any, error) {
	into, reason = strings.TrimSpace(into), strings.TrimSpace(reason)
	if err := checkText("into", into, maxCaseIDBytes); err != nil {
		return nil, err
	}
	if reason != "" {
		if err := checkText("reason", reason, maxReasonRunes); err != nil {
			return nil, err
		}
	}
	return workflows.MergeRequest{Supervisor: u.Name, Into: into, Reason: reason}, nil
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
