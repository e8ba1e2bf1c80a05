package runtime

import (
	"math"
	"strings"
	"testing"
)

// TestInstanceNormMatchesDefinition: against float64 arithmetic, and the
// refusals name the node.
func TestInstanceNormMatchesDefinition(t *testing.T) {
	x, s, b := randT(21, 2, 3, 4, 5), randT(22, 3), randT(23, 3)
	y, err := runOp(t, node("InstanceNormalization", nil), []*Tensor{x, s, b}, 2)
	if err != nil {
		t.Fatal(err)
	}
	for blk := 0; blk < 6; blk++ {
		xs := x.F[blk*20 : (blk+1)*20]
		m, v := 0.0, 0.0
		for _, e := range xs {
			m += float64(e)
		}
		m /= 20
		for _, e := range xs {
			v += (float64(e) - m) * (float64(e) - m)
		}
		v /= 20
		c := blk % 3
		for j, e := range xs {
			want := (float64(e)-m)/math.Sqrt(v+1e-5)*float64(s.F[c]) + float64(b.F[c])
			if math.Abs(float64(y.F[blk*20+j])-want) > 1e-5*(1+math.Abs(want)) {
				t.Fatalf("block %d element %d: %v, want %v", blk, j, y.F[blk*20+j], want)
			}
		}
	}
	if _, err := runOp(t, node("InstanceNormalization", nil), []*Tensor{x, randT(1, 4), b}, 1); err == nil || !strings.Contains(err.Error(), "InstanceNormalization") {
		t.Fatalf("a scale of 4 for 3 channels: %v", err)
	}
	if _, err := runOp(t, node("LRN", nil), []*Tensor{x}, 1); err == nil || !strings.Contains(err.Error(), "size") {
		t.Fatalf("LRN without size: %v", err)
	}
	if _, err := runOp(t, node("MeanVarianceNormalization", nil), []*Tensor{randT(1, 2, 3)}, 1); err == nil {
		t.Fatal("MVN's default axes accepted on rank 2")
	}
}

// TestGroupNormalization: the normalisation of each group of channels,
// with per-group (opset 18) and per-channel (opset 21) scale and bias.
func TestGroupNormalization(t *testing.T) {
	x := mustT(t, []int{1, 4, 2}, 1, 3, 5, 7, 0, 0, 2, 2)
	for _, c := range []struct {
		opset       int64
		scale, bias *Tensor
		want        []float32
	}{
		// group 0: 1 3 5 7, mean 4, var 5; group 1: 0 0 2 2, mean 1, var 1
		{18, mustT(t, []int{2}, 1, 2), mustT(t, []int{2}, 0, 1), []float32{-1.3416, -0.4472, 0.4472, 1.3416, -1, -1, 3, 3}},
		{21, mustT(t, []int{4}, 1, 1, 2, 2), mustT(t, []int{4}, 0, 0, 1, 1), []float32{-1.3416, -0.4472, 0.4472, 1.3416, -1, -1, 3, 3}},
	} {
		n := node("GroupNormalization", map[string]Attr{"num_groups": intA(2), "epsilon": {Kind: AttrFloat, F: 0}})
		n.Opset = c.opset
		y, err := runOp(t, n, []*Tensor{x, c.scale, c.bias}, 1)
		if err != nil {
			t.Fatal(err)
		}
		for i, w := range c.want {
			if math.Abs(float64(y.F[i]-w)) > 1e-4 {
				t.Fatalf("opset %d: %v, want %v", c.opset, y.F, c.want)
			}
		}
	}
	if _, err := runOp(t, node("GroupNormalization", map[string]Attr{"num_groups": intA(3)}), []*Tensor{x, mustT(t, []int{3}, 1, 1, 1), mustT(t, []int{3}, 0, 0, 0)}, 1); err == nil {
		t.Fatal("3 groups of 4 channels accepted")
	}
}
