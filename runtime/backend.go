package runtime

import (
	"fmt"
	"sort"
	"sync"
)

// Backend runs a compiled Program's operators somewhere other than the CPU
// reference kernels (the CUDA backend in cuda/, built with -tags cuda). It
// sees each operator as an OpSpec: the op, its compiled input and output
// infos, and the parameters the CPU builder resolved (geometry, broadcast
// strides, attributes), so a backend never re-parses attributes and cannot
// disagree with the reference about shapes. It must reproduce the reference
// kernels' documented reduction order bit for bit: the trace hashes whatever
// output bytes the backend returns.
type Backend interface {
	// Name is the --backend value that selects it.
	Name() string
	// Kernel returns the backend's implementation of op, or nil to keep the
	// CPU reference kernel (data-movement ops, for instance).
	Kernel(op *OpSpec) (KernelFunc, error)
}

// KernelFunc computes one operator's outputs from its inputs, which have the
// compiled types and shapes. An error aborts the item's run.
type KernelFunc func(in []*Tensor) ([]*Tensor, error)

// OpSpec describes one compiled operator to a Backend.
type OpSpec struct {
	Node *Node
	In   []TensorInfo // compiled inputs; Const is set for compile-time values (weights)
	Out  []TensorInfo
	// Params is one of *ConvParams, *PoolParams, *GemmParams, *MatMulParams,
	// *BinaryParams, *UnaryParams, *SoftmaxParams, *BatchNormParams; nil for
	// data-movement operators (Reshape, Flatten, Transpose, Concat, Identity,
	// Constant, Gather, Slice, Split, Squeeze, Unsqueeze, Cast) and for the
	// transformer operators that have no backend kernel yet (Erf, Gelu,
	// LayerNormalization, RMSNormalization, RotaryEmbedding), which every
	// backend therefore leaves on the CPU reference kernel.
	Params any
}

// cpuBackend keeps every reference kernel: it is the default.
type cpuBackend struct{}

func (cpuBackend) Name() string                       { return "cpu" }
func (cpuBackend) Kernel(*OpSpec) (KernelFunc, error) { return nil, nil }

var (
	backendsMu sync.Mutex
	backends   = map[string]func() (Backend, error){"cpu": func() (Backend, error) { return cpuBackend{}, nil }}
)

// RegisterBackend makes a backend selectable by name. open is called by
// OpenBackend, so a backend that needs a device only touches it when chosen.
func RegisterBackend(name string, open func() (Backend, error)) {
	backendsMu.Lock()
	defer backendsMu.Unlock()
	backends[name] = open
}

// BackendNames lists the registered backends, sorted.
func BackendNames() []string {
	backendsMu.Lock()
	defer backendsMu.Unlock()
	names := make([]string, 0, len(backends))
	for name := range backends {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// OpenBackend returns the named backend, or an error listing those available
// in this build.
func OpenBackend(name string) (Backend, error) {
	backendsMu.Lock()
	open, ok := backends[name]
	backendsMu.Unlock()
	if !ok {
		return nil, fmt.Errorf("backend %q is not available in this build (have %v)", name, BackendNames())
	}
	return open()
}

// WithBackend returns a copy of p whose per-item operators run on b where b
// provides a kernel. Constant-folded operators keep their compile-time values,
// so the leaves they contribute are unchanged. A backend error surfaces from
// Run as an error naming the node.
func (p *Program) WithBackend(b Backend) (*Program, error) {
	q := *p
	q.steps = make([]*step, len(p.steps))
	for k, st := range p.steps {
		q.steps[k] = st
		if p.folded[k] {
			continue
		}
		in := make([]TensorInfo, len(p.ins[k]))
		for i, s := range p.ins[k] {
			if s == absentSlot {
				continue // the zero TensorInfo: absent
			}
			in[i] = p.infos[s]
			// A weight the compiler treats as variable (a classifier's
			// float32 initializers) still has its value: a backend may
			// upload it once.
			if in[i].Const == nil && p.consts[s] != nil {
				in[i].Const = p.consts[s]
			}
		}
		node := p.graph.Nodes[p.order[k]]
		f, err := b.Kernel(&OpSpec{Node: node, In: in, Out: st.outs, Params: st.params})
		if err != nil {
			return nil, fmt.Errorf("%s: backend %s: %w", node.label(), b.Name(), err)
		}
		if f == nil {
			continue
		}
		ns := *st
		ns.fresh = false // the backend owns its outputs' memory
		ns.run = func(x []*Tensor, _ int) []*Tensor {
			out, err := f(x)
			if err != nil {
				panic(err) // Program.Run recovers it into an error naming the node
			}
			return out
		}
		q.steps[k] = &ns
	}
	return &q, nil
}

// WithBackend returns a copy of m that evaluates on b (see Program.WithBackend).
func (m *Model) WithBackend(b Backend) (*Model, error) {
	p, err := m.Program.WithBackend(b)
	if err != nil {
		return nil, err
	}
	c := *m
	c.Program = p
	return &c, nil
}
