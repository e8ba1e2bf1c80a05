package runtime

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestPoolInsideMatchesPoolOne: the bounds-free path gives poolOne's bits
// for every inside window, max and average, with NaN, infinities and zeros
// of both signs among the values, over random strides, dilations and pads.
func TestPoolInsideMatchesPoolOne(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 26))
	vals := []float32{0, float32(math.Copysign(0, -1)), float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1))}
	checked := 0
	// Every kernel level this CPU runs (the 2×2, stride-2 MaxPool has a
	// vector kernel), rows wide enough for its eights and their tails.
	levels := []KernelLevel{KernelsGo, cpuKernels()}
	if cpuKernels() == KernelsAVX512 {
		levels = append(levels, KernelsAVX2)
	}
	for i := range 1200 {
		old := setKernels(levels[i%len(levels)])
		kh, kw := 1+r.IntN(3), 1+r.IntN(3)
		if i%4 == 0 {
			kh, kw = 2, 2
		}
		wh := window{in: kh + r.IntN(9), k: kh, stride: 1 + r.IntN(2), dil: 1 + r.IntN(2), padBegin: r.IntN(2), padEnd: r.IntN(2)}
		ww := window{in: kw + r.IntN(40), k: kw, stride: 1 + r.IntN(2), dil: 1 + r.IntN(2), padBegin: r.IntN(2), padEnd: r.IntN(2)}
		for _, w := range []*window{&wh, &ww} {
			w.out = (w.in+w.padBegin+w.padEnd-w.span())/w.stride + 1
		}
		if wh.out <= 0 || ww.out <= 0 {
			setKernels(old)
			continue
		}
		src := make([]float32, wh.in*ww.in)
		for i := range src {
			src[i] = float32(r.NormFloat64())
			if r.IntN(8) == 0 {
				src[i] = vals[r.IntN(len(vals))]
			}
		}
		ins := insideWindows(wh, ww)
		for oh := ins.ohLo; oh < ins.ohHi; oh++ {
			if ins.owHi > ins.owLo {
				for _, isMax := range []bool{true, false} {
					row := make([]float32, ins.owHi-ins.owLo)
					poolInsideRow(src, ww.in, wh, ww, oh, ins.owLo, row, isMax)
					for j, got := range row {
						if want := poolOne(src, ww.in, wh, ww, oh, ins.owLo+j, isMax, false); firstDiff([]float32{got}, []float32{want}) >= 0 {
							t.Fatalf("level %s, row %+v %+v (%d,%d) max=%v: %v, poolOne %v", Kernels(), wh, ww, oh, ins.owLo+j, isMax, got, want)
						}
					}
				}
			}
			for ow := ins.owLo; ow < ins.owHi; ow++ {
				for _, isMax := range []bool{true, false} {
					for _, cip := range []bool{false, true} {
						got := poolInside(src, ww.in, wh, ww, oh, ow, isMax)
						want := poolOne(src, ww.in, wh, ww, oh, ow, isMax, cip)
						if firstDiff([]float32{got}, []float32{want}) >= 0 {
							t.Fatalf("%+v %+v (%d,%d) max=%v: %v, poolOne %v", wh, ww, oh, ow, isMax, got, want)
						}
						checked++
					}
				}
			}
		}
		setKernels(old)
	}
	if checked < 1000 {
		t.Fatalf("only %d inside windows checked", checked)
	}
}

// TestArithRowsMatchScalar: the written-out rows of Add/Sub/Mul/Div give
// the scalar operation's bits for each stride pattern they take.
func TestArithRowsMatchScalar(t *testing.T) {
	r := rand.New(rand.NewPCG(6, 26))
	fs := map[byte]func(a, b float32) float32{
		'+': func(a, b float32) float32 { return a + b }, '-': func(a, b float32) float32 { return a - b },
		'*': func(a, b float32) float32 { return float32(a * b) }, '/': func(a, b float32) float32 { return a / b }}
	a, b := make([]float32, 64), make([]float32, 64)
	for i := range a {
		a[i], b[i] = float32(r.NormFloat64()*1e20), float32(r.NormFloat64()*1e-20)
	}
	a[3], b[5] = float32(math.Inf(1)), 0
	for _, op := range []byte{'+', '-', '*', '/'} {
		for _, st := range [][2]int{{1, 1}, {1, 0}, {0, 1}} {
			got, want := make([]float32, 40), make([]float32, 40)
			if !arithRow(op, got, a, 7, st[0], b, 3, st[1]) {
				t.Fatalf("%c strides %v not taken", op, st)
			}
			for j := range want {
				want[j] = fs[op](a[7+j*st[0]], b[3+j*st[1]])
			}
			if at := firstDiff(got, want); at >= 0 {
				t.Fatalf("%c strides %v: element %d = %v, want %v", op, st, at, got[at], want[at])
			}
		}
	}
	if arithRow('+', make([]float32, 4), a, 0, 2, b, 0, 1) {
		t.Fatal("a stride of 2 was taken")
	}
}

// TestReluSliceKeepsBits: the slice kernel is relu bit for bit, NaN
// payloads and signs included (a branch-free max would clear a NaN's sign
// on amd64).
func TestReluSliceKeepsBits(t *testing.T) {
	for _, bits := range []uint32{0xffc00001, 0x7fc12345, 0xff800001, 0x80000000, 0x00000000, 0x80000001, 0x3f800000, 0xbf800000, 0x7f800000, 0xff800000} {
		x := math.Float32frombits(bits)
		dst := []float32{1}
		reluSlice(dst, []float32{x})
		if math.Float32bits(dst[0]) != math.Float32bits(relu(x)) {
			t.Errorf("relu(%#x): slice %#x, scalar %#x", bits, math.Float32bits(dst[0]), math.Float32bits(relu(x)))
		}
	}
}
