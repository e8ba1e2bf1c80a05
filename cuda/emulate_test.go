package cuda

import (
	"fmt"
	"math"
	"testing"

	"github.com/delphi-network/delphi/runtime"
	"github.com/delphi-network/delphi/runtime/zoo"
)

// The emulator runs the packed launches on the host: for every output
// element o it does what the kernel of the same name in kernels/*.cu does,
// statement for statement, reading only the parameter block. It lets a
// machine without a GPU check the parts of the backend that are not CUDA
// arithmetic: that the runtime hands over the right parameters, that plan
// packs them in the layout the kernels read, and that one independent
// reduction per output element in the spec's order reproduces the CPU
// kernels (which reorder loops for speed) bit for bit.
type emulator struct{}

func (emulator) Name() string { return "emulate" }

func (emulator) Kernel(op *runtime.OpSpec) (runtime.KernelFunc, error) {
	l, ok, err := plan(op)
	if err != nil || !ok {
		return nil, err
	}
	return func(in []*runtime.Tensor) ([]*runtime.Tensor, error) {
		args := make([][]float32, l.slots)
		for i, t := range in {
			args[i] = t.F
		}
		y := make([]float32, l.params[0])
		for o := range y {
			if err := emulate(l.kernel, l.params, args, y, int64(o)); err != nil {
				return nil, err
			}
		}
		return []*runtime.Tensor{{DType: runtime.Float32, Shape: op.Out[0].Shape, F: y}}, nil
	}, nil
}

func f32(bits int64) float32 { return math.Float32frombits(uint32(bits)) }

// emulate computes output element o of kernel k (see kernels/*.cu).
func emulate(k string, P []int64, a [][]float32, y []float32, o int64) error {
	switch k {
	case "det_conv2d":
		C, H, W, M, G := P[2], P[3], P[4], P[5], P[6]
		KH, KW, OH, OW := P[7], P[8], P[9], P[10]
		sH, sW, dH, dW, pT, pL := P[11], P[12], P[13], P[14], P[15], P[16]
		ow, oh, m, n := o%OW, (o/OW)%OH, (o/(OW*OH))%M, o/(OW*OH*M)
		Cg := C / G
		g := m / (M / G)
		var acc float32
		for c := int64(0); c < Cg; c++ {
			xp := (n*C + g*Cg + c) * H * W
			wp := ((m*Cg + c) * KH) * KW
			for kh := int64(0); kh < KH; kh++ {
				ih := oh*sH - pT + kh*dH
				if ih < 0 || ih >= H {
					continue
				}
				for kw := int64(0); kw < KW; kw++ {
					iw := ow*sW - pL + kw*dW
					if iw < 0 || iw >= W {
						continue
					}
					acc = acc + float32(a[0][xp+ih*W+iw]*a[1][wp+kh*KW+kw])
				}
			}
		}
		if P[17] != 0 {
			acc = acc + a[2][m]
		}
		y[o] = acc
	case "det_pool2d":
		isMax, includePad := P[1] != 0, P[18] != 0
		H, W, KH, KW, OH, OW := P[4], P[5], P[6], P[7], P[8], P[9]
		sH, sW, dH, dW := P[10], P[11], P[12], P[13]
		pT, pL, pB, pR := P[14], P[15], P[16], P[17]
		ow, oh, plane := o%OW, (o/OW)%OH, o/(OW*OH)
		src := a[0][plane*H*W:]
		m := float32(math.Inf(-1))
		var acc float32
		var count int64
		for i := int64(0); i < KH; i++ {
			ih := oh*sH - pT + i*dH
			rowPad := ih >= -pT && ih < H+pB
			for j := int64(0); j < KW; j++ {
				iw := ow*sW - pL + j*dW
				if ih < 0 || ih >= H || iw < 0 || iw >= W {
					if includePad && rowPad && iw >= -pL && iw < W+pR {
						count++
					}
					continue
				}
				v := src[ih*W+iw]
				if isMax {
					if v > m || v != v {
						m = v
					}
				} else {
					acc = acc + v
					count++
				}
			}
		}
		switch {
		case isMax:
			y[o] = m
		case count == 0:
			y[o] = math.Float32frombits(0x7fc00000)
		default:
			y[o] = acc / float32(count)
		}
	case "det_gemm":
		M, N, K := P[1], P[2], P[3]
		i, j := o/N, o%N
		var acc float32
		for k := int64(0); k < K; k++ {
			av, bv := a[0][i*K+k], a[1][k*N+j]
			if P[4] != 0 {
				av = a[0][k*M+i]
			}
			if P[5] != 0 {
				bv = a[1][j*K+k]
			}
			acc = acc + float32(av*bv)
		}
		r := float32(f32(P[6]) * acc)
		if P[8] != 0 {
			r = r + float32(f32(P[7])*a[2][i*P[9]+j*P[10]])
		}
		y[o] = r
	case "det_matmul":
		M, N, K, rank := P[1], P[2], P[3], P[4]
		dims, sa, sb := P[5:5+rank], P[5+rank:5+2*rank], P[5+2*rank:5+3*rank]
		r, j := o/N, o%N
		i := r % M
		var ia, ib int64
		rest := r / M
		for d := rank - 1; d >= 0; d-- {
			k := rest % dims[d]
			rest /= dims[d]
			ia += k * sa[d]
			ib += k * sb[d]
		}
		A, B := a[0][ia*M*K:], a[1][ib*K*N:]
		var acc float32
		for k := int64(0); k < K; k++ {
			acc = acc + float32(A[i*K+k]*B[k*N+j])
		}
		y[o] = acc
	case "det_binary":
		rank := P[2]
		dims, sa, sb := P[3:3+rank], P[3+rank:3+2*rank], P[3+2*rank:3+3*rank]
		var ia, ib int64
		rest := o
		for d := rank - 1; d >= 0; d-- {
			k := rest % dims[d]
			rest /= dims[d]
			ia += k * sa[d]
			ib += k * sb[d]
		}
		u, v := a[0][ia], a[1][ib]
		switch P[1] {
		case 0:
			y[o] = u + v
		case 1:
			y[o] = u - v
		case 2:
			y[o] = float32(u * v)
		default:
			y[o] = u / v
		}
	case "det_unary":
		v := a[0][o]
		switch P[1] {
		case 0:
			y[o] = v
			if v <= 0 {
				y[o] = 0
			}
		case 1:
			y[o] = runtime.Sigmoid(v)
		default:
			y[o] = runtime.Tanh(v)
		}
	case "det_softmax":
		L, inner := P[1], P[2]
		jo := (o / inner) % L
		base := (o/(L*inner))*L*inner + o%inner
		x := a[0]
		m := float32(math.Inf(-1))
		for j := int64(0); j < L; j++ {
			if v := x[base+j*inner]; v > m || v != v {
				m = v
			}
		}
		var s, tj float32
		for j := int64(0); j < L; j++ {
			t := runtime.Exp(x[base+j*inner] - m)
			if j == jo {
				tj = t
			}
			s = s + t
		}
		if P[3] != 0 {
			y[o] = (x[o] - m) - runtime.Log(s)
		} else {
			y[o] = tj / s
		}
	case "det_batchnorm":
		c := (o / P[2]) % P[1]
		d := runtime.Sqrt(a[4][c] + f32(P[3]))
		y[o] = float32(((a[0][o]-a[3][c])/d)*a[1][c]) + a[2][c]
	default:
		return fmt.Errorf("no emulation of %s", k)
	}
	return nil
}

// TestEmulatedOperators: every operator case, emulated from its packed
// launch, matches the CPU reference bit for bit.
func TestEmulatedOperators(t *testing.T) {
	for ci, c := range opCases() {
		t.Run(c.name, func(t *testing.T) {
			cpu, feed := compileCase(t, ci, c)
			em, err := cpu.WithBackend(emulator{})
			if err != nil {
				t.Fatal(err)
			}
			sameBits(t, cpu, em, feed)
		})
	}
}

// TestEmulatedZooCNN: the zoo CNN's golden input through the emulated
// launches gives the reference's outputs, leaf by leaf.
func TestEmulatedZooCNN(t *testing.T) {
	b, err := zoo.MNIST()
	if err != nil {
		t.Fatal(err)
	}
	m, err := runtime.LoadModel(b, runtime.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	em, err := m.Program.WithBackend(emulator{})
	if err != nil {
		t.Fatal(err)
	}
	x := runtime.NewTensor(m.InputShape()...)
	for i := range x.F {
		x.F[i] = float32((i * 37) % 256)
	}
	var want, got []runtime.Hash
	if _, err := m.Program.Run([]*runtime.Tensor{x}, 1, func(_ int, t *runtime.Tensor) { want = append(want, runtime.OutputHash(t)) }); err != nil {
		t.Fatal(err)
	}
	if _, err := em.Run([]*runtime.Tensor{x}, 1, func(_ int, t *runtime.Tensor) { got = append(got, runtime.OutputHash(t)) }); err != nil {
		t.Fatal(err)
	}
	if len(want) != m.Program.LeavesPerItem() || len(got) != len(want) {
		t.Fatalf("%d and %d leaves, want %d", len(got), len(want), m.Program.LeavesPerItem())
	}
	for i := range want {
		if want[i] != got[i] {
			t.Fatalf("leaf %d differs", i)
		}
	}
}
