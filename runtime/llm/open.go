package llm

import (
	"fmt"

	"github.com/delphi-network/delphi/runtime"
	"github.com/delphi-network/delphi/runtime/tokenizer"
)

// Model is a language-model artifact opened for evaluation, in either of
// its registered formats.
type Model struct {
	Format  string // "gguf" or "onnx"
	Program *runtime.Program
	Tok     *tokenizer.BPE
	Config  Config
	Window  int
	// Root is what the model registry's weights_root must be: the weight
	// tree (Tree) of a GGUF file, the runtime's initializer tree of an
	// ONNX file.
	Root runtime.Hash
	// Tree proves a GGUF model's config, tokenizer and weights one by one.
	Tree *Tree
	// Weights are a GGUF model's weights (nil for ONNX).
	Weights *Weights
}

// Formats are the artifact formats a language model is registered in.
var Formats = []string{"gguf", "onnx"}

// Open parses, bounds and compiles a language-model artifact.
func Open(format string, raw []byte, lim runtime.Limits) (*Model, error) {
	switch format {
	case "gguf":
		// The runtime's weight bound, before anything is dequantized (the
		// tied output projection, a copy, is counted again when compiled).
		maxElements := uint64(MaxElements)
		if lim.MaxWeightElements > 0 && uint64(lim.MaxWeightElements) < maxElements {
			maxElements = uint64(lim.MaxWeightElements)
		}
		w, tok, err := LoadWithin(raw, maxElements)
		if err != nil {
			return nil, err
		}
		if tok.VocabSize() != w.Config.Vocab {
			return nil, fmt.Errorf("tokenizer has %d tokens, the model %d", tok.VocabSize(), w.Config.Vocab)
		}
		g, err := Graph(w, w.Config.Context)
		if err != nil {
			return nil, err
		}
		p, err := runtime.Compile(g, lim)
		if err != nil {
			return nil, err
		}
		tree := NewTree(w, tok)
		// What the chain's referee reads of the model — its config and
		// tokenizer parts — must be readable, or no dispute about it could
		// ever be decided: such a model is refused by every sidecar alike.
		for _, part := range []string{PartConfig, PartTokenizer} {
			i, data, proof, err := tree.Prove(part)
			if err == nil {
				_, err = VerifyPart(tree.Root(), uint64(i), data, proof)
			}
			if err != nil {
				return nil, fmt.Errorf("the referee could not read the model's %s part: %w", part, err)
			}
		}
		return &Model{Format: format, Program: p, Tok: tok, Config: w.Config, Window: w.Config.Context, Root: tree.Root(), Tree: tree, Weights: w}, nil
	case "onnx":
		m, err := LoadONNX(raw, lim)
		if err != nil {
			return nil, err
		}
		return &Model{Format: format, Program: m.Program, Tok: m.Tok, Config: m.Config, Window: m.Window, Root: m.Root}, nil
	}
	return nil, fmt.Errorf("format %q is not a language-model format (%v)", format, Formats)
}

// Subject is the model with a system prompt, as a task runs it. A GGUF
// model's weights are proven one by one in a dispute, so its Sources list
// them.
func (m *Model) Subject(systemPrompt string) (*Subject, error) {
	s, err := NewSubject(m.Program, m.Tok, m.Window, systemPrompt, m.Config.Template)
	if err != nil {
		return nil, err
	}
	if m.Format == "gguf" {
		s.Proven(Names(m.Config))
	}
	return s, nil
}

// SkeletonSubject is what a referee holds of a GGUF model: the program
// compiled from its proven config, its proven tokenizer and the system
// prompt; every weight is proven when an operator reads it.
func SkeletonSubject(cfg Config, tok *tokenizer.BPE, systemPrompt string, lim runtime.Limits) (*Subject, error) {
	if tok.VocabSize() != cfg.Vocab {
		return nil, fmt.Errorf("tokenizer has %d tokens, the model %d", tok.VocabSize(), cfg.Vocab)
	}
	p, err := Skeleton(cfg, lim)
	if err != nil {
		return nil, err
	}
	s, err := NewSubject(p, tok, cfg.Context, systemPrompt, cfg.Template)
	if err != nil {
		return nil, err
	}
	s.Proven(Names(cfg))
	return s, nil
}

// SkeletonCost bounds the work of building a config's skeleton: the
// attention mask and rotary tables Graph computes, and one unit per
// operator compiled.
func SkeletonCost(cfg Config) int64 {
	T := int64(cfg.Context)
	return T*T + T*int64(cfg.HeadDim()) + int64(cfg.Layers)*64
}

// stepInputsAllowance covers a text leaf's small inputs besides its
// largest one: token ids, up to GenerateTokens picks, their proofs.
const stepInputsAllowance = 32 << 10

// stepProofBytes is what one proven input or part adds to a referee step
// besides its value (its leaf, a Merkle path, the framing), and
// stepItemBytes a text item's encoding with its proof.
const (
	stepProofBytes = 2048
	stepItemBytes  = 16 << 10
)

// RefereeStep is the model's largest Verde referee step, as its
// registration declares it and every sidecar checks it: what the model
// brings to a step (its artifact, or its config and tokenizer parts) plus
// the largest input one leaf reads — the tensors and activations of one
// operator, or a stage's logits for a pick or a score leaf. An ONNX
// language model's step carries the whole artifact and recomputes at most
// one run of the program. On a benchmark with a judge a step carries both
// models, so x/evaluation admits a judged evaluation only while the
// candidate's and the judge's steps together fit.
func (m *Model) RefereeStep(artifactBytes int) runtime.RefereeStep {
	logits := int64(4*m.Window*m.Tok.VocabSize()) + stepProofBytes
	if m.Format == "onnx" {
		return runtime.RefereeStep{Bytes: int64(artifactBytes) + logits + stepItemBytes + stepInputsAllowance,
			FLOPs: max(m.Program.FLOPs(), int64(m.Window)*int64(m.Tok.VocabSize()))}
	}
	if m.Tree == nil {
		return runtime.RefereeStep{}
	}
	part := func(name string) int64 {
		n := m.Tree.LeafSize(name)
		if n == 0 {
			return 0
		}
		return int64(n) + stepProofBytes
	}
	meta := part(PartConfig) + part(PartTokenizer)
	step := runtime.RefereeStep{Bytes: logits, FLOPs: int64(m.Window) * int64(m.Tok.VocabSize())}
	// The largest step at any runtime version this build implements: the
	// declaration covers an evaluation recorded at any of them.
	for _, v := range runtime.SupportedVersions() {
		if p, err := m.Program.AtVersion(v); err == nil {
			step = m.largestStep(p, step, part)
		}
	}
	step.Bytes += meta + stepItemBytes + stepInputsAllowance
	return step
}

// largestStep widens step to the largest referee step over p's leaves.
func (m *Model) largestStep(p *runtime.Program, step runtime.RefereeStep, part func(string) int64) runtime.RefereeStep {
	for l := 0; l < p.LeavesPerItem(); l++ {
		_, srcs, err := p.LeafNode(l)
		if err != nil {
			continue
		}
		var bytes int64
		for _, s := range srcs {
			switch s.Kind {
			case runtime.FromWeight:
				bytes += part(s.Name) // a constant of the program (no part) costs nothing
			case runtime.FromLeaf:
				if info, err := p.LeafInfo(s.Leaf); err == nil {
					bytes += int64(elemBytes(info.DType)*numel(info.Shape)) + stepProofBytes
				}
			case runtime.FromItem: // the stage's tokens leaf
				bytes += int64(8*m.Window) + stepProofBytes
			}
		}
		flops, _ := p.LeafFLOPs(l)
		step.Bytes, step.FLOPs = max(step.Bytes, bytes), max(step.FLOPs, flops)
	}
	return step
}

func elemBytes(d runtime.DType) int {
	switch d {
	case runtime.Int64:
		return 8
	case runtime.Bool:
		return 1
	}
	return 4
}
