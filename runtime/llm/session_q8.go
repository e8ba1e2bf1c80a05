package llm

import (
	"encoding/binary"
	"math"

	"github.com/delphi-network/delphi/runtime"
	"github.com/delphi-network/delphi/runtime/gguf"
)

// sessionMat is one matrix of the session: its floats, and its Q8_0
// blocks laid out for runtime.MatVecQ8 when the file stored it as Q8_0.
type sessionMat struct {
	f  []float32
	q8 *runtime.Q8Matrix
}

// mat looks a matrix up once per session.
func mat(w *Weights, name string) sessionMat {
	t := w.Tensors[name]
	if t == nil {
		return sessionMat{}
	}
	return sessionMat{f: t.F, q8: packQ8(w, name, t)}
}

// packQ8 lays out a Q8_0 matrix's blocks for runtime.MatVecQ8, or returns
// nil (the float path) for any other type. A GGUF matrix used as x·W,
// W [K, N] in Delphi's layout, is N rows of K values in the file, each row
// K/32 blocks of a binary16 scale and 32 int8 quants; a tied output
// projection is the embedding's blocks (N = vocabulary rows of K = Dim).
// Every packed weight is compared with the float the graph multiplies, so
// a layout this function misreads falls back to floats instead of
// computing other bits.
func packQ8(w *Weights, name string, t *runtime.Tensor) *runtime.Q8Matrix {
	if len(t.Shape) != 2 {
		return nil
	}
	K, N := t.Shape[0], t.Shape[1]
	qt, ok := w.Quantized[name]
	if !ok && name == "output.weight" {
		qt, ok = w.Quantized["token_embd.weight"]
	}
	const block = 2 + 32
	if !ok || qt.Type != gguf.GGMLQ8_0 || len(qt.Dims) != 2 || qt.Dims[0] != uint64(K) || qt.Dims[1] != uint64(N) ||
		K%32 != 0 || len(qt.Raw) != N*K/32*block {
		return nil
	}
	q, d := make([]int8, K*N), make([]float32, K/32*N)
	for j := range N {
		for kb := range K / 32 {
			b := qt.Raw[(j*K/32+kb)*block:]
			d[kb*N+j] = gguf.HalfToFloat(binary.LittleEndian.Uint16(b))
			for i, v := range b[2:block] {
				q[(kb*32+i)*N+j] = int8(v)
			}
		}
	}
	m, err := runtime.NewQ8Matrix(K, N, q, d)
	if err != nil {
		return nil
	}
	for k := range K {
		for j := range N {
			if math.Float32bits(m.At(k, j)) != math.Float32bits(t.F[k*N+j]) {
				return nil
			}
		}
	}
	return m
}
