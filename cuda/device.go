//go:build cuda

package cuda

import (
	"fmt"
	goruntime "runtime"
	"strings"
	"sync"
	"unsafe"

	"gorgonia.org/cu"
)

// device is one CUDA context with the embedded PTX modules loaded. The driver
// API binds a context to an OS thread, and evaluation calls in from many
// goroutines, so every device call goes through do: one at a time, on a
// locked thread with the context made current. Serialising costs nothing in
// determinism (each operator's result does not depend on scheduling) and
// keeps the per-operator buffers safe to reuse.
type device struct {
	mu  sync.Mutex
	ctx cu.CUContext
	fns map[string]cu.Function
}

// openDevice creates a context on GPU 0 and loads every embedded module.
func openDevice() (*device, error) {
	n, err := cu.NumDevices()
	if err != nil {
		return nil, fmt.Errorf("cuda: counting devices: %w", err)
	}
	if n < 1 {
		return nil, fmt.Errorf("cuda: no GPU found")
	}
	dev, err := cu.GetDevice(0)
	if err != nil {
		return nil, fmt.Errorf("cuda: device 0: %w", err)
	}
	d := &device{fns: map[string]cu.Function{}}
	goruntime.LockOSThread()
	defer goruntime.UnlockOSThread()
	if d.ctx, err = dev.MakeContext(cu.SchedAuto); err != nil {
		return nil, fmt.Errorf("cuda: creating a context: %w", err)
	}
	names, mods, err := ptxModules()
	if err != nil {
		return nil, fmt.Errorf("cuda: reading embedded PTX: %w", err)
	}
	for _, name := range names {
		m, err := cu.LoadData(string(mods[name]))
		if err != nil {
			return nil, fmt.Errorf("cuda: loading %s: %w", name, err)
		}
		for _, k := range kernelNames(mods[name]) {
			f, err := m.Function(k)
			if err != nil {
				return nil, fmt.Errorf("cuda: kernel %s in %s: %w", k, name, err)
			}
			d.fns[k] = f
		}
	}
	return d, nil
}

// kernelNames lists the .entry points of a PTX module (the kernels are
// extern "C", so these are their source names).
func kernelNames(ptx []byte) []string {
	var out []string
	for _, line := range strings.Split(string(ptx), "\n") {
		f := strings.Fields(line)
		for i := 0; i+1 < len(f); i++ {
			if f[i] == ".entry" {
				out = append(out, strings.TrimSuffix(f[i+1], "("))
			}
		}
	}
	return out
}

// do runs fn with the context current on a locked OS thread, one call at a time.
func (d *device) do(fn func() error) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	goruntime.LockOSThread()
	defer goruntime.UnlockOSThread()
	if err := cu.SetCurrentContext(d.ctx); err != nil {
		return fmt.Errorf("cuda: making the context current: %w", err)
	}
	return fn()
}

// alloc is plain cuMemAlloc (never managed memory); at least 8 bytes, since
// the driver rejects empty allocations. Call inside do.
func alloc(bytes int) (cu.DevicePtr, error) {
	p, err := cu.MemAlloc(int64(max(bytes, 8)))
	if err != nil {
		return 0, fmt.Errorf("cuda: allocating %d bytes: %w", bytes, err)
	}
	return p, nil
}

// putF32 copies host floats to the device. Call inside do.
func putF32(dst cu.DevicePtr, src []float32) error {
	if len(src) == 0 {
		return nil
	}
	return cu.MemcpyHtoD(dst, unsafe.Pointer(&src[0]), int64(4*len(src)))
}

// putI64 copies a parameter block to the device. Call inside do.
func putI64(dst cu.DevicePtr, src []int64) error {
	if len(src) == 0 {
		return nil
	}
	return cu.MemcpyHtoD(dst, unsafe.Pointer(&src[0]), int64(8*len(src)))
}

// getF32 copies device floats back to the host; it waits for the kernels
// queued before it on the default stream and reports their faults. Call
// inside do.
func getF32(dst []float32, src cu.DevicePtr) error {
	if len(dst) == 0 {
		return nil
	}
	return cu.MemcpyDtoH(unsafe.Pointer(&dst[0]), src, int64(4*len(dst)))
}
