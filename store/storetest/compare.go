package storetest

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"minyi"
)

// stored is what the store is expected to return for d: times in UTC whole
// seconds and the content hash filled in.
func stored(d minyi.Document) minyi.Document {
	d.Analysis = nil // PutDocuments never writes it
	if d.ContentHash == "" {
		d.ContentHash = d.Hash()
	}
	d.Published = storedTime(d.Published)
	d.Fetched = storedTime(d.Fetched)
	if len(d.Comments) == 0 {
		d.Comments = nil
	} else {
		cs := make([]minyi.Comment, len(d.Comments))
		for i, c := range d.Comments {
			c.Published = storedTime(c.Published)
			cs[i] = c
		}
		d.Comments = cs
	}
	if d.Reply != nil {
		r := *d.Reply
		r.Published = storedTime(r.Published)
		d.Reply = &r
	}
	return d
}

func storedTime(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return t.UTC().Truncate(time.Second)
}

// diffDocument lists the fields in which got differs from want. Times must be
// equal instants and, unless zero, in UTC.
func diffDocument(got, want minyi.Document) string {
	var diffs []string
	add := func(field string, g, w any) {
		diffs = append(diffs, fmt.Sprintf("%s = %#v, want %#v", field, g, w))
	}
	str := func(field, g, w string) {
		if g != w {
			add(field, g, w)
		}
	}
	tm := func(field string, g, w time.Time) {
		if !g.Equal(w) || (!g.IsZero() && g.Location() != time.UTC) {
			add(field, g.String(), w.String())
		}
	}
	str("ID", got.ID, want.ID)
	str("Source", got.Source, want.Source)
	str("Kind", string(got.Kind), string(want.Kind))
	str("URL", got.URL, want.URL)
	str("ExternalID", got.ExternalID, want.ExternalID)
	str("Board", got.Board, want.Board)
	str("Title", got.Title, want.Title)
	str("Body", got.Body, want.Body)
	str("Author", got.Author, want.Author)
	tm("Published", got.Published, want.Published)
	tm("Fetched", got.Fetched, want.Fetched)
	str("MessageType", got.MessageType, want.MessageType)
	if got.Likes != want.Likes || got.Dislikes != want.Dislikes {
		add("Likes/Dislikes", [2]int{got.Likes, got.Dislikes}, [2]int{want.Likes, want.Dislikes})
	}
	str("Status", got.Status, want.Status)
	str("ContentHash", got.ContentHash, want.ContentHash)
	if len(got.Comments) != len(want.Comments) {
		add("len(Comments)", len(got.Comments), len(want.Comments))
	} else {
		for i := range got.Comments {
			g, w := got.Comments[i], want.Comments[i]
			str(fmt.Sprintf("Comments[%d].Author", i), g.Author, w.Author)
			str(fmt.Sprintf("Comments[%d].Body", i), g.Body, w.Body)
			tm(fmt.Sprintf("Comments[%d].Published", i), g.Published, w.Published)
		}
	}
	switch {
	case (got.Reply == nil) != (want.Reply == nil):
		add("Reply", got.Reply, want.Reply)
	case got.Reply != nil:
		str("Reply.Unit", got.Reply.Unit, want.Reply.Unit)
		str("Reply.Body", got.Reply.Body, want.Reply.Body)
		tm("Reply.Published", got.Reply.Published, want.Reply.Published)
	}
	if !reflect.DeepEqual(got.Analysis, want.Analysis) {
		add("Analysis", got.Analysis, want.Analysis)
	}
	switch {
	case (got.Contact == nil) != (want.Contact == nil):
		add("Contact", got.Contact, want.Contact)
	case got.Contact != nil && *got.Contact != *want.Contact:
		add("Contact", *got.Contact, *want.Contact)
	}
	return strings.Join(diffs, "\n")
}

func checkDocument(t *testing.T, what string, got, want minyi.Document) {
	t.Helper()
	if d := diffDocument(got, want); d != "" {
		t.Errorf("%s: document %q differs:\n%s", what, want.ID, d)
	}
}

func checkDocuments(t *testing.T, what string, got, want []minyi.Document) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: got %d documents %v, want %d %v", what, len(got), docIDs(got), len(want), docIDs(want))
	}
	for i := range got {
		checkDocument(t, fmt.Sprintf("%s[%d]", what, i), got[i], want[i])
	}
}

func docIDs(docs []minyi.Document) []string {
	ids := make([]string, len(docs))
	for i, d := range docs {
		ids[i] = d.ID
	}
	return ids
}

func checkStrings(t *testing.T, what string, got, want []string) {
	t.Helper()
	if strings.Join(got, "\x00") != strings.Join(want, "\x00") || len(got) != len(want) {
		t.Fatalf("%s = %q, want %q", what, got, want)
	}
}
