package runtime

import (
	"fmt"

	"google.golang.org/protobuf/proto"

	"github.com/delphi-network/delphi/runtime/onnxpb"
)

// A model's skeleton is its ONNX file without the values of its float32
// initializers (their names, data types and dims stay): the graph, its
// attributes and its integer constants (shapes, axes, indices), which is
// everything the runtime needs to compile the model and to say what any
// one operator reads. It is leaf 0 of the weight tree, so a Verde referee
// step carries the skeleton and the few weights one operator reads, each
// proven against the registered weight root, never the whole file: the
// size of a model the chain can referee is bounded by its largest
// operator, not by the model.
//
// The skeleton is the deterministic protobuf encoding (unknown fields
// dropped) of the parsed file with those data fields cleared; everyone
// derives it from the artifact with this function, so its bytes are
// whatever this encoder writes, and the weight root pins them.

// skeletonTag prefixes the skeleton in its weight-tree leaf, so the leaf
// can never read as an initializer's WeightLeafData (which starts with a
// name length).
const skeletonTag = "delphi/onnx-skeleton/v1\x00"

// SkeletonLeafData is leaf 0 of an ONNX model's weight tree.
func SkeletonLeafData(skeleton []byte) []byte {
	return append([]byte(skeletonTag), skeleton...)
}

// ParseSkeletonLeafData returns the skeleton inside leaf 0's data.
func ParseSkeletonLeafData(b []byte) ([]byte, error) {
	if len(b) < len(skeletonTag) || string(b[:len(skeletonTag)]) != skeletonTag {
		return nil, fmt.Errorf("not a skeleton leaf")
	}
	return b[len(skeletonTag):], nil
}

// skeletonOf clears the float32 initializers' data of a parsed file and
// encodes it. It mutates m (the caller's parse is done with it).
func skeletonOf(m *onnxpb.ModelProto) ([]byte, error) {
	for _, tp := range m.GetGraph().GetInitializer() {
		if onnxpb.TensorProto_DataType(tp.DataType) == onnxpb.TensorProto_FLOAT {
			tp.RawData, tp.FloatData = nil, nil
		}
	}
	b, err := proto.MarshalOptions{Deterministic: true}.Marshal(m)
	if err != nil {
		return nil, fmt.Errorf("encoding the skeleton: %w", err)
	}
	return b, nil
}

// strippedTensor is a skeleton's float32 initializer: its shape, no values.
func strippedTensor(tp *onnxpb.TensorProto, lim Limits) (*Tensor, error) {
	if len(tp.RawData) > 0 || len(tp.FloatData) > 0 {
		return nil, fmt.Errorf("a skeleton carries no float32 values")
	}
	shape := make([]int, len(tp.Dims))
	for i, d := range tp.Dims {
		if d < 0 || d > maxElements {
			return nil, fmt.Errorf("invalid dimension %d", d)
		}
		shape[i] = int(d)
	}
	if err := checkShape(shape); err != nil {
		return nil, err
	}
	if int64(numel(shape)) > lim.MaxTensorElements {
		return nil, fmt.Errorf("%d elements, limit %d", numel(shape), lim.MaxTensorElements)
	}
	return &Tensor{DType: Float32, Shape: shape}, nil
}

// LoadSkeleton compiles a model from its skeleton, as LoadModel does from
// the file: the same program, leaves and shapes, with every float32
// initializer known by shape only. The referee recomputes one operator of
// it from weights proven one by one (Model.WeightLeaf).
func LoadSkeleton(skeleton []byte, lim Limits) (*Model, error) {
	g, err := parseONNX(skeleton, lim, true)
	if err != nil {
		return nil, err
	}
	return compileModel(g, lim)
}

// Skeleton is the model's skeleton (leaf 0 of its weight tree).
func (m *Model) Skeleton() []byte { return m.Graph.skeleton }

// Partial reports whether the model was loaded from its skeleton: its
// float32 weights are not in it.
func (m *Model) Partial() bool { return len(m.Graph.stripped) > 0 }

// WeightLeaves is the size of the weight tree: the skeleton and one leaf
// per initializer.
func (m *Model) WeightLeaves() int { return 1 + len(m.Graph.Initializers) }

// WeightLeaf is the index of the named initializer's leaf in the weight
// tree (the skeleton is leaf 0, then the initializers by name).
func (m *Model) WeightLeaf(name string) (int, bool) {
	if m.leafOf == nil {
		names := m.Graph.sortedNames()
		m.leafOf = make(map[string]int, len(names))
		for i, n := range names {
			m.leafOf[n] = i + 1
		}
	}
	i, ok := m.leafOf[name]
	return i, ok
}
