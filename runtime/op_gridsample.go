package runtime

import "math"

// GridSample (opset 16; 4-D): X [N, C, H, W] sampled at grid [N, Ho, Wo,
// 2] of normalised (x, y) in [−1, 1]; modes bilinear, nearest, bicubic;
// padding zeros, border, reflection; align_corners. In float64 with
// products rounded alone, one rounding to float32 per output element:
//
//	x = (gx + 1)/2 · (W − 1) with align_corners, else ((gx + 1)·W − 1)/2 (y likewise)
//	the sampling bounds are [0, W−1] with align_corners, else [−0.5, W−0.5];
//	  outside them border clamps the coordinate, reflection reflects it
//	nearest: the pixel at (RoundToEven(y), RoundToEven(x))
//	bilinear: x1 = ⌊x⌋, the four pixels weighted (x1+1−x, x−x1) by (y1+1−y, y−y1):
//	  dy2·(dx2·p11 + dx1·p12) + dy1·(dx2·p21 + dx1·p22)
//	bicubic: the 4×4 pixels from (⌊y⌋−1, ⌊x⌋−1), Keys' weights (A = −0.75),
//	  each row Σ_j wx_j·p_ij (j ascending), then Σ_i wy_i·row_i
//	a pixel outside the image reads 0 (zeros), the clamped pixel (border)
//	  or the reflected one (reflection)

func init() { register("GridSample", buildGridSample) }

func buildGridSample(n *Node, in []TensorInfo) (*step, error) {
	if err := wantInputs(n, in, 2, 2); err != nil {
		return nil, err
	}
	for i := range in {
		if err := wantFloat(n, in, i); err != nil {
			return nil, err
		}
	}
	xs, gs := in[0].Shape, in[1].Shape
	if len(xs) != 4 || len(gs) != 4 || gs[0] != xs[0] || gs[3] != 2 {
		return nil, n.errorf("X %v and grid %v: want [N, C, H, W] and [N, Ho, Wo, 2]", xs, gs)
	}
	mode, err := n.attrString("mode", "bilinear")
	if err != nil {
		return nil, err
	}
	pad, err := n.attrString("padding_mode", "zeros")
	if err != nil {
		return nil, err
	}
	ac, err := n.attrInt("align_corners", 0)
	if err != nil {
		return nil, err
	}
	switch mode {
	case "bilinear", "nearest", "bicubic":
	default:
		return nil, n.errorf("mode %q: want bilinear, nearest or bicubic", mode)
	}
	switch pad {
	case "zeros", "border", "reflection":
	default:
		return nil, n.errorf("padding_mode %q: want zeros, border or reflection", pad)
	}
	N, C, H, W := xs[0], xs[1], xs[2], xs[3]
	Ho, Wo := gs[1], gs[2]
	out := []int{N, C, Ho, Wo}
	size := numel(out)
	align := ac == 1
	lo, hiX, hiY := -0.5, float64(W)-0.5, float64(H)-0.5
	if align {
		lo, hiX, hiY = 0, float64(W-1), float64(H-1)
	}
	denorm := func(g float64, length int) float64 {
		if align {
			return float64((g+1)/2) * float64(length-1)
		}
		return (float64((g+1)*float64(length)) - 1) / 2
	}
	// reflect folds v into [a, b] (the reference's GsReflect).
	reflect := func(v, a, b float64) float64 {
		r := b - a
		if r <= 0 {
			return a
		}
		switch {
		case v < a:
			d := a - v
			k := math.Trunc(d / r)
			rem := d - float64(k*r)
			if math.Mod(k, 2) == 0 {
				return a + rem
			}
			return b - rem
		case v > b:
			d := v - b
			k := math.Trunc(d / r)
			rem := d - float64(k*r)
			if math.Mod(k, 2) == 0 {
				return b - rem
			}
			return a + rem
		}
		return v
	}
	taps := map[string]int{"nearest": 1, "bilinear": 4, "bicubic": 16}[mode]
	return &step{outs: floatOut(out), flops: 3 * i64(size) * i64(taps), run: func(x []*Tensor, workers int) []*Tensor {
		res := &Tensor{DType: Float32, Shape: out, F: make([]float32, size)}
		X, G := x[0].F, x[1].F
		parallelFor(workers, N*C, Ho*Wo*taps, func(lo0, hi0 int) {
			for nc := lo0; nc < hi0; nc++ {
				nn := nc / C
				img := X[nc*H*W : (nc+1)*H*W]
				pixel := func(r, c int) float64 {
					switch pad {
					case "zeros":
						if r < 0 || r >= H || c < 0 || c >= W {
							return 0
						}
					case "border":
						r, c = min(max(r, 0), H-1), min(max(c, 0), W-1)
					case "reflection":
						c = int(reflect(float64(c), lo, hiX))
						r = int(reflect(float64(r), lo, hiY))
						r, c = min(max(r, 0), H-1), min(max(c, 0), W-1)
					}
					return float64(img[r*W+c])
				}
				for o := 0; o < Ho*Wo; o++ {
					g := G[(nn*Ho*Wo+o)*2:]
					px, py := denorm(float64(g[0]), W), denorm(float64(g[1]), H)
					if mode == "nearest" {
						px, py = math.RoundToEven(px), math.RoundToEven(py)
					}
					if px < lo || px > hiX || py < lo || py > hiY {
						switch pad {
						case "border":
							px, py = min(max(px, 0), float64(W-1)), min(max(py, 0), float64(H-1))
						case "reflection":
							px, py = reflect(px, lo, hiX), reflect(py, lo, hiY)
						}
					}
					var v float64
					switch mode {
					case "nearest":
						v = pixel(int(math.Floor(py)), int(math.Floor(px)))
					case "bilinear":
						x1, y1 := math.Floor(px), math.Floor(py)
						dx1, dy1 := px-x1, py-y1
						dx2, dy2 := 1-dx1, 1-dy1
						c1, r1 := int(x1), int(y1)
						top := float64(dx2*pixel(r1, c1)) + float64(dx1*pixel(r1, c1+1))
						bot := float64(dx2*pixel(r1+1, c1)) + float64(dx1*pixel(r1+1, c1+1))
						v = float64(dy2*top) + float64(dy1*bot)
					case "bicubic":
						x0, y0 := math.Floor(px)-1, math.Floor(py)-1
						wx := cubicWeights(px-x0-1, -0.75)
						wy := cubicWeights(py-y0-1, -0.75)
						for i := 0; i < 4; i++ {
							row := 0.0
							for j := 0; j < 4; j++ {
								row = row + float64(wx[j]*pixel(int(y0)+i, int(x0)+j))
							}
							v = v + float64(wy[i]*row)
						}
					}
					res.F[nc*Ho*Wo+o] = float32(v)
				}
			}
		})
		return []*Tensor{res}
	}}, nil
}
