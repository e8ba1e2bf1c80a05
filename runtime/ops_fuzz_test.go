package runtime

import (
	"encoding/binary"
	"testing"
)

// fuzzOps are the operators the fuzzer builds nodes for.
var fuzzOps = []string{"Conv", "MaxPool", "AveragePool", "Gemm", "MatMul", "Add", "Sub", "Mul", "Div",
	"Relu", "Sigmoid", "Tanh", "Softmax", "LogSoftmax", "Reshape", "Flatten", "Transpose", "Concat",
	"BatchNormalization", "Identity", "Constant",
	"ConvTranspose", "Mod", "BitShift", "Max", "Min", "Clip", "Cast", "Sin", "Tan", "Atan", "Acosh", "Sinh",
	"GlobalAveragePool", "GlobalMaxPool", "Neg", "Abs", "Greater", "Equal", "Resize", "Upsample"}

// fuzzAttrs are attribute names the operators read.
var fuzzAttrs = []string{"pads", "strides", "dilations", "kernel_shape", "group", "auto_pad", "ceil_mode",
	"count_include_pad", "transA", "transB", "alpha", "beta", "axis", "perm", "allowzero", "epsilon", "value_ints",
	"output_padding", "output_shape", "fmod", "direction", "to", "mode", "coordinate_transformation_mode",
	"nearest_mode", "cubic_coeff_a", "exclude_outside", "scales"}

// reader hands out small values from fuzz bytes.
type reader struct{ b []byte }

func (r *reader) u8() int {
	if len(r.b) == 0 {
		return 0
	}
	v := r.b[0]
	r.b = r.b[1:]
	return int(v)
}

func (r *reader) i64() int64 {
	if len(r.b) < 2 {
		return int64(r.u8())
	}
	v := int16(binary.LittleEndian.Uint16(r.b))
	r.b = r.b[2:]
	return int64(v % 9)
}

// FuzzSingleNode builds one node with fuzzed op, input shapes and
// attributes, compiles and runs it: any outcome but a panic is fine, and a
// successful run must give the same bits serially and in parallel.
func FuzzSingleNode(f *testing.F) {
	f.Add([]byte{0, 2, 4, 1, 1, 5, 5, 4, 1, 1, 3, 3, 0})
	f.Add([]byte{3, 2, 2, 3, 4, 1, 4, 1})
	f.Add([]byte{14, 2, 2, 2, 3, 1, 1, 7, 2})
	f.Fuzz(func(t *testing.T, data []byte) {
		r := &reader{b: data}
		n := &Node{Name: "fuzz", OpType: fuzzOps[r.u8()%len(fuzzOps)], Attrs: map[string]Attr{}, Opset: int64(7 + r.u8()%15)}
		g := &Graph{Initializers: map[string]*Tensor{}, Opset: n.Opset, Outputs: []string{"y"}}
		n.Outputs = []string{"y"}
		var feed []*Tensor
		for i, nin := 0, r.u8()%4; i < nin; i++ {
			rank := r.u8() % 5
			shape := make([]int, rank)
			for d := range shape {
				shape[d] = r.u8() % 7
			}
			name := string(rune('a' + i))
			n.Inputs = append(n.Inputs, name)
			if r.u8()%4 == 0 { // an integer initializer (shapes, axes, integer operands)
				dt := []DType{Int64, Int32, UInt8, UInt64, Int8}[r.u8()%5]
				v := make([]int64, numel(shape))
				for k := range v {
					v[k] = dt.wrap(r.i64() - 1)
				}
				g.Initializers[name] = &Tensor{DType: dt, Shape: shape, I: v}
				continue
			}
			g.Inputs = append(g.Inputs, ValueInfo{Name: name, DType: Float32, Shape: shape})
			x := NewTensor(shape...)
			for k := range x.F {
				x.F[k] = float32(r.i64())
			}
			feed = append(feed, x)
		}
		for i, na := 0, r.u8()%4; i < na; i++ {
			name := fuzzAttrs[r.u8()%len(fuzzAttrs)]
			switch r.u8() % 4 {
			case 0:
				n.Attrs[name] = Attr{Kind: AttrInt, I: r.i64()}
			case 1:
				n.Attrs[name] = Attr{Kind: AttrFloat, F: float32(r.i64())}
			case 2:
				vals := make([]int64, r.u8()%5)
				for k := range vals {
					vals[k] = r.i64()
				}
				n.Attrs[name] = Attr{Kind: AttrInts, Ints: vals}
			default:
				n.Attrs[name] = Attr{Kind: AttrString, S: []string{"NOTSET", "VALID", "SAME_UPPER", "SAME_LOWER", "x", "LEFT", "RIGHT",
					"linear", "cubic", "nearest", "align_corners", "asymmetric", "tf_crop_and_resize", "floor"}[r.u8()%14]}
			}
		}
		g.Nodes = []*Node{n}
		p, err := Compile(g, DefaultLimits())
		if err != nil {
			return
		}
		a, err := p.Run(feed, 1, nil)
		if err != nil {
			return
		}
		b, err := p.Run(feed, 3, nil)
		if err != nil {
			t.Fatalf("serial run succeeded, parallel failed: %v", err)
		}
		if OutputHash(a[0]) != OutputHash(b[0]) {
			t.Fatalf("%s: serial and parallel outputs differ", n.OpType)
		}
	})
}
