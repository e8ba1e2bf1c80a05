package keeper

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/delphi-network/delphi/runtime"
	"github.com/delphi-network/delphi/x/verde/types"
)

// TestTensorMessagesRoundTrip: every runtime dtype survives the sidecar's
// encoding and the keeper's decoding; malformed tensors are refused with
// an error, never a panic.
func TestTensorMessagesRoundTrip(t *testing.T) {
	f, _ := runtime.FromFloats([]int{2}, []float32{1.5, -2})
	i, _ := runtime.FromInts([]int{3}, []int64{1, -1, 1 << 40})
	b, _ := runtime.FromBools([]int{2, 2}, []bool{true, false, false, true})
	i8, _ := runtime.FromTyped(runtime.Int8, []int{3}, []int64{-128, 0, 127})
	u64, _ := runtime.FromTyped(runtime.UInt64, []int{2}, []int64{-1, 7}) // 2^64 − 1 and 7
	i32, _ := runtime.FromTyped(runtime.Int32, []int{1}, []int64{-5})
	f64, _ := runtime.FromFloat64s([]int{2}, []float64{1e300, -0.5})
	for _, want := range []*runtime.Tensor{f, i, b, i8, u64, i32, f64} {
		got, err := tensorFrom(types.TensorMessage(want))
		require.NoError(t, err)
		require.Equal(t, want.DType, got.DType)
		require.Equal(t, runtime.OutputHash(want), runtime.OutputHash(got))
	}
	for name, bad := range map[string]*types.Tensor{
		"nil":            nil,
		"bool byte 2":    {Dtype: uint32(runtime.Bool), Shape: []int64{2}, Data: []byte{1, 2}},
		"bool too short": {Dtype: uint32(runtime.Bool), Shape: []int64{3}, Data: []byte{1, 0}},
		"float short":    {Dtype: uint32(runtime.Float32), Shape: []int64{2}, Data: make([]byte, 7)},
		"int64 long":     {Dtype: uint32(runtime.Int64), Shape: []int64{1}, Data: make([]byte, 9)},
		"unknown dtype":  {Dtype: 8, Shape: []int64{1}, Data: make([]byte, 8)},
		"dtype 259":      {Dtype: 259, Shape: []int64{1}, Data: []byte{0}},
		"int8 long":      {Dtype: uint32(runtime.Int8), Shape: []int64{1}, Data: []byte{0, 0}},
		"int32 short":    {Dtype: uint32(runtime.Int32), Shape: []int64{1}, Data: []byte{0, 0}},
		"negative dim":   {Dtype: uint32(runtime.Bool), Shape: []int64{-1}},
		"rank 9":         {Dtype: uint32(runtime.Bool), Shape: make([]int64, 9)},
		"huge":           {Dtype: uint32(runtime.Bool), Shape: []int64{1 << 20, 1 << 20}},
	} {
		_, err := tensorFrom(bad)
		require.Error(t, err, name)
	}
}
