package minyi

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// China has had no daylight saving time since 1991, so a fixed zone is exact
// and needs no tzdata on the machine.
var ChinaTime = time.FixedZone("Asia/Shanghai", 8*60*60)

// Kind tells a forum post from a message addressed to the government.
type Kind string

const (
	KindPost    Kind = "post"    // a forum thread: first post plus replies
	KindMessage Kind = "message" // a mayor-mailbox, message-board or direct-intake message
)

// Limits on what one document may hold; larger input is rejected, never truncated silently.
const (
	MaxTitleRunes = 500
	MaxBodyRunes  = 100_000
	// MaxReactions bounds a document's likes or dislikes, so that sums over
	// a year's documents stay far inside an int64.
	MaxReactions = 1_000_000_000
)

// Document is one forum thread or one message, as published by its source.
// Author is the public handle only: minyi tracks issues, not people.
type Document struct {
	ID          string         `json:"id"`
	Source      string         `json:"source"`
	Kind        Kind           `json:"kind"`
	URL         string         `json:"url,omitempty"`         // canonical URL
	ExternalID  string         `json:"external_id,omitempty"` // the source's own id (Discuz tid, 信件编号)
	Board       string         `json:"board,omitempty"`       // forum board or mailbox column
	Title       string         `json:"title"`
	Body        string         `json:"body"`
	Author      string         `json:"author,omitempty"`
	Published   time.Time      `json:"published"`
	Fetched     time.Time      `json:"fetched"`
	MessageType string         `json:"message_type,omitempty"` // 咨询/求助/建议/投诉/举报/信访 as the source states it
	Status      string         `json:"status,omitempty"`       // the source's own status text, e.g. 已回复
	Comments    []Comment      `json:"comments,omitempty"`
	Reply       *OfficialReply `json:"official_reply,omitempty"`
	// Likes and Dislikes are readers' 点赞/支持 and 反对 as the source
	// showed them when it was last fetched; zero where it shows none. Hot
	// events count them: a contested message is a hot one.
	Likes       int    `json:"likes,omitempty"`
	Dislikes    int    `json:"dislikes,omitempty"`
	ContentHash string `json:"content_hash"`
	// Analysis is filled in by the ingest pipeline after the document is
	// stored; nil until then. It is not part of ContentHash.
	Analysis *Analysis `json:"analysis,omitempty"`
	// Contact is the petitioner's contact data from direct intake. It is never
	// serialised with the document: only the handling department and
	// supervisors may see it, through endpoints that check for that.
	Contact *Contact `json:"-"`
}

// Comment is a reply in a forum thread.
type Comment struct {
	Author    string    `json:"author,omitempty"`
	Published time.Time `json:"published"`
	Body      string    `json:"body"`
}

// OfficialReply is a department's answer published on the source site.
type OfficialReply struct {
	Unit      string    `json:"unit"`
	Body      string    `json:"body"`
	Published time.Time `json:"published"`
}

// Contact is how a petitioner asked to be reached.
type Contact struct {
	Name  string `json:"name,omitempty"`
	Phone string `json:"phone,omitempty"`
	Email string `json:"email,omitempty"`
}

// DocumentID derives a document's id from its source and a key that is stable
// across deliveries: the source's own id when it has one, else the canonical
// URL. Redelivery and retried activities therefore never duplicate a document.
func DocumentID(source, key string) string {
	sum := sha256.Sum256([]byte(source + "\x00" + key))
	return hex.EncodeToString(sum[:10])
}

// Hash returns a digest of everything a reader of the document can see, so
// that an unchanged page is recognised and not ingested again.
func (d *Document) Hash() string {
	h := sha256.New()
	field := func(s string) { h.Write([]byte(s)); h.Write([]byte{0}) }
	field(d.Title)
	field(d.Body)
	field(d.Author)
	field(d.Board)
	field(d.MessageType)
	field(d.Status)
	field(d.Published.UTC().Format(time.RFC3339))
	for _, c := range d.Comments {
		field(c.Author)
		field(c.Published.UTC().Format(time.RFC3339))
		field(c.Body)
	}
	if d.Reply != nil {
		field(d.Reply.Unit)
		field(d.Reply.Body)
		field(d.Reply.Published.UTC().Format(time.RFC3339))
	}
	// Only when shown: a document stored before sources carried reactions
	// keeps its digest, so a crawl after an upgrade changes nothing.
	if d.Likes != 0 || d.Dislikes != 0 {
		field("reactions " + strconv.Itoa(d.Likes) + " " + strconv.Itoa(d.Dislikes))
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// Validate reports what is wrong with a document before it is stored.
func (d *Document) Validate() error {
	switch {
	case strings.TrimSpace(d.Source) == "":
		return Errorf(EINVALID, "document has no source")
	case d.Kind != KindPost && d.Kind != KindMessage:
		return Errorf(EINVALID, "document kind %q is neither %q nor %q", d.Kind, KindPost, KindMessage)
	case strings.TrimSpace(d.Title) == "" && strings.TrimSpace(d.Body) == "":
		return Errorf(EINVALID, "document has neither title nor body")
	case !utf8.ValidString(d.Title) || !utf8.ValidString(d.Body):
		return Errorf(EINVALID, "document text is not valid UTF-8")
	case utf8.RuneCountInString(d.Title) > MaxTitleRunes:
		return Errorf(ETOOLARGE, "title has more than %d characters", MaxTitleRunes)
	case utf8.RuneCountInString(d.Body) > MaxBodyRunes:
		return Errorf(ETOOLARGE, "body has more than %d characters", MaxBodyRunes)
	case d.Likes < 0 || d.Dislikes < 0 || d.Likes > MaxReactions || d.Dislikes > MaxReactions:
		return Errorf(EINVALID, "likes and dislikes must lie between 0 and %d", MaxReactions)
	case d.Published.IsZero():
		return Errorf(EINVALID, "document has no published time")
	}
	return nil
}
