package portal

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"minyi"
)

// ReplyFiles are the files a department sent with its reply, which the
// writer reads with the letter's 查询码 like the reply itself.
type ReplyFiles interface {
	ReplyFiles(caseID string) []string // stored names, oldest first
	OpenReplyFile(caseID, name string) (io.ReadCloser, error)
}

// replyFile is a reply file as the status page offers it.
type replyFile struct{ Stored, Name string }

// replyFiles are the files of an answered case; none before the reply.
func (p *Portal) replyFiles(tp trackPage) []replyFile {
	if p.Files == nil || tp.Case == nil || tp.Reply == nil {
		return nil
	}
	var out []replyFile
	for _, stored := range p.Files.ReplyFiles(tp.Case.ID) {
		name := stored
		// Stored as <unix nanoseconds>-<name as uploaded>.
		if _, rest, ok := strings.Cut(stored, "-"); ok && rest != "" {
			name = rest
		}
		out = append(out, replyFile{Stored: stored, Name: name})
	}
	return out
}

// replyFile sends one reply file to whoever holds the letter's 查询码 (a
// POST, so the code is never in a URL), always as a download.
func (p *Portal) replyFile(c echo.Context) error {
	l, _, err := p.unlock(c)
	if err != nil {
		return p.trackError(c, err)
	}
	tp, err := p.trackData(c.Request().Context(), l)
	if err != nil {
		return err
	}
	stored := c.FormValue("file")
	for _, f := range p.replyFiles(tp) {
		if f.Stored != stored {
			continue
		}
		r, err := p.Files.OpenReplyFile(tp.Case.ID, stored)
		if err != nil {
			return err
		}
		defer r.Close()
		p.audit(c, "portal_reply_file", l.Number, "")
		h := c.Response().Header()
		h.Set(echo.HeaderContentDisposition, fmt.Sprintf(`attachment; filename*=UTF-8''%s`, url.PathEscape(f.Name)))
		h.Set("Cache-Control", "private, no-store")
		return c.Stream(http.StatusOK, "application/octet-stream", r)
	}
	return minyi.Errorf(minyi.ENOTFOUND, "no such file with this letter's reply")
}
