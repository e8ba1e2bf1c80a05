package cuda

import (
	"bytes"
	"encoding/binary"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/delphi-network/delphi/runtime"
	"github.com/delphi-network/delphi/runtime/zoo"
)

// The host checks compile hostcheck/host.cpp, which includes the kernel
// sources with each CUDA intrinsic replaced by the same IEEE operation in
// C++, and compare what the kernel text computes with the Go reference. They
// need g++ and a little-endian machine, and skip otherwise.

func buildHost(t *testing.T) string {
	t.Helper()
	cxx, err := exec.LookPath("g++")
	if err != nil {
		t.Skip("g++ not found")
	}
	if !bytes.Equal(binary.NativeEndian.AppendUint16(nil, 1), []byte{1, 0}) {
		t.Skip("the case files are little-endian")
	}
	bin := filepath.Join(t.TempDir(), "host")
	cmd := exec.Command(cxx, "-std=c++14", "-O1", "-ffp-contract=off", "-fno-fast-math", "-Wall", "-I", "kernels",
		"-o", bin, filepath.Join("hostcheck", "host.cpp"))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("compiling hostcheck/host.cpp: %v\n%s", err, out)
	}
	return bin
}

// sweepBits mirrors sweepBits in host.cpp.
func sweepBits() []uint32 {
	var v []uint32
	for b := uint64(0); b < 1<<32; b += 4093 {
		v = append(v, uint32(b))
	}
	ranges := [][2]uint32{{0x3f000000, 0x3f000000 + 65536}, {0x39800000 - 4096, 0x39800000 + 4096},
		{0x41200000 - 4096, 0x41200000 + 4096}, {0x43480000 - 4096, 0x43480000 + 4096}, {0x42b17217 - 4096, 0x42b17217 + 4096}}
	for _, r := range ranges {
		for b := r[0]; b < r[1]; b++ {
			v = append(v, b)
		}
	}
	return v
}

// TestDetmathPortOnHost: kernels/detmath.cuh's Exp, Log, Tanh, Sigmoid and
// Sqrt give the runtime's bits on about 1.1 million float32 inputs (a stride
// through every bit pattern, including NaNs, infinities and subnormals, and
// dense runs around the thresholds), and so do its float64 cores exp64 (at x
// and 2x, as Exp, Sigmoid and Tanh call it) and log64.
func TestDetmathPortOnHost(t *testing.T) {
	bin := buildHost(t)
	out, err := exec.Command(bin, "detmath").Output()
	if err != nil {
		t.Fatal(err)
	}
	bits := sweepBits()
	if len(out) != (4*5+8*3)*len(bits) {
		t.Fatalf("host wrote %d bytes for %d inputs", len(out), len(bits))
	}
	f32, f64 := out[:4*5*len(bits)], out[4*5*len(bits):]
	fns := []struct {
		name string
		f    func(float32) float32
	}{{"Exp", runtime.Exp}, {"Log", runtime.Log}, {"Tanh", runtime.Tanh}, {"Sigmoid", runtime.Sigmoid}, {"Sqrt", runtime.Sqrt}}
	cores := []struct {
		name string
		f    func(float64) float64
		ok   func(float64) bool
	}{
		{"exp64(x)", runtime.Exp64, func(d float64) bool { return math.Abs(d) <= 200 }},
		{"exp64(2x)", func(d float64) float64 { return runtime.Exp64(float64(2 * d)) }, func(d float64) bool { return math.Abs(d) <= 100 }},
		{"log64(x)", runtime.Log64, func(d float64) bool { return d > 0 && d <= math.MaxFloat32 }},
	}
	bad := 0
	report := func(format string, args ...any) {
		if bad < 10 {
			t.Errorf(format, args...)
		}
		bad++
	}
	for i, b := range bits {
		x := math.Float32frombits(b)
		for j, fn := range fns {
			got := binary.LittleEndian.Uint32(f32[4*(5*i+j):])
			if want := math.Float32bits(fn.f(x)); got != want {
				report("%s(%v = %08x): port %08x, runtime %08x", fn.name, x, b, got, want)
			}
		}
		for j, c := range cores {
			got, want := binary.LittleEndian.Uint64(f64[8*(3*i+j):]), uint64(0)
			if d := float64(x); c.ok(d) {
				want = math.Float64bits(c.f(d))
			}
			if got != want {
				report("%s at x = %v: port %016x, runtime %016x", c.name, x, got, want)
			}
		}
	}
	if bad > 0 {
		t.Errorf("%d mismatches", bad)
	}
}

// recorder runs the emulator (equal to the CPU reference, TestEmulated*) and
// records every launch with its inputs and output, as a case file for host.cpp.
type recorder struct{ buf bytes.Buffer }

func (*recorder) Name() string { return "record" }

func (r *recorder) Kernel(op *runtime.OpSpec) (runtime.KernelFunc, error) {
	l, ok, err := plan(op)
	if err != nil || !ok {
		return nil, err
	}
	em, err := emulator{}.Kernel(op)
	if err != nil {
		return nil, err
	}
	return func(in []*runtime.Tensor) ([]*runtime.Tensor, error) {
		out, err := em(in)
		if err != nil {
			return nil, err
		}
		w := func(v any) { _ = binary.Write(&r.buf, binary.LittleEndian, v) }
		w(int64(len(l.kernel)))
		r.buf.WriteString(l.kernel)
		w(int64(len(l.params)))
		w(l.params)
		w(int64(l.slots))
		for s := 0; s < l.slots; s++ {
			if s >= len(in) {
				w(int64(-1))
				continue
			}
			w(int64(len(in[s].F)))
			w(in[s].F)
		}
		w(int64(len(out[0].F)))
		w(out[0].F)
		return out, nil
	}, nil
}

// TestKernelsOnHost: the kernel sources, run on the host element by element,
// reproduce the reference outputs of every operator case and of the zoo CNN's
// arithmetic operators.
func TestKernelsOnHost(t *testing.T) {
	bin := buildHost(t)
	rec := &recorder{}
	for ci, c := range opCases() {
		p, feed := compileCase(t, ci, c)
		q, err := p.WithBackend(rec)
		if err != nil {
			t.Fatal(err)
		}
		sameBits(t, p, q, feed)
	}
	b, err := zoo.MNIST()
	if err != nil {
		t.Fatal(err)
	}
	m, err := runtime.LoadModel(b, runtime.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	q, err := m.Program.WithBackend(rec)
	if err != nil {
		t.Fatal(err)
	}
	x := runtime.NewTensor(m.InputShape()...)
	for i := range x.F {
		x.F[i] = float32((i * 53) % 256)
	}
	if _, err := q.Run([]*runtime.Tensor{x}, 1, nil); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "cases.bin")
	if err := os.WriteFile(path, rec.buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "cases", path).CombinedOutput()
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if !strings.HasSuffix(strings.TrimSpace(string(out)), " 0 differ") {
		t.Fatalf("unexpected host output: %s", out)
	}
	t.Log(strings.TrimSpace(string(out)))
}
