package runtime

import "testing"

func benchOp(b *testing.B, n *Node, in []*Tensor, workers int) {
	g := &Graph{Initializers: map[string]*Tensor{}, Opset: 13}
	n.Opset = 13
	n.Inputs = nil
	for i, x := range in {
		name := string(rune('a' + i))
		n.Inputs = append(n.Inputs, name)
		g.Inputs = append(g.Inputs, ValueInfo{Name: name, DType: Float32, Shape: x.Shape})
	}
	n.Outputs = []string{"y"}
	g.Nodes, g.Outputs = []*Node{n}, []string{"y"}
	p, err := Compile(g, DefaultLimits())
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		if _, err := p.Run(in, workers, nil); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(p.FLOPs())*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
}

// BenchmarkConv: the zoo CNN's second convolution (8->16 channels, 5x5,
// 14x14, same padding) and a larger 3x3 layer.
func BenchmarkConv(b *testing.B) {
	zoo := &Node{OpType: "Conv", Attrs: map[string]Attr{"pads": ints(2, 2, 2, 2)}}
	b.Run("zoo-8x16x14x14-k5/serial", func(b *testing.B) {
		benchOp(b, zoo, []*Tensor{randT(1, 1, 8, 14, 14), randT(2, 16, 8, 5, 5)}, 1)
	})
	big := &Node{OpType: "Conv", Attrs: map[string]Attr{"pads": ints(1, 1, 1, 1)}}
	for _, w := range []int{1, 2} {
		b.Run("64x64x56x56-k3/workers="+string(rune('0'+w)), func(b *testing.B) {
			benchOp(b, big, []*Tensor{randT(1, 1, 64, 56, 56), randT(2, 64, 64, 3, 3), randT(3, 64)}, w)
		})
	}
}

// BenchmarkRefereeLimit: the largest operator a Verde referee step accepts
// is bounded by max_referee_flops (10^8 FLOPs for the one operator): here a
// 3x3 convolution of 64 to 64 channels on 36x36 (95.6 MFLOP), on one
// goroutine as the chain recomputes it.
func BenchmarkRefereeLimit(b *testing.B) {
	conv := &Node{OpType: "Conv", Attrs: map[string]Attr{"pads": ints(1, 1, 1, 1)}}
	b.Run("conv-64x64x36x36-k3", func(b *testing.B) {
		benchOp(b, conv, []*Tensor{randT(1, 1, 64, 36, 36), randT(2, 64, 64, 3, 3), randT(3, 64)}, 1)
	})
}

// BenchmarkGemm: a dense layer 784->128 for one item and a 256x256x256 product.
func BenchmarkGemm(b *testing.B) {
	g := &Node{OpType: "Gemm", Attrs: map[string]Attr{"transB": intA(1)}}
	b.Run("1x784x128", func(b *testing.B) {
		benchOp(b, g, []*Tensor{randT(1, 1, 784), randT(2, 128, 784), randT(3, 128)}, 1)
	})
	sq := &Node{OpType: "Gemm"}
	for _, w := range []int{1, 2} {
		b.Run("256x256x256/workers="+string(rune('0'+w)), func(b *testing.B) {
			benchOp(b, sq, []*Tensor{randT(1, 256, 256), randT(2, 256, 256)}, w)
		})
	}
}
