package portal

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"net/http"
	"net/mail"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"minyi"
	"minyi/api/labels"
	"minyi/internal/safely"
)

// The types a citizen may write; 信访 is a formal petition with its own
// procedure, not a portal letter.
var letterTypes = []minyi.MessageType{minyi.TypeInquiry, minyi.TypeHelp, minyi.TypeSuggestion, minyi.TypeComplaint, minyi.TypeReport}

// Bounds of a letter's fields, in characters.
const (
	maxTitle    = 60
	maxBody     = 5000
	maxPlace    = 100
	maxName     = 30
	maxFollowUp = 1000
)

// letterForm is what the 写信 form (or an Open311 post) asks for.
type letterForm struct {
	Type    string
	Title   string
	Body    string
	Place   string
	Name    string
	Phone   string
	Email   string
	Publish bool
}

// writePage is the 写信 form's data: the values already typed (after an
// error), the types, a fresh challenge.
type writePage struct {
	Form      letterForm
	Types     []minyi.MessageType
	Challenge challenge
	Error     string
	Photos    bool // the form takes photos
}

// receipt is what a writer sees once: the letter's number and 查询码, and
// what happens next by when.
type receipt struct {
	Number   string
	Code     string
	Held     bool
	Workdays int
	Due      time.Time
	Type     minyi.MessageType
	Mailed   bool
}

func (p *Portal) writeForm(c echo.Context) error {
	return p.render(c, http.StatusOK, "write", page{Title: labels.T("portal.write.title"), Nav: "write",
		Data: writePage{Types: letterTypes, Challenge: p.newChallenge(), Form: letterForm{Type: string(minyi.TypeInquiry)},
			Photos: p.Photos != nil}})
}

func (p *Portal) write(c echo.Context) error {
	f := letterForm{Type: c.FormValue("type"), Title: c.FormValue("title"), Body: c.FormValue("body"),
		Place: c.FormValue("place"), Name: c.FormValue("name"), Phone: c.FormValue("phone"),
		Email: c.FormValue("email"), Publish: c.FormValue("publish") == "yes"}
	again := func(err error) error {
		status := statusOf(err)
		if status >= 500 {
			return err
		}
		return p.render(c, status, "write", page{Title: labels.T("portal.write.title"), Nav: "write",
			Data: writePage{Form: f, Types: letterTypes, Challenge: p.newChallenge(), Error: message(err, status),
				Photos: p.Photos != nil}})
	}
	if err := p.solve(c.FormValue("challenge"), c.FormValue("answer")); err != nil {
		return again(err)
	}
	var photos []minyi.Photo
	if form, err := c.MultipartForm(); err == nil {
		if photos, err = readPhotos(form.File["photo"]); err != nil {
			return again(err)
		}
	}
	if len(photos) > 0 && p.Photos == nil {
		return again(refuse(minyi.EINVALID, "portal.write.photo_type"))
	}
	r, err := p.submit(c, f, photos)
	if err != nil {
		return again(err)
	}
	return p.render(c, http.StatusCreated, "written", page{Title: labels.T("portal.written.title"), Nav: "write", Data: r})
}

// submit checks a letter, applies the limits, keeps it and hands it to
// intake (or holds it for review when it looks like spam or abuse).
func (p *Portal) submit(c echo.Context, f letterForm, photos []minyi.Photo) (receipt, error) {
	f, err := f.clean()
	if err != nil {
		return receipt{}, err
	}
	now := p.Now()
	ip, phone := "write:"+c.RealIP(), "phone:"+f.Phone
	if p.limits.over(phone, writesPerPhone, now) {
		return receipt{}, errTooMany{labels.T("portal.limit.phone")}
	}
	if !p.limits.add(ip, writesPerAddress, now) {
		return receipt{}, errTooMany{labels.T("portal.limit.address")}
	}
	p.limits.add(phone, writesPerPhone, now)

	code := secret(codeAlphabet, 8)
	var l minyi.PortalLetter
	var doc minyi.Document
	ctx := c.Request().Context()
	for attempt := 0; ; attempt++ {
		l, doc = f.letter(letterNumber(now), code, now)
		if reason := spamReason(f); reason != "" {
			l.State, l.HoldReason = minyi.LetterHeld, reason
		}
		// Kept before the letter, so that no acknowledged letter lacks its
		// photos; a number taken meanwhile leaves them with no case.
		if len(photos) > 0 {
			if err = p.Photos.KeepPhotos(ctx, minyi.CaseIDFor(doc.ID), photos); err != nil {
				break
			}
		}
		err = p.Store.CreatePortalLetter(ctx, l, doc)
		if minyi.ErrorCode(err) != minyi.ECONFLICT || attempt == 3 {
			break
		}
	}
	if err != nil {
		return receipt{}, err
	}
	r := receipt{Number: l.Number, Code: code, Held: l.State == minyi.LetterHeld, Type: minyi.MessageType(f.Type)}
	r.Workdays, r.Due = p.Deadlines.Plan(r.Type, now)
	if r.Held {
		p.audit(c, "portal_held", l.Number, l.HoldReason)
	} else {
		p.audit(c, "portal_write", l.Number, f.Type)
		// As POST /api/messages: the outbox ingests the letter if this fails.
		if err := p.Intake.Ingest(ctx, doc); err != nil {
			p.Logger.Warn("portal: ingest not started; the outbox will ingest the letter", "letter", l.Number, "err", err)
		}
	}
	if f.Email != "" && p.Mailer != nil {
		r.Mailed = p.mail(f.Email, l.Number, code)
	}
	return r, nil
}

var phonePattern = regexp.MustCompile(`^(?:1[3-9][0-9]{9}|0[0-9]{2,3}-?[0-9]{7,8})$`)

// clean trims the fields and checks them; the error is in the writer's words.
func (f letterForm) clean() (letterForm, error) {
	for _, s := range []*string{&f.Type, &f.Title, &f.Body, &f.Place, &f.Name, &f.Phone, &f.Email} {
		*s = strings.TrimSpace(strings.ToValidUTF8(*s, ""))
	}
	f.Phone = strings.NewReplacer(" ", "", "－", "-").Replace(f.Phone)
	switch {
	case !slices.Contains(letterTypes, minyi.MessageType(f.Type)):
		return f, refuse(minyi.EINVALID, "portal.write.bad_type")
	case f.Title == "" || f.Body == "" || f.Place == "" || f.Name == "" || f.Phone == "":
		return f, refuse(minyi.EINVALID, "portal.write.missing")
	case utf8.RuneCountInString(f.Title) > maxTitle:
		return f, refuse(minyi.EINVALID, "portal.write.too_long", labels.T("portal.write.field_title"), maxTitle)
	case utf8.RuneCountInString(f.Body) > maxBody:
		return f, refuse(minyi.EINVALID, "portal.write.too_long", labels.T("portal.write.field_body"), maxBody)
	case utf8.RuneCountInString(f.Place) > maxPlace:
		return f, refuse(minyi.EINVALID, "portal.write.too_long", labels.T("portal.write.field_place"), maxPlace)
	case utf8.RuneCountInString(f.Name) > maxName:
		return f, refuse(minyi.EINVALID, "portal.write.too_long", labels.T("portal.write.field_name"), maxName)
	case !phonePattern.MatchString(f.Phone):
		return f, refuse(minyi.EINVALID, "portal.write.bad_phone")
	}
	if f.Email != "" {
		if a, err := mail.ParseAddress(f.Email); err != nil || a.Address != f.Email || len(f.Email) > 254 {
			return f, refuse(minyi.EINVALID, "portal.write.bad_email")
		}
	}
	for _, s := range []string{f.Title, f.Body, f.Place, f.Name} {
		if strings.ContainsFunc(s, func(r rune) bool { return unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t' }) {
			return f, refuse(minyi.EINVALID, "portal.write.control")
		}
	}
	return f, nil
}

// letter is the portal's record and the document of a letter: the
// document is a direct-intake message like POST /api/messages makes, its
// id stable from the number, the place in its text (routing detects the
// region there), the contact beside it.
func (f letterForm) letter(number, code string, now time.Time) (minyi.PortalLetter, minyi.Document) {
	now = now.Truncate(time.Second)
	doc := minyi.Document{
		Source:      minyi.PortalSource,
		Kind:        minyi.KindMessage,
		ExternalID:  number,
		Title:       f.Title,
		Body:        f.Body + placeLine() + f.Place,
		MessageType: f.Type,
		Published:   now,
		Fetched:     now,
		Contact:     &minyi.Contact{Name: f.Name, Phone: f.Phone, Email: f.Email},
	}
	doc.ID = minyi.DocumentID(doc.Source, "id:"+number)
	doc.ContentHash = doc.Hash()
	return minyi.PortalLetter{Number: number, DocumentID: doc.ID, CodeHash: codeHash(number, code),
		Publish: f.Publish, State: minyi.LetterAccepted, Created: now,
		PublicText: publicText(doc.Title, doc.Body, doc.Contact)}, doc
}

// codeAlphabet leaves out the characters people misread (0/O, 1/I/L).
const codeAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

// secret is n characters drawn uniformly from alphabet.
func secret(alphabet string, n int) string {
	b := make([]byte, n)
	for i := range b {
		var r [1]byte
		for {
			rand.Read(r[:])
			if int(r[0]) < 256-256%len(alphabet) {
				break
			}
		}
		b[i] = alphabet[int(r[0])%len(alphabet)]
	}
	return string(b)
}

// letterNumber is a new letter's public number: the China date and six
// random characters, e.g. 20261207-7K3Q9M.
func letterNumber(now time.Time) string {
	return now.In(minyi.ChinaTime).Format("20060102") + "-" + secret(codeAlphabet, 6)
}

// codeHash is how a 查询码 is kept: hashed with its letter's number.
func codeHash(number, code string) string {
	sum := sha256.Sum256([]byte("minyi-portal\x00" + number + "\x00" + strings.ToUpper(strings.TrimSpace(code))))
	return hex.EncodeToString(sum[:])
}

// codeMatches compares a 查询码 with a kept hash in constant time.
func codeMatches(l minyi.PortalLetter, code string) bool {
	return subtle.ConstantTimeCompare([]byte(codeHash(l.Number, code)), []byte(l.CodeHash)) == 1
}

// codeMail is one 查询码 to send.
type codeMail struct{ to, number, code string }

// startMailer sends the codes from one goroutine, so that a slow mail
// server slows nobody's page; a full queue is a code not mailed (the page
// has shown it already).
func (p *Portal) startMailer() {
	if p.Mailer == nil {
		return
	}
	p.mailing = make(chan codeMail, 100)
	safely.Go(func() {
		for m := range p.mailing {
			err := safely.Call(func() error {
				ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
				defer cancel()
				return p.Mailer.SendCode(ctx, m.to, m.number, m.code)
			})
			if err != nil {
				p.Logger.Warn("portal: mailing a 查询码 failed", "letter", m.number, "err", err)
			}
		}
	})
}

func (p *Portal) mail(to, number, code string) bool {
	select {
	case p.mailing <- codeMail{to, number, code}:
		return true
	default:
		return false
	}
}
