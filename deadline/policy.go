// Package deadline computes a case's reply deadline and its escalation
// ladder (DESIGN.md "Deadlines and escalation") from a configurable Policy
// and a working-day calendar.
//
// Everything here is pure and deterministic — no clock, no I/O, no map
// iteration that affects a result — so Temporal workflow code may call it
// directly and replay gives the same dates.
package deadline

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"minyi"
)

// Policy sets reply deadlines per message type and channel and the offsets of
// the escalation ladder. Load it by unmarshalling config (YAML or JSON) onto
// DefaultPolicy(): maps merge, so a config that names one type or one
// source keeps the defaults for the rest. Call Validate afterwards.
type Policy struct {
	// Days is the reply deadline in working days per message type. 信访 is
	// not here: formal petitions follow Petition, in calendar days.
	Days map[minyi.MessageType]int `json:"days" yaml:"days"`
	// Sources overrides Days per source (channel), e.g. a hotline that
	// promises an inquiry answer within 3 working days.
	Sources map[string]map[minyi.MessageType]int `json:"sources,omitempty" yaml:"sources"`

	// Ladder offsets in working days, relative to the due date.
	ReminderBefore int `json:"reminder_before" yaml:"reminder_before"` // 0: no reminder
	UrgeAfter      int `json:"urge_after" yaml:"urge_after"`           // 催办
	SuperviseAfter int `json:"supervise_after" yaml:"supervise_after"` // 督办
	NoticeAfter    int `json:"notice_after" yaml:"notice_after"`       // 通报

	// RerouteWithin is how many working days routing has to re-route a case
	// a department returned (回退).
	RerouteWithin int `json:"reroute_within" yaml:"reroute_within"`
	// RatingWindow is how long an answered case waits for the citizen's
	// rating (回访) before it closes. Wall-clock time, not working days:
	// citizens rate on weekends too. JSON and YAML take "360h".
	RatingWindow time.Duration `json:"rating_window" yaml:"rating_window"`

	Petition PetitionPolicy `json:"petition" yaml:"petition"`
}

// PetitionPolicy holds the 信访 periods, in calendar days as the 信访工作条例
// states them.
type PetitionPolicy struct {
	AcceptDays       int `json:"accept_days" yaml:"accept_days"`               // accept or forward (受理/转送)
	HandleDays       int `json:"handle_days" yaml:"handle_days"`               // handle (办结), counted from receipt
	MaxExtensionDays int `json:"max_extension_days" yaml:"max_extension_days"` // one extension at most this long; 0: none
}

// DefaultPolicy is the policy of DESIGN.md. Each call returns fresh maps.
func DefaultPolicy() Policy {
	return Policy{
		Days: map[minyi.MessageType]int{
			minyi.TypeInquiry:    5,
			minyi.TypeHelp:       10,
			minyi.TypeSuggestion: 10,
			minyi.TypeComplaint:  15,
			minyi.TypeReport:     15,
		},
		Sources:        map[string]map[minyi.MessageType]int{},
		ReminderBefore: 2,
		UrgeAfter:      1,
		SuperviseAfter: 5,
		NoticeAfter:    10,
		RerouteWithin:  2,
		RatingWindow:   15 * 24 * time.Hour,
		Petition:       PetitionPolicy{AcceptDays: 15, HandleDays: 60, MaxExtensionDays: 30},
	}
}

// Validate reports every problem of the policy at once, as minyi.EINVALID.
func (p Policy) Validate() error {
	var errs []string
	bad := func(format string, args ...any) { errs = append(errs, fmt.Sprintf(format, args...)) }

	// Reminder is checked against the shortest deadline anywhere: a reminder
	// on or before the day of receipt is useless and means a typo.
	checkDays := func(where string, days map[minyi.MessageType]int) {
		for _, t := range sortedTypes(days) {
			n := days[t]
			switch {
			case t == minyi.TypePetition:
				bad("%s: 信访 deadlines are set under petition (calendar days), not per type", where)
			case !slices.Contains(minyi.MessageTypes, t):
				bad("%s: unknown message type %q (want one of 咨询 求助 建议 投诉 举报)", where, t)
			case n <= 0:
				bad("%s: %s has %d working days; it must be at least 1", where, t, n)
			case p.ReminderBefore >= n:
				bad("%s: reminder_before (%d) must be less than the %d working days of %s", where, p.ReminderBefore, n, t)
			}
		}
	}
	checkDays("days", p.Days)
	for _, t := range minyi.MessageTypes {
		if _, ok := p.Days[t]; !ok && t != minyi.TypePetition {
			bad("days: no deadline for %s", t)
		}
	}
	sources := make([]string, 0, len(p.Sources))
	for s := range p.Sources {
		sources = append(sources, s)
	}
	slices.Sort(sources)
	for _, s := range sources {
		if strings.TrimSpace(s) == "" {
			bad("sources: a source has an empty name")
			continue
		}
		checkDays("sources."+s, p.Sources[s])
	}

	if p.ReminderBefore < 0 {
		bad("reminder_before is %d; it must be 0 (no reminder) or more", p.ReminderBefore)
	}
	if p.UrgeAfter < 1 {
		bad("urge_after is %d; 催办 must come at least 1 working day after the due date", p.UrgeAfter)
	}
	if p.SuperviseAfter <= p.UrgeAfter {
		bad("supervise_after (%d) must be greater than urge_after (%d)", p.SuperviseAfter, p.UrgeAfter)
	}
	if p.NoticeAfter <= p.SuperviseAfter {
		bad("notice_after (%d) must be greater than supervise_after (%d)", p.NoticeAfter, p.SuperviseAfter)
	}
	if p.RerouteWithin < 1 {
		bad("reroute_within is %d; it must be at least 1 working day", p.RerouteWithin)
	}
	if p.RatingWindow <= 0 {
		bad("rating_window is %s; it must be positive, e.g. 360h", p.RatingWindow)
	}
	pp := p.Petition
	if pp.AcceptDays < 1 {
		bad("petition.accept_days is %d; it must be at least 1", pp.AcceptDays)
	}
	if pp.HandleDays < pp.AcceptDays {
		bad("petition.handle_days (%d) must be at least petition.accept_days (%d)", pp.HandleDays, pp.AcceptDays)
	}
	if pp.MaxExtensionDays < 0 {
		bad("petition.max_extension_days is %d; it must be 0 (no extension) or more", pp.MaxExtensionDays)
	}
	if len(errs) > 0 {
		return minyi.Errorf(minyi.EINVALID, "deadline policy: %s", strings.Join(errs, "; "))
	}
	return nil
}

// sortedTypes gives map keys in a fixed order, so error messages are stable.
func sortedTypes(m map[minyi.MessageType]int) []minyi.MessageType {
	out := make([]minyi.MessageType, 0, len(m))
	for t := range m {
		out = append(out, t)
	}
	slices.Sort(out)
	return out
}

// policyJSON is Policy without its methods, so that (Un)MarshalJSON below
// can delegate to encoding/json without recursing.
type policyJSON Policy

// MarshalJSON writes rating_window as a duration string ("360h0m0s"), which
// is what config authors write; encoding/json would write nanoseconds.
func (p Policy) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		policyJSON
		RatingWindow string `json:"rating_window"`
	}{policyJSON(p), p.RatingWindow.String()})
}

// UnmarshalJSON reads rating_window as a duration string. Like plain
// encoding/json it merges into the receiver's maps, so config decoded onto
// DefaultPolicy() keeps the defaults it does not mention.
func (p *Policy) UnmarshalJSON(data []byte) error {
	aux := struct {
		*policyJSON
		RatingWindow *string `json:"rating_window"`
	}{policyJSON: (*policyJSON)(p)}
	if err := json.Unmarshal(data, &aux); err != nil {
		return minyi.Errorf(minyi.EINVALID, "deadline policy: %v", err)
	}
	if aux.RatingWindow != nil {
		d, err := time.ParseDuration(*aux.RatingWindow)
		if err != nil {
			return minyi.Errorf(minyi.EINVALID, "deadline policy: rating_window %q is not a duration like \"360h\"", *aux.RatingWindow)
		}
		p.RatingWindow = d
	}
	return nil
}
