package rest_test

import (
	"net/http"
	"testing"

	"minyi/api/apitest"
)

func TestStatusReportsIndexedCount(t *testing.T) {
	ts := apitest.NewServer(t)
	ts.Seed(apitest.ForumPosts()...)
	body := apitest.Decode[struct {
		Indexed int
		Sources []struct {
			Source    string
			Documents int
		}
	}](t, ts.Get("/api/status"), http.StatusOK)
	if body.Indexed != len(apitest.ForumPosts()) {
		t.Errorf("indexed %d, want %d", body.Indexed, len(apitest.ForumPosts()))
	}
	docs := map[string]int{}
	for _, s := range body.Sources {
		docs[s.Source] = s.Documents
	}
	if docs["city-forum"] != 3 || docs["mayor-mailbox"] != 1 {
		t.Errorf("sources %+v; want city-forum=3, mayor-mailbox=1", body.Sources)
	}
}
