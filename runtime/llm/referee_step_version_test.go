package llm

import (
	"fmt"
	"math/rand"
	"strings"
	"testing"

	"github.com/delphi-network/delphi/runtime"
	"github.com/delphi-network/delphi/runtime/gguf"
	"github.com/delphi-network/delphi/runtime/tokenizer"
)

// stepAt is RefereeStep over version v's leaves only.
func (m *Model) stepAt(t *testing.T, v uint32) runtime.RefereeStep {
	t.Helper()
	part := func(n string) int64 {
		if s := m.Tree.LeafSize(n); s > 0 {
			return int64(s) + stepProofBytes
		}
		return 0
	}
	step := runtime.RefereeStep{Bytes: int64(4*m.Window*m.Tok.VocabSize()) + stepProofBytes, FLOPs: int64(m.Window) * int64(m.Tok.VocabSize())}
	p, err := m.Program.AtVersion(v)
	if err != nil {
		t.Fatal(err)
	}
	step = m.largestStep(p, step, part)
	step.Bytes += part(PartConfig) + part(PartTokenizer) + stepItemBytes + stepInputsAllowance
	return step
}

// TestVersion2StepsFitVersion1Declarations: a language model's version 2
// referee step is never larger than its version 1 step, as the language
// referee counts bytes (parts as stored, the graph's own constants free),
// in every storage type — so a model registered with its version 1
// declaration stays admitted, and the declaration (the maximum over the
// versions) is version 1's. Found by review: groups bounded by the
// classifier's count grew micro's f32 step from 354,333 to 368,759 bytes.
func TestVersion2StepsFitVersion1Declarations(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	var words []string
	for range 4000 {
		w := make([]byte, 2+r.Intn(6))
		for j := range w {
			w[j] = byte('a' + r.Intn(26))
		}
		words = append(words, string(w))
	}
	for _, vocab := range []int{300, 512} {
		tok, err := tokenizer.Train([]byte(strings.Join(words, " ")), vocab)
		if err != nil {
			t.Fatal(err)
		}
		for _, size := range []string{"nano", "micro"} {
			cfg := Sizes[size]
			cfg.Vocab = tok.VocabSize()
			w, err := Init(cfg, 1)
			if err != nil {
				t.Fatal(err)
			}
			for _, typ := range []uint32{gguf.GGMLF32, gguf.GGMLQ8_0, gguf.GGMLQ4_0} {
				t.Run(fmt.Sprintf("%s/vocab%d/type%d", size, vocab, typ), func(t *testing.T) {
					raw, err := SaveAs(w, tok, size, typ)
					if err != nil {
						t.Fatal(err)
					}
					m, err := Open("gguf", raw, runtime.DefaultLimits())
					if err != nil {
						t.Fatal(err)
					}
					s1, s2 := m.stepAt(t, 1), m.stepAt(t, 2)
					if s2.Bytes > s1.Bytes || s2.FLOPs > s1.FLOPs {
						t.Fatalf("version 2 step %+v is larger than version 1's %+v", s2, s1)
					}
					if got := m.RefereeStep(len(raw)); got != s1 {
						t.Fatalf("declared %+v, version 1's step %+v", got, s1)
					}
				})
			}
		}
	}
}
