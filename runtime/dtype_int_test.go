package runtime

import (
	"math"
	"math/big"
	"strings"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/delphi-network/delphi/runtime/onnxpb"
)

// runGraphOp runs one node with every input a runtime graph input (none
// folded), with 1 and 3 workers, which must agree.
func runGraphOp(t *testing.T, op string, opset int64, attrs map[string]Attr, inputs ...*Tensor) (*Tensor, error) {
	t.Helper()
	n := node(op, attrs, "y")
	n.Opset = opset
	g := &Graph{Initializers: map[string]*Tensor{}, Opset: opset, Outputs: []string{"y"}}
	for i, x := range inputs {
		name := string(rune('a' + i))
		n.Inputs = append(n.Inputs, name)
		g.Inputs = append(g.Inputs, ValueInfo{Name: name, DType: x.DType, Shape: x.Shape})
	}
	g.Nodes = []*Node{n}
	p, err := Compile(g, DefaultLimits())
	if err != nil {
		return nil, err
	}
	one, err := p.Run(inputs, 1, nil)
	if err != nil {
		return nil, err
	}
	three, err := p.Run(inputs, 3, nil)
	if err != nil {
		return nil, err
	}
	if string(one[0].Bytes()) != string(three[0].Bytes()) {
		t.Fatalf("%s: 1 and 3 workers differ", op)
	}
	return one[0], nil
}

func typed(t *testing.T, dt DType, v ...int64) *Tensor {
	t.Helper()
	x, err := FromTyped(dt, []int{len(v)}, v)
	if err != nil {
		t.Fatal(err)
	}
	return x
}

func wantTyped(t *testing.T, name string, got *Tensor, err error, dt DType, want ...int64) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if got.DType != dt || len(got.I) != len(want) {
		t.Fatalf("%s: %s %v, want %s %v", name, got.DType, got.I, dt, want)
	}
	for i := range want {
		if got.I[i] != want[i] {
			t.Fatalf("%s: %v, want %v", name, got.I, want)
		}
	}
}

// TestIntegerTypesWrap: arithmetic of the narrow types wraps at their
// width, uint64 compares, divides and takes remainders as unsigned, and
// every result stays canonical.
func TestIntegerTypesWrap(t *testing.T) {
	u8 := func(v ...int64) *Tensor { return typed(t, UInt8, v...) }
	i8 := func(v ...int64) *Tensor { return typed(t, Int8, v...) }
	u64 := func(v ...int64) *Tensor { return typed(t, UInt64, v...) }
	y, err := runGraphOp(t, "Add", 14, nil, u8(250, 3), u8(10, 4))
	wantTyped(t, "uint8 250+10", y, err, UInt8, 4, 7)
	y, err = runGraphOp(t, "Sub", 14, nil, u8(3), u8(5))
	wantTyped(t, "uint8 3-5", y, err, UInt8, 254)
	y, err = runGraphOp(t, "Mul", 14, nil, i8(100, -128), i8(2, -1))
	wantTyped(t, "int8 mul", y, err, Int8, -56, -128)
	y, err = runGraphOp(t, "Div", 14, nil, i8(-7, -128), i8(2, -1))
	wantTyped(t, "int8 div", y, err, Int8, -3, -128)
	y, err = runGraphOp(t, "Div", 14, nil, u64(-1), u64(2)) // (2^64−1)/2
	wantTyped(t, "uint64 div", y, err, UInt64, math.MaxInt64)
	y, err = runGraphOp(t, "Max", 13, nil, u64(-1, 3), u64(5, 2))
	wantTyped(t, "uint64 max", y, err, UInt64, -1, 3)
	y, err = runGraphOp(t, "Min", 13, nil, i8(-5, 7), i8(3, -8), i8(0, 0))
	wantTyped(t, "int8 min of three", y, err, Int8, -5, -8)
	y, err = runGraphOp(t, "Greater", 13, nil, u64(-1), u64(1))
	wantTyped(t, "uint64 greater", y, err, Bool, 1)
	y, err = runGraphOp(t, "Abs", 13, nil, u64(-1))
	wantTyped(t, "uint64 abs", y, err, UInt64, -1)
	y, err = runGraphOp(t, "Abs", 13, nil, i8(-128, -3))
	wantTyped(t, "int8 abs", y, err, Int8, -128, 3)
	if _, err := runGraphOp(t, "Neg", 13, nil, u8(1)); err == nil || !strings.Contains(err.Error(), "signed") {
		t.Fatalf("Neg of uint8: %v, want a refusal", err)
	}
	if _, err := runGraphOp(t, "Add", 14, nil, u8(1), i8(1)); err == nil {
		t.Fatal("uint8 + int8 accepted")
	}
	if _, err := runGraphOp(t, "Div", 14, nil, i8(1), i8(0)); err == nil || !strings.Contains(err.Error(), "by zero") {
		t.Fatalf("int8 1/0: %v, want division by zero", err)
	}
}

func TestModSigns(t *testing.T) {
	i32 := func(v ...int64) *Tensor { return typed(t, Int32, v...) }
	a, b := i32(-4, 7, 5, -5, math.MinInt32), i32(3, -3, 3, -3, -1)
	y, err := runGraphOp(t, "Mod", 13, nil, a, b)
	wantTyped(t, "python %", y, err, Int32, 2, -2, 2, -2, 0)
	y, err = runGraphOp(t, "Mod", 13, map[string]Attr{"fmod": intA(1)}, a, b)
	wantTyped(t, "C %", y, err, Int32, -1, 1, 2, -2, 0)
	y, err = runGraphOp(t, "Mod", 13, nil, typed(t, UInt64, -1), typed(t, UInt64, 10))
	wantTyped(t, "uint64 %", y, err, UInt64, 5) // 18446744073709551615 % 10
	f, err := runGraphOp(t, "Mod", 13, map[string]Attr{"fmod": intA(1)}, mustT(t, []int{2}, -4.5, 7), mustT(t, []int{2}, 2, -2.5))
	if err != nil || f.F[0] != -0.5 || f.F[1] != 2 {
		t.Fatalf("float fmod: %v %v", f, err)
	}
	if _, err := runGraphOp(t, "Mod", 13, nil, mustT(t, []int{1}, 1), mustT(t, []int{1}, 2)); err == nil {
		t.Fatal("float Mod without fmod=1 accepted")
	}
	if _, err := runGraphOp(t, "Mod", 13, nil, i32(1), i32(0)); err == nil || !strings.Contains(err.Error(), "by zero") {
		t.Fatalf("1 mod 0: %v", err)
	}
}

func TestBitShift(t *testing.T) {
	u16 := func(v ...int64) *Tensor { return typed(t, UInt16, v...) }
	y, err := runGraphOp(t, "BitShift", 11, map[string]Attr{"direction": str("LEFT")}, u16(0xffff, 1, 1), u16(4, 15, 16))
	wantTyped(t, "uint16 <<", y, err, UInt16, 0xfff0, 0x8000, 0)
	y, err = runGraphOp(t, "BitShift", 11, map[string]Attr{"direction": str("RIGHT")}, typed(t, UInt64, -1), typed(t, UInt64, 63))
	wantTyped(t, "uint64 >>", y, err, UInt64, 1)
	if _, err := runGraphOp(t, "BitShift", 11, map[string]Attr{"direction": str("LEFT")}, typed(t, Int8, 1), typed(t, Int8, 1)); err == nil {
		t.Fatal("BitShift of int8 accepted")
	}
	if _, err := runGraphOp(t, "BitShift", 11, nil, u16(1), u16(1)); err == nil {
		t.Fatal("BitShift without a direction accepted")
	}
}

func TestCastIntegerTypes(t *testing.T) {
	x := mustT(t, []int{6}, -1.5, 300.7, float32(math.NaN()), 1e30, -1e30, 2.5)
	y, err := runGraphOp(t, "Cast", 13, map[string]Attr{"to": intA(int64(UInt8))}, x)
	// −1 → 255; 300 → 44; NaN → 0; saturated int64 max → 255; min → 0; 2
	wantTyped(t, "float to uint8", y, err, UInt8, 255, 44, 0, 255, 0, 2)
	y, err = runGraphOp(t, "Cast", 13, map[string]Attr{"to": intA(int64(UInt64))}, mustT(t, []int{3}, 13835058055282163712, 1e30, 3))
	wantTyped(t, "float to uint64", y, err, UInt64, u64of(13835058055282163712), -1, 3)
	f, err := runGraphOp(t, "Cast", 13, map[string]Attr{"to": intA(int64(Float32))}, typed(t, UInt64, -1, 7))
	if err != nil || f.F[0] != 1.8446744e19 || f.F[1] != 7 {
		t.Fatalf("uint64 to float: %v %v", f, err)
	}
	y, err = runGraphOp(t, "Cast", 13, map[string]Attr{"to": intA(int64(Int8))}, typed(t, Int32, 200, -129, 5))
	wantTyped(t, "int32 to int8", y, err, Int8, -56, 127, 5)
	y, err = runGraphOp(t, "Cast", 13, map[string]Attr{"to": intA(int64(UInt32))}, typed(t, Int8, -1))
	wantTyped(t, "int8 to uint32", y, err, UInt32, 0xffffffff)
	if _, err := runGraphOp(t, "Cast", 13, map[string]Attr{"to": intA(8)}, x); err == nil {
		t.Fatal("cast to string accepted")
	}
}

// TestIntegerEncodings: each type's canonical bytes are its own width and
// round-trip through TensorFromBytes and TensorProto; values outside a
// type's range are refused where tensors enter (Run, FromTyped, int32_data).
func TestIntegerEncodings(t *testing.T) {
	for _, c := range []struct {
		dt    DType
		v     []int64
		bytes int
	}{
		{UInt8, []int64{0, 255}, 2}, {Int8, []int64{-128, 127}, 2}, {UInt16, []int64{65535, 1}, 4},
		{Int16, []int64{-32768, 32767}, 4}, {Int32, []int64{math.MinInt32, math.MaxInt32}, 8},
		{UInt32, []int64{0xffffffff, 0}, 8}, {UInt64, []int64{-1, 1}, 16}, {Int64, []int64{math.MinInt64, 5}, 16},
	} {
		x := typed(t, c.dt, c.v...)
		b := x.Bytes()
		if len(b) != c.bytes {
			t.Fatalf("%s: %d bytes, want %d", c.dt, len(b), c.bytes)
		}
		back, err := TensorFromBytes(c.dt, []int{2}, b)
		wantTyped(t, c.dt.String()+" bytes", back, err, c.dt, c.v...)
		pb, err := MarshalTensor(x, "x")
		if err != nil {
			t.Fatal(err)
		}
		back, err = ParseTensor(pb, DefaultLimits())
		wantTyped(t, c.dt.String()+" proto", back, err, c.dt, c.v...)
	}
	if _, err := FromTyped(Int8, []int{1}, []int64{300}); err == nil {
		t.Fatal("int8 300 accepted")
	}
	bad := &Tensor{DType: UInt8, Shape: []int{1}, I: []int64{-1}}
	if _, err := runGraphOp(t, "Abs", 13, nil, bad); err == nil || !strings.Contains(err.Error(), "out of range") {
		t.Fatalf("uint8 -1 as a run input: %v", err)
	}
	pb, _ := proto.Marshal(&onnxpb.TensorProto{DataType: int32(onnxpb.TensorProto_UINT8), Dims: []int64{1}, Int32Data: []int32{256}})
	if _, err := ParseTensor(pb, DefaultLimits()); err == nil {
		t.Fatal("uint8 256 in int32_data accepted")
	}
	pb, _ = proto.Marshal(&onnxpb.TensorProto{DataType: int32(onnxpb.TensorProto_UINT32), Dims: []int64{1}, Uint64Data: []uint64{1 << 32}})
	if _, err := ParseTensor(pb, DefaultLimits()); err == nil {
		t.Fatal("uint32 2^32 in uint64_data accepted")
	}
	pb, _ = proto.Marshal(&onnxpb.TensorProto{DataType: int32(onnxpb.TensorProto_INT16), Dims: []int64{2}, RawData: []byte{0xff, 0xff, 0, 0x80}})
	back, err := ParseTensor(pb, DefaultLimits())
	wantTyped(t, "int16 raw", back, err, Int16, -1, -32768)
}

// u64of is a uint64 value as its canonical int64 bits.
func u64of(v uint64) int64 { return int64(v) }

// TestClassifierInputType: a registered classifier is fed float32 benchmark
// items (or int64 token ids), so a model declaring another input type is
// refused when it loads, with the type named, not at every item's run.
func TestClassifierInputType(t *testing.T) {
	for _, dt := range []onnxpb.TensorProto_DataType{onnxpb.TensorProto_INT32, onnxpb.TensorProto_UINT8, onnxpb.TensorProto_BOOL} {
		m := tinyModel(13, "Relu")
		m.Graph.Input[0].Type.GetTensorType().ElemType = int32(dt)
		// X is cast to float32 first, so the graph itself compiles.
		m.Graph.Node[0].Input[0] = "Xf"
		m.Graph.Node = append([]*onnxpb.NodeProto{{Name: "cast", OpType: "Cast", Input: []string{"X"}, Output: []string{"Xf"},
			Attribute: []*onnxpb.AttributeProto{{Name: "to", Type: onnxpb.AttributeProto_INT, I: 1}}}}, m.Graph.Node...)
		b, err := proto.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := LoadModel(b, DefaultLimits()); err == nil || !strings.Contains(err.Error(), `model input "X" is `+DType(dt).String()) {
			t.Fatalf("%s input: %v, want a refusal naming the type", DType(dt), err)
		}
	}
}

// TestUint64ToFloat32RoundsOnce: the conversion of a uint64 above 2^63
// rounds once, to nearest even, as big.Float does.
func TestUint64ToFloat32RoundsOnce(t *testing.T) {
	s := uint64(0x9e3779b97f4a7c15)
	for i := 0; i < 100000; i++ {
		s = s*6364136223846793005 + 1442695040888963407
		v := s | 1<<63
		if i%3 == 0 {
			v = 1<<63 | uint64(1)<<(i%40) | 1<<39 // ties and near-ties at the rounding bit
		}
		want, _ := new(big.Float).SetUint64(v).Float32()
		if got := uint64ToFloat32(v); got != want {
			t.Fatalf("%d: %v, want %v", v, got, want)
		}
	}
}
