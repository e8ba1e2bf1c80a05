//go:build cuda

package cuda

import (
	"fmt"
	goruntime "runtime"
	"sync"
	"unsafe"

	"gorgonia.org/cu"

	"github.com/delphi-network/delphi/runtime"
)

// blockSize is the threads per block. It only partitions output elements
// among threads, so it has no effect on any result.
const blockSize = 256

func init() { runtime.RegisterBackend("cuda", Open) }

var (
	openOnce sync.Once
	shared   *device
	openErr  error
)

// Open returns the CUDA backend on GPU 0, creating its context on first use.
func Open() (runtime.Backend, error) {
	openOnce.Do(func() { shared, openErr = openDevice() })
	if openErr != nil {
		return nil, openErr
	}
	return &Backend{dev: shared}, nil
}

// Backend runs the runtime's arithmetic operators with the kernels in
// kernels/*.cu and leaves data movement to the CPU reference.
type Backend struct{ dev *device }

// Name implements runtime.Backend.
func (*Backend) Name() string { return "cuda" }

// Kernel implements runtime.Backend: it uploads the operator's parameter
// block and compile-time inputs (weights) once, and allocates device buffers
// for its per-item inputs and its output, reused by every call.
func (b *Backend) Kernel(op *runtime.OpSpec) (runtime.KernelFunc, error) {
	l, ok, err := plan(op)
	if err != nil || !ok {
		return nil, err
	}
	fn, found := b.dev.fns[l.kernel]
	if !found {
		return nil, fmt.Errorf("kernel %s missing from the embedded PTX", l.kernel)
	}
	k := &kernel{dev: b.dev, fn: fn, count: int(l.params[0]), shape: op.Out[0].Shape}
	err = b.dev.do(func() error {
		var err error
		if k.params, err = alloc(8 * len(l.params)); err != nil {
			return err
		}
		k.owned = append(k.owned, k.params)
		if err := putI64(k.params, l.params); err != nil {
			return err
		}
		k.args = make([]cu.DevicePtr, l.slots) // absent optional inputs stay null
		for i, in := range op.In {
			if i >= l.slots || in.DType != runtime.Float32 {
				return fmt.Errorf("input %d (%s %v) does not fit kernel %s", i, in.DType, in.Shape, l.kernel)
			}
			p, err := alloc(4 * numel(in.Shape))
			if err != nil {
				return err
			}
			k.owned = append(k.owned, p)
			k.args[i] = p
			if in.Const != nil {
				if err := putF32(p, in.Const.F); err != nil {
					return err
				}
			} else {
				k.perItem = append(k.perItem, i)
			}
		}
		if k.out, err = alloc(4 * k.count); err != nil {
			return err
		}
		k.owned = append(k.owned, k.out)
		return nil
	})
	if err != nil {
		k.free()
		return nil, err
	}
	goruntime.SetFinalizer(k, (*kernel).free)
	return k.run, nil
}

// kernel is one compiled operator bound to its device buffers.
type kernel struct {
	dev     *device
	fn      cu.Function
	count   int
	shape   []int
	params  cu.DevicePtr
	args    []cu.DevicePtr // one per input slot
	perItem []int          // input slots uploaded on every call
	out     cu.DevicePtr
	owned   []cu.DevicePtr
}

// run uploads the per-item inputs, launches one thread per output element
// and copies the output back: the trace hashes exactly these bytes.
func (k *kernel) run(in []*runtime.Tensor) ([]*runtime.Tensor, error) {
	out := &runtime.Tensor{DType: runtime.Float32, Shape: k.shape, F: make([]float32, k.count)}
	if k.count == 0 {
		return []*runtime.Tensor{out}, nil
	}
	err := k.dev.do(func() error {
		for _, i := range k.perItem {
			if err := putF32(k.args[i], in[i].F); err != nil {
				return fmt.Errorf("cuda: uploading input %d: %w", i, err)
			}
		}
		ptrs := make([]cu.DevicePtr, 0, len(k.args)+2)
		ptrs = append(append(append(ptrs, k.params), k.args...), k.out)
		argv := make([]unsafe.Pointer, len(ptrs))
		for i := range ptrs {
			argv[i] = unsafe.Pointer(&ptrs[i])
		}
		grid := (k.count + blockSize - 1) / blockSize
		if err := k.fn.Launch(grid, 1, 1, blockSize, 1, 1, 0, cu.NoStream, argv); err != nil {
			return fmt.Errorf("cuda: launch: %w", err)
		}
		if err := getF32(out.F, k.out); err != nil {
			return fmt.Errorf("cuda: reading the output: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return []*runtime.Tensor{out}, nil
}

// free releases the operator's device buffers (also run as a finalizer once
// the program using it is unreachable).
func (k *kernel) free() {
	if len(k.owned) == 0 {
		return
	}
	_ = k.dev.do(func() error {
		for _, p := range k.owned {
			_ = cu.MemFree(p)
		}
		return nil
	})
	k.owned = nil
}
