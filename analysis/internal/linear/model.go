package linear

import (
	"math"
)

// Model holds one weight vector and bias per class over 2^Bits hashed
// features plus Extra dense slots. Scores is safe for concurrent use.
type Model struct {
	Classes []string
	Bits    uint
	Extra   uint32
	W       []float32 // class-major: W[c*Dim()+j]
	Bias    []float32
	scale   []float32 // per class, once quantized (Quantize, Load)
}

// Dim is the length of one class's weight vector.
func (m *Model) Dim() uint32 { return 1<<m.Bits + m.Extra }

func newModel(classes []string, bits uint, extra uint32) *Model {
	m := &Model{Classes: append([]string(nil), classes...), Bits: bits, Extra: extra}
	m.W = make([]float32, uint32(len(classes))*m.Dim())
	m.Bias = make([]float32, len(classes))
	return m
}

// logits writes the class scores of v into out (len(Classes)).
func (m *Model) logits(v Vector, out []float64) {
	d := m.Dim()
	for c := range m.Classes {
		w := m.W[uint32(c)*d : uint32(c+1)*d]
		s := float64(m.Bias[c])
		for i, j := range v.Index {
			s += float64(w[j]) * float64(v.Value[i])
		}
		out[c] = s
	}
}

// Probabilities returns P(class | v) for each class.
func (m *Model) Probabilities(v Vector) []float64 {
	p := make([]float64, len(m.Classes))
	m.logits(v, p)
	softmax(p)
	return p
}

func softmax(p []float64) {
	top := math.Inf(-1)
	for _, x := range p {
		top = max(top, x)
	}
	var sum float64
	for i, x := range p {
		p[i] = math.Exp(x - top)
		sum += p[i]
	}
	for i := range p {
		p[i] /= sum
	}
}

// Best returns the index and probability of the most probable class.
func Best(p []float64) (int, float64) {
	best := 0
	for c := range p {
		if p[c] > p[best] {
			best = c
		}
	}
	return best, p[best]
}
