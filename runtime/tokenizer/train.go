package tokenizer

import (
	"fmt"
	"sort"
)

// Train learns vocabSize−256 merges from the corpus, split into pieces by
// GPT-2's rule (PreGPT2, the rule Encode applies). Each round counts every
// adjacent pair over the distinct pieces (weighted by how often each piece
// occurs) and merges the most frequent pair; ties go to the smallest pair
// (A, then B). Training stops early when no pair occurs twice.
func Train(corpus []byte, vocabSize int) (*BPE, error) {
	if vocabSize < NumBytes || vocabSize > 1<<20 {
		return nil, fmt.Errorf("vocabulary size %d outside [%d, %d]", vocabSize, NumBytes, 1<<20)
	}
	counts := map[string]int{}
	PreGPT2.split(corpus, func(piece []byte) { counts[string(piece)]++ })
	// Distinct pieces in byte order: the only iteration over counts.
	keys := make([]string, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	words := make([][]int, len(keys))
	freq := make([]int, len(keys))
	for i, k := range keys {
		freq[i] = counts[k]
		words[i] = make([]int, len(k))
		for j := 0; j < len(k); j++ {
			words[i][j] = int(k[j])
		}
	}
	var merges []Pair
	for NumBytes+len(merges) < vocabSize {
		pairs := map[Pair]int{}
		for i, w := range words {
			for j := 0; j+1 < len(w); j++ {
				pairs[Pair{w[j], w[j+1]}] += freq[i]
			}
		}
		best, bestN := Pair{}, 1
		for p, n := range pairs { // order-free: the winner is unique by (count, pair)
			if n > bestN || (n == bestN && n > 1 && less(p, best)) {
				best, bestN = p, n
			}
		}
		if bestN < 2 {
			break
		}
		id := NumBytes + len(merges)
		merges = append(merges, best)
		for i, w := range words {
			words[i] = replace(w, best, id)
		}
	}
	return New(merges)
}

func less(a, b Pair) bool { return a.A < b.A || (a.A == b.A && a.B < b.B) }

// replace merges every left-to-right occurrence of p in w into id.
func replace(w []int, p Pair, id int) []int {
	out := w[:0]
	for i := 0; i < len(w); i++ {
		if i+1 < len(w) && w[i] == p.A && w[i+1] == p.B {
			out = append(out, id)
			i++
			continue
		}
		out = append(out, w[i])
	}
	return out
}
