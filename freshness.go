package minyi

import "time"

// Freshness is how soon a source's posts became searchable after the site
// published them, over its most recent documents. Samples 0 is "not
// measured" (the page shows —), never a delay of 0.
type Freshness struct {
	Samples  int           `json:"samples"`
	P50, P90 time.Duration `json:"-"`
}

// FreshnessReader gives the measured freshness of a source.
type FreshnessReader interface {
	Freshness(source string) Freshness
}
