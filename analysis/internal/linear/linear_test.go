package linear

import (
	"bytes"
	"testing"
)

func vec(bag *Bag, words ...string) Vector {
	bag.Reset()
	for _, w := range words {
		bag.Add(HashString(1, w), 1)
	}
	return bag.Vector()
}

func TestBagMergesAndNormalizes(t *testing.T) {
	bag := NewBag(8)
	v := vec(bag, "a", "b", "a")
	if len(v.Index) != 2 {
		t.Fatalf("repeated feature kept twice: %+v", v)
	}
	var norm float32
	for _, x := range v.Value {
		norm += x * x
	}
	if norm < 0.999 || norm > 1.001 {
		t.Errorf("squared norm %v, want 1", norm)
	}
	bag.Reset()
	bag.Add(1, 1)
	v = bag.Vector(Feature{Slot: 2, Value: -3})
	if last := len(v.Index) - 1; v.Index[last] != 256+2 || v.Value[last] != -3 {
		t.Errorf("dense feature not appended past the hashed space unscaled: %+v", v)
	}
}

func train(t *testing.T) *Model {
	t.Helper()
	bag := NewBag(10)
	var data []Example
	for i := range 40 {
		if i%2 == 0 {
			data = append(data, Example{X: vec(bag, "good", "fine", "x"), Class: 0})
		} else {
			data = append(data, Example{X: vec(bag, "bad", "awful", "x"), Class: 1})
		}
	}
	m, err := Train([]string{"pos", "neg"}, data, Options{Bits: 10, Epochs: 5, Rate: 0.5, L2: 1e-6, Balance: true, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestTrainSaveLoad(t *testing.T) {
	m := train(t)
	bag := NewBag(10)
	if c, p := Best(m.Probabilities(vec(bag, "good"))); c != 0 || p < 0.7 {
		t.Errorf("good → class %d p %.2f", c, p)
	}
	if c, _ := Best(m.Probabilities(vec(bag, "awful"))); c != 1 {
		t.Errorf("awful → class %d", c)
	}
	var buf bytes.Buffer
	if err := m.Save(&buf, map[string]string{"kind": "test"}); err != nil {
		t.Fatal(err)
	}
	m2, meta, err := Load(bytes.NewReader(buf.Bytes()))
	if err != nil || meta["kind"] != "test" {
		t.Fatalf("load: %v, meta %v", err, meta)
	}
	f1, _ := m.Fingerprint()
	f2, _ := m2.Fingerprint()
	if f1 != f2 {
		t.Errorf("fingerprint changed by a save and load: %s → %s", f1, f2)
	}
	for _, w := range []string{"good", "bad", "x", "unseen"} {
		a, b := m.Probabilities(vec(bag, w)), m2.Probabilities(vec(bag, w))
		if a[0] != b[0] {
			t.Errorf("%s: trained %v, loaded %v", w, a, b)
		}
	}
	if again := train(t); func() bool { f, _ := again.Fingerprint(); return f != f1 }() {
		t.Error("training is not deterministic for a seed")
	}
}

func FuzzLoad(f *testing.F) {
	var buf bytes.Buffer
	m := newModel([]string{"a", "b"}, 2, 1)
	m.W[3] = 0.5
	if err := m.Save(&buf, nil); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	f.Add([]byte{0x1f, 0x8b})
	f.Fuzz(func(t *testing.T, data []byte) {
		m, _, err := Load(bytes.NewReader(data))
		if err != nil {
			return
		}
		if len(m.W) != len(m.Classes)*int(m.Dim()) || len(m.Bias) != len(m.Classes) {
			t.Fatalf("loaded an inconsistent model: %d classes, %d weights", len(m.Classes), len(m.W))
		}
	})
}

// TestExampleWeight: the same text labelled both ways is decided by the
// heavier example, whichever class it is.
func TestExampleWeight(t *testing.T) {
	bag := NewBag(10)
	for heavy := range 2 {
		var data []Example
		for c := range 2 {
			w := 1.0
			if c == heavy {
				w = 5
			}
			for range 10 {
				data = append(data, Example{X: vec(bag, "same", "text"), Class: c, Weight: w})
			}
		}
		m, err := Train([]string{"a", "b"}, data, Options{Bits: 10, Epochs: 5, Rate: 0.5, Seed: 7})
		if err != nil {
			t.Fatal(err)
		}
		if c, _ := Best(m.Probabilities(vec(bag, "same", "text"))); c != heavy {
			t.Errorf("heavier class %d, predicted %d", heavy, c)
		}
	}
}
