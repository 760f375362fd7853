package web

import (
	"context"
	"crypto/rand"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"minyi"
	"minyi/api/core"
	"minyi/api/labels"
	"minyi/importer"
)

// The history import page: upload (streamed to a file), preview and column
// mapping, a run in the background with progress, and a report of bad rows.
// Jobs live in memory: a restart forgets them, never the imported data.

const (
	jobUploaded = "uploaded"
	jobRunning  = "running"
	jobDone     = "done"
	jobFailed   = "failed"
)

// previewRows is how many data rows the mapping page shows.
const previewRows = 8

type importJob struct {
	mu sync.Mutex
	importView
	path    string // the upload
	errPath string // every bad row, as CSV
}

// importView is a job as pages and the status endpoint see it.
type importView struct {
	ID       string            `json:"id"`
	File     string            `json:"file"`
	Format   string            `json:"format"`
	Source   string            `json:"source"`
	By       string            `json:"by"`
	Created  time.Time         `json:"created"`
	State    string            `json:"state"`
	Preview  importer.Preview  `json:"-"`
	Mapping  map[string]string `json:"mapping,omitempty"` // key → header
	Done     int               `json:"done"`
	Total    int               `json:"total"`
	Report   *importer.Report  `json:"report,omitempty"`
	Error    string            `json:"error,omitempty"`
	Started  time.Time         `json:"started,omitzero"`
	Finished time.Time         `json:"finished,omitzero"`
	// Training is the category model trained on this history, if asked.
	Training *modelTraining `json:"training,omitempty"`
}

// Percent is the share of rows done, 0-100.
func (v importView) Percent() int {
	if v.Total == 0 {
		if v.State == jobDone {
			return 100
		}
		return 0
	}
	return min(100, v.Done*100/v.Total)
}

func (j *importJob) view() importView {
	j.mu.Lock()
	defer j.mu.Unlock()
	v := j.importView
	if j.Report != nil {
		r := *j.Report
		v.Report = &r
	}
	if j.Training != nil {
		tr := *j.Training
		v.Training = &tr
	}
	return v
}

type importJobs struct {
	mu    sync.Mutex
	byID  map[string]*importJob
	order []string // newest last
	dir   string
}

func newImportJobs() *importJobs { return &importJobs{byID: map[string]*importJob{}} }

func (s *server) importDir() (string, error) {
	a, jobs := s.Admin, s.imports
	jobs.mu.Lock()
	defer jobs.mu.Unlock()
	if jobs.dir != "" {
		return jobs.dir, nil
	}
	dir := a.ImportDir
	if dir == "" {
		d, err := os.MkdirTemp("", "minyi-import-")
		if err != nil {
			return "", err
		}
		dir = d
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	jobs.dir = dir
	return dir, nil
}

func (s *server) job(c echo.Context) (*importJob, error) {
	jobs := s.imports
	jobs.mu.Lock()
	defer jobs.mu.Unlock()
	j, ok := jobs.byID[c.Param("id")]
	if !ok {
		return nil, minyi.Errorf(minyi.ENOTFOUND, "%s", labels.T("import.no_such_job"))
	}
	return j, nil
}

type importPage struct {
	Enabled bool
	Jobs    []importView
	Error   string
	Sets    []importer.HeaderSet
	MaxMB   int64
}

func (s *server) maxImportBytes() int64 {
	if n := s.Admin.MaxImportBytes; n > 0 {
		return n
	}
	return core.DefaultMaxImportBytes
}

func (s *server) adminImport(c echo.Context) error {
	return s.renderImport(c, http.StatusOK, "")
}

func (s *server) renderImport(c echo.Context, status int, errMsg string) error {
	jobs := s.imports
	p := importPage{Enabled: s.Admin.Import.Store != nil, Error: errMsg, Sets: importer.HeaderSets,
		MaxMB: s.maxImportBytes() >> 20}
	jobs.mu.Lock()
	list := make([]*importJob, 0, len(jobs.order))
	for i := len(jobs.order) - 1; i >= 0; i-- {
		list = append(list, jobs.byID[jobs.order[i]])
	}
	jobs.mu.Unlock()
	for _, j := range list {
		p.Jobs = append(p.Jobs, j.view())
	}
	return s.render(c, status, "admin_import", labels.T("nav.import"), p)
}

// adminUpload streams the file part of the form to disk, never holding the
// file in memory, then reads it once for the preview and the row count.
func (s *server) adminUpload(c echo.Context) error {
	if s.Admin.Import.Store == nil {
		return minyi.Errorf(minyi.EINVALID, "%s", labels.T("import.disabled"))
	}
	dir, err := s.importDir()
	if err != nil {
		return err
	}
	req := c.Request()
	req.Body = http.MaxBytesReader(c.Response(), req.Body, s.maxImportBytes())
	mr, err := req.MultipartReader()
	if err != nil {
		return s.renderImport(c, http.StatusBadRequest, labels.T("import.no_file"))
	}
	id := newJobID()
	j := &importJob{importView: importView{ID: id, Created: s.Now(), State: jobUploaded, By: core.Principal(c).Login}}
	j.path = filepath.Join(dir, id+".upload")
	j.errPath = filepath.Join(dir, id+".errors.csv")
	got := false
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			os.Remove(j.path)
			return s.uploadError(c, err)
		}
		switch part.FormName() {
		case "source":
			b, _ := io.ReadAll(io.LimitReader(part, 200))
			j.Source = strings.TrimSpace(string(b))
		case "file":
			if part.FileName() == "" {
				continue
			}
			j.File = filepath.Base(part.FileName())
			j.Format = strings.TrimPrefix(strings.ToLower(filepath.Ext(j.File)), ".")
			if j.Format != "csv" && j.Format != "xlsx" {
				return s.renderImport(c, http.StatusBadRequest, labels.Tf("import.bad_format", j.File))
			}
			f, err := os.Create(j.path)
			if err != nil {
				return err
			}
			_, err = io.Copy(f, part)
			if cerr := f.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				os.Remove(j.path)
				return s.uploadError(c, err)
			}
			got = true
		}
		part.Close()
	}
	if !got {
		return s.renderImport(c, http.StatusBadRequest, labels.T("import.no_file"))
	}
	if j.Source == "" {
		j.Source = importer.SourceName(j.File)
	}
	f, err := os.Open(j.path)
	if err != nil {
		return err
	}
	j.Preview, err = importer.Inspect(f, j.Format, previewRows)
	f.Close()
	if err != nil {
		os.Remove(j.path)
		return s.renderImport(c, http.StatusBadRequest, j.File+": "+minyi.ErrorMessage(err))
	}
	j.Total, j.Mapping = j.Preview.Total, j.Preview.Detect
	jobs := s.imports
	jobs.mu.Lock()
	jobs.byID[id] = j
	jobs.order = append(jobs.order, id)
	jobs.mu.Unlock()
	return c.Redirect(http.StatusSeeOther, "/admin/import/"+id)
}

func (s *server) uploadError(c echo.Context, err error) error {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return s.renderImport(c, http.StatusRequestEntityTooLarge, labels.Tf("import.too_large", s.maxImportBytes()>>20))
	}
	return s.renderImport(c, http.StatusBadRequest, labels.T("import.upload_failed"))
}

func newJobID() string {
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// mappingField is one select of the mapping form.
type mappingField struct {
	Key, Label, Selected string
	Required             bool
}

type jobPage struct {
	Job     importView
	Fields  []mappingField
	Header  []string
	Error   string
	Errors  []rowProblem // the first of the bad rows
	More    int          // bad rows beyond those shown
	Pending int          // rows neither imported nor already there nor failed
}

var requiredKeys = []string{"title", "body", "received"}

func (s *server) adminImportJob(c echo.Context) error {
	j, err := s.job(c)
	if err != nil {
		return err
	}
	return s.renderJob(c, http.StatusOK, j.view(), "")
}

func (s *server) renderJob(c echo.Context, status int, v importView, errMsg string) error {
	p := jobPage{Job: v, Header: v.Preview.Header, Error: errMsg}
	for _, key := range importer.MappingKeys() {
		p.Fields = append(p.Fields, mappingField{Key: key, Label: labels.T("import.field." + key),
			Selected: v.Mapping[key], Required: slices.Contains(requiredKeys, key)})
	}
	if v.Report != nil {
		errs := v.Report.Errors
		if len(errs) > 20 {
			errs = errs[:20]
		}
		for _, e := range errs {
			p.Errors = append(p.Errors, rowProblem{RowError: e, Problem: problem(e)})
		}
		p.More = v.Report.Failed - len(p.Errors)
	}
	return s.render(c, status, "admin_import_job", labels.T("import.job_title")+" "+v.File, p)
}

func (s *server) adminImportRun(c echo.Context) error {
	j, err := s.job(c)
	if err != nil {
		return err
	}
	chosen := map[string]string{}
	m := importer.Mapping{}
	v := j.view()
	for _, key := range importer.MappingKeys() {
		h := strings.TrimSpace(c.FormValue("map_" + key))
		if h == "" {
			continue
		}
		if !slices.Contains(v.Preview.Header, h) {
			return s.renderJob(c, http.StatusBadRequest, v, labels.Tf("import.unknown_column", h))
		}
		chosen[key] = h
		m.Set(key, h)
	}
	if src := strings.TrimSpace(c.FormValue("source")); src != "" {
		v.Source = src
	}
	v.Mapping = chosen
	if err := m.Check(v.Preview.Header); err != nil {
		return s.renderJob(c, http.StatusBadRequest, v, minyi.ErrorMessage(err))
	}
	j.mu.Lock()
	if j.State != jobUploaded {
		j.mu.Unlock()
		return c.Redirect(http.StatusSeeOther, "/admin/import/"+j.ID)
	}
	j.State, j.Mapping, j.Source, j.Started = jobRunning, chosen, v.Source, s.Now()
	j.mu.Unlock()
	s.Logger.Info("history import started from the admin page", "file", v.File, "source", v.Source, "by", core.Principal(c).Login)
	s.Audit(c, minyi.AuditEntry{Actor: core.Principal(c).Login, Action: minyi.AuditImport, Target: v.File, Detail: v.Source})
	go s.runImportJob(j, m)
	return c.Redirect(http.StatusSeeOther, "/admin/import/"+j.ID)
}

// runImportJob runs the import in the background: the page that started it
// may be left and opened again; it reads the job's state.
func (s *server) runImportJob(j *importJob, m importer.Mapping) {
	fail := func(err error) {
		j.mu.Lock()
		j.State, j.Error, j.Finished = jobFailed, minyi.ErrorMessage(err), s.Now()
		j.mu.Unlock()
		s.Logger.Error("history import failed", "file", j.File, "err", err)
	}
	in, err := os.Open(j.path)
	if err != nil {
		fail(err)
		return
	}
	defer func() { in.Close(); os.Remove(j.path) }()
	ef, err := os.Create(j.errPath)
	if err != nil {
		fail(err)
		return
	}
	defer ef.Close()
	ef.WriteString("\ufeff") // so that Excel reads the Chinese as UTF-8
	ew := csv.NewWriter(ef)
	ew.Write([]string{labels.T("import.col.line"), labels.T("import.col.column"), labels.T("import.col.value"),
		labels.T("import.col.message"), labels.T("import.col.detail")})

	deps := s.Admin.Import
	deps.Progress = func(rows int) {
		j.mu.Lock()
		j.Done = rows
		j.mu.Unlock()
	}
	deps.RowError = func(e importer.RowError) {
		ew.Write([]string{strconv.Itoa(e.Line), e.Column, e.Value, problem(e), e.Message})
	}
	rep, err := importer.Import(context.Background(), deps, j.Source, in, j.Format, m)
	ew.Flush()
	if err == nil {
		err = ew.Error()
	}
	if err != nil {
		fail(err)
		return
	}
	j.mu.Lock()
	j.State, j.Report, j.Done, j.Finished = jobDone, &rep, rep.Rows, s.Now()
	j.Total = max(j.Total, rep.Rows)
	j.mu.Unlock()
}

// adminImportStatus is what static/import.js polls.
func (s *server) adminImportStatus(c echo.Context) error {
	j, err := s.job(c)
	if err != nil {
		return err
	}
	v := j.view()
	v.Report = nil // the page shows the report after a reload
	return c.JSON(http.StatusOK, struct {
		importView
		Percent int `json:"percent"`
	}{v, v.Percent()})
}

func (s *server) adminImportErrors(c echo.Context) error {
	j, err := s.job(c)
	if err != nil {
		return err
	}
	if v := j.view(); v.State != jobDone {
		return minyi.Errorf(minyi.ENOTFOUND, "%s", labels.T("import.not_done"))
	}
	name := strings.TrimSuffix(j.File, filepath.Ext(j.File)) + "-errors.csv"
	c.Response().Header().Set(echo.HeaderContentDisposition, fmt.Sprintf("attachment; filename*=UTF-8''%s", urlPathEscape(name)))
	c.Response().Header().Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	return c.File(j.errPath)
}

func urlPathEscape(s string) string {
	var b strings.Builder
	for _, c := range []byte(s) {
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.' {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// rowProblem is a bad row as the report shows it.
type rowProblem struct {
	importer.RowError
	Problem string // in the interface's language when the kind is known
}

// problem explains a row error in the interface's language; the importer's
// own message (English, with the details) when the kind has no label.
func problem(e importer.RowError) string {
	if _, ok := labels.Lookup("import.err." + e.Code); ok && e.Code != "" {
		return labels.T("import.err." + e.Code)
	}
	return e.Message
}
