package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/labstack/echo/v4"

	"minyi"
	"minyi/analysis/category"
	"minyi/analysis/pipeline"
	"minyi/api/core"
	"minyi/api/labels"
	"minyi/internal/safely"
)

// Training a category model on an imported history: the import page's
// "train on this history" runs 5-fold cross-validation on the imported
// cases that carry a category and trains the model on all of them; the
// admin reads the scores and puts the model in force, or not. A model in
// force takes effect when the workers next start, and the documents
// already stored are then labelled again (RelabelWorkflow).

// maxTrainingExamples bounds the memory and time of one training: a
// history larger than this trains on its newest cases.
const maxTrainingExamples = 60000

// trainingFolds is the k of the cross-validation shown before a model is
// put in force.
const trainingFolds = 5

// modelTraining is a job's training, as the page shows it.
type modelTraining struct {
	State      string               `json:"state"` // running, done, failed
	Examples   int                  `json:"examples"`
	Validation *category.Validation `json:"validation,omitempty"`
	Error      string               `json:"error,omitempty"`
	File       string               `json:"file,omitempty"` // the trained model, once done
	InForce    bool                 `json:"in_force"`
	Started    time.Time            `json:"started"`
	Finished   time.Time            `json:"finished,omitzero"`
}

// adminImportTrain starts training on the job's imported history.
func (s *server) adminImportTrain(c echo.Context) error {
	j, err := s.job(c)
	if err != nil {
		return err
	}
	if s.Admin.ModelDir == "" {
		return minyi.Errorf(minyi.EINVALID, "%s", labels.T("train.unavailable"))
	}
	j.mu.Lock()
	if j.State != jobDone || j.Mapping["category"] == "" {
		j.mu.Unlock()
		return minyi.Errorf(minyi.EINVALID, "%s", labels.T("train.needs_categories"))
	}
	if j.Training != nil && j.Training.State == jobRunning {
		j.mu.Unlock()
		return c.Redirect(http.StatusSeeOther, "/admin/import/"+j.ID)
	}
	j.Training = &modelTraining{State: jobRunning, Started: s.Now()}
	source := j.Source
	j.mu.Unlock()
	s.Audit(c, minyi.AuditEntry{Actor: core.Principal(c).Login, Action: minyi.AuditImport, Target: j.File, Detail: "train category model on " + source})
	safely.Go(func() { s.train(j, source) })
	return c.Redirect(http.StatusSeeOther, "/admin/import/"+j.ID)
}

// train runs in the background; the page reads the job's state.
func (s *server) train(j *importJob, source string) {
	finish := func(tr modelTraining) {
		j.mu.Lock()
		tr.Started, tr.Finished = j.Training.Started, s.Now()
		j.Training = &tr
		j.mu.Unlock()
	}
	fail := func(err error) {
		s.Logger.Error("training a category model failed", "source", source, "err", err)
		finish(modelTraining{State: jobFailed, Error: minyi.ErrorMessage(err)})
	}
	ctx := context.Background()
	examples, err := s.history(ctx, source)
	if err != nil {
		fail(err)
		return
	}
	v, err := category.CrossValidate(examples, nil, pipeline.Words, trainingFolds)
	if err != nil {
		fail(err)
		return
	}
	m, err := category.Train(examples, nil, pipeline.Words)
	if err != nil {
		fail(err)
		return
	}
	file := filepath.Join(s.Admin.ModelDir, fmt.Sprintf("categories-%s-%s.model", source, j.ID))
	if err := saveModel(file, m); err != nil {
		fail(err)
		return
	}
	s.Logger.Info("category model trained", "source", source, "examples", len(examples), "accuracy", v.Accuracy, "macro_f1", v.MacroF1, "file", file)
	finish(modelTraining{State: jobDone, Examples: len(examples), Validation: &v, File: file})
}

// history is the training set: the imported cases of source that carry a
// category, with their documents' text, newest first up to
// maxTrainingExamples.
func (s *server) history(ctx context.Context, source string) ([]category.Example, error) {
	historical := true
	var examples []category.Example
	for offset := 0; len(examples) < maxTrainingExamples; {
		cases, _, err := s.Store.Cases(ctx, minyi.CaseFilter{Historical: &historical, Offset: offset, Limit: 500})
		if err != nil {
			return nil, err
		}
		if len(cases) == 0 {
			break
		}
		offset += len(cases)
		var ids []string
		category := map[string]string{}
		for _, k := range cases {
			if k.Source == source && k.Category != "" {
				ids = append(ids, k.DocumentID)
				category[k.DocumentID] = k.Category
			}
		}
		docs, err := s.Store.Documents(ctx, ids)
		if err != nil {
			return nil, err
		}
		for _, d := range docs {
			examples = append(examples, categoryExample(d, category[d.ID]))
		}
	}
	return examples[:min(len(examples), maxTrainingExamples)], nil
}

func categoryExample(d minyi.Document, cat string) category.Example {
	return category.Example{Title: pipeline.Normalize(d.Title), Body: pipeline.Normalize(d.Body), Category: cat}
}

// saveModel writes through a temporary file, so a worker never loads a
// half-written model.
func saveModel(file string, m *category.Model) error {
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(file), ".model-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := m.Save(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), file)
}

// adminImportModel puts the job's trained model in force.
func (s *server) adminImportModel(c echo.Context) error {
	j, err := s.job(c)
	if err != nil {
		return err
	}
	j.mu.Lock()
	tr := j.Training
	j.mu.Unlock()
	if tr == nil || tr.State != jobDone || tr.Validation == nil {
		return minyi.Errorf(minyi.EINVALID, "%s", labels.T("train.not_trained"))
	}
	st := s.Settings()
	if st == nil {
		return minyi.Errorf(minyi.EINVALID, "%s", labels.T("train.unavailable"))
	}
	value, err := json.Marshal(category.InForce{File: tr.File, Source: j.Source, Examples: tr.Examples, Validation: *tr.Validation})
	if err != nil {
		return err
	}
	_, base, err := category.ReadInForce(c.Request().Context(), st)
	if err != nil {
		return err
	}
	who := core.Principal(c).Login
	if _, err := st.PutSetting(c.Request().Context(), category.InForceSetting, base, value, who, s.Now()); err != nil {
		return err
	}
	j.mu.Lock()
	j.Training.InForce = true
	j.mu.Unlock()
	s.Audit(c, minyi.AuditEntry{Actor: who, Action: minyi.AuditImport, Target: tr.File, Detail: "category model put in force"})
	c.Set(flashKey, labels.T("train.in_force"))
	return s.renderJob(c, http.StatusOK, j.view(), "")
}
