package runtime

import (
	"fmt"
	"math/rand"
	"testing"
)

var zzOps = []string{"Pad", "ScatterND", "GatherND", "ScatterElements", "Scatter", "TopK", "Einsum", "CumSum", "OneHot", "Range", "EyeLike",
	"RNN", "GRU", "LSTM", "InstanceNormalization", "LRN", "MeanVarianceNormalization", "Pow", "Resize", "Upsample", "ConvTranspose",
	"Mod", "BitShift", "Clip", "Max", "Min", "Cast", "CastLike", "Slice", "ReduceLogSumExp", "Trilu", "Where", "Gather", "GatherElements",
	"Expand", "Tile", "Split", "Concat", "Squeeze", "Unsqueeze", "ArgMax", "ReduceSum", "Softmax", "Flatten", "Transpose", "Reshape",
	"ConstantOfShape", "Shape", "Size", "Equal", "Less", "Not", "Neg", "Abs", "Sign", "Add", "Mul", "Div", "Sub", "GlobalAveragePool", "MatMul", "Gemm", "Conv", "MaxPool", "AveragePool", "Sum", "Mean", "Dropout", "Identity", "BatchNormalization", "LayerNormalization", "Sin", "Acosh"}

var zzAttrNames = []string{"mode", "pads", "axis", "axes", "batch_dims", "reduction", "k", "largest", "equation", "exclusive", "reverse",
	"depth", "dtype", "direction", "hidden_size", "layout", "activations", "clip", "linear_before_reset", "input_forget", "size",
	"coordinate_transformation_mode", "nearest_mode", "scales", "group", "strides", "dilations", "output_padding", "output_shape", "auto_pad",
	"kernel_shape", "fmod", "to", "upper", "keepdims", "value", "perm", "epsilon", "activation_alpha", "exclude_outside", "cubic_coeff_a", "sorted", "select_last_index", "noop_with_empty_axes", "allowzero"}

func zzVal(r *rand.Rand) int64 {
	switch r.Intn(6) {
	case 0:
		return int64(r.Intn(5)) - 2
	case 1:
		return []int64{1 << 40, -(1 << 40), 1<<63 - 1, -1 << 63, 1 << 31, 1 << 20}[r.Intn(6)]
	}
	return int64(r.Intn(4))
}

func zzCompile(g *Graph) (p *Program, err error, pan any) {
	defer func() {
		if x := recover(); x != nil {
			pan = x
		}
	}()
	p, err = Compile(g, DefaultLimits())
	return
}

func TestZZFuzzNew(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	seen := map[string]int{}
	for it := 0; it < 400000; it++ {
		op := zzOps[r.Intn(len(zzOps))]
		n := &Node{Name: "n", OpType: op, Attrs: map[string]Attr{}, Opset: []int64{1, 6, 7, 9, 10, 11, 12, 13, 14, 16, 18, 19, 21}[r.Intn(13)]}
		g := &Graph{Initializers: map[string]*Tensor{}, Opset: n.Opset}
		nout := 1 + r.Intn(3)
		for i := 0; i < nout; i++ {
			n.Outputs = append(n.Outputs, fmt.Sprint("y", i))
		}
		g.Outputs = []string{"y0"}
		var feed []*Tensor
		nin := r.Intn(5)
		if r.Intn(8) == 0 {
			nin = r.Intn(9)
		}
		for i := 0; i < nin; i++ {
			name := fmt.Sprint("x", i)
			if r.Intn(7) == 0 {
				n.Inputs = append(n.Inputs, "")
				continue
			}
			rank := r.Intn(5)
			shape := make([]int, rank)
			for d := range shape {
				shape[d] = r.Intn(4)
			}
			n.Inputs = append(n.Inputs, name)
			dts := []DType{Float32, Int64, Int32, Float64, Float16, Bool, UInt8, UInt64}
			dt := dts[r.Intn(len(dts))]
			if r.Intn(3) == 0 {
				dt = Int64
			}
			if r.Intn(2) == 0 || dt != Float32 {
				t := newOf(dt, shape)
				for k := range t.I {
					t.I[k] = dt.wrap(zzVal(r))
					if dt == Bool {
						t.I[k] &= 1
					}
					if dt == Float64 {
						t.I[k] = f64bits(float64(zzVal(r)))
					}
				}
				for k := range t.F {
					t.F[k] = float32(r.Intn(5) - 2)
				}
				g.Initializers[name] = t
				continue
			}
			g.Inputs = append(g.Inputs, ValueInfo{Name: name, DType: Float32, Shape: shape})
			x := NewTensor(shape...)
			for k := range x.F {
				x.F[k] = float32(r.Intn(5) - 2)
			}
			feed = append(feed, x)
		}
		for i, na := 0, r.Intn(4); i < na; i++ {
			name := zzAttrNames[r.Intn(len(zzAttrNames))]
			switch r.Intn(5) {
			case 0:
				n.Attrs[name] = Attr{Kind: AttrInt, I: zzVal(r)}
			case 1:
				n.Attrs[name] = Attr{Kind: AttrFloat, F: float32(zzVal(r))}
			case 2:
				vals := make([]int64, r.Intn(5))
				for k := range vals {
					vals[k] = zzVal(r)
				}
				n.Attrs[name] = Attr{Kind: AttrInts, Ints: vals}
			case 3:
				n.Attrs[name] = Attr{Kind: AttrStrings, Strings: []string{"Tanh", "Sigmoid", "Relu"}[:r.Intn(4)]}
			default:
				n.Attrs[name] = Attr{Kind: AttrString, S: []string{"constant", "edge", "reflect", "wrap", "add", "mul", "max", "min", "ij,jk->ik", "i,i", "...,...->...", "ii->i", "a...", "forward", "reverse", "bidirectional", "linear", "cubic", "nearest", "tf_crop_and_resize", "SAME_UPPER", "LEFT", "RIGHT", "", "ab,b", "...a,a->..."}[r.Intn(26)]}
			}
		}
		g.Nodes = []*Node{n}
		p, err, pan := zzCompile(g)
		if pan != nil {
			key := fmt.Sprintf("%s: %v", op, pan)
			if seen[key] == 0 {
				t.Logf("COMPILE PANIC %s\n   inputs %q attrs %+v opset %d", key, n.Inputs, n.Attrs, n.Opset)
				for _, nm := range n.Inputs {
					if tt := g.Initializers[nm]; tt != nil {
						t.Logf("     init %s %s %v I=%v F=%v", nm, tt.DType, tt.Shape, tt.I, tt.F)
					}
				}
			}
			seen[key]++
			continue
		}
		if err != nil {
			continue
		}
		if len(p.Inputs()) != len(feed) {
			continue
		}
		a, err := p.Run(feed, 1, nil)
		b, err2 := p.Run(feed, 4, nil)
		if (err == nil) != (err2 == nil) {
			t.Logf("serial/parallel error mismatch %s: %v / %v", op, err, err2)
			continue
		}
		if err == nil {
			for i := range a {
				if OutputHash(a[i]) != OutputHash(b[i]) {
					t.Logf("serial/parallel differ %s", op)
				}
			}
			// recompute each leaf
			for l := 0; l < p.LeavesPerItem(); l++ {
				_, srcs, _ := p.LeafNode(l)
				var ins []*Tensor
				fi := 0
				for _, s := range srcs {
					switch s.Kind {
					case FromItem:
						for j, v := range p.Inputs() {
							if v.Name == s.Name {
								ins = append(ins, feed[j])
							}
						}
						fi++
					case FromWeight:
						ins = append(ins, g.Initializers[s.Name])
					}
				}
				var obs []*Tensor
				p.Run(feed, 1, func(leaf int, t *Tensor) { obs = append(obs, t) })
				re, err := p.Recompute(l, ins)
				if err != nil {
					t.Logf("recompute error %s leaf %d: %v", op, l, err)
					continue
				}
				if OutputHash(re) != OutputHash(obs[l]) {
					t.Logf("recompute differs %s leaf %d", op, l)
				}
			}
		}
	}
	for k, v := range seen {
		t.Logf("%6d %s", v, k)
	}
}
