// Package tokenizer is Delphi's deterministic byte-level BPE: a trainer that
// learns merges from a corpus, and a tokenizer that applies them. Ids 0–255
// are the bytes; id 256+k is merge k. The same corpus and vocabulary size
// give the same merges on every machine: counting uses sorted keys only,
// and ties are broken by the smaller pair.
package tokenizer

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Pair is two token ids merged into one.
type Pair struct{ A, B int }

// BPE is a byte-level tokenizer. Delphi's own vocabularies (New, Train)
// put byte b at id b and merge k at id 256+k; a published vocabulary
// (FromVocab) may order its tokens any way and hold tokens no merge makes.
type BPE struct {
	merges []Pair
	result []int        // merge k -> the id of the token it makes
	rank   map[Pair]int // pair -> merge index (lookup only)
	vocab  [][]byte     // id -> bytes
	byteID [256]int     // byte -> the id of its one-byte token
	own    bool         // Delphi's id scheme
}

// NumBytes is the number of byte tokens every vocabulary starts with.
const NumBytes = 256

// Bounds on a vocabulary, so that hostile merges (each doubling a token's
// length) cannot ask for more memory than a real tokenizer uses.
const (
	MaxMerges     = 1 << 20
	MaxTokenBytes = 1 << 10
	maxVocabBytes = 64 << 20
)

// New builds a tokenizer from its merges, checking that each merge names
// existing tokens and appears once.
func New(merges []Pair) (*BPE, error) {
	if len(merges) > MaxMerges {
		return nil, fmt.Errorf("%d merges, at most %d", len(merges), MaxMerges)
	}
	t := &BPE{merges: append([]Pair(nil), merges...), rank: make(map[Pair]int, len(merges)), own: true}
	total := NumBytes
	t.vocab = make([][]byte, NumBytes, NumBytes+len(merges))
	for i := range t.vocab[:NumBytes] {
		t.vocab[i] = []byte{byte(i)}
		t.byteID[i] = i
	}
	for k, p := range merges {
		id := NumBytes + k
		if p.A < 0 || p.B < 0 || p.A >= id || p.B >= id {
			return nil, fmt.Errorf("merge %d (%d, %d) names a token not yet defined", k, p.A, p.B)
		}
		if _, dup := t.rank[p]; dup {
			return nil, fmt.Errorf("merge %d (%d, %d) repeats an earlier merge", k, p.A, p.B)
		}
		n := len(t.vocab[p.A]) + len(t.vocab[p.B])
		if total += n; n > MaxTokenBytes || total > maxVocabBytes {
			return nil, fmt.Errorf("merge %d makes a token of %d bytes (at most %d, %d in all)", k, n, MaxTokenBytes, maxVocabBytes)
		}
		t.rank[p] = k
		t.result = append(t.result, id)
		t.vocab = append(t.vocab, append(append([]byte{}, t.vocab[p.A]...), t.vocab[p.B]...))
	}
	return t, nil
}

// FromVocab builds a tokenizer from a published vocabulary: its tokens'
// bytes in id order and its merges as pairs of token ids. Every byte must
// have exactly one one-byte token, tokens must be distinct, and each merge
// must make a token of the vocabulary.
func FromVocab(tokens [][]byte, merges []Pair) (*BPE, error) {
	if len(merges) > MaxMerges || len(tokens) > MaxMerges+NumBytes+1<<16 {
		return nil, fmt.Errorf("%d tokens and %d merges: too many", len(tokens), len(merges))
	}
	t := &BPE{rank: make(map[Pair]int, len(merges)), vocab: make([][]byte, len(tokens))}
	ids := make(map[string]int, len(tokens))
	for i := range t.byteID {
		t.byteID[i] = -1
	}
	for id, b := range tokens {
		if len(b) == 0 || len(b) > MaxTokenBytes {
			return nil, fmt.Errorf("token %d has %d bytes (1 to %d)", id, len(b), MaxTokenBytes)
		}
		if _, dup := ids[string(b)]; dup {
			return nil, fmt.Errorf("token %d %q repeats an earlier token", id, b)
		}
		ids[string(b)] = id
		t.vocab[id] = append([]byte(nil), b...)
		if len(b) == 1 {
			t.byteID[b[0]] = id
		}
	}
	for b, id := range t.byteID {
		if id < 0 {
			return nil, fmt.Errorf("byte %#02x has no token: not a byte-level vocabulary", b)
		}
	}
	for k, p := range merges {
		if p.A < 0 || p.B < 0 || p.A >= len(tokens) || p.B >= len(tokens) {
			return nil, fmt.Errorf("merge %d (%d, %d) names a token outside the vocabulary", k, p.A, p.B)
		}
		if _, dup := t.rank[p]; dup {
			return nil, fmt.Errorf("merge %d (%d, %d) repeats an earlier merge", k, p.A, p.B)
		}
		made, ok := ids[string(t.vocab[p.A])+string(t.vocab[p.B])]
		if !ok {
			return nil, fmt.Errorf("merge %d makes %q, which is not in the vocabulary", k, string(t.vocab[p.A])+string(t.vocab[p.B]))
		}
		t.rank[p] = k
		t.merges = append(t.merges, p)
		t.result = append(t.result, made)
	}
	return t, nil
}

// VocabSize is 256 plus the number of merges.
func (t *BPE) VocabSize() int { return len(t.vocab) }

// Merges returns the merges in order.
func (t *BPE) Merges() []Pair { return append([]Pair(nil), t.merges...) }

// Token returns the bytes of token id.
func (t *BPE) Token(id int) []byte { return t.vocab[id] }

// Encode splits text into chunks (see Chunks) and applies the merges to
// each, lowest merge index first, leftmost first among equal ones.
func (t *BPE) Encode(text []byte) []int {
	var out []int
	for _, c := range Chunks(text) {
		out = append(out, t.encodeChunk(c)...)
	}
	return out
}

func (t *BPE) encodeChunk(c []byte) []int {
	ids := make([]int, len(c))
	for i, b := range c {
		ids[i] = t.byteID[b]
	}
	for len(ids) > 1 {
		best := -1
		for i := 0; i+1 < len(ids); i++ {
			if r, ok := t.rank[Pair{ids[i], ids[i+1]}]; ok && (best < 0 || r < best) {
				best = r
			}
		}
		if best < 0 {
			break
		}
		ids = replace(ids, t.merges[best], t.result[best])
	}
	return ids
}

// Decode concatenates the tokens' bytes; an unknown id is an error.
func (t *BPE) Decode(ids []int) ([]byte, error) {
	var b bytes.Buffer
	for _, id := range ids {
		if id < 0 || id >= len(t.vocab) {
			return nil, fmt.Errorf("token id %d outside the vocabulary of %d", id, len(t.vocab))
		}
		b.Write(t.vocab[id])
	}
	return b.Bytes(), nil
}

const (
	header      = "delphi-bpe v1"
	vocabHeader = "delphi-bpe-vocab v1"
)

// MarshalText is the canonical encoding: a header line, then one merge
// per line as "A B" in decimal. A published vocabulary (FromVocab) also
// lists its tokens, one per line in hex, after a count line.
func (t *BPE) MarshalText() []byte {
	var b bytes.Buffer
	if !t.own {
		b.WriteString(vocabHeader + "\n" + strconv.Itoa(len(t.vocab)) + "\n")
		for _, tok := range t.vocab {
			b.WriteString(hex.EncodeToString(tok) + "\n")
		}
	} else {
		b.WriteString(header + "\n")
	}
	for _, p := range t.merges {
		b.WriteString(strconv.Itoa(p.A))
		b.WriteByte(' ')
		b.WriteString(strconv.Itoa(p.B))
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// Hash is the SHA-256 of the canonical encoding, hex.
func (t *BPE) Hash() string {
	h := sha256.Sum256(t.MarshalText())
	return hex.EncodeToString(h[:])
}

// Parse reads MarshalText's encoding.
func Parse(raw []byte) (*BPE, error) {
	sc := bufio.NewScanner(bytes.NewReader(raw))
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	if !sc.Scan() || (sc.Text() != header && sc.Text() != vocabHeader) {
		return nil, fmt.Errorf("not a %s file", header)
	}
	var tokens [][]byte
	if sc.Text() == vocabHeader {
		if !sc.Scan() {
			return nil, fmt.Errorf("vocabulary size missing")
		}
		n, err := strconv.Atoi(sc.Text())
		if err != nil || n < NumBytes || n > 1<<20 || n > len(raw) {
			return nil, fmt.Errorf("vocabulary size %q", sc.Text())
		}
		tokens = make([][]byte, 0, n)
		for len(tokens) < n && sc.Scan() {
			tok, err := hex.DecodeString(sc.Text())
			if err != nil {
				return nil, fmt.Errorf("token line %d: %q", len(tokens)+1, sc.Text())
			}
			tokens = append(tokens, tok)
		}
		if len(tokens) != n {
			return nil, fmt.Errorf("%d of %d tokens", len(tokens), n)
		}
	}
	var merges []Pair
	for sc.Scan() {
		var p Pair
		a, b, ok := strings.Cut(sc.Text(), " ")
		var errA, errB error
		p.A, errA = strconv.Atoi(a)
		p.B, errB = strconv.Atoi(b)
		if !ok || errA != nil || errB != nil || strconv.Itoa(p.A)+" "+strconv.Itoa(p.B) != sc.Text() {
			return nil, fmt.Errorf("merge line %d: %q is not \"A B\" in canonical decimal", len(merges)+1, sc.Text())
		}
		if len(merges) >= MaxMerges {
			return nil, fmt.Errorf("more than %d merges", MaxMerges)
		}
		merges = append(merges, p)
	}
	if tokens != nil {
		return FromVocab(tokens, merges)
	}
	return New(merges)
}

// Train learns vocabSize−256 merges from the corpus. Each round counts every
// adjacent pair over the distinct chunks (weighted by how often each chunk
// occurs) and merges the most frequent pair; ties go to the smallest pair
// (A, then B). Training stops early when no pair occurs twice.
func Train(corpus []byte, vocabSize int) (*BPE, error) {
	if vocabSize < NumBytes || vocabSize > 1<<20 {
		return nil, fmt.Errorf("vocabulary size %d outside [%d, %d]", vocabSize, NumBytes, 1<<20)
	}
	counts := map[string]int{}
	for _, c := range Chunks(corpus) {
		counts[string(c)]++
	}
	// Distinct chunks in byte order: the only iteration over counts.
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
