package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"time"

	"minyi"
	"minyi/analysis/pipeline"
	"minyi/analysis/texts"
)

// runAnalyze: minyi analyze [file] [-csv -column review] prints one JSON
// object per input text, in input order: sentiment (the three classes of
// the pipeline) and polarity (the model's two-sided judgement, what to score
// a review corpus by), category when a model is given, and the near-duplicate
// topic. It streams: texts are read, analysed and written in batches, and the
// topic index is emptied every -window texts, so memory stays bounded
// whatever the input's length.
func runAnalyze(ctx context.Context, args []string, stdin io.Reader, stdout io.Writer) error {
	fs := flag.NewFlagSet("analyze", flag.ContinueOnError)
	in := texts.Format{}
	fs.BoolVar(&in.CSV, "csv", false, "the input is CSV with a header; -column names the text")
	fs.StringVar(&in.Column, "column", "", "with -csv: the column holding the text (required)")
	fs.StringVar(&in.TitleColumn, "title-column", "", "with -csv: a column holding a title, read before the text")
	sentimentModel := fs.String("sentiment-model", "", `sentiment model file, or "lexicon"; default the embedded model`)
	categoryModel := fs.String("category-model", "", "category model file (minyi train-categories); default none")
	window := fs.Int("window", 100_000, "texts within which near-duplicates share a topic")
	files, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(files) > 1 || *window < 1 || (in.CSV && in.Column == "") || (!in.CSV && (in.Column != "" || in.TitleColumn != "")) {
		return fmt.Errorf("usage: minyi analyze [FILE] [-csv -column NAME [-title-column NAME]] [-sentiment-model FILE|lexicon] [-category-model FILE]\n" +
			"one text per line without -csv; reads standard input without FILE")
	}
	if len(files) == 1 {
		f, err := os.Open(files[0])
		if err != nil {
			return err
		}
		defer f.Close()
		stdin = f
	}
	a, err := pipeline.New(ctx, nil, pipeline.Options{SentimentModel: *sentimentModel, CategoryModel: *categoryModel})
	if err != nil {
		return err
	}
	out := bufio.NewWriter(stdout)
	defer out.Flush()
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	var batch []texts.Record
	seen := 0
	flush := func() error {
		docs := make([]minyi.Document, len(batch))
		for i, r := range batch {
			// Later lines are later documents: an original before its
			// reposts gives the topic its id.
			docs[i] = minyi.Document{ID: strconv.Itoa(r.Line), Title: r.Title, Body: r.Text, Published: time.Unix(int64(r.Line), 0)}
		}
		for i, res := range a.Analyze(docs) {
			p := a.Polarity(batch[i].Title, batch[i].Text)
			an := res.Analysis
			if err := enc.Encode(analyzed{Line: batch[i].Line, Sentiment: string(an.Sentiment), Score: round3(an.SentimentScore),
				Polarity: string(p.Label), PolarityScore: round3(p.Score), Category: an.Category, Category2: an.Category2,
				CategoryConfidence: round3(an.CategoryConfidence), Topic: an.Topic}); err != nil {
				return err
			}
		}
		batch = batch[:0]
		return out.Flush()
	}
	err = texts.Read(stdin, in, func(r texts.Record) error {
		if seen > 0 && seen%*window == 0 {
			if err := flush(); err != nil {
				return err
			}
			a.ForgetTopics()
		}
		seen++
		batch = append(batch, r)
		if len(batch) == analyzeBatch {
			return flush()
		}
		return nil
	})
	if ferr := flush(); err == nil {
		err = ferr
	}
	return err
}

// analyzeBatch texts are analysed together, on every core.
const analyzeBatch = 256

type analyzed struct {
	Line               int     `json:"line"` // of the text in the input (a CSV record: its first line)
	Sentiment          string  `json:"sentiment"`
	Score              float64 `json:"score"`
	Polarity           string  `json:"polarity"`
	PolarityScore      float64 `json:"polarity_score"`
	Category           string  `json:"category,omitempty"`
	Category2          string  `json:"category2,omitempty"`
	CategoryConfidence float64 `json:"category_confidence,omitempty"`
	Topic              string  `json:"topic"` // the line of the first text of its near-duplicate topic
}

func round3(x float64) float64 { return math.Round(x*1000) / 1000 }
