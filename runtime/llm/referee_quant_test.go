package llm

import (
	"strings"
	"testing"

	"github.com/delphi-network/delphi/runtime"
	"github.com/delphi-network/delphi/runtime/gguf"
	"github.com/delphi-network/delphi/runtime/tokenizer"
)

// A quantized model is refereed from its quantized bytes: its weight tree
// commits to the file's blocks (a Q4_0 weight's leaf is about an eighth of
// its float32 leaf), the referee dequantizes the proven blocks, and every
// leaf of an evaluation recomputes to the hash the sidecar traced.
func TestRefereeProvesQuantizedWeights(t *testing.T) {
	tok, err := tokenizer.Train([]byte(strings.Repeat("yes no and God said let there be light and there was light. ", 20)), 300)
	if err != nil {
		t.Fatal(err)
	}
	cfg := Config{Vocab: tok.VocabSize(), Dim: 32, Layers: 1, Heads: 2, Hidden: 64, Context: 48, RopeTheta: 10000, NormEps: 1e-5}
	w, err := Init(cfg, 3)
	if err != nil {
		t.Fatal(err)
	}
	for _, typ := range []uint32{gguf.GGMLQ8_0, gguf.GGMLQ4_0} {
		t.Run(gguf.TypeName(typ), func(t *testing.T) {
			raw, err := SaveAs(w, tok, "q", typ)
			if err != nil {
				t.Fatal(err)
			}
			m, err := Open("gguf", raw, runtime.DefaultLimits())
			if err != nil {
				t.Fatal(err)
			}
			const name = "blk.0.ffn_up.weight"
			_, data, _, err := m.Tree.Prove(name)
			if err != nil {
				t.Fatal(err)
			}
			if f32 := 4 * cfg.Dim * cfg.Hidden; len(data) >= f32/3 || data[4+len(name)] != blocksTag {
				t.Fatalf("%s's leaf is %d bytes (float32: %d), tag %#x: not the file's blocks", name, len(data), f32, data[4+len(name)])
			}
			if m.Tree.LeafSize(name) != len(data) {
				t.Fatalf("LeafSize %d, leaf %d", m.Tree.LeafSize(name), len(data))
			}
			b, err := BuildTextBench("kjv-next", someVerses)
			if err != nil {
				t.Fatal(err)
			}
			kind, _ := b.Kind()
			cs, _ := m.Subject("Read well.")
			task := &Task{Kind: kind, Cand: cs}
			ref := &Task{Kind: kind, Cand: skeleton(t, m, "Read well.")}
			_, tr, err := task.Evaluate(b, []int{2}, true)
			if err != nil {
				t.Fatal(err)
			}
			for local := 0; local < task.LeavesPerItem(); local++ {
				out, err := ref.Recompute(0, local, playerInputs(t, task, [2]*Model{m, m}, b.Items[2], local))
				if err != nil {
					t.Fatalf("leaf %d: %v", local, err)
				}
				if runtime.OutputHash(out) != tr.Leaf(local).Output {
					t.Fatalf("leaf %d: the referee disagrees with the evaluation", local)
				}
			}
		})
	}
}

// A blocks leaf is bounded and checked before anything is dequantized:
// wrong byte counts, ranks, types and element counts are refused.
func TestBlocksLeafRefusals(t *testing.T) {
	q := gguf.Tensor{Name: "blk.0.ffn_up.weight", Type: gguf.GGMLQ8_0, Dims: []uint64{32, 2}, Raw: make([]byte, 2*34)}
	good := blocksLeaf(q)
	payload := func(b []byte) []byte { return b[4+len(q.Name)+1:] }
	if _, err := parseBlocks(q.Name, payload(good), 1<<20); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		what string
		q    gguf.Tensor
		max  int64
		want string
	}{
		{"short blocks", gguf.Tensor{Name: q.Name, Type: q.Type, Dims: q.Dims, Raw: q.Raw[:67]}, 1 << 20, "bytes of blocks"},
		{"rank 3", gguf.Tensor{Name: q.Name, Type: q.Type, Dims: []uint64{32, 1, 2}, Raw: q.Raw}, 1 << 20, "rank 3"},
		{"type", gguf.Tensor{Name: q.Name, Type: 10, Dims: q.Dims, Raw: q.Raw}, 1 << 20, "q2_K"},
		{"row", gguf.Tensor{Name: q.Name, Type: q.Type, Dims: []uint64{16, 4}, Raw: q.Raw}, 1 << 20, "block"},
		{"elements", q, 63, "exceed 63 elements"},
		{"huge dims", gguf.Tensor{Name: q.Name, Type: q.Type, Dims: []uint64{1 << 40, 1 << 40}, Raw: q.Raw}, 1 << 26, "exceed"},
	} {
		if _, err := parseBlocks(q.Name, payload(blocksLeaf(c.q)), c.max); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.what, err, c.want)
		}
	}
}

// Found by the second review: a sidecar maps large artifacts, so a file
// rewritten in place would change the blocks a quantized weight's part is
// rebuilt from. Prove checks each rebuilt part against its committed hash.
func TestProveRefusesChangedBlocks(t *testing.T) {
	tok, err := tokenizer.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	cfg := Config{Vocab: tok.VocabSize(), Dim: 32, Layers: 1, Heads: 2, Hidden: 32, Context: 48, RopeTheta: 10000, NormEps: 1e-5}
	w, err := Init(cfg, 3)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := SaveAs(w, tok, "q", gguf.GGMLQ8_0)
	if err != nil {
		t.Fatal(err)
	}
	m, err := Open("gguf", raw, runtime.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	const name = "blk.0.attn_q.weight"
	if _, _, _, err := m.Tree.Prove(name); err != nil {
		t.Fatal(err)
	}
	m.Weights.Quantized[name].Raw[5] ^= 1 // the file's bytes, changed under the model
	if _, _, _, err := m.Tree.Prove(name); err == nil || !strings.Contains(err.Error(), "changed since the model was loaded") {
		t.Fatalf("a part rebuilt from changed bytes: %v", err)
	}
}
