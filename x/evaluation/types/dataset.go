package types

import (
	"slices"

	"github.com/delphi-network/delphi/runtime/llm"
)

// Formats of model artifacts the evaluator runs: ONNX (classifiers, and
// language models with their tokenizer in the metadata) and GGUF (llama
// language models).
var Formats = []string{"onnx", "gguf"}

// DatasetName is the runtime dataset the benchmark runs: Dataset, or the
// name when Dataset is empty.
func (b Benchmark) DatasetName() string {
	if b.Dataset != "" {
		return b.Dataset
	}
	return b.Name
}

// IsText reports whether the benchmark runs language models on text.
func (b Benchmark) IsText() bool {
	_, ok := llm.KindOf(b.DatasetName())
	return ok
}

// Points is the most one item scores (points_per_item, 0 read as 1).
func (b Benchmark) Points() uint64 {
	return max(uint64(b.PointsPerItem), 1)
}

// DatasetPoints is the points per item of a dataset: llm.PointsPerItem for
// the text datasets, 1 (right or wrong) for every other.
func DatasetPoints(dataset string) uint32 {
	if kind, ok := llm.KindOf(dataset); ok {
		return uint32(llm.PointsPerItem(kind))
	}
	return 1
}

// FormatRuns reports whether a model of the format can be evaluated on the
// benchmark: GGUF only on text, ONNX on both (a language model or a
// classifier, known once the artifact is read).
func FormatRuns(format string, b Benchmark) bool {
	if !slices.Contains(Formats, format) {
		return false
	}
	return format != "gguf" || b.IsText()
}

// JudgedKind reports whether a dataset's items may be decided by a judge:
// only generated answers are.
func JudgedKind(dataset string) bool {
	kind, ok := llm.KindOf(dataset)
	return ok && kind == llm.KindGenerate
}
