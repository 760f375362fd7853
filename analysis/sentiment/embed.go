package sentiment

import (
	"bytes"
	_ "embed"
	"sync"
)

// defaultModel is trained by `make train-sentiment` on public review
// corpora (README: Sentiment, for each file's source and terms).
//
//go:embed model/default.model
var defaultModel []byte

var defaultOnce = sync.OnceValue(func() *Model {
	m, err := Load(bytes.NewReader(defaultModel))
	if err != nil {
		panic("sentiment: the embedded model: " + err.Error()) // TestDefaultModel keeps it loadable
	}
	return m
})

// Default is the embedded two-class model, loaded once.
func Default() *Model { return defaultOnce() }
