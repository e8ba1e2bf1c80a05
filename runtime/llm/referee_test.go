package llm

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/delphi-network/delphi/runtime"
	"github.com/delphi-network/delphi/runtime/tokenizer"
)

// refereeFixture is a trained-tokenizer model pair saved as GGUF and ONNX.
type refereeFixture struct {
	tok         *tokenizer.BPE
	cfg         Config
	cand, judge []byte // GGUF files
	candONNX    []byte
}

func newRefereeFixture(t *testing.T) refereeFixture {
	t.Helper()
	tok, err := tokenizer.Train([]byte(strings.Repeat("yes no and God said let there be light and there was light. ", 20)), 300)
	if err != nil {
		t.Fatal(err)
	}
	cfg := tiny
	cfg.Vocab, cfg.Context = tok.VocabSize(), 48
	f := refereeFixture{tok: tok, cfg: cfg}
	for i, out := range []*[]byte{&f.cand, &f.judge} {
		w, _ := Init(cfg, uint64(7+i))
		if *out, err = Save(w, tok, fmt.Sprintf("m%d", i), false); err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			if f.candONNX, err = ExportONNX(w, tok, cfg.Context, "m0"); err != nil {
				t.Fatal(err)
			}
		}
	}
	return f
}

// playerInputs is what a side sends: the sources' values from its own
// run, weights proven against the model's tree (a Verde player's job).
func playerInputs(t *testing.T, task *Task, models [2]*Model, it TextItem, local int) Inputs {
	return playerInputsAt(t, task, models, it, 0, 0, local)
}

// playerInputsAt is playerInputs for the item at position item of a run,
// the items before it scoring before.
func playerInputsAt(t *testing.T, task *Task, models [2]*Model, it TextItem, item, before int64, local int) Inputs {
	t.Helper()
	srcs, err := task.Sources(item, local)
	if err != nil {
		t.Fatal(err)
	}
	var want []int
	for _, s := range srcs {
		if s.Kind == SourceLeaf && s.Leaf == -1 {
			continue // the previous item's total
		}
		if s.Kind == SourceLeaf {
			if s.Leaf >= local {
				t.Fatalf("leaf %d reads leaf %d, not an earlier one", local, s.Leaf)
			}
			want = append(want, s.Leaf)
		}
	}
	vals, err := task.LeafValues(it, want)
	if err != nil {
		t.Fatal(err)
	}
	return Inputs{
		Item: it,
		Leaf: func(l int) (*runtime.Tensor, error) {
			if l == -1 && item > 0 {
				return runtime.ScoreTensor(before), nil
			}
			if v, ok := vals[l]; ok {
				return v, nil
			}
			return nil, fmt.Errorf("leaf %d was not listed", l)
		},
		Weight: func(judge bool, name string) (*runtime.Tensor, error) {
			m := models[0]
			if judge {
				m = models[1]
			}
			i, data, proof, err := m.Tree.Prove(name)
			if err != nil {
				return nil, err
			}
			p, err := VerifyPart(m.Root, uint64(i), data, proof)
			if err != nil {
				return nil, err
			}
			return p.Tensor, nil
		},
	}
}

// skeleton is what the referee builds of a GGUF model from proven parts.
func skeleton(t *testing.T, m *Model, system string) *Subject {
	t.Helper()
	var cfg Config
	var tok *tokenizer.BPE
	for _, name := range []string{PartConfig, PartTokenizer} {
		i, data, proof, err := m.Tree.Prove(name)
		if err != nil {
			t.Fatal(err)
		}
		p, err := VerifyPart(m.Root, uint64(i), data, proof)
		if err != nil {
			t.Fatal(err)
		}
		if p.Config != nil {
			cfg = *p.Config
		}
		if p.Tok != nil {
			tok = p.Tok
		}
	}
	s, err := SkeletonSubject(cfg, tok, system, runtime.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// Every leaf of a text evaluation — stage inputs, operator outputs, greedy
// picks, the judge's runs — is recomputed by the referee from proven
// inputs to exactly the hash the evaluation traced, with the referee
// holding GGUF models only as config, tokenizer and proven weights.
func TestRefereeRecomputesEveryLeaf(t *testing.T) {
	f := newRefereeFixture(t)
	cand, err := Open("gguf", f.cand, runtime.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	judge, _ := Open("gguf", f.judge, runtime.DefaultLimits())
	models := [2]*Model{cand, judge}
	for _, bench := range []string{"kjv-next", "kjv-cloze", "kjv-complete", "kjv-complete+judge"} {
		t.Run(bench, func(t *testing.T) {
			name, judged := strings.CutSuffix(bench, "+judge")
			b, err := BuildTextBench(name, someVerses)
			if err != nil {
				t.Fatal(err)
			}
			kind, _ := b.Kind()
			cs, _ := cand.Subject("Read well.")
			task := &Task{Kind: kind, Cand: cs}
			ref := &Task{Kind: kind, Cand: skeleton(t, cand, "Read well.")}
			if judged {
				task.Judge, _ = judge.Subject("")
				ref.Judge = skeleton(t, judge, "")
			}
			items := []int{1, 3}
			_, tr, err := task.Evaluate(b, items, true)
			if err != nil {
				t.Fatal(err)
			}
			per := task.LeavesPerItem()
			if ref.LeavesPerItem() != per || tr.Len() != per*len(items) {
				t.Fatalf("%d leaves, %d per item (referee %d)", tr.Len(), per, ref.LeavesPerItem())
			}
			seen := map[Part]int{}
			var before int64
			for pos, idx := range items {
				it := b.Items[idx]
				for local := 0; local < per; local++ {
					l, _ := task.Locate(local)
					seen[l.Part]++
					out, err := ref.Recompute(int64(pos), local, playerInputsAt(t, task, models, it, int64(pos), before, local))
					if err != nil {
						t.Fatalf("leaf %d (%+v): %v", local, l, err)
					}
					if runtime.OutputHash(out) != tr.Leaf(pos*per+local).Output {
						t.Fatalf("item %d leaf %d (%+v): the referee disagrees with the evaluation", idx, local, l)
					}
					if l.Part == PartTotal {
						before = out.I[0]
					}
				}
			}
			if seen[PartTokens] == 0 || seen[PartOp] == 0 || (kind == KindGenerate) != (seen[PartPick] > 0) ||
				seen[PartPoints] != len(items) || seen[PartTotal] != len(items) || (seen[PartValue] > 0) != (kind == KindChoice || judged) {
				t.Fatalf("parts %v", seen)
			}
			res, _, err := task.Evaluate(b, items, false)
			if err != nil || before != int64(res.Points) {
				t.Fatalf("the last total %d is not the run's points %d (%v)", before, res.Points, err)
			}
		})
	}
}

// The ONNX file of the same model is refereed from its artifact (its
// initializers are the program's), with the same leaves as the GGUF file.
func TestRefereeONNXMatchesGGUF(t *testing.T) {
	f := newRefereeFixture(t)
	g, _ := Open("gguf", f.cand, runtime.DefaultLimits())
	o, err := Open("onnx", f.candONNX, runtime.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	b, _ := BuildTextBench("kjv-complete", someVerses)
	gs, _ := g.Subject("")
	os, _ := o.Subject("")
	tg, to := &Task{Kind: KindGenerate, Cand: gs}, &Task{Kind: KindGenerate, Cand: os}
	rg, trg, _ := tg.Evaluate(b, []int{0}, true)
	ro, tro, err := to.Evaluate(b, []int{0}, true)
	if err != nil || trg.Root() != tro.Root() || rg.Points != ro.Points {
		t.Fatalf("GGUF and ONNX traces differ: %v", err)
	}
	for local := 0; local < to.LeavesPerItem(); local++ {
		srcs, _ := to.Sources(0, local)
		for _, s := range srcs {
			if s.Kind == SourceWeight {
				t.Fatalf("leaf %d asks to prove weight %s of an artifact the referee holds", local, s.Name)
			}
		}
		out, err := to.Recompute(0, local, playerInputs(t, to, [2]*Model{o, o}, b.Items[0], local))
		if err != nil || runtime.OutputHash(out) != tro.Leaf(local).Output {
			t.Fatalf("leaf %d: %v", local, err)
		}
	}
}

// A side that lies about an input gets a different leaf from the referee:
// a wrong pick changes the next stage's tokens, a wrong weight the
// operator's output, and malformed inputs are errors, never panics.
func TestRefereeRefusesAndExposesBadInputs(t *testing.T) {
	f := newRefereeFixture(t)
	cand, _ := Open("gguf", f.cand, runtime.DefaultLimits())
	b, _ := BuildTextBench("kjv-complete", someVerses)
	cs, _ := cand.Subject("")
	task := &Task{Kind: KindGenerate, Cand: cs}
	ref := &Task{Kind: KindGenerate, Cand: skeleton(t, cand, "")}
	it := b.Items[0]
	models := [2]*Model{cand, cand}
	_, tr, _ := task.Evaluate(b, []int{0}, true)

	// The tokens of generation stage 2 read picks 0 and 1.
	second := ref.pickLeaves(3)[2] - task.stageLeaves(Stage{Kind: StageGenerate}) + 1
	if l, _ := ref.Locate(second); l.Part != PartTokens || l.Stage.Index != 2 {
		t.Fatalf("leaf %d is %+v", second, l)
	}
	in := playerInputs(t, task, models, it, second)
	honest := in.Leaf
	in.Leaf = func(l int) (*runtime.Tensor, error) {
		v, err := honest(l)
		if err != nil || l != ref.pickLeaves(1)[0] {
			return v, err
		}
		return pickTensor(int((v.I[0] + 1) % int64(f.cfg.Vocab))), nil
	}
	out, err := ref.Recompute(0, second, in)
	if err != nil || runtime.OutputHash(out) == tr.Leaf(second).Output {
		t.Fatalf("a wrong pick went unnoticed (%v)", err)
	}
	for _, bad := range []*runtime.Tensor{pickTensor(-1), pickTensor(f.cfg.Vocab), runtime.NewTensor(1)} {
		in.Leaf = func(int) (*runtime.Tensor, error) { return bad, nil }
		if _, err := ref.Recompute(0, second, in); err == nil {
			t.Fatalf("pick %+v accepted", bad)
		}
	}

	// The first operator reading a weight: the embedding lookup.
	op := 1
	in = playerInputs(t, task, models, it, op)
	in.Weight = func(bool, string) (*runtime.Tensor, error) { return runtime.NewTensor(f.cfg.Vocab, f.cfg.Dim), nil }
	out, err = ref.Recompute(0, op, in)
	if err != nil || runtime.OutputHash(out) == tr.Leaf(op).Output {
		t.Fatalf("a zero embedding went unnoticed (%v)", err)
	}
	in.Weight = func(bool, string) (*runtime.Tensor, error) { return runtime.NewTensor(3), nil }
	if _, err := ref.Recompute(0, op, in); err == nil {
		t.Fatal("a weight of the wrong shape was accepted")
	}
	if _, err := ref.Recompute(0, ref.LeavesPerItem(), in); err == nil {
		t.Fatal("a leaf past the item was accepted")
	}
	// The pick reads the stage's logits: a tensor of the wrong size is refused.
	pick := ref.pickLeaves(1)[0]
	in = playerInputs(t, task, models, it, pick)
	in.Leaf = func(int) (*runtime.Tensor, error) { return runtime.NewTensor(2, 2), nil }
	if _, err := ref.Recompute(0, pick, in); err == nil {
		t.Fatal("logits of the wrong size were accepted")
	}
	// An item of another kind is not this task's.
	in.Item = TextItem{Kind: KindNext, Context: "x"}
	if _, err := ref.Recompute(0, 0, in); err == nil {
		t.Fatal("an item of another kind was accepted")
	}
}

func TestWeightTreeParts(t *testing.T) {
	f := newRefereeFixture(t)
	m, _ := Open("gguf", f.cand, runtime.DefaultLimits())
	if m.Tree.Len() != len(Names(f.cfg))+2 {
		t.Fatalf("%d leaves", m.Tree.Len())
	}
	for _, name := range append([]string{PartConfig, PartTokenizer}, Names(f.cfg)...) {
		i, data, proof, err := m.Tree.Prove(name)
		if err != nil {
			t.Fatal(err)
		}
		p, err := VerifyPart(m.Root, uint64(i), data, proof)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		switch name {
		case PartConfig:
			if !reflect.DeepEqual(*p.Config, f.cfg) {
				t.Fatalf("config %+v", *p.Config)
			}
		case PartTokenizer:
			if p.Tok.Hash() != f.tok.Hash() {
				t.Fatal("tokenizer differs")
			}
		default:
			if p.Name != name || p.Tensor == nil {
				t.Fatalf("part %q", p.Name)
			}
		}
		tampered := append([]byte(nil), data...)
		tampered[len(tampered)-1] ^= 1
		if _, err := VerifyPart(m.Root, uint64(i), tampered, proof); err == nil {
			t.Fatalf("%s: a tampered part was accepted", name)
		}
		if _, err := VerifyPart(m.Root, uint64(i+1)%uint64(m.Tree.Len()), data, proof); err == nil {
			t.Fatalf("%s: a part at the wrong index was accepted", name)
		}
	}
	if _, err := DecodeConfig(append(EncodeConfig(f.cfg), 0)); err == nil {
		t.Fatal("a padded config was accepted")
	}
	bad := f.cfg
	bad.Heads = 3
	if _, err := DecodeConfig(EncodeConfig(bad)); err == nil {
		t.Fatal("an invalid config was accepted")
	}
	// The ONNX file's root is its initializer tree, not the GGUF tree.
	o, _ := Open("onnx", f.candONNX, runtime.DefaultLimits())
	if o.Root == m.Root || o.Tree != nil {
		t.Fatal("ONNX and GGUF roots coincide")
	}
	if _, err := Open("pt", f.cand, runtime.DefaultLimits()); err == nil {
		t.Fatal("an unknown format opened")
	}
	if _, err := Open("onnx", f.cand, runtime.DefaultLimits()); err == nil {
		t.Fatal("a GGUF file opened as ONNX")
	}
}
