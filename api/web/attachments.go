package web

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/labstack/echo/v4"

	"minyi"
)

// caseDir is where a case's files live: named by a digest of the id, so
// an id never makes a path.
func (s *server) caseDir(caseID string) string { return caseDirIn(s.AttachmentDir, caseID) }

func caseDirIn(root, caseID string) string {
	sum := sha256.Sum256([]byte(caseID))
	return filepath.Join(root, hex.EncodeToString(sum[:16]))
}

func (s *server) saveAttachment(caseID string, f *multipart.FileHeader) (string, error) {
	dir := s.caseDir(caseID)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return "", err
	}
	name := fmt.Sprintf("%d-%s", time.Now().UnixNano(), safeFileName(f.Filename))
	src, err := f.Open()
	if err != nil {
		return "", err
	}
	defer src.Close()
	dst, err := os.OpenFile(filepath.Join(dir, name), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o640)
	if err != nil {
		return "", err
	}
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		os.Remove(dst.Name())
		return "", err
	}
	return name, dst.Close()
}

// safeFileName keeps letters (Chinese too), digits, dot, dash and
// underscore of an uploaded file's base name.
func safeFileName(name string) string {
	name = filepath.Base(strings.ReplaceAll(name, `\`, "/"))
	var b strings.Builder
	for _, r := range name {
		switch {
		case unicode.IsLetter(r), unicode.IsDigit(r), r == '.', r == '-', r == '_':
			b.WriteRune(r)
		default:
			b.WriteRune('_')
		}
	}
	out := strings.TrimLeft(b.String(), ".")
	if out == "" {
		out = "file"
	}
	if r := []rune(out); len(r) > 80 {
		out = string(r[len(r)-80:])
	}
	return out
}

// keptFile is a kept file as the case page links it.
type keptFile struct{ Name, Link string }

func fileLink(caseID, name string) string {
	return "/cases/" + url.PathEscape(caseID) + "/files/" + url.PathEscape(name)
}

// attachments lists a case's kept files, oldest first.
func (s *server) attachments(caseID string) []string {
	if s.AttachmentDir == "" {
		return nil
	}
	return LetterPhotos{Dir: s.AttachmentDir}.ReplyFiles(caseID)
}

// caseFile serves a kept file to those who may see the case, always as a
// download so that an uploaded page never runs as ours.
func (s *server) caseFile(c echo.Context) error {
	_, cs, err := s.CaseFor(c)
	if err != nil {
		return err
	}
	name := c.Param("name")
	if s.AttachmentDir == "" || name == "" || name != filepath.Base(name) || strings.HasPrefix(name, ".") ||
		!slices.Contains(s.attachments(cs.ID), name) {
		return minyi.Errorf(minyi.ENOTFOUND, "no file %q on case %s", name, cs.ID)
	}
	h := c.Response().Header()
	h.Set(echo.HeaderContentDisposition, fmt.Sprintf(`attachment; filename*=UTF-8''%s`, url.PathEscape(name)))
	h.Set("Cache-Control", "private, no-store")
	f, err := os.Open(filepath.Join(s.caseDir(cs.ID), name))
	if err != nil {
		return err
	}
	defer f.Close()
	return c.Stream(http.StatusOK, "application/octet-stream", f)
}

// fileName is the name a user knows a kept file by (without our prefix).
func fileName(stored string) string {
	if _, rest, ok := strings.Cut(stored, "-"); ok {
		return rest
	}
	return stored
}
