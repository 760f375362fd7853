package report

import "bytes"

// Render writes r as DOCX and PDF, the two files a publication keeps and
// hands out.
func Render(r *Report) (docx, pdf []byte, err error) {
	var d, p bytes.Buffer
	if err := WriteDOCX(&d, r); err != nil {
		return nil, nil, err
	}
	if err := WritePDF(&p, r); err != nil {
		return nil, nil, err
	}
	return d.Bytes(), p.Bytes(), nil
}
