package llm

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/delphi-network/delphi/runtime/merkle"
	"github.com/delphi-network/delphi/runtime/text"
)

// Text benchmarks, built deterministically from the KJV's held-out verses
// (never seen in training). Every item has a canonical encoding; the
// benchmark's hash is the SHA-256 of its items' encodings in order.
//
//   - kjv-next: a held-out verse; the model predicts each of its tokens from
//     the ones before. Scored by next-token accuracy and bits per byte.
//   - kjv-cloze: a verse's first half and four candidate second halves, the
//     true one and three drawn from other held-out verses; the model picks
//     the candidate with the highest log-likelihood.
//   - kjv-complete: a verse without its last word; greedy decoding must
//     produce exactly that word.
const (
	KindNext     = "next"
	KindChoice   = "choice"
	KindGenerate = "generate"
)

// TextItem is one benchmark item.
type TextItem struct {
	Kind    string
	Context string   // scored text (next), or the prompt
	Options []string // choice: the candidates
	Answer  int      // choice: the true candidate's index
	Target  string   // generate: the exact expected word
}

// TextBench is a named list of items with a canonical hash.
type TextBench struct {
	Name  string
	Items []TextItem
	tree  *merkle.Tree // over the item encodings, built on first use
}

// TextBenchNames lists the built-in text benchmarks.
var TextBenchNames = []string{"kjv-next", "kjv-cloze", "kjv-complete"}

// LoadTextBench builds a benchmark from the KJV on disk.
func LoadTextBench(name string) (*TextBench, error) {
	verses, err := text.LoadKJV()
	if err != nil {
		return nil, err
	}
	_, held := text.Split(verses)
	return BuildTextBench(name, held)
}

// BuildTextBench builds a benchmark from held-out verses.
func BuildTextBench(name string, held []text.Verse) (*TextBench, error) {
	b := &TextBench{Name: name}
	n := len(held)
	switch name {
	case "kjv-next":
		for _, v := range held {
			b.Items = append(b.Items, TextItem{Kind: KindNext, Context: v.Text + "\n"})
		}
	case "kjv-cloze":
		halves := make([][2]string, n)
		for i, v := range held {
			halves[i] = splitHalf(v.Text)
		}
		for i := range held {
			if halves[i][1] == "" {
				continue
			}
			answer := i % 4
			opts := make([]string, 0, 4)
			used := map[string]bool{halves[i][1]: true} // lookups only
			step := n/5 + 1
			for gcd(step, n) != 1 { // a step coprime with n visits every verse
				step++
			}
			for d := 1; len(opts) < 4; d++ {
				if d > 4*n {
					return nil, fmt.Errorf("cannot find distractors for held-out verse %d", i)
				}
				if len(opts) == answer {
					opts = append(opts, halves[i][1])
				}
				if len(opts) == 4 {
					break
				}
				// Distractors from verses spread through the split, each
				// different from the truth and from the others.
				j := (i + d*step) % n
				if halves[j][1] == "" || used[halves[j][1]] {
					continue
				}
				used[halves[j][1]] = true
				opts = append(opts, halves[j][1])
			}
			b.Items = append(b.Items, TextItem{Kind: KindChoice, Context: halves[i][0], Options: opts, Answer: answer})
		}
	case "kjv-complete":
		for _, v := range held {
			prompt, word := lastWord(v.Text)
			if word == "" {
				continue
			}
			b.Items = append(b.Items, TextItem{Kind: KindGenerate, Context: prompt, Target: word})
		}
	default:
		return nil, fmt.Errorf("unknown text benchmark %q (have %s)", name, strings.Join(TextBenchNames, ", "))
	}
	return b, nil
}

// splitHalf cuts a verse at the space nearest its middle: the first part
// ends before that space, the second starts with it.
func splitHalf(s string) [2]string {
	mid := len(s) / 2
	best := -1
	for i := 0; i < len(s); i++ {
		if s[i] == ' ' && (best < 0 || abs(i-mid) < abs(best-mid)) {
			best = i
		}
	}
	if best <= 0 {
		return [2]string{s, ""}
	}
	return [2]string{s[:best], s[best:] + "\n"}
}

// lastWord splits "... and there was light." into ("... and there was", "light").
func lastWord(s string) (string, string) {
	end := len(s)
	for end > 0 && !isLetter(s[end-1]) {
		end--
	}
	start := end
	for start > 0 && isLetter(s[start-1]) {
		start--
	}
	if start == end || start == 0 || s[start-1] != ' ' {
		return s, ""
	}
	return s[:start-1], s[start:end]
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func gcd(a, b int) int {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// Encode is an item's canonical bytes: the kind, then each field as a
// big-endian uint32 length and its bytes, options in order, the answer as
// a uint32.
func (it TextItem) Encode() []byte {
	var b []byte
	field := func(s string) {
		b = binary.BigEndian.AppendUint32(b, uint32(len(s)))
		b = append(b, s...)
	}
	field(it.Kind)
	field(it.Context)
	b = binary.BigEndian.AppendUint32(b, uint32(len(it.Options)))
	for _, o := range it.Options {
		field(o)
	}
	b = binary.BigEndian.AppendUint32(b, uint32(it.Answer))
	field(it.Target)
	return b
}

// Hash commits to every item in order.
func (b *TextBench) Hash() string {
	h := sha256.New()
	h.Write([]byte(b.Name))
	for _, it := range b.Items {
		e := it.Encode()
		var n [4]byte
		binary.BigEndian.PutUint32(n[:], uint32(len(e)))
		h.Write(n[:])
		h.Write(e)
	}
	return hex.EncodeToString(h.Sum(nil))
}
