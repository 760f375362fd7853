package linear

import (
	"bufio"
	"compress/gzip"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
)

// The file is gzip of: one line of JSON (header), then per class a float32
// scale and Dim() int16 weights, then the float32 biases, little endian.
// Weights are quantized to 16 bits per class: the largest weight maps to
// 32767 and the rounding error (at most 1/65534 of it) changed no label
// in cmd/eval, while it halves the file; most hashed buckets are near zero,
// which gzip then packs.
type header struct {
	Format  string   `json:"format"`
	Classes []string `json:"classes"`
	Bits    uint     `json:"bits"`
	Extra   uint32   `json:"extra"`
	// Meta is the owner's: what its features are, where the training data
	// came from. It is part of the fingerprint.
	Meta map[string]string `json:"meta,omitempty"`
}

const fileFormat = "minyi-linear-1"

// maxBits bounds a file's claimed size before anything is allocated.
const maxBits = 22

// Save writes the model. meta is stored with it (LoadMeta reads it back).
func (m *Model) Save(w io.Writer, meta map[string]string) error {
	zw := gzip.NewWriter(w)
	if err := m.encode(zw, meta); err != nil {
		return err
	}
	return zw.Close()
}

func (m *Model) encode(w io.Writer, meta map[string]string) error {
	bw := bufio.NewWriter(w)
	h, err := json.Marshal(header{Format: fileFormat, Classes: m.Classes, Bits: m.Bits, Extra: m.Extra, Meta: meta})
	if err != nil {
		return err
	}
	bw.Write(h)
	bw.WriteByte('\n')
	m.Quantize()
	d := m.Dim()
	buf := make([]byte, 2*d)
	for c := range m.Classes {
		w := m.W[uint32(c)*d : uint32(c+1)*d]
		binary.Write(bw, binary.LittleEndian, m.scale[c])
		for j, x := range w {
			var q int16
			if m.scale[c] > 0 {
				q = int16(math.Round(float64(x / m.scale[c])))
			}
			binary.LittleEndian.PutUint16(buf[2*j:], uint16(q))
		}
		bw.Write(buf)
	}
	binary.Write(bw, binary.LittleEndian, m.Bias)
	return bw.Flush()
}

// Load reads a model written by Save and returns it with its meta.
func Load(r io.Reader) (*Model, map[string]string, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, nil, fmt.Errorf("not a model file: %w", err)
	}
	br := bufio.NewReader(zr)
	line, err := br.ReadBytes('\n')
	if err != nil {
		return nil, nil, fmt.Errorf("model header: %w", err)
	}
	var h header
	if err := json.Unmarshal(line, &h); err != nil {
		return nil, nil, fmt.Errorf("model header: %w", err)
	}
	if h.Format != fileFormat {
		return nil, nil, fmt.Errorf("model format %q, want %q", h.Format, fileFormat)
	}
	if len(h.Classes) < 2 || h.Bits > maxBits || h.Extra > 1<<10 {
		return nil, nil, fmt.Errorf("model header is inconsistent: %d classes, %d bits, %d extra", len(h.Classes), h.Bits, h.Extra)
	}
	m := newModel(h.Classes, h.Bits, h.Extra)
	d := m.Dim()
	buf := make([]byte, 2*d)
	m.scale = make([]float32, len(m.Classes))
	for c := range m.Classes {
		var scale float32
		if err := binary.Read(br, binary.LittleEndian, &scale); err != nil {
			return nil, nil, fmt.Errorf("model weights: %w", err)
		}
		if !(scale >= 0) || math.IsInf(float64(scale), 0) {
			return nil, nil, fmt.Errorf("model weight scale %v", scale)
		}
		m.scale[c] = scale
		if _, err := io.ReadFull(br, buf); err != nil {
			return nil, nil, fmt.Errorf("model weights: %w", err)
		}
		w := m.W[uint32(c)*d : uint32(c+1)*d]
		for j := range w {
			w[j] = float32(int16(binary.LittleEndian.Uint16(buf[2*j:]))) * scale
		}
	}
	if err := binary.Read(br, binary.LittleEndian, m.Bias); err != nil {
		return nil, nil, fmt.Errorf("model biases: %w", err)
	}
	if _, err := br.ReadByte(); !errors.Is(err, io.EOF) {
		return nil, nil, fmt.Errorf("model file has trailing data")
	}
	return m, h.Meta, nil
}

// Quantize rounds the weights to what Save stores, once: a trained model
// then computes exactly what it will compute after a save and a load.
func (m *Model) Quantize() {
	if m.scale != nil {
		return
	}
	d := m.Dim()
	m.scale = make([]float32, len(m.Classes))
	for c := range m.Classes {
		w := m.W[uint32(c)*d : uint32(c+1)*d]
		var top float32
		for _, x := range w {
			top = max(top, float32(math.Abs(float64(x))))
		}
		m.scale[c] = top / 32767
		for j, x := range w {
			if m.scale[c] > 0 {
				w[j] = float32(int16(math.Round(float64(x/m.scale[c])))) * m.scale[c]
			}
		}
	}
}

// Fingerprint is a short hash of what the model computes: its classes,
// shape and quantized weights (the form Save writes), so that a model and the
// same model saved and loaded again agree.
func (m *Model) Fingerprint() (string, error) {
	h := sha256.New()
	if err := m.encode(h, nil); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil))[:16], nil
}
