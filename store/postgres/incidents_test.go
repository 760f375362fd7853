package postgres

import (
	"testing"

	"minyi/store/storetest"
)

func TestIncidents(t *testing.T) { storetest.RunIncidentTests(t, openTestStore) }
