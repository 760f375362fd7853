package linear

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Options tune training. The zero value is not usable; see Defaults.
type Options struct {
	Bits   uint    // hashed feature space is 2^Bits
	Extra  uint32  // dense slots past the hashed space
	Epochs int     // passes over the data
	Rate   float64 // AdaGrad base learning rate
	L2     float64 // weight decay on the weights a step touches
	// Balance weighs every class equally whatever its share of the training
	// data, so that the prior of the training corpora (waimai_10k is two
	// thirds negative) is not carried into another domain.
	Balance bool
	Seed    uint64 // shuffling; the same seed and data give the same model
}

// Example is one training document: its features and class index.
type Example struct {
	X     Vector
	Class int
	// Weight scales the example's loss; 0 means 1.
	Weight float64
}

// Train fits a multinomial logistic regression by AdaGrad over shuffled
// passes of the data. Deterministic for a given Options.Seed.
func Train(classes []string, data []Example, opt Options) (*Model, error) {
	if len(classes) < 2 {
		return nil, fmt.Errorf("linear: %d classes, need at least 2", len(classes))
	}
	m := newModel(classes, opt.Bits, opt.Extra)
	k, d := len(classes), m.Dim()
	weight := make([]float64, k)
	count := make([]int, k)
	for _, ex := range data {
		if ex.Class < 0 || ex.Class >= k {
			return nil, fmt.Errorf("linear: class index %d out of range", ex.Class)
		}
		count[ex.Class]++
	}
	for c := range weight {
		weight[c] = 1
		if opt.Balance && count[c] > 0 {
			weight[c] = float64(len(data)) / float64(k*count[c])
		}
	}
	g2 := make([]float32, len(m.W)) // AdaGrad's sum of squared gradients
	b2 := make([]float64, k)
	order := make([]int, len(data))
	for i := range order {
		order[i] = i
	}
	rng := rand.New(rand.NewPCG(opt.Seed, 0x5eed))
	p := make([]float64, k)
	for range opt.Epochs {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		for _, i := range order {
			ex := data[i]
			m.logits(ex.X, p)
			softmax(p)
			wt := weight[ex.Class]
			if ex.Weight > 0 {
				wt *= ex.Weight
			}
			for c := range k {
				g := p[c] * wt
				if c == ex.Class {
					g -= wt
				}
				if g == 0 {
					continue
				}
				w := m.W[uint32(c)*d : uint32(c+1)*d]
				acc := g2[uint32(c)*d : uint32(c+1)*d]
				for n, j := range ex.X.Index {
					grad := g*float64(ex.X.Value[n]) + opt.L2*float64(w[j])
					acc[j] += float32(grad * grad)
					w[j] -= float32(opt.Rate * grad / math.Sqrt(float64(acc[j])+1e-8))
				}
				b2[c] += g * g
				m.Bias[c] -= float32(opt.Rate * g / math.Sqrt(b2[c]+1e-8))
			}
		}
	}
	m.Quantize()
	return m, nil
}
