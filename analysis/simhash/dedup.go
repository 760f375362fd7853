package simhash

import (
	"sync"
	"time"

	"minyi"
)

// DefaultThreshold is the largest Hamming distance at which two documents
// are the same topic. The index splits fingerprints into threshold+1 bands
// (at least 4, so 4×16 bits by default): any pair within threshold bits
// agrees exactly on at least one band (pigeonhole), so lookup is exact.
// Short messages drift more per edited character than long ones; cmd/eval
// reports precision and recall at several thresholds.
const DefaultThreshold = 3

// MaxThreshold keeps bands at least 8 bits wide; narrower bands make
// buckets so full that lookup degenerates into a scan.
const MaxThreshold = 7

// Topic is a group of near-duplicate documents.
type Topic struct {
	ID        string    `json:"id"`         // id of the first document added to the topic
	Count     int       `json:"count"`      // distinct documents in the topic
	FirstSeen time.Time `json:"first_seen"` // earliest time of any of its documents
}

// Dedup assigns documents to topics of near-duplicates. It is safe for
// concurrent use. Every document's fingerprint stays in the index, so a
// repost of a repost still finds the topic.
type Dedup struct {
	threshold int
	mu        sync.Mutex
	widths    []int                // bits per band, summing to 64
	tables    []map[uint16][]int32 // per band: band value → entry indexes
	entries   []dedupEntry
	topics    []Topic
	byDoc     map[string]int32 // document id → topic index
}

type dedupEntry struct {
	fp    uint64
	topic int32
}

// NewDedup returns an empty index matching within threshold bits
// (0..MaxThreshold).
func NewDedup(threshold int) (*Dedup, error) {
	if threshold < 0 || threshold > MaxThreshold {
		return nil, minyi.Errorf(minyi.EINVALID, "simhash threshold %d outside 0..%d", threshold, MaxThreshold)
	}
	n := max(4, threshold+1)
	d := &Dedup{threshold: threshold, byDoc: map[string]int32{}}
	for i := range n {
		d.widths = append(d.widths, 64/n+btoi(i < 64%n))
		d.tables = append(d.tables, map[uint16][]int32{})
	}
	return d, nil
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// band returns the i-th band of fp.
func (d *Dedup) band(fp uint64, i int) uint16 {
	shift := 0
	for _, w := range d.widths[:i] {
		shift += w
	}
	return uint16(fp>>shift) & uint16(1<<d.widths[i]-1)
}

// Add records document id with fingerprint fp seen at t and returns its
// topic. A document near an indexed one joins the closest one's topic
// (ties go to the earlier); otherwise it starts a topic with its own id.
// Adding an id again (a redelivery) changes nothing and returns its topic.
func (d *Dedup) Add(id string, fp uint64, t time.Time) Topic {
	d.mu.Lock()
	defer d.mu.Unlock()
	if ti, ok := d.byDoc[id]; ok {
		return d.topics[ti]
	}
	ti, found := d.nearest(fp)
	if found {
		tp := &d.topics[ti]
		tp.Count++
		if t.Before(tp.FirstSeen) {
			tp.FirstSeen = t
		}
	} else {
		ti = int32(len(d.topics))
		d.topics = append(d.topics, Topic{ID: id, Count: 1, FirstSeen: t})
	}
	e := int32(len(d.entries))
	d.entries = append(d.entries, dedupEntry{fp: fp, topic: ti})
	for i := range d.tables {
		b := d.band(fp, i)
		d.tables[i][b] = append(d.tables[i][b], e)
	}
	d.byDoc[id] = ti
	return d.topics[ti]
}

// Lookup returns the topic fp would join, without adding it.
func (d *Dedup) Lookup(fp uint64) (Topic, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if ti, ok := d.nearest(fp); ok {
		return d.topics[ti], true
	}
	return Topic{}, false
}

// TopicOf returns the topic of an added document.
func (d *Dedup) TopicOf(id string) (Topic, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	ti, ok := d.byDoc[id]
	if !ok {
		return Topic{}, false
	}
	return d.topics[ti], true
}

// Len returns the number of documents added.
func (d *Dedup) Len() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return len(d.entries)
}

func (d *Dedup) nearest(fp uint64) (int32, bool) {
	bestDist, best := d.threshold+1, int32(-1)
	for i := range d.tables {
		for _, e := range d.tables[i][d.band(fp, i)] {
			dist := Distance(fp, d.entries[e].fp)
			// Entry indexes grow with time, so on a tie the lower index is
			// the earlier document.
			if dist < bestDist || (dist == bestDist && e < best) {
				bestDist, best = dist, e
			}
		}
	}
	if best < 0 {
		return 0, false
	}
	return d.entries[best].topic, true
}
