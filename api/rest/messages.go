package rest

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"minyi/api/core"

	"github.com/labstack/echo/v4"

	"minyi"
)

// DefaultIntakeSource names messages posted without a channel.
const DefaultIntakeSource = "intake"

var channelName = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,63}$`)

// MessageRequest is a message from a direct intake channel (a hotline
// operator's form, another system, a history import).
type MessageRequest struct {
	Source      string         `json:"source"`
	ExternalID  string         `json:"external_id"`
	Title       string         `json:"title"`
	Body        string         `json:"body"`
	MessageType string         `json:"message_type"`
	Board       string         `json:"board"`
	Published   *time.Time     `json:"published"`
	Contact     *minyi.Contact `json:"contact"`
}

// MessageResponse tells the caller which document its message became.
type MessageResponse struct {
	ID        string `json:"id"`
	Duplicate bool   `json:"duplicate"`
}

// postMessage serves POST /api/messages: 201 for a new message, 200 with the
// existing id for one already received.
func (s *server) postMessage(c echo.Context) error {
	if ct := c.Request().Header.Get(echo.HeaderContentType); !isJSON(ct) {
		return minyi.Errorf(minyi.EUNSUPPORTED, "a message is sent as application/json, not %q", ct)
	}
	req, err := decodeMessage(c.Request().Body)
	if err != nil {
		return err
	}
	if u := core.Principal(c); !u.MayDeliverFor(req.Source) {
		return minyi.Errorf(minyi.EFORBIDDEN, "intake client %s may not deliver letters for source %q", u.Login, req.Source)
	}
	doc := req.document(s.Now())
	if err := doc.Validate(); err != nil {
		return err
	}
	ctx := c.Request().Context()
	stored, err := s.Store.Document(ctx, doc.ID)
	existed := err == nil
	switch {
	case err != nil && minyi.ErrorCode(err) != minyi.ENOTFOUND:
		return err
	case existed && !req.sameLetter(stored):
		// A petitioner's words are never replaced: a correction is a new
		// letter (a new external_id), and the original stays as it came.
		return minyi.Errorf(minyi.ECONFLICT, "letter %q of source %q was already received with other content; "+
			"the original is kept unchanged. Send a correction or a follow-up as a new letter with its own external_id",
			doc.ExternalID, doc.Source)
	case existed:
		doc = *stored
	default:
		if _, err := s.Store.PutDocuments(ctx, []minyi.Document{doc}); err != nil {
			return err
		}
	}
	// Ingest on duplicates too: if an earlier attempt stored the message but
	// failed to start ingestion, the client's retry completes it. The
	// ingester dedups by id and content.
	if err := s.Ingester.Ingest(ctx, doc); err != nil {
		return err
	}
	status := http.StatusCreated
	if existed {
		status = http.StatusOK
	}
	return c.JSON(status, MessageResponse{ID: doc.ID, Duplicate: existed})
}

// sameLetter tells a retry of the stored letter from a different letter
// under the same id: the same words, type, board and contact, and the same
// time when the retry names one (without one the server's clock stamps it).
func (r MessageRequest) sameLetter(stored *minyi.Document) bool {
	doc := r.document(stored.Published)
	if r.Published != nil && !doc.Published.Equal(stored.Published) {
		return false
	}
	return doc.Title == stored.Title && doc.Body == stored.Body && doc.MessageType == stored.MessageType &&
		doc.Board == stored.Board && contactOf(doc.Contact) == contactOf(stored.Contact)
}

func contactOf(c *minyi.Contact) minyi.Contact {
	if c == nil {
		return minyi.Contact{}
	}
	return *c
}

func isJSON(contentType string) bool {
	mt, _, _ := strings.Cut(contentType, ";")
	return strings.EqualFold(strings.TrimSpace(mt), echo.MIMEApplicationJSON)
}

// decodeMessage reads one JSON message. Text that is not UTF-8 (raw GBK
// bytes, say) is refused with where it goes wrong: repairing it to U+FFFD
// would store a letter nobody can read.
func decodeMessage(r io.Reader) (MessageRequest, error) {
	var req MessageRequest
	body, err := io.ReadAll(r)
	if err != nil {
		var tooLarge *http.MaxBytesError
		var he *echo.HTTPError
		if errors.As(err, &tooLarge) || errors.As(err, &he) && he.Code == http.StatusRequestEntityTooLarge {
			return req, minyi.Errorf(minyi.ETOOLARGE, "request body is too large")
		}
		return req, minyi.Errorf(minyi.EINVALID, "reading the request body: %v", err)
	}
	if at := invalidUTF8At(body); at >= 0 {
		return req, minyi.Errorf(minyi.EINVALID, "request body is not valid UTF-8 at byte %d; send the text in UTF-8", at)
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		// A chunked body over the limit fails while it is read, from echo's
		// BodyLimit middleware or net/http's MaxBytesReader.
		var tooLarge *http.MaxBytesError
		var he *echo.HTTPError
		if errors.As(err, &tooLarge) || errors.As(err, &he) && he.Code == http.StatusRequestEntityTooLarge {
			return req, minyi.Errorf(minyi.ETOOLARGE, "request body is too large")
		}
		return req, minyi.Errorf(minyi.EINVALID, "invalid JSON: %v", err)
	}
	if dec.More() {
		return req, minyi.Errorf(minyi.EINVALID, "invalid JSON: more than one value in the body")
	}
	req.Source = strings.TrimSpace(req.Source)
	if req.Source == "" {
		req.Source = DefaultIntakeSource
	}
	if !channelName.MatchString(req.Source) {
		return req, minyi.Errorf(minyi.EINVALID, "source must be lower-case letters, digits, - or _ (at most 64), got %q", req.Source)
	}
	return req, nil
}

// invalidUTF8At is the offset of the first byte that is not UTF-8, or -1.
func invalidUTF8At(b []byte) int {
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size <= 1 {
			return i
		}
		i += size
	}
	return -1
}

// document turns the request into a document whose id is stable across
// resubmissions: the channel's own id, else the content itself.
func (r MessageRequest) document(now time.Time) minyi.Document {
	doc := minyi.Document{
		Source:      r.Source,
		Kind:        minyi.KindMessage,
		ExternalID:  strings.TrimSpace(r.ExternalID),
		Board:       strings.TrimSpace(r.Board),
		Title:       strings.TrimSpace(r.Title),
		Body:        strings.TrimSpace(r.Body),
		MessageType: strings.TrimSpace(r.MessageType),
		Published:   now.Truncate(time.Second),
		Fetched:     now.Truncate(time.Second),
		Contact:     r.Contact,
	}
	if r.Published != nil {
		doc.Published = r.Published.Truncate(time.Second)
	}
	key := "id:" + doc.ExternalID
	if doc.ExternalID == "" {
		sum := sha256.Sum256([]byte(doc.Title + "\x00" + doc.Body))
		key = "content:" + hex.EncodeToString(sum[:12])
	}
	doc.ID = minyi.DocumentID(doc.Source, key)
	doc.ContentHash = doc.Hash()
	return doc
}
