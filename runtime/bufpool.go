package runtime

import (
	"math"
	"sync"
	"unsafe"
)

// Buffer recycling between the items of an evaluation.
//
// An evaluation runs the same program on thousands of items, each
// allocating the same intermediate values; fresh memory from the allocator
// costs page faults and garbage collection that warm memory does not (a
// quarter of the MNIST CNN's time). The operators whose run always returns
// a newly allocated float32 output (step.fresh: Conv, Gemm, MatMul, the
// element-wise arithmetic, Relu and the other slice kernels, pooling) take
// it from newFloats, and a recycling run (RunRecycled, what Evaluate uses)
// hands those outputs back when the item is done. Recycling never changes
// a value: a buffer is only handed back after its run has returned, when
// nothing but the run's own intermediates can refer to it, and never when
// it overlaps a tensor the run returns; newFloats zeroes what it reuses.

// minPooled is the smallest buffer worth recycling (smaller ones are cheap
// to allocate).
const minPooled = 256

// floatPools holds a sync.Pool of *[]float32 per length.
var floatPools sync.Map

// newFloats returns a zeroed float32 slice of length n, reused when a
// recycling run handed one back.
func newFloats(n int) []float32 {
	if b, ok := reused(n); ok {
		clear(b)
		return b
	}
	return make([]float32, n)
}

// reused returns a buffer of length n a recycling run handed back, as its
// last run left it, if there is one.
func reused(n int) ([]float32, bool) {
	if n >= minPooled && !noReuse {
		if p, ok := floatPools.Load(n); ok {
			if b, ok := p.(*sync.Pool).Get().(*[]float32); ok {
				return *b, true
			}
		}
	}
	return nil, false
}

// newFloatsUncleared is newFloats without the zeroing, for a kernel that
// writes every element of its output before anything reads it: clearing
// a reused buffer first is a serial pass over it in the caller, before
// the workers start (8% of a small language model's prompt). What a
// reused buffer holds is whatever its last run left, so a kernel that
// skips an element would leak it: the poisoned-reuse tests run every
// such kernel on buffers filled with NaNs to prove none does.
func newFloatsUncleared(n int) []float32 {
	if b, ok := reused(n); ok {
		return b
	}
	return make([]float32, n)
}

// newUnclearedTensor is newFloatsUncleared's tensor.
func newUnclearedTensor(shape []int) *Tensor {
	return &Tensor{DType: Float32, Shape: shape, F: newFloatsUncleared(numel(shape))}
}

// Test switches: poisonRecycled makes recycleFloats fill what it is handed
// with NaNs (an uncleared output that a kernel does not overwrite then
// shows); noReuse makes every buffer a newly allocated one (a reference
// run that no earlier run's leftovers can reach).
var poisonRecycled, noReuse bool

// newFloatTensor is a fresh float32 output of the given shape.
func newFloatTensor(shape []int) *Tensor {
	return &Tensor{DType: Float32, Shape: shape, F: newFloats(numel(shape))}
}

// recycleFloats hands b back for newFloats to reuse.
func recycleFloats(b []float32) {
	n := len(b)
	if n < minPooled || cap(b) != n {
		return
	}
	if poisonRecycled {
		for i := range b {
			b[i] = math.Float32frombits(0x7fc0_dead)
		}
	}
	p, _ := floatPools.LoadOrStore(n, &sync.Pool{})
	p.(*sync.Pool).Put(&b)
}

// span is the memory a slice's backing array covers from its start.
type span struct{ lo, hi uintptr }

func spanOf(f []float32) span {
	if cap(f) == 0 {
		return span{}
	}
	lo := uintptr(unsafe.Pointer(unsafe.SliceData(f)))
	return span{lo, lo + uintptr(cap(f))*4}
}

func (s span) overlaps(o span) bool { return s.lo < o.hi && o.lo < s.hi }

// recycle hands back the outputs of the run's fresh steps, except any that
// overlap a returned tensor (an output slot, or a later step that returned
// a view of it as an output). Each buffer goes back once.
func (p *Program) recycle(vals []*Tensor, outs []*Tensor) {
	keep := make([]span, 0, len(outs))
	for _, t := range outs {
		if t != nil {
			keep = append(keep, spanOf(t.F))
		}
	}
	seen := map[uintptr]bool{}
	for k, st := range p.steps {
		if !st.fresh || p.folded[k] {
			continue
		}
		for _, s := range p.outs[k] {
			t := vals[s]
			if t == nil || len(t.F) < minPooled {
				continue
			}
			sp := spanOf(t.F)
			if seen[sp.lo] {
				continue
			}
			seen[sp.lo] = true
			returned := false
			for _, o := range keep {
				returned = returned || sp.overlaps(o)
			}
			if !returned {
				recycleFloats(t.F)
			}
		}
	}
}
