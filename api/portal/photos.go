package portal

import (
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"strconv"

	"minyi"
)

// PhotoKeeper keeps the photos sent with a letter where its case's
// handling department and supervisors see them, and nobody else: they may
// show faces and number plates, so they are never published.
type PhotoKeeper interface {
	KeepPhotos(ctx context.Context, caseID string, photos []minyi.Photo) error
}

const (
	maxPhotos     = 3
	maxPhotoBytes = 2 << 20
	// writeBodyLimit is the letter form's body: its text and the photos.
	writeBodyLimit = "7M"
)

// photoTypes are the image types a letter may carry, by the type their
// content sniffs as (not the name or the type the browser claims), with
// the file name extension they are kept under.
var photoTypes = map[string]string{"image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp"}

// readPhotos checks the photos of a letter: at most maxPhotos, each at most
// maxPhotoBytes and a JPEG, PNG or WebP by its content. (A file input
// left empty sends a part without a file name, which is no file.)
func readPhotos(files []*multipart.FileHeader) ([]minyi.Photo, error) {
	var out []minyi.Photo
	for _, fh := range files {
		if len(out) == maxPhotos {
			return nil, refuse(minyi.EINVALID, "portal.write.photo_count", maxPhotos)
		}
		if fh.Size > maxPhotoBytes {
			return nil, refuse(minyi.ETOOLARGE, "portal.write.photo_size", maxPhotoBytes>>20)
		}
		f, err := fh.Open()
		if err != nil {
			return nil, err
		}
		data, err := io.ReadAll(io.LimitReader(f, maxPhotoBytes+1))
		f.Close()
		if err != nil {
			return nil, err
		}
		p, err := checkPhoto(data, len(out)+1)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

// checkPhoto is the n-th photo of a letter if data is one, named by its
// number and type: the sender's file name says nothing we keep.
func checkPhoto(data []byte, n int) (minyi.Photo, error) {
	if len(data) > maxPhotoBytes {
		return minyi.Photo{}, refuse(minyi.ETOOLARGE, "portal.write.photo_size", maxPhotoBytes>>20)
	}
	typ := http.DetectContentType(data)
	ext, ok := photoTypes[typ]
	if !ok || len(data) == 0 {
		return minyi.Photo{}, refuse(minyi.EINVALID, "portal.write.photo_type")
	}
	return minyi.Photo{Name: "photo-" + strconv.Itoa(n) + ext, Type: typ, Data: data}, nil
}
