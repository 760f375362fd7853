package report

import (
	"embed"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sync"
)

// The font of the PDF and the charts: WenQuanYi Micro Hei (文泉驿微米黑),
// one sans-serif face with CJK, Latin and digits (Droid Sans Fallback, the
// Debian alternative, has no Latin: every digit would print as a box). It
// must be TrueType (glyf outlines): fpdf embeds and subsets TrueType only,
// and the CJK fonts most systems have (Noto CJK) are CFF-flavoured
// OpenType. It is licensed Apache 2.0 (embedding in documents allowed) and
// comes in one Debian package, fonts-wqy-microhei, as a TrueType
// collection (regular and mono) of which the first face is taken.
const fontName = "wqy-microhei.ttc"

//go:embed fonts
var embeddedFonts embed.FS

// systemFont is where fonts-wqy-microhei installs the font, for a build
// that did not copy it in (go test without make).
const systemFont = "/usr/share/fonts/truetype/wqy/" + fontName

// loadFont is the font as one TrueType file.
var loadFont = sync.OnceValues(func() ([]byte, error) {
	b, err := fs.ReadFile(embeddedFonts, "fonts/"+fontName)
	if err != nil {
		if b, err = os.ReadFile(systemFont); errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("report: no CJK font: build with make (it embeds %s from Debian's fonts-wqy-microhei) or install that package", fontName)
		} else if err != nil {
			return nil, fmt.Errorf("report: reading the CJK font: %w", err)
		}
	}
	return firstFace(b)
})

// firstFace is the first font of a TrueType collection as a TrueType file
// of its own, or b itself when it is no collection: fpdf reads only single
// fonts. The tables are copied unchanged, so their checksums hold.
func firstFace(b []byte) ([]byte, error) {
	bad := errors.New("report: the CJK font is a damaged TrueType collection")
	if len(b) < 16 || string(b[:4]) != "ttcf" {
		return b, nil
	}
	be := binary.BigEndian
	if be.Uint32(b[8:]) == 0 {
		return nil, bad
	}
	dir := int(be.Uint32(b[12:]))
	if dir+12 > len(b) {
		return nil, bad
	}
	n := int(be.Uint16(b[dir+4:]))
	if dir+12+16*n > len(b) {
		return nil, bad
	}
	head := 12 + 16*n
	out := make([]byte, head, len(b))
	copy(out, b[dir:dir+head])
	for i := range n {
		rec := out[12+16*i:]
		off, length := int(be.Uint32(rec[8:])), int(be.Uint32(rec[12:]))
		if off < 0 || length < 0 || off+length > len(b) {
			return nil, bad
		}
		be.PutUint32(rec[8:], uint32(len(out)))
		out = append(out, b[off:off+length]...)
		for len(out)%4 != 0 {
			out = append(out, 0) // tables start on four-byte boundaries
		}
	}
	return out, nil
}
