package minyi

import (
	"context"
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
