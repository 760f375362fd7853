package postgres

import (
	"testing"

	"minyi"
	"minyi/store/storetest"
)

func TestSettings(t *testing.T) {
	storetest.RunSettingsTests(t, func(t *testing.T) minyi.SettingsStore { return openTestStore(t).(*Store) })
}
