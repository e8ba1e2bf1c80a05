package cli

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/delphi-network/delphi/runtime"
	"github.com/delphi-network/delphi/runtime/gguf"
	"github.com/delphi-network/delphi/runtime/llm"
)

// LMInspection describes a language model for `model inspect`: what its
// registration needs (format, sha256, weights_root) and its shape.
type LMInspection struct {
	Format      string     `json:"format"`
	SHA256      string     `json:"sha256"`
	WeightsRoot string     `json:"weights_root"`
	Config      llm.Config `json:"config"`
	Parameters  int        `json:"parameters"`
	Vocab       int        `json:"vocab"`
	Window      int        `json:"window"`
	// FLOPsPerRun is one run of the program over a full window; a text
	// item is one run (next), eight (cloze) or eight plus the judge's two
	// (judged generation).
	FLOPsPerRun   int64          `json:"flops_per_run"`
	LeavesPerRun  int            `json:"leaves_per_run"`
	LeavesPerItem map[string]int `json:"leaves_per_item"`
	// RefereeStepBytes and RefereeStepFLOPs are what an ONNX language
	// model's registration declares (zero for GGUF).
	RefereeStepBytes int64 `json:"referee_step_bytes"`
	RefereeStepFLOPs int64 `json:"referee_step_flops"`
	// Quantized counts a GGUF file's weights by their quantized ggml type
	// (absent: all float): the weight tree commits to their blocks.
	Quantized map[string]int `json:"quantized,omitempty"`
}

// lmFormat is the language-model format of a file, if it is one: GGUF by
// name, ONNX when the graph carries a tokenizer (a classifier does not).
func lmFormat(path string, raw []byte) (*llm.Model, bool, error) {
	if strings.HasSuffix(path, ".gguf") {
		m, err := llm.Open("gguf", raw, runtime.DefaultLimits())
		return m, true, err
	}
	m, err := llm.Open("onnx", raw, runtime.DefaultLimits())
	return m, err == nil, nil
}

// InspectLM summarises an opened language model.
func InspectLM(m *llm.Model, raw []byte) (LMInspection, error) {
	sum := sha256.Sum256(raw)
	in := LMInspection{Format: m.Format, SHA256: hex.EncodeToString(sum[:]), WeightsRoot: hex.EncodeToString(m.Root[:]),
		Config: m.Config, Parameters: m.Config.Params(), Vocab: m.Tok.VocabSize(), Window: m.Window,
		FLOPsPerRun: m.Program.FLOPs(), LeavesPerRun: m.Program.LeavesPerItem(), LeavesPerItem: map[string]int{}}
	step := m.RefereeStep(len(raw))
	in.RefereeStepBytes, in.RefereeStepFLOPs = step.Bytes, step.FLOPs
	if m.Weights != nil {
		for _, q := range m.Weights.Quantized {
			if in.Quantized == nil {
				in.Quantized = map[string]int{}
			}
			in.Quantized[gguf.TypeName(q.Type)]++
		}
	}
	s, err := m.Subject("")
	if err != nil {
		return in, err
	}
	for _, name := range llm.TextBenchNames {
		kind, _ := llm.KindOf(name)
		in.LeavesPerItem[name] = (&llm.Task{Kind: kind, Cand: s}).LeavesPerItem()
	}
	return in, nil
}

func printLM(w io.Writer, in LMInspection) {
	fmt.Fprintf(w, "format %s\nsha256 %s\nweights_root %s\nparameters %d\nvocab %d\nwindow %d\nflops_per_run %d\nleaves_per_run %d\nreferee_step_bytes %d\nreferee_step_flops %d\n",
		in.Format, in.SHA256, in.WeightsRoot, in.Parameters, in.Vocab, in.Window, in.FLOPsPerRun, in.LeavesPerRun, in.RefereeStepBytes, in.RefereeStepFLOPs)
	c := in.Config
	fmt.Fprintf(w, "config arch %s dim %d layers %d heads %d kv_heads %d head_dim %d hidden %d context %d rope_theta %g rope_freqs %d\n",
		c.Architecture(), c.Dim, c.Layers, c.Heads, c.KV(), c.HeadDim(), c.Hidden, c.Context, c.RopeTheta, len(c.RopeFreqs))
	for _, name := range llm.TextBenchNames {
		fmt.Fprintf(w, "leaves_per_item %s %d\n", name, in.LeavesPerItem[name])
	}
	types := make([]string, 0, len(in.Quantized))
	for typ := range in.Quantized {
		types = append(types, typ)
	}
	sort.Strings(types)
	for _, typ := range types {
		fmt.Fprintf(w, "quantized %s %d\n", typ, in.Quantized[typ])
	}
}
