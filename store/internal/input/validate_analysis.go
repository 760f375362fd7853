package input

import (
	"math"
	"time"

	"minyi"
)

// CheckAnalyses refuses a batch with a result no analyser could have
// produced, naming its position and id, before anything is written.
func CheckAnalyses(results []minyi.DocumentAnalysis) error {
	for i, r := range results {
		if err := CheckAnalysis(&r); err != nil {
			return minyi.Errorf(minyi.ErrorCode(err), "analysis %d (document %q): %s", i, r.ID, minyi.ErrorMessage(err))
		}
	}
	return nil
}

func CheckAnalysis(r *minyi.DocumentAnalysis) error {
	a := &r.Analysis
	switch {
	case r.ID == "":
		return minyi.Errorf(minyi.EINVALID, "analysis has no document id")
	case len(r.ID) > MaxIDBytes || len(a.Topic) > MaxIDBytes || len(a.Event) > MaxIDBytes:
		return minyi.Errorf(minyi.ETOOLARGE, "document, topic or event id is longer than %d bytes", MaxIDBytes)
	case len(r.Absorbed) > 0 && a.Event == "":
		return minyi.Errorf(minyi.EINVALID, "analysis absorbs events %q into no event", r.Absorbed)
	case r.Label != nil && a.Event == "":
		return minyi.Errorf(minyi.EINVALID, "analysis labels no event")
	case a.Sentiment != "" && a.Sentiment != minyi.SentimentPositive &&
		a.Sentiment != minyi.SentimentNeutral && a.Sentiment != minyi.SentimentNegative:
		return minyi.Errorf(minyi.EINVALID, "sentiment %q is none of %s, %s, %s", a.Sentiment,
			minyi.SentimentPositive, minyi.SentimentNeutral, minyi.SentimentNegative)
	case math.IsNaN(a.SentimentScore) || a.SentimentScore < -1 || a.SentimentScore > 1:
		return minyi.Errorf(minyi.EINVALID, "sentiment score %v is outside [-1, 1]", a.SentimentScore)
	case math.IsNaN(a.CategoryConfidence) || a.CategoryConfidence < 0 || a.CategoryConfidence > 1:
		return minyi.Errorf(minyi.EINVALID, "category confidence %v is outside [0, 1]", a.CategoryConfidence)
	}
	texts := []string{r.ID, string(a.Sentiment), a.Category, a.Category2, a.Topic, a.Event}
	for _, id := range r.Absorbed {
		switch {
		case id == "" || id == a.Event:
			return minyi.Errorf(minyi.EINVALID, "event %q cannot absorb %q", a.Event, id)
		case len(id) > MaxIDBytes:
			return minyi.Errorf(minyi.ETOOLARGE, "absorbed event id is longer than %d bytes", MaxIDBytes)
		}
		texts = append(texts, id)
	}
	if l := r.Label; l != nil {
		texts = append(texts, l.Title)
		texts = append(append(append(texts, l.Sites...), l.Regions...), l.Crowds...)
	}
	for _, f := range texts {
		if err := CheckText(f); err != nil {
			return err
		}
	}
	return nil
}

// CheckTrendWindow refuses windows that cannot rank anything.
func CheckTrendWindow(from, to time.Time, limit int) error {
	switch {
	case from.IsZero() || to.IsZero():
		return minyi.Errorf(minyi.EINVALID, "topic trends need both ends of the window")
	case !from.Before(to):
		return minyi.Errorf(minyi.EINVALID, "topic trends: from %s is not before to %s", from.Format(time.RFC3339), to.Format(time.RFC3339))
	case limit < 1:
		return minyi.Errorf(minyi.EINVALID, "topic trends limit must be positive, got %d", limit)
	}
	return nil
}

// Growth ranks rising topics first; the +1s keep a topic new in this window
// finite and damp the noise of tiny counts.
func Growth(count, previous int) float64 {
	return float64(count+1) / float64(previous+1)
}
