package minyi

import (
	"context"
	"time"
)

// PortalSource is the source (channel) of the letters written on the
// public portal.
const PortalSource = "portal"

// LetterState is where a letter written on the public portal stands before
// it becomes a case: accepted into intake, held for review (待审) because it
// looks like spam or abuse, or rejected by a reviewer with a reason. A held
// letter is never dropped: a reviewer releases it to intake or rejects it.
type LetterState string

const (
	LetterAccepted LetterState = "accepted"
	LetterHeld     LetterState = "held"
	LetterRejected LetterState = "rejected"
)

// EventFollowUp is a citizen's follow-up question (追问) on the portal,
// joined to the case the department handles.
const EventFollowUp EventType = "follow_up"

// PortalLetter is the portal's record of a letter: its public number, the
// hash of its 查询码 (the secret itself is shown once and never stored),
// whether the writer allowed publication, and its review state. The
// letter's text and contact are its Document's; a held letter keeps its
// document here (Held) until a reviewer releases it to intake.
type PortalLetter struct {
	Number     string      `json:"number"`
	DocumentID string      `json:"document_id"`
	CodeHash   string      `json:"-"`
	Publish    bool        `json:"publish"`
	State      LetterState `json:"state"`
	HoldReason string      `json:"hold_reason,omitempty"`
	Reviewer   string      `json:"reviewer,omitempty"`
	Review     string      `json:"review,omitempty"` // a rejection's reason
	Created    time.Time   `json:"created"`
	Updated    time.Time   `json:"updated"`
	// PublicText is the letter's title and text as the public board shows
	// them (masked, without the place): the board searches this text and
	// nothing else, so a search cannot find a letter by what masking hid.
	PublicText string `json:"-"`
	// Held is the letter waiting for review, its Contact included; nil
	// once released (the document store has it then) or rejected.
	Held *Document `json:"-"`
}

// Photo is a photo sent with a letter, checked by its content: kept with
// the letter's case, shown only to whom may see the writer's contact.
type Photo struct {
	Name string // photo-N.jpg|png|webp, named by the portal
	Type string // image/jpeg, image/png or image/webp
	Data []byte
}

// PublicLetterFilter selects published, answered letters for the public
// board: by department, message type and words of its public text (the
// letter as the board shows it: Query is a substring of PortalLetter.PublicText).
type PublicLetterFilter struct {
	Number     string // one letter
	Department string
	Type       MessageType
	Query      string
	// Open includes letters not yet answered (Open311 lists them with
	// status open); the board shows answered ones only.
	Open bool
	// Unanswered keeps only letters whose case is not answered yet
	// (Open311's status=open); it implies Open.
	Unanswered bool
	From, To   time.Time // received within [From, To); zero: unbounded
	Offset     int
	Limit      int // 1..MaxPageSize; 0 means DefaultPageSize
}

// PublicLetter is a letter whose writer allowed publication, with its case.
// Contact is never shown: the portal masks the writer's name in the text
// with it, and drops it.
type PublicLetter struct {
	Number  string
	Case    Case
	Title   string
	Body    string
	Contact *Contact
}

// MaxPublicTotal bounds the count of public letters (each costs a case
// lookup): beyond it a reader narrows the search rather than pages.
const MaxPublicTotal = 1000

// PortalStore keeps the letters written on the public portal.
type PortalStore interface {
	// CreatePortalLetter keeps a new letter: an accepted one's document is
	// stored and marked in the outbox in the same transaction (as
	// PutDocuments does), a held one's waits in l.Held. A published one's
	// PublicText is indexed for the board's search when it is accepted
	// (here or on release). A number already kept is ECONFLICT.
	CreatePortalLetter(ctx context.Context, l PortalLetter, doc Document) error
	// PortalLetter returns one letter by number; ENOTFOUND.
	PortalLetter(ctx context.Context, number string) (PortalLetter, error)
	// HeldLetters lists the letters waiting for review, oldest first.
	HeldLetters(ctx context.Context, limit int) ([]PortalLetter, error)
	// ReviewPortalLetter releases a held letter to intake (its document is
	// stored and marked in the outbox, as PutDocuments does) or rejects it
	// with a reason. A letter no longer held is ECONFLICT.
	ReviewPortalLetter(ctx context.Context, number string, release bool, reviewer, reason string, at time.Time) (PortalLetter, error)
	// PublicLetters lists the accepted letters whose writer allowed
	// publication and whose case is answered or closed (any case with
	// Open), newest first (the letter's creation, which is its case's
	// receipt), and how many match, counted up to MaxPublicTotal.
	PublicLetters(ctx context.Context, f PublicLetterFilter) ([]PublicLetter, int, error)
}
