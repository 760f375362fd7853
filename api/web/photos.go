package web

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"minyi"
	"minyi/api/core"
)

// LetterPhotos keeps the photos a citizen sent with a letter in a folder
// of its case's files (not among the reply's files): the case page shows
// them only to whom may see the petitioner's contact, since they may show
// faces and number plates. Dir is the server's AttachmentDir.
type LetterPhotos struct{ Dir string }

// photoDir is where a case's letter photos live.
func photoDir(root, caseID string) string { return filepath.Join(caseDirIn(root, caseID), "photos") }

// KeepPhotos writes a letter's photos, each checked and named by the
// portal; a name already there is refused rather than overwritten.
func (lp LetterPhotos) KeepPhotos(_ context.Context, caseID string, photos []minyi.Photo) error {
	dir := photoDir(lp.Dir, caseID)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return err
	}
	for _, p := range photos {
		if p.Name != filepath.Base(p.Name) || strings.HasPrefix(p.Name, ".") {
			return minyi.Errorf(minyi.EINVALID, "photo name %q", p.Name)
		}
		if err := writeNew(filepath.Join(dir, p.Name), p.Data); err != nil {
			return fmt.Errorf("keep photo %s of case %s: %w", p.Name, caseID, err)
		}
	}
	return nil
}

func writeNew(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o640)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		os.Remove(path)
		return err
	}
	return f.Close()
}

// letterPhotos lists a case's letter photos by name.
func (s *server) letterPhotos(caseID string) []string {
	if s.AttachmentDir == "" {
		return nil
	}
	return regularFiles(photoDir(s.AttachmentDir, caseID))
}

// regularFiles names the files in dir (not its folders), in name order;
// none when it cannot be read.
func regularFiles(dir string) []string {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	var names []string
	for _, e := range entries {
		if e.Type().IsRegular() {
			names = append(names, e.Name())
		}
	}
	return names
}

func photoLink(caseID, name string) string {
	return "/cases/" + url.PathEscape(caseID) + "/photos/" + url.PathEscape(name)
}

// casePhoto serves a letter photo to the handling department, supervisors
// and admins, inline and only as the image type its content is (the
// portal checked it on the way in; it is checked again on the way out).
func (s *server) casePhoto(c echo.Context) error {
	u, cs, err := s.CaseFor(c)
	if err != nil {
		return err
	}
	if !core.MaySeeContact(u, cs) {
		return minyi.Errorf(minyi.EFORBIDDEN, "the photos of case %s are for its department and supervisors", cs.ID)
	}
	name := c.Param("name")
	if !slices.Contains(s.letterPhotos(cs.ID), name) {
		return minyi.Errorf(minyi.ENOTFOUND, "no photo %q on case %s", name, cs.ID)
	}
	data, err := os.ReadFile(filepath.Join(photoDir(s.AttachmentDir, cs.ID), name))
	if err != nil {
		return err
	}
	typ := http.DetectContentType(data)
	if typ != "image/jpeg" && typ != "image/png" && typ != "image/webp" {
		return minyi.Errorf(minyi.ENOTFOUND, "photo %q of case %s is not an image", name, cs.ID)
	}
	h := c.Response().Header()
	h.Set("Cache-Control", "private, no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	return c.Blob(http.StatusOK, typ, data)
}

// ReplyFiles lists the files the department sent with its reply, oldest
// first, by the name they are stored under (the letter's photos apart).
func (lp LetterPhotos) ReplyFiles(caseID string) []string {
	return regularFiles(caseDirIn(lp.Dir, caseID))
}

// OpenReplyFile opens one of ReplyFiles; any other name is not found.
func (lp LetterPhotos) OpenReplyFile(caseID, name string) (io.ReadCloser, error) {
	if lp.Dir == "" || !slices.Contains(lp.ReplyFiles(caseID), name) {
		return nil, minyi.Errorf(minyi.ENOTFOUND, "no reply file %q", name)
	}
	return os.Open(filepath.Join(caseDirIn(lp.Dir, caseID), name))
}
