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
