package sqlite

import (
	"testing"

	"minyi"
	"minyi/store/storetest"
)

func TestIncidents(t *testing.T) {
	storetest.RunIncidentTests(t, func(t *testing.T) minyi.Store { return openFresh(t) })
}
