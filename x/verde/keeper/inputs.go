package keeper

import (
	"context"
	"encoding/hex"
	"math"
	"strconv"

	errorsmod "cosmossdk.io/errors"

	"github.com/delphi-network/delphi/runtime"
	"github.com/delphi-network/delphi/runtime/bench"
	"github.com/delphi-network/delphi/runtime/merkle"
	"github.com/delphi-network/delphi/x/verde/types"
)

// proveInputs turns the message's inputs into the inputs of leaf hi (an
// operator or a score leaf), in LeafSources order, proving each: an
// earlier leaf (of the same item, or the previous item's total) by its
// leaf in the side's trace, the benchmark item or its label by the item
// root, a float32 weight from the proven parts (an integer constant from
// the skeleton). Every part must be read: a step carries no weight the
// operator does not use. It also returns the input leaves used.
func (k Keeper) proveInputs(ctx context.Context, d *types.Dispute, side types.Party, m *runtime.Model, weights map[string]*runtime.Tensor, items uint32, per int64, given []types.OperatorInput) ([]*runtime.Tensor, []types.InputLeaf, error) {
	item, local := d.Hi/per, int(d.Hi%per)
	srcs, err := m.LeafSources(item, local)
	if err != nil {
		return nil, nil, errorsmod.Wrap(types.ErrBadInputs, err.Error())
	}
	bad := func(i int, format string, args ...any) error {
		return errorsmod.Wrapf(types.ErrBadInputs, "input %d: "+format, append([]any{i}, args...)...)
	}
	out := make([]*runtime.Tensor, len(srcs))
	read := map[string]bool{}
	var used []types.InputLeaf
	next := 0
	for i, s := range srcs {
		if s.Kind == runtime.FromWeight {
			t := m.Graph.Initializers[s.Name]
			if m.Graph.Stripped(s.Name) {
				t = weights[s.Name]
				read[s.Name] = true
			}
			if t == nil {
				return nil, nil, bad(i, "weight %q is not among the step's parts", s.Name)
			}
			out[i] = t
			continue
		}
		if next >= len(given) {
			return nil, nil, bad(i, "missing (%d given)", len(given))
		}
		in := given[next]
		next++
		switch s.Kind {
		case runtime.FromLeaf:
			j := item*per + int64(s.Leaf)
			t, err := k.proveLeafInput(d, side, j, in)
			if err != nil {
				return nil, nil, bad(i, "%v", err)
			}
			out[i] = t
			used = append(used, types.InputLeaf{Index: j, Leaf: in.Leaf})
		case runtime.FromItem, runtime.FromLabel:
			t, label, err := k.proveItemInput(ctx, d, m, items, item, in)
			if err != nil {
				return nil, nil, bad(i, "%v", err)
			}
			out[i] = t
			if s.Kind == runtime.FromLabel {
				out[i] = runtime.ScoreTensor(int64(label))
			}
		}
	}
	if next != len(given) {
		return nil, nil, errorsmod.Wrapf(types.ErrBadInputs, "%d inputs given, the operator reads %d", len(given), next)
	}
	if len(read) != len(weights) {
		return nil, nil, errorsmod.Wrapf(types.ErrBadInputs, "%d weights given, the operator reads %d", len(weights), len(read))
	}
	return out, used, nil
}

// proveLeafInput checks an earlier output j < hi: its leaf is in the
// side's trace (or is the agreed leaf lo) and the tensor hashes to it.
func (k Keeper) proveLeafInput(d *types.Dispute, side types.Party, j int64, in types.OperatorInput) (*runtime.Tensor, error) {
	if in.LeafIndex != j || j < 0 {
		return nil, errorsmod.Wrapf(types.ErrBadInputs, "leaf index %d, the operator reads leaf %d", in.LeafIndex, j)
	}
	if j > d.Lo {
		return nil, errorsmod.Wrapf(types.ErrBadInputs, "leaf %d is not in the agreed prefix (lo = %d)", j, d.Lo)
	}
	leaf, err := parseLeaf(in.Leaf)
	if err != nil {
		return nil, err
	}
	if j == d.Lo {
		if in.Leaf != d.LoLeaf {
			return nil, errorsmod.Wrap(types.ErrBadInputs, "not the agreed leaf lo")
		}
	} else if err := verifyLeaf(side, j, leaf, in.Proof); err != nil {
		return nil, err
	}
	t, err := tensorFrom(in.Tensor)
	if err != nil {
		return nil, err
	}
	if runtime.OutputHash(t) != leaf.Output {
		return nil, errorsmod.Wrapf(types.ErrBadInputs, "tensor does not hash to leaf %d's output", j)
	}
	return t, nil
}

// proveItemInput checks the round's item at position item and decodes it
// as the classifier's input tensor and its label.
func (k Keeper) proveItemInput(ctx context.Context, d *types.Dispute, m *runtime.Model, items uint32, item int64, in types.OperatorInput) (*runtime.Tensor, int, error) {
	enc, err := k.proveItemEncoding(ctx, d, items, item, in)
	if err != nil {
		return nil, 0, err
	}
	t, label, err := bench.DecodeItem(enc, m.InputShape())
	if err != nil {
		return nil, 0, errorsmod.Wrap(types.ErrBadInputs, err.Error())
	}
	return t, label, nil
}

// proveItemEncoding checks the round's item at position item: its dataset
// index comes from the round seed, its encoding from the item root.
func (k Keeper) proveItemEncoding(ctx context.Context, d *types.Dispute, items uint32, item int64, in types.OperatorInput) ([]byte, error) {
	e, err := k.eval.GetEvaluation(ctx, d.EvaluationId)
	if err != nil {
		return nil, err
	}
	b, err := k.eval.GetBenchmark(ctx, e.BenchmarkId)
	if err != nil {
		return nil, err
	}
	// The items of the attempt the runs were computed for, even if the
	// round was redrawn since.
	seedHex := d.Seed
	if seedHex == "" {
		r, err := k.eval.GetRound(ctx, d.EvaluationId, d.Round)
		if err != nil {
			return nil, err
		}
		seedHex = r.Seed
	}
	seed, err := hex.DecodeString(seedHex)
	if err != nil {
		return nil, err
	}
	if b.ItemCount > math.MaxInt32 {
		return nil, errorsmod.Wrapf(types.ErrBadInputs, "benchmark of %d items", b.ItemCount)
	}
	picked, err := bench.Select(seed, int(items), int(b.ItemCount))
	if err != nil || item >= int64(len(picked)) {
		return nil, errorsmod.Wrapf(types.ErrBadInputs, "item %d of the round: %v", item, err)
	}
	root, err := parseRoot(b.ItemRoot)
	if err != nil {
		return nil, err
	}
	proof, err := parseProof(b.ItemCount, in.ItemProof)
	if err != nil {
		return nil, err
	}
	if err := merkle.Verify(root, uint64(picked[item]), merkle.LeafHash(in.ItemEncoding), proof); err != nil {
		return nil, errorsmod.Wrapf(types.ErrBadProof, "item %d against the item root: %v", picked[item], err)
	}
	return in.ItemEncoding, nil
}

// tensorFrom decodes a message tensor in the runtime's canonical encoding
// (Tensor.Bytes: little-endian, each type in its own width, bool one byte
// of 0 or 1), with as many elements as its shape says.
func tensorFrom(t *types.Tensor) (*runtime.Tensor, error) {
	if t == nil {
		return nil, errorsmod.Wrap(types.ErrBadInputs, "tensor missing")
	}
	if len(t.Shape) > 8 {
		return nil, errorsmod.Wrapf(types.ErrBadInputs, "rank %d", len(t.Shape))
	}
	shape := make([]int, len(t.Shape))
	n := int64(1)
	for i, d := range t.Shape {
		if d < 0 || d > 1<<26 || n*d > 1<<26 {
			return nil, errorsmod.Wrapf(types.ErrBadInputs, "shape %v", t.Shape)
		}
		shape[i], n = int(d), n*d
	}
	if t.Dtype > 255 {
		return nil, errorsmod.Wrapf(types.ErrBadInputs, "dtype %d", t.Dtype)
	}
	v, err := runtime.TensorFromBytes(runtime.DType(t.Dtype), shape, t.Data)
	if err != nil {
		return nil, errorsmod.Wrap(types.ErrBadInputs, err.Error())
	}
	return v, nil
}

func itoa(v int64) string { return strconv.FormatInt(v, 10) }
