package pipeline

import "sync"

// memo lets models that were loaded with a tokenizer use the words already
// segmented for the document being analysed. Entries live only while their
// document is analysed; a miss (another goroutine released an identical
// text) just segments again, which gives the same words.
type memo struct {
	mu sync.Mutex
	m  map[string]*memoEntry
}

type memoEntry struct {
	words []string
	refs  int
}

func (m *memo) hold(texts map[string][]string) (release func()) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.m == nil {
		m.m = map[string]*memoEntry{}
	}
	for s, w := range texts {
		e := m.m[s]
		if e == nil {
			e = &memoEntry{words: w}
			m.m[s] = e
		}
		e.refs++
	}
	return func() {
		m.mu.Lock()
		defer m.mu.Unlock()
		for s := range texts {
			if e := m.m[s]; e != nil {
				if e.refs--; e.refs == 0 {
					delete(m.m, s)
				}
			}
		}
	}
}

func (m *memo) words(s string) []string {
	m.mu.Lock()
	e := m.m[s]
	m.mu.Unlock()
	if e != nil {
		return e.words
	}
	return Words(s)
}
