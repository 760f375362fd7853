package category

import (
	"context"
	"encoding/json"
	"fmt"

	"minyi"
)

// InForceSetting is the setting that names the category model an admin
// put in force from the import page (an InForce). A worker loads it at
// start in place of the config file's analysis.category_model.
const InForceSetting = "analysis.category_model"

// InForce is a model put in force and what it was judged by.
type InForce struct {
	File       string     `json:"file"`
	Source     string     `json:"source"` // the imported history it was trained on
	Examples   int        `json:"examples"`
	Validation Validation `json:"validation"`
}

// ReadInForce returns the model in force with the setting's version; nil
// when an admin never put one in force.
func ReadInForce(ctx context.Context, st minyi.SettingsStore) (*InForce, int, error) {
	set, err := st.Setting(ctx, InForceSetting)
	if minyi.ErrorCode(err) == minyi.ENOTFOUND {
		return nil, 0, nil
	}
	if err != nil {
		return nil, 0, err
	}
	var m InForce
	if err := json.Unmarshal(set.Value, &m); err != nil {
		return nil, 0, fmt.Errorf("setting %s: %w", InForceSetting, err)
	}
	return &m, set.Version, nil
}
