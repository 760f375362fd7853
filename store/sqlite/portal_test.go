package sqlite

import (
	"testing"

	"minyi"
	"minyi/store/storetest"
)

func TestPortal(t *testing.T) {
	storetest.RunPortalTests(t, func(t *testing.T) minyi.Store { return openFresh(t) })
}
