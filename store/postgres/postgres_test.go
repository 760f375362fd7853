package postgres

import (
	"testing"

	"minyi/store/storetest"
)

func TestStore(t *testing.T) { storetest.RunStoreTests(t, openTestStore) }
