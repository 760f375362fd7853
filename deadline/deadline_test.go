package deadline

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"minyi"
	"minyi/calendar"
)

func newCal(t *testing.T) *calendar.Calendar {
	t.Helper()
	c, err := calendar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// china parses "2006-01-02 15:04" in China time.
func china(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, minyi.ChinaTime)
	if err != nil {
		panic(err)
	}
	return t
}

// endOf is the last whole second of a China date, the instant every
// deadline falls on.
func endOf(date string) time.Time {
	return china(date + " 23:59").Add(59 * time.Second)
}

func sameInstant(t *testing.T, what string, got time.Time, wantDate string) {
	t.Helper()
	if want := endOf(wantDate); !got.Equal(want) {
		t.Errorf("%s = %s, want end of %s", what, got.In(minyi.ChinaTime).Format(time.DateTime), wantDate)
	}
}

func TestPlanComplaintAcrossNationalDay2026(t *testing.T) {
	cal := newCal(t)
	// 10/10 (Sat) is the 国庆 make-up workday, 10/1-10/7 are off.
	if !cal.IsWorkday(china("2026-10-10 12:00")) || cal.IsWorkday(china("2026-10-05 12:00")) {
		t.Fatal("calendar does not have the 2026 国庆 schedule this test relies on")
	}
	received := china("2026-09-28 10:30")
	l := DefaultPolicy().Plan(cal, "mailbox", minyi.TypeComplaint, received)
	if !l.Received.Equal(received) {
		t.Errorf("Received = %s, want %s", l.Received, received)
	}
	// 9/29 9/30 | 10/8 10/9 10/10(Sat) | 10/12-16 | 10/19-23: the 15th working day is 10/23.
	sameInstant(t, "Due", l.Due, "2026-10-23")
	sameInstant(t, "Reminder", l.Reminder, "2026-10-21")
	sameInstant(t, "Urge", l.Urge, "2026-10-26")
	sameInstant(t, "Supervise", l.Supervise, "2026-10-30")
	sameInstant(t, "Notice", l.Notice, "2026-11-06")
	if !l.Accept.IsZero() {
		t.Errorf("Accept = %s for a complaint, want zero", l.Accept)
	}
}

func TestPlanAcrossSpringFestival2026(t *testing.T) {
	cal := newCal(t)
	p := DefaultPolicy()
	// Received Thu 2/12: 2/13 (Fri), 2/14 (make-up Sat), 2/15-2/23 off, 2/24, 2/25, 2/26.
	l := p.Plan(cal, "mailbox", minyi.TypeInquiry, china("2026-02-12 09:00"))
	sameInstant(t, "Due", l.Due, "2026-02-26")
	sameInstant(t, "Reminder", l.Reminder, "2026-02-24")
	// Received during the holiday: counting starts on the first day back,
	// and the make-up Saturday 2/28 is the 5th working day.
	l = p.Plan(cal, "mailbox", minyi.TypeInquiry, china("2026-02-17 20:00"))
	sameInstant(t, "Due (received in 春节)", l.Due, "2026-02-28")
	// The reminder counts back over the holiday: 2/13 and 2/14 are the two
	// working days before 2/24.
	l = p.Plan(cal, "mailbox", minyi.TypeInquiry, china("2026-02-10 09:00"))
	sameInstant(t, "Due", l.Due, "2026-02-24")
	sameInstant(t, "Reminder", l.Reminder, "2026-02-13")
}

func TestPlanUsesChinaDateOfReceipt(t *testing.T) {
	cal := newCal(t)
	p := DefaultPolicy()
	// 17:30 UTC on Sunday 9/27 is 01:30 on Monday 9/28 in China.
	utc := time.Date(2026, 9, 27, 17, 30, 0, 0, time.UTC)
	if got, want := p.Plan(cal, "x", minyi.TypeComplaint, utc).Due, endOf("2026-10-23"); !got.Equal(want) {
		t.Errorf("Due = %s, want %s", got, want)
	}
	late := p.Plan(cal, "x", minyi.TypeInquiry, china("2026-03-02 23:59")).Due
	early := p.Plan(cal, "x", minyi.TypeInquiry, china("2026-03-03 00:01")).Due
	if !early.After(late) {
		t.Errorf("two minutes across midnight give due dates %s and %s; the later receipt should be due a day later", late, early)
	}
}

func TestPlanPerSourceOverride(t *testing.T) {
	cal := newCal(t)
	p := DefaultPolicy()
	p.Sources["hotline"] = map[minyi.MessageType]int{minyi.TypeInquiry: 3}
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	received := china("2026-09-28 10:30")
	sameInstant(t, "hotline inquiry Due", p.Plan(cal, "hotline", minyi.TypeInquiry, received).Due, "2026-10-08")
	// The override is for inquiries only, and for the hotline only.
	sameInstant(t, "hotline complaint Due", p.Plan(cal, "hotline", minyi.TypeComplaint, received).Due, "2026-10-23")
	// 9/29 9/30 10/8 10/9 and the make-up Saturday 10/10.
	sameInstant(t, "mailbox inquiry Due", p.Plan(cal, "mailbox", minyi.TypeInquiry, received).Due, "2026-10-10")
	if got := p.DaysFor("hotline", minyi.TypeInquiry); got != 3 {
		t.Errorf("DaysFor(hotline, 咨询) = %d, want 3", got)
	}
}

func TestPlanUnknownTypeIsHelp(t *testing.T) {
	cal := newCal(t)
	p := DefaultPolicy()
	r := china("2026-05-11 09:00")
	want := p.Plan(cal, "x", minyi.TypeHelp, r)
	for _, typ := range []minyi.MessageType{"", "意见"} {
		if got := p.Plan(cal, "x", typ, r); got != want {
			t.Errorf("Plan(%q) = %+v, want the 求助 ladder %+v", typ, got, want)
		}
	}
}

func TestPlanPetitionCalendarDays(t *testing.T) {
	cal := newCal(t)
	p := DefaultPolicy()
	l := p.Plan(cal, "letters", minyi.TypePetition, china("2026-09-01 15:00"))
	sameInstant(t, "Accept", l.Accept, "2026-09-16")
	// 9/1 + 60 days = Sat 10/31, so the period ends on Monday 11/2.
	sameInstant(t, "Due", l.Due, "2026-11-02")
	sameInstant(t, "Reminder", l.Reminder, "2026-10-29")
	sameInstant(t, "Urge", l.Urge, "2026-11-03")

	ext, err := p.Extend(cal, l, minyi.TypePetition, 30)
	if err != nil {
		t.Fatal(err)
	}
	sameInstant(t, "extended Due", ext.Due, "2026-12-02")
	if _, err := p.Extend(cal, l, minyi.TypePetition, 31); minyi.ErrorCode(err) != minyi.EINVALID || !strings.Contains(err.Error(), "30 calendar days") {
		t.Errorf("31-day petition extension: err = %v, want EINVALID naming the 30-day maximum", err)
	}
}

func TestExtendMovesEveryLaterRung(t *testing.T) {
	cal := newCal(t)
	p := DefaultPolicy()
	received := china("2026-09-28 10:30")
	l := p.Plan(cal, "mailbox", minyi.TypeComplaint, received)
	ext, err := p.Extend(cal, l, minyi.TypeComplaint, 5)
	if err != nil {
		t.Fatal(err)
	}
	sameInstant(t, "Due", ext.Due, "2026-10-30")
	sameInstant(t, "Reminder", ext.Reminder, "2026-10-28")
	sameInstant(t, "Urge", ext.Urge, "2026-11-02")
	sameInstant(t, "Supervise", ext.Supervise, "2026-11-06")
	sameInstant(t, "Notice", ext.Notice, "2026-11-13")
	if !ext.Received.Equal(received) {
		t.Errorf("extension moved Received to %s", ext.Received)
	}
	// The original is a value and stays as it was.
	sameInstant(t, "original Due", l.Due, "2026-10-23")

	for _, days := range []int{0, -3, 16} {
		got, err := p.Extend(cal, l, minyi.TypeComplaint, days)
		if minyi.ErrorCode(err) != minyi.EINVALID {
			t.Errorf("Extend(%d days): err = %v, want EINVALID", days, err)
		}
		if got != l {
			t.Errorf("a rejected extension of %d days changed the ladder", days)
		}
	}
	// The cap is the type's own deadline: an inquiry gets at most 5.
	if _, err := p.Extend(cal, l, minyi.TypeInquiry, 6); err == nil || !strings.Contains(minyi.ErrorMessage(err), "at most 5 working days") {
		t.Errorf("6-day extension of an inquiry: err = %v, want the 5-day maximum", err)
	}
	if _, err := p.Extend(cal, Ladder{}, minyi.TypeComplaint, 1); minyi.ErrorCode(err) != minyi.EINVALID {
		t.Errorf("extending an empty ladder: err = %v, want EINVALID", err)
	}
}

func TestLadderRungsAndReached(t *testing.T) {
	cal := newCal(t)
	p := DefaultPolicy()
	l := p.Plan(cal, "mailbox", minyi.TypeComplaint, china("2026-09-28 10:30"))

	// The case workflow waits for each rung in Rungs order: every rung is set
	// and strictly later than the one before, so none fires twice or early.
	at := l.Received
	for _, r := range Rungs {
		next := l.At(r)
		if next.IsZero() || !next.After(at) {
			t.Fatalf("At(%s) = %s: not set, or not strictly after %s", r, next, at)
		}
		at = next
	}
	if r := l.Reached(china("2026-10-27 09:00")); r != minyi.RungUrge {
		t.Errorf("Reached(10/27) = %s, want urge", r)
	}
	if r := l.Reached(l.Received); r != minyi.RungNone {
		t.Errorf("Reached(received) = %s, want none", r)
	}
	if r := l.Reached(l.Due); r != minyi.RungOverdue {
		t.Errorf("Reached(Due) = %s, want overdue (a rung fires at its instant)", r)
	}
	if !l.At(minyi.RungNone).IsZero() || !l.At("bogus").IsZero() {
		t.Error("At of no rung is not zero")
	}

	p.ReminderBefore = 0
	l = p.Plan(cal, "mailbox", minyi.TypeComplaint, china("2026-09-28 10:30"))
	if !l.At(minyi.RungReminder).IsZero() || l.At(minyi.RungOverdue).IsZero() {
		t.Errorf("with no reminder: Reminder %s, Due %s; want no reminder and a due date", l.Reminder, l.Due)
	}
	if r := l.Reached(l.Due.Add(-time.Hour)); r != minyi.RungNone {
		t.Errorf("with no reminder, Reached before the due date = %s, want none", r)
	}
}

func TestReroute(t *testing.T) {
	cal := newCal(t)
	// Returned on Wed 9/30: 10/1-10/7 off, so re-route by the end of Fri 10/9.
	sameInstant(t, "Reroute", DefaultPolicy().Reroute(cal, china("2026-09-30 16:00")), "2026-10-09")
}

func TestValidate(t *testing.T) {
	if err := DefaultPolicy().Validate(); err != nil {
		t.Fatalf("default policy: %v", err)
	}
	cases := []struct {
		name   string
		change func(p *Policy)
		want   string
	}{
		{"negative days", func(p *Policy) { p.Days[minyi.TypeInquiry] = -1 }, "咨询 has -1 working days"},
		{"reminder not before due", func(p *Policy) { p.ReminderBefore = 5 }, "reminder_before (5) must be less than the 5 working days of 咨询"},
		{"negative reminder", func(p *Policy) { p.ReminderBefore = -1 }, "reminder_before is -1"},
		{"missing type", func(p *Policy) { delete(p.Days, minyi.TypeReport) }, "no deadline for 举报"},
		{"unknown type", func(p *Policy) { p.Days["意见"] = 7 }, `unknown message type "意见"`},
		{"petition in days", func(p *Policy) { p.Days[minyi.TypePetition] = 60 }, "信访 deadlines are set under petition"},
		{"source override too short", func(p *Policy) {
			p.Sources["hotline"] = map[minyi.MessageType]int{minyi.TypeInquiry: 2}
		}, "sources.hotline: reminder_before (2) must be less than the 2 working days of 咨询"},
		{"empty source", func(p *Policy) { p.Sources[" "] = map[minyi.MessageType]int{minyi.TypeInquiry: 3} }, "empty name"},
		{"urge at due", func(p *Policy) { p.UrgeAfter = 0 }, "urge_after is 0"},
		{"ladder out of order", func(p *Policy) { p.SuperviseAfter = 1 }, "supervise_after (1) must be greater than urge_after (1)"},
		{"notice before supervise", func(p *Policy) { p.NoticeAfter = 4 }, "notice_after (4) must be greater than supervise_after (5)"},
		{"reroute", func(p *Policy) { p.RerouteWithin = 0 }, "reroute_within is 0"},
		{"rating window", func(p *Policy) { p.RatingWindow = 0 }, "rating_window is 0s"},
		{"petition handle", func(p *Policy) { p.Petition.HandleDays = 10 }, "petition.handle_days (10) must be at least petition.accept_days (15)"},
		{"petition extension", func(p *Policy) { p.Petition.MaxExtensionDays = -30 }, "petition.max_extension_days is -30"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := DefaultPolicy()
			c.change(&p)
			err := p.Validate()
			if minyi.ErrorCode(err) != minyi.EINVALID {
				t.Fatalf("err = %v, want EINVALID", err)
			}
			if !strings.Contains(minyi.ErrorMessage(err), c.want) {
				t.Errorf("message %q does not say %q", minyi.ErrorMessage(err), c.want)
			}
		})
	}
	// Several problems are reported together.
	p := DefaultPolicy()
	p.RerouteWithin, p.RatingWindow = 0, -time.Hour
	if msg := minyi.ErrorMessage(p.Validate()); !strings.Contains(msg, "reroute_within") || !strings.Contains(msg, "rating_window") {
		t.Errorf("message %q does not report both problems", msg)
	}
}

func TestLoadJSONOntoDefaults(t *testing.T) {
	p := DefaultPolicy()
	cfg := `{"days": {"咨询": 3}, "sources": {"hotline": {"求助": 4}}, "rating_window": "72h",
		"petition": {"handle_days": 45}}`
	if err := json.Unmarshal([]byte(cfg), &p); err != nil {
		t.Fatal(err)
	}
	if p.Days[minyi.TypeInquiry] != 3 || p.Days[minyi.TypeComplaint] != 15 {
		t.Errorf("days = %v, want 咨询 3 and the other defaults kept", p.Days)
	}
	if p.Sources["hotline"][minyi.TypeHelp] != 4 || p.RatingWindow != 72*time.Hour {
		t.Errorf("sources = %v, rating_window = %s", p.Sources, p.RatingWindow)
	}
	if p.Petition != (PetitionPolicy{AcceptDays: 15, HandleDays: 45, MaxExtensionDays: 30}) {
		t.Errorf("petition = %+v, want handle_days 45 and the other defaults", p.Petition)
	}
	if err := p.Validate(); err != nil {
		t.Error(err)
	}

	// A round trip keeps everything, the duration as a readable string.
	out, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), `"rating_window":"72h0m0s"`) {
		t.Errorf("marshalled %s", out)
	}
	var back Policy
	if err := json.Unmarshal(out, &back); err != nil {
		t.Fatal(err)
	}
	if back.RatingWindow != p.RatingWindow || back.Days[minyi.TypeInquiry] != 3 || back.Petition != p.Petition {
		t.Errorf("round trip gave %+v", back)
	}

	for _, bad := range []string{`{"rating_window": "15 days"}`, `{"days": {"咨询": "five"}}`} {
		q := DefaultPolicy()
		if err := json.Unmarshal([]byte(bad), &q); minyi.ErrorCode(err) != minyi.EINVALID {
			t.Errorf("%s: err = %v, want EINVALID", bad, err)
		}
	}
}

// The config file is YAML; this pins the keys and that "360h" decodes.
func TestLoadYAMLOntoDefaults(t *testing.T) {
	var cfg struct {
		Deadlines Policy `yaml:"deadlines"`
	}
	cfg.Deadlines = DefaultPolicy()
	src := `
deadlines:
  days: {咨询: 4}
  sources: {hotline: {咨询: 3}}
  reminder_before: 1
  urge_after: 2
  supervise_after: 6
  notice_after: 12
  reroute_within: 3
  rating_window: 360h
  petition: {handle_days: 60, max_extension_days: 20}
`
	if err := yaml.Unmarshal([]byte(src), &cfg); err != nil {
		t.Fatal(err)
	}
	p := cfg.Deadlines
	wantPetition := PetitionPolicy{AcceptDays: 15, HandleDays: 60, MaxExtensionDays: 20}
	if p.Days[minyi.TypeInquiry] != 4 || p.Days[minyi.TypeReport] != 15 || p.Sources["hotline"][minyi.TypeInquiry] != 3 ||
		p.ReminderBefore != 1 || p.UrgeAfter != 2 || p.SuperviseAfter != 6 || p.NoticeAfter != 12 ||
		p.RerouteWithin != 3 || p.RatingWindow != 360*time.Hour || p.Petition != wantPetition {
		t.Errorf("decoded %+v", p)
	}
	if err := p.Validate(); err != nil {
		t.Error(err)
	}
}

func TestClose(t *testing.T) {
	answered := china("2026-10-01 10:00")
	if got := DefaultPolicy().Close(answered); !got.Equal(china("2026-10-16 10:00")) {
		t.Errorf("Close = %s, want 15 days later", got)
	}
}
