package main

import (
	"fmt"
	"runtime"
	"syscall"
	"time"

	"minyi/analysis/category"
	"minyi/analysis/clean"
	"minyi/analysis/sentiment"
	"minyi/analysis/simhash"
)

var zeroTime time.Time

// evalThroughput runs the whole per-document analysis on one goroutine:
// clean + fold, segmentation, sentiment (the pipeline's: Civic over the
// embedded model), category prediction,
// fingerprint and dedup. The messages were normalized when loaded; they are
// cleaned and folded again here so the cost is counted. Documents per second on one goroutine is the
// per-core figure (the machine is shared, so it is a lower bound).
func evalThroughput(tax *category.Taxonomy, msgs []message) error {
	var train []category.Example
	for _, m := range msgs {
		train = append(train, category.Example{Title: m.title, Body: m.body, Category: m.category})
	}
	// The segmenter dominates the cost, so the pipeline segments each text
	// once: the category model and the fingerprint share a per-document
	// memo of the tokenizer.
	memo := map[string][]string{}
	tok := func(s string) []string {
		if w, ok := memo[s]; ok {
			return w
		}
		w := words(s)
		memo[s] = w
		return w
	}
	model, err := category.Train(train, tax, tok)
	if err != nil {
		return err
	}
	sent := sentiment.NewCivic(sentiment.Default())
	dedup, err := simhash.NewDedup(simhash.DefaultThreshold)
	if err != nil {
		return err
	}
	var chars int
	for _, m := range msgs {
		chars += len([]rune(m.title + m.body))
	}
	runtime.GC()
	cpu0 := cpuTime()
	start := time.Now()
	docs := 0
	for pass := 0; time.Since(start) < 3*time.Second; pass++ {
		for i, m := range msgs {
			clear(memo)
			title := normalize(clean.Text(m.title))
			body := normalize(clean.Text(m.body))
			_ = sent.Analyze(title + "\n" + body)
			_ = model.Predict(title, body)
			fp := simhash.Fingerprint(append(tok(title), tok(body)...))
			dedup.Add(fmt.Sprint(pass, "/", i), fp, zeroTime)
			docs++
		}
	}
	el, cpu := time.Since(start), cpuTime()-cpu0
	fmt.Printf("\n== throughput (one goroutine; mean %d characters per document)\n", chars/len(msgs))
	fmt.Printf("%d documents in %s wall, %s CPU (GC included): %.0f documents per CPU-second = per core\n",
		docs, el.Round(time.Millisecond), cpu.Round(time.Millisecond), float64(docs)/cpu.Seconds())
	return nil
}

// cpuTime is the CPU time this process has used. Dividing by it rather
// than by wall time keeps the figure honest on a shared machine.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
