package runtime

// RotaryEmbedding (ONNX opset 23). X is [B, H, S, D], or [B, S, H·D] with
// the num_heads attribute. With position_ids ([B, S] int64) the caches are
// [max_position, R/2] and row position_ids[b, s] is used; without, the
// caches are [B, S, R/2]. R = rotary_embedding_dim (0: all of D) must be
// even; dimensions from R on pass through. For each (b, h, s) and
// i in [0, R/2), with c = cos[i], s = sin[i] and the pair (x1, x2) being
// (x[i], x[i+R/2]) (interleaved = 0) or (x[2i], x[2i+1]) (interleaved = 1):
//
//	y1 = float32(x1·c) − float32(x2·s)
//	y2 = float32(x2·c) + float32(x1·s)
//
// A position outside the cache fails the item's run.

import "fmt"

func init() { register("RotaryEmbedding", buildRotary) }

func buildRotary(n *Node, in []TensorInfo) (*step, error) {
	if err := wantInputs(n, in, 3, 4); err != nil {
		return nil, err
	}
	for i := 0; i < 3; i++ {
		if err := wantFloat(n, in, i); err != nil {
			return nil, err
		}
	}
	shape := in[0].Shape
	interleaved, err := n.attrInt("interleaved", 0)
	if err != nil {
		return nil, err
	}
	heads, err := n.attrInt("num_heads", 0)
	if err != nil {
		return nil, err
	}
	rdim, err := n.attrInt("rotary_embedding_dim", 0)
	if err != nil {
		return nil, err
	}
	var B, H, S, D int
	heads4 := false
	switch len(shape) {
	case 4:
		B, H, S, D = shape[0], shape[1], shape[2], shape[3]
		heads4 = true
	case 3:
		if heads <= 0 || shape[2]%int(heads) != 0 {
			return nil, n.errorf("a 3-D input needs num_heads dividing %d", shape[2])
		}
		B, S, H = shape[0], shape[1], int(heads)
		D = shape[2] / H
	default:
		return nil, n.errorf("input rank %d: want 3 or 4", len(shape))
	}
	R := D
	if rdim != 0 {
		R = int(rdim)
	}
	if R <= 0 || R > D || R%2 != 0 {
		return nil, n.errorf("rotary_embedding_dim %d must be even and at most the head size %d", R, D)
	}
	half := R / 2
	withPos := len(in) == 4
	cs, ss := in[1].Shape, in[2].Shape
	if !sameShape(cs, ss) {
		return nil, n.errorf("cos cache %v and sin cache %v differ", cs, ss)
	}
	maxPos := 0
	if withPos {
		if in[3].DType != Int64 || !sameShape(in[3].Shape, []int{B, S}) {
			return nil, n.errorf("position_ids must be int64 [%d, %d]", B, S)
		}
		if len(cs) != 2 || cs[1] != half {
			return nil, n.errorf("cos cache %v: want [max_position, %d]", cs, half)
		}
		maxPos = cs[0]
		if pos := in[3].Const; pos != nil {
			for _, p := range pos.I {
				if p < 0 || p >= int64(maxPos) {
					return nil, n.errorf("position %d outside the cache of %d", p, maxPos)
				}
			}
		}
	} else if !sameShape(cs, []int{B, S, half}) {
		return nil, n.errorf("cos cache %v: want [%d, %d, %d] without position_ids", cs, B, S, half)
	}
	size := numel(shape)
	inter := interleaved != 0
	return &step{outs: floatOut(shape), flops: 6 * i64(B*H*S*half), fresh: true, run: func(x []*Tensor, _ int) []*Tensor {
		X, cosT, sinT := x[0].F, x[1].F, x[2].F
		out := &Tensor{DType: Float32, Shape: shape, F: newFloatsUncleared(size)}
		copy(out.F, X)
		for b := 0; b < B; b++ {
			for s := 0; s < S; s++ {
				row := (b*S + s) * half
				if withPos {
					p := x[3].I[b*S+s]
					if p < 0 || p >= int64(maxPos) {
						panic(fmt.Sprintf("position %d outside the cache of %d", p, maxPos))
					}
					row = int(p) * half
				}
				c, sn := cosT[row:row+half], sinT[row:row+half]
				for h := 0; h < H; h++ {
					base := ((b*S+s)*H + h) * D
					if heads4 {
						base = ((b*H+h)*S + s) * D
					}
					xs, ys := X[base:base+D], out.F[base:base+D]
					for i := 0; i < half; i++ {
						i1, i2 := i, i+half
						if inter {
							i1, i2 = 2*i, 2*i+1
						}
						x1, x2 := xs[i1], xs[i2]
						ys[i1] = float32(x1*c[i]) - float32(x2*sn[i])
						ys[i2] = float32(x2*c[i]) + float32(x1*sn[i])
					}
				}
			}
		}
		return []*Tensor{out}
	}}, nil
}
