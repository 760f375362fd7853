package minyi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// Setting is one saved version of a setting an admin edits on the pages
// (departments, routing rules, deadline policy), seeded from the config
// file. Every save is a new version: who changed what, and when, is kept,
// and the highest version is in force.
type Setting struct {
	Key     string    `json:"key"`     // e.g. "routing", "deadlines"
	Version int       `json:"version"` // 1 for the first save
	Value   []byte    `json:"value"`   // a JSON document
	Author  string    `json:"author"`  // login of who saved it; "config" for the seed
	At      time.Time `json:"at"`
}

// SettingsStore keeps versioned settings.
type SettingsStore interface {
	// PutSetting saves value as version base+1 of key. base is the version
	// the editor started from (0 when the key has none yet); when another
	// save came in between it fails with ECONFLICT and saves nothing, so
	// two admins never overwrite each other unknowingly. value must be
	// valid JSON (EINVALID otherwise).
	PutSetting(ctx context.Context, key string, base int, value []byte, author string, at time.Time) (Setting, error)
	// Setting returns the version in force; ENOTFOUND when key was never saved.
	Setting(ctx context.Context, key string) (Setting, error)
	// SettingHistory lists key's versions, newest first, at most limit (>= 1).
	SettingHistory(ctx context.Context, key string, limit int) ([]Setting, error)
}

// LabelsSetting is the setting that names the models every stored
// document was last labelled with, as a LabelsVersion.
const LabelsSetting = "analysis.labels"

// LabelsVersion is the value of LabelsSetting.
type LabelsVersion struct {
	Version string `json:"version"`
}

// LabelledWith returns the version every stored document was last
// labelled with; "" when none was recorded.
func LabelledWith(ctx context.Context, s SettingsStore) (string, int, error) {
	set, err := s.Setting(ctx, LabelsSetting)
	if ErrorCode(err) == ENOTFOUND {
		return "", 0, nil
	}
	if err != nil {
		return "", 0, err
	}
	var v LabelsVersion
	if err := json.Unmarshal(set.Value, &v); err != nil {
		return "", 0, fmt.Errorf("setting %s: %w", LabelsSetting, err)
	}
	return v.Version, set.Version, nil
}

// MarkLabelled saves version as LabelsSetting unless it is already the
// one in force.
func MarkLabelled(ctx context.Context, s SettingsStore, version string, at time.Time) error {
	have, base, err := LabelledWith(ctx, s)
	if err != nil || have == version {
		return err
	}
	value, err := json.Marshal(LabelsVersion{Version: version})
	if err != nil {
		return err
	}
	_, err = s.PutSetting(ctx, LabelsSetting, base, value, "system", at)
	if ErrorCode(err) == ECONFLICT {
		return errors.Join(err, errors.New("another process recorded the labels' version at the same time"))
	}
	return err
}
