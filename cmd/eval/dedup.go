package main

import (
	"fmt"
	"math/rand/v2"
	"unicode/utf8"

	"minyi/analysis/simhash"
)

// filler is what generated edits insert: common characters of petitions.
var filler = []rune("的了是在我有和人这不们来到时大地为子中你说生国年着就那要也得里后自以会家可下而过天去能对小多然于心学么之都好看起发当没成只如事把还用第样道想作种开美总从无情己面最女但现前些所同日手又行意动方期它头经长儿回位分爱老因很给名法间斯知世什两次使身者被高已亲其进此话常与活正感")

// edit returns text with n random single-character edits (insert, delete,
// replace), as a reposter who fixes a typo or adds a word would make.
func edit(rng *rand.Rand, text string, n int) string {
	r := []rune(text)
	for range n {
		if len(r) < 2 {
			break
		}
		pos := rng.IntN(len(r))
		c := filler[rng.IntN(len(filler))]
		switch rng.IntN(3) {
		case 0:
			r = append(r[:pos], append([]rune{c}, r[pos:]...)...)
		case 1:
			r = append(r[:pos], r[pos+1:]...)
		default:
			r[pos] = c
		}
	}
	return string(r)
}

type fingerprinter struct {
	name string
	fp   func(string) uint64
}

func evalDedup(msgs []message) {
	rng := rand.New(rand.NewPCG(20200106, 494))
	texts := make([]string, len(msgs))
	for i, m := range msgs {
		texts[i] = m.title + "\n" + m.body
	}
	// Two reposts per message: "light" is 转帖 plus 1–3 edited characters,
	// "heavy" is 4–10 edited characters.
	type repost struct {
		of    int
		text  string
		heavy bool
	}
	var reposts []repost
	var chars int
	for i, t := range texts {
		chars += utf8.RuneCountInString(t)
		light := edit(rng, t, 1+rng.IntN(3))
		if rng.IntN(2) == 0 {
			light = "转帖：" + light
		}
		reposts = append(reposts, repost{i, normalize(light), false}, repost{i, normalize(edit(rng, t, 4+rng.IntN(7))), true})
	}
	fmt.Printf("\n== simhash: %d messages (mean %d characters), %d generated reposts, %d pairs of different messages\n",
		len(texts), chars/len(texts), len(reposts), len(texts)*(len(texts)-1)/2)
	fps := []fingerprinter{
		{"all tokens (words + single characters)", func(s string) uint64 { return simhash.Fingerprint(words(s)) }},
		{"words of 2+ characters", func(s string) uint64 { return simhash.Fingerprint(multiChar(words(s))) }},
	}
	for _, fper := range fps {
		orig := make([]uint64, len(texts))
		for i, t := range texts {
			orig[i] = fper.fp(t)
		}
		rep := make([]uint64, len(reposts))
		for i, r := range reposts {
			rep[i] = fper.fp(r.text)
		}
		fmt.Printf("fingerprint over %s:\n", fper.name)
		for _, th := range []int{3, 5, 7} {
			var tpLight, tpHeavy, nLight, nHeavy, fp, neg int
			for i, r := range reposts {
				hit := simhash.Distance(orig[r.of], rep[i]) <= th
				if r.heavy {
					nHeavy++
					tpHeavy += b2i(hit)
				} else {
					nLight++
					tpLight += b2i(hit)
				}
			}
			var falsePairs []string
			for i := range orig {
				for j := i + 1; j < len(orig); j++ {
					neg++
					if simhash.Distance(orig[i], orig[j]) <= th {
						fp++
						falsePairs = append(falsePairs, fmt.Sprintf("%s「%s」~ %s「%s」", msgs[i].id, clip(msgs[i].title, 20), msgs[j].id, clip(msgs[j].title, 20)))
					}
				}
			}

			tp := tpLight + tpHeavy
			fmt.Printf("  ≤%d bits: recall light %.3f, heavy %.3f; false pairs %d of %d; precision %.4f\n",
				th, ratio(tpLight, nLight), ratio(tpHeavy, nHeavy), fp, neg, ratio(tp, tp+fp))
			if len(falsePairs) > 0 && len(falsePairs) <= 3 {
				fmt.Printf("    the false pairs (are they real duplicates?): %v\n", falsePairs)
			}
		}
		// The index end to end: originals and reposts in a shuffled order;
		// a repost is right when it shares its original's topic.
		for _, th := range []int{simhash.DefaultThreshold, 5} {
			d, err := simhash.NewDedup(th)
			if err != nil {
				fail(err)
			}
			order := rng.Perm(len(texts) + len(reposts))
			topic := make([]string, len(texts)+len(reposts))
			for _, k := range order {
				if k < len(texts) {
					topic[k] = d.Add(fmt.Sprint("m", k), orig[k], zeroTime).ID
				} else {
					topic[k] = d.Add(fmt.Sprint("r", k), rep[k-len(texts)], zeroTime).ID
				}
			}
			together, merged := 0, 0
			for i, r := range reposts {
				together += b2i(topic[len(texts)+i] == topic[r.of])
			}
			seen := map[string]int{}
			for i := range texts {
				seen[topic[i]]++
			}
			for _, n := range seen {
				if n > 1 {
					merged += n
				}
			}
			fmt.Printf("  Dedup index ≤%d: %.3f of reposts share their original's topic; %d originals merged with another original\n",
				th, ratio(together, len(reposts)), merged)
		}
	}
}

func multiChar(ws []string) []string {
	out := ws[:0:0]
	for _, w := range ws {
		if utf8.RuneCountInString(w) >= 2 {
			out = append(out, w)
		}
	}
	return out
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}
