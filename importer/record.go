package importer

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"minyi"
)

// record is one row ready to store.
type record struct {
	line   int
	doc    minyi.Document
	kase   minyi.Case
	events []minyi.CaseEvent
}

// maxExternalIDBytes bounds the ID column; a longer "id" is a misplaced column.
const maxExternalIDBytes = 256

const timeHint = "expected e.g. 2019/4/25 9:32:09, 2019-04-25 09:32 or 2019年4月25日"

// record turns a row into a document, its historical case and its timeline,
// or reports why it cannot and returns false.
func (im *importer) record(line int, cells []string) (record, bool) {
	c := &im.cols
	var errs []RowError
	bad := func(col int, value, code, format string, args ...any) {
		errs = append(errs, RowError{Line: line, Column: c.name(col), Value: clip(value), Code: code, Message: fmt.Sprintf(format, args...)})
	}
	for i, v := range cells {
		switch {
		case len(v) > maxCellBytes:
			bad(i, "", "cell_too_big", "the cell holds %d bytes, more than any message has", len(v))
		case strings.IndexByte(v, 0) >= 0:
			bad(i, "", "nul", "the cell contains a NUL character")
		}
	}
	if len(errs) > 0 {
		im.fail(errs...)
		return record{}, false
	}
	cell := func(i int) string {
		if i < 0 || i >= len(cells) {
			return ""
		}
		return strings.TrimSpace(cells[i])
	}
	now := im.deps.Now()
	received := im.time(cell(c.received), c.received, now, bad)
	if cell(c.received) == "" {
		bad(c.received, "", "no_received", "no received time")
	}
	replyText, replyUnit := cell(c.replyText), cell(c.replyUnit)
	answered := im.time(cell(c.replyTime), c.replyTime, now, bad)
	switch {
	case !answered.IsZero() && !received.IsZero() && answered.Before(received):
		bad(c.replyTime, cell(c.replyTime), "reply_before_received", "the reply time is before the received time %s",
			received.Format("2006-01-02 15:04:05"))
	case answered.IsZero() && cell(c.replyTime) == "" && replyText != "":
		col := c.replyTime
		if col < 0 {
			col = c.replyText
		}
		bad(col, "", "reply_without_time", "a reply without a reply time cannot be judged on time; give the reply time")
	}
	rating, ok := parseRating(cell(c.rating))
	if !ok {
		bad(c.rating, cell(c.rating), "bad_rating", "not a satisfaction rating; expected 满意, 基本满意 or 不满意 (or 非常满意, 一般, 很不满意, 未评价)")
	}
	reaction := func(col int) int {
		v := cell(col)
		if v == "" {
			return 0
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > minyi.MaxReactions {
			bad(col, v, "bad_count", "not a count of readers' reactions; expected a whole number from 0 to %d", minyi.MaxReactions)
			return 0
		}
		return n
	}
	likes, dislikes := reaction(c.likes), reaction(c.dislikes)
	extID := cell(c.id)
	if len(extID) > maxExternalIDBytes {
		bad(c.id, extID, "id_too_long", "the id is longer than %d bytes", maxExternalIDBytes)
	}
	if len(errs) > 0 {
		im.fail(errs...)
		return record{}, false
	}

	title, body, category, region := cell(c.title), cell(c.body), cell(c.category), cell(c.region)
	if extID == "" {
		extID = rowKey(title, body, received)
	}
	doc := minyi.Document{
		ID:          minyi.DocumentID(im.source, "id:"+extID),
		Source:      im.source,
		Kind:        minyi.KindMessage,
		ExternalID:  extID,
		Board:       category, // the live pipeline reads a message's category from Board too
		Title:       title,
		Body:        body,
		Published:   received,
		Fetched:     now,
		MessageType: cell(c.typ),
		Likes:       likes,
		Dislikes:    dislikes,
	}
	if replyText != "" || !answered.IsZero() {
		doc.Reply = &minyi.OfficialReply{Unit: replyUnit, Body: replyText, Published: answered}
	}
	doc.ContentHash = doc.Hash()
	if err := doc.Validate(); err != nil {
		im.fail(RowError{Line: line, Code: "invalid", Message: minyi.ErrorMessage(err)})
		return record{}, false
	}
	key := seenKey(doc.ID)
	if prev, ok := im.seen[key]; ok {
		if prev.hash == hashPrefix(doc.ContentHash) {
			im.rep.Duplicates++
		} else {
			im.fail(RowError{Line: line, Column: c.name(c.id), Value: clip(extID), Code: "id_reused",
				Message: fmt.Sprintf("line %d has the same id with a different message", prev.line)})
		}
		return record{}, false
	}
	im.seen[key] = seenRow{line: int32(line), hash: hashPrefix(doc.ContentHash)}

	t, ok := minyi.MessageType(""), false
	if doc.MessageType != "" {
		t, ok = im.deps.ParseType(doc.MessageType)
	}
	if !ok {
		t = im.deps.InferType(title, body)
	}
	k := minyi.Case{
		ID:          minyi.CaseIDFor(doc.ID),
		DocumentID:  doc.ID,
		Source:      im.source,
		Title:       title,
		MessageType: t,
		Category:    category,
		Region:      region,
		Status:      minyi.CaseRouting,
		Rating:      rating,
		Received:    received,
		Due:         im.deps.Plan(im.source, t, received),
		Historical:  true,
		Updated:     now,
	}
	if r := im.assign(doc, t, region, cell(c.department), replyUnit); r != nil {
		k.Routing, k.Department, k.Status = r, r.Department, minyi.CaseOpen
	}
	if !answered.IsZero() {
		// A reply in history is long past its rating window: closed.
		k.Answered, k.Status = answered, minyi.CaseClosed
		k.OnTime = !k.Due.IsZero() && !answered.After(k.Due)
	}
	return record{line: line, doc: doc, kase: k, events: timeline(&k, replyUnit)}, true
}

// time parses a time cell; "" is the zero time and no error.
func (im *importer) time(s string, col int, now time.Time, bad func(int, string, string, string, ...any)) time.Time {
	if s == "" {
		return time.Time{}
	}
	t, ok := parseTime(s, im.epoch)
	switch {
	case !ok:
		bad(col, s, "bad_time", "not a date or time; %s", timeHint)
	case t.After(now):
		bad(col, s, "future_time", "the time is in the future")
	default:
		return t
	}
	return time.Time{}
}

// assign finds the case's department: the file's department column, else
// the unit that answered, else the router. nil when none applies, which
// leaves the case out of department statistics.
func (im *importer) assign(doc minyi.Document, t minyi.MessageType, region, named, unit string) *minyi.Routing {
	byName := func(s string) (string, bool) {
		if im.deps.DepartmentByName == nil || s == "" {
			return "", false
		}
		return im.deps.DepartmentByName(s)
	}
	r := minyi.Routing{Rule: "import", At: doc.Published}
	if named != "" {
		col := im.cols.name(im.cols.department)
		if id, ok := byName(named); ok {
			r.Department, r.Reason = id, fmt.Sprintf("history import: %s %q", col, named)
		} else {
			r.Department, r.Reason = named, fmt.Sprintf("history import: %s gives the department id", col)
		}
		return &r
	}
	if id, ok := byName(unit); ok {
		r.Department, r.Reason = id, fmt.Sprintf("history import: answered by %q", unit)
		return &r
	}
	if im.deps.Route == nil {
		return nil
	}
	routed, ok := im.deps.Route(doc, t, region)
	if !ok || routed.Department == "" {
		if unit != "" {
			// The unit that answered is who handled it, known or not: it
			// counts in the rates under its own name.
			r.Department, r.Reason = unit, fmt.Sprintf("history import: answered by %q (no configured department of that name)", unit)
			return &r
		}
		return nil
	}
	r.Department = routed.Department
	r.Reason = fmt.Sprintf("history import: routing rule %q: %s", routed.Rule, routed.Reason)
	if unit != "" {
		r.Reason += fmt.Sprintf(" (reply unit %q matches no department)", unit)
	}
	return &r
}

// timeline is the case's history as events with fixed keys, so that
// importing the file again adds nothing to it.
func timeline(k *minyi.Case, replyUnit string) []minyi.CaseEvent {
	ev := func(key string, typ minyi.EventType, at time.Time, actor, detail string) minyi.CaseEvent {
		return minyi.CaseEvent{CaseID: k.ID, Key: "import:" + key, Type: typ, At: at, Actor: actor,
			Department: k.Department, Detail: detail, Due: k.Due}
	}
	opened := ev("opened", minyi.EventOpened, k.Received, "system", "imported from history")
	opened.Department = "" // not yet routed when it arrived
	out := []minyi.CaseEvent{opened}
	if k.Routing != nil {
		out = append(out, ev("routed", minyi.EventRouted, k.Received, "system", k.Routing.Reason))
	}
	if !k.Answered.IsZero() {
		actor := k.Department
		if actor == "" {
			actor = "system"
		}
		detail := "reply imported from history"
		if replyUnit != "" {
			detail = "replied by " + replyUnit
		}
		out = append(out, ev("replied", minyi.EventReplied, k.Answered, actor, detail),
			ev("closed", minyi.EventClosed, k.Answered, "system", "answered in history"))
	}
	if k.Rating != "" {
		at := k.Answered
		if at.IsZero() {
			at = k.Received
		}
		out = append(out, ev("rated", minyi.EventRated, at, "system", "satisfaction imported from history: "+k.Rating.Label()))
	}
	return out
}

// rowKey identifies a message that has no id column by what it says and
// when, so the same row imported twice is the same message.
func rowKey(title, body string, received time.Time) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%d", title, body, received.Unix())
	return "row:" + hex.EncodeToString(h.Sum(nil)[:12])
}

// clip shortens a value quoted in an error message.
func clip(s string) string {
	const max = 80
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	r := []rune(s)
	return string(r[:max]) + "…"
}

// ratingWords are the satisfaction values exports use, folded.
var ratingWords = map[string]minyi.Rating{
	"满意": minyi.RatingSatisfied, "非常满意": minyi.RatingSatisfied, "很满意": minyi.RatingSatisfied,
	"比较满意": minyi.RatingSatisfied, "satisfied": minyi.RatingSatisfied,
	"基本满意": minyi.RatingBasic, "一般": minyi.RatingBasic, "basic": minyi.RatingBasic,
	"不满意": minyi.RatingDissatisfied, "很不满意": minyi.RatingDissatisfied, "非常不满意": minyi.RatingDissatisfied,
	"dissatisfied": minyi.RatingDissatisfied,
	"未评价":          "", "未回访": "", "无": "", "-": "", "—": "", "/": "",
}

// parseRating reads a 满意度 cell; "" and "未评价" are no rating.
func parseRating(s string) (minyi.Rating, bool) {
	if s == "" {
		return "", true
	}
	r, ok := ratingWords[normHeader(s)]
	return r, ok
}
