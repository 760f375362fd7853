package calendar

// defaultYear is a year of the embedded override table.
type defaultYear struct {
	year int
	// provisional: derived from the law, not from a published State Council
	// notice. A year of the library plus corrections is not provisional.
	provisional bool
	days        []Override
}

// defaultTable is the embedded override table, for years the library lacks or
// gets wrong. lunar-go v1.4.6 has 2025 and 2026 exactly as the State Council
// notices (2026: 国办发明电〔2025〕7号) publish them, so no correction is needed
// for those years; tests pin them.
//
// 2027 is PROVISIONAL. lunar-go v1.4.6 has no 2027 data and the State Council
// publishes the 2027 schedule in late 2026. Listed here are only the days the
// law fixes — the statutory days and the 补假 owed for statutory days that fall
// on a weekend (placed on the next free weekdays) — which is what deriveYear
// computes and TestDefault2027MatchesDerivation checks. The 调休 (extra
// bridge days, make-up Saturday/Sunday workdays) is unknown: when the notice
// is out, put the whole 2027 notice in the config override table (which then
// replaces this provisional year) or here with provisional=false.
var defaultTable = []defaultYear{{
	year:        2027,
	provisional: true,
	days: []Override{
		{Date: "2027-01-01", Name: "元旦节"}, // Fri
		// 除夕 Fri 2/5, 初一 Sat 2/6, 初二 Sun 2/7, 初三 Mon 2/8; 补假 for Sat and Sun.
		{Date: "2027-02-05", Name: "春节"},
		{Date: "2027-02-06", Name: "春节"},
		{Date: "2027-02-07", Name: "春节"},
		{Date: "2027-02-08", Name: "春节"},
		{Date: "2027-02-09", Name: "春节"},
		{Date: "2027-02-10", Name: "春节"},
		{Date: "2027-04-05", Name: "清明节"}, // Mon
		// 5/1 Sat, 5/2 Sun; 补假 Mon and Tue.
		{Date: "2027-05-01", Name: "劳动节"},
		{Date: "2027-05-02", Name: "劳动节"},
		{Date: "2027-05-03", Name: "劳动节"},
		{Date: "2027-05-04", Name: "劳动节"},
		{Date: "2027-06-09", Name: "端午节"}, // Wed, lunar 5/5
		{Date: "2027-09-15", Name: "中秋节"}, // Wed, lunar 8/15
		// 10/1 Fri, 10/2 Sat, 10/3 Sun; 补假 Mon and Tue.
		{Date: "2027-10-01", Name: "国庆节"},
		{Date: "2027-10-02", Name: "国庆节"},
		{Date: "2027-10-03", Name: "国庆节"},
		{Date: "2027-10-04", Name: "国庆节"},
		{Date: "2027-10-05", Name: "国庆节"},
	},
}}

// DefaultOverrides returns a copy of the embedded override table, e.g. for an
// admin page that shows which dates are provisional.
func DefaultOverrides() []Override {
	var out []Override
	for _, y := range defaultTable {
		out = append(out, y.days...)
	}
	return out
}
