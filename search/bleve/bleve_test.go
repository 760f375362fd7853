package bleve

import (
	"testing"

	"minyi"
	"minyi/search/searchtest"
)

func TestIndex(t *testing.T) {
	searchtest.RunIndexTests(t, func(t *testing.T) minyi.Index { return openTemp(t, "") })
}
