package event

import "math"

// Period is what an event did in a period of time, for its heat.
type Period struct {
	Count    int // documents published in the period
	Previous int // documents in the period of equal length just before
	// Likes and Dislikes are readers' 点赞 and 反对 on the period's
	// documents where the source shows them; 0 where it does not.
	Likes, Dislikes int
	Negative        int // of Count, documents of negative sentiment
	Sources         int // distinct sources among the period's documents
}

// Growth bounds: a first appearance (Previous 0) or a collapse moves heat
// at most by these factors, so one burst of reposts cannot outrank an
// event that has run for weeks.
const (
	minGrowth = 0.25
	maxGrowth = 8
)

// Heat ranks events within one period:
//
//	heat = 10 × (ln(1+Count) + ½·ln(1+Likes+Dislikes))
//	          × √growth × (1 + negative share) × (1 + ¼·min(Sources−1, 4))
//	growth = (Count+1) / (Previous+1), clamped to [¼, 8]
//
// Volume counts logarithmically: the tenth letter about a problem says
// less than the second. Reactions count at half the weight of letters, as
// a reader's click costs less than writing; 反对 counts as attention like
// 点赞 (a contested message is a hot one). Growth against the previous
// period of equal length favours what is rising now; its square root
// keeps a doubling from outweighing volume. A negative share up to all
// doubles heat, and each further source beyond the first (the forum, the
// mailbox, the hotline) adds a quarter, up to five sources: an issue that
// spreads across channels matters more than one that stays in one. An
// event with no document in the period has heat 0.
func Heat(p Period) float64 {
	if p.Count <= 0 {
		return 0
	}
	volume := math.Log1p(float64(p.Count)) + 0.5*math.Log1p(float64(max(0, p.Likes)+max(0, p.Dislikes)))
	growth := min(max(float64(p.Count+1)/float64(max(0, p.Previous)+1), minGrowth), maxGrowth)
	negative := float64(min(max(0, p.Negative), p.Count)) / float64(p.Count)
	spread := 1 + 0.25*float64(min(max(p.Sources-1, 0), 4))
	return 10 * volume * math.Sqrt(growth) * (1 + negative) * spread
}
