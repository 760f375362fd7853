package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"minyi"
	"minyi/report"
)

// indexOpenWait is how long `minyi report` waits for the bleve index: a
// running `minyi serve` holds its lock, and waiting longer would only hang.
const indexOpenWait = 15 * time.Second

// runReport serves `minyi report`: a report of a period (or an edited
// draft) written as DOCX and PDF, plus the draft as JSON to edit. It reads
// the data directory like reindex does; with bleve, minyi serve must be
// stopped (it holds the index), with Elasticsearch it may run.
func runReport(ctx context.Context, args []string, stdout io.Writer) error {
	var kind, from, to, query, out, title, issuer, draft string
	f, err := parseCommon("report", args, func(fs *flag.FlagSet) {
		fs.StringVar(&kind, "kind", "daily", "daily, weekly, monthly or special")
		fs.StringVar(&from, "from", "", "first day, YYYY-MM-DD (China time); default: the last whole day, week or month")
		fs.StringVar(&to, "to", "", "day after the last, YYYY-MM-DD; default: a day, a week or a month after --from")
		fs.StringVar(&query, "query", "", "a special report's search")
		fs.StringVar(&out, "o", ".", "directory to write the .docx, .pdf and .json into")
		fs.StringVar(&title, "title", "", "title (default: 舆情日报, 舆情周报 ...)")
		fs.StringVar(&issuer, "issuer", "", "issuing office printed under the title")
		fs.StringVar(&draft, "draft", "", "render this edited draft (a .json written before) instead of generating")
	})
	if err != nil {
		return err
	}
	var r *report.Report
	if draft != "" {
		if r, err = readDraft(draft); err != nil {
			return err
		}
	} else {
		spec, err := reportSpec(kind, from, to, query, time.Now())
		if err != nil {
			return err
		}
		spec.Title, spec.Issuer = title, issuer
		cfg, err := f.load()
		if err != nil {
			return err
		}
		if r, err = generateReport(ctx, cfg, spec); err != nil {
			return err
		}
	}
	base, err := writeReport(r, out)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s（%s）: %s.docx, %s.pdf, %s.json\n", r.Title, r.Kind, base, base, base)
	return nil
}

// reportSpec reads the period flags: dates are China-time days, --to the
// day after the last one.
func reportSpec(kind, from, to, query string, now time.Time) (report.Spec, error) {
	s := report.Spec{Kind: report.Kind(kind), Query: query}
	day := func(name, v string) (time.Time, error) {
		t, err := time.ParseInLocation(time.DateOnly, v, minyi.ChinaTime)
		if err != nil {
			return t, fmt.Errorf("--%s must be a date like 2026-11-22, got %q", name, v)
		}
		return t, nil
	}
	var err error
	switch {
	case from != "":
		if s.From, err = day("from", from); err != nil {
			return s, err
		}
	case s.Kind == report.Special:
		return s, errors.New("a special report needs --from and --to")
	default:
		s.From, s.To = report.LastPeriod(s.Kind, now)
	}
	switch {
	case to != "":
		if s.To, err = day("to", to); err != nil {
			return s, err
		}
	case s.To.IsZero():
		s.To = report.PeriodFrom(s.Kind, s.From)
	}
	return s, nil
}

// generateReport opens the store and the index of cfg and makes the
// report; departments are named from the routing in force.
func generateReport(ctx context.Context, cfg Config, spec report.Spec) (*report.Report, error) {
	if cfg.Search.Backend == "bleve" {
		if _, err := os.Stat(cfg.Search.Index); errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("no search index at %s: run minyi reindex first", cfg.Search.Index)
		}
	}
	store, err := openStore(ctx, cfg.Store)
	if err != nil {
		return nil, fmt.Errorf("opening store: %w", err)
	}
	defer store.Close()
	index, err := openIndexWithin(ctx, cfg.Search, indexOpenWait)
	if err != nil {
		return nil, err
	}
	defer index.Close()
	rt, err := loadRouting(ctx, cfg, store, newLogger("warn"))
	if err != nil {
		return nil, err
	}
	return report.Generate(ctx, report.Deps{Index: index, Cases: store, Events: store, Departments: rt.Departments}, spec)
}

// openIndexWithin opens the index, or says who holds it when that takes
// longer than wait.
func openIndexWithin(ctx context.Context, cfg SearchConfig, wait time.Duration) (minyi.Index, error) {
	type opened struct {
		ix  minyi.Index
		err error
	}
	done := make(chan opened, 1)
	go func() {
		ix, err := openIndex(ctx, cfg)
		done <- opened{ix, err}
	}()
	select {
	case o := <-done:
		if o.err != nil {
			return nil, fmt.Errorf("opening search index: %w", o.err)
		}
		return o.ix, nil
	case <-time.After(wait):
		return nil, fmt.Errorf("the search index %s is held by another process (is minyi serve running? with bleve, stop it first)", cfg.Index)
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func readDraft(path string) (*report.Report, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var r report.Report
	if err := json.Unmarshal(raw, &r); err != nil {
		return nil, fmt.Errorf("%s is not a report draft: %w", path, err)
	}
	return &r, nil
}

// writeReport writes r's DOCX, PDF and JSON draft into dir as
// <kind>-<first day>, returning that path without extension.
func writeReport(r *report.Report, dir string) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	name := fmt.Sprintf("%s-%s", r.Kind, r.From.In(minyi.ChinaTime).Format(time.DateOnly))
	if r.Kind == report.Special {
		name += "-" + r.To.In(minyi.ChinaTime).Format(time.DateOnly)
	}
	base := filepath.Join(dir, name)
	draft, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return "", err
	}
	if err := os.WriteFile(base+".json", draft, 0o644); err != nil {
		return "", err
	}
	for ext, write := range map[string]func(io.Writer, *report.Report) error{".docx": report.WriteDOCX, ".pdf": report.WritePDF} {
		if err := writeFileWith(base+ext, func(w io.Writer) error { return write(w, r) }); err != nil {
			return "", err
		}
	}
	return base, nil
}

// writeFileWith writes path through write, leaving no half-written file.
func writeFileWith(path string, write func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := write(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
