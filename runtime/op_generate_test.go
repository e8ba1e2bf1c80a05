package runtime

import (
	"strings"
	"testing"
)

func TestOneHotEyeLikeRange(t *testing.T) {
	// OneHot: −1 counts from depth's end, 3 is outside depth 3 (all off).
	idx := int64T([]int{3}, 0, -1, 3)
	y, err := runOp(t, node("OneHot", nil), []*Tensor{idx, int64T(nil, 3), mustT(t, []int{2}, 5, 9)}, 1)
	if err != nil {
		t.Fatal(err)
	}
	checkEqual(t, "onehot", y, []int{3, 3}, []float32{9, 5, 5, 5, 5, 9, 5, 5, 5})
	y, err = runOp(t, node("EyeLike", map[string]Attr{"k": intA(-1)}), []*Tensor{NewTensor(3, 2)}, 1)
	if err != nil {
		t.Fatal(err)
	}
	checkEqual(t, "eyelike", y, []int{3, 2}, []float32{0, 0, 1, 0, 0, 1})
	r, err := runOp(t, node("Range", nil), []*Tensor{int64T(nil, 10), int64T(nil, 1), int64T(nil, -4)}, 1)
	wantTyped(t, "range", r, err, Int64, 10, 6, 2)
	r, err = runOp(t, node("Range", nil), []*Tensor{int64T(nil, 1), int64T(nil, 10), int64T(nil, -4)}, 1)
	wantTyped(t, "empty range", r, err, Int64)
	for name, ins := range map[string][]*Tensor{
		"zero delta":   {int64T(nil, 0), int64T(nil, 5), int64T(nil, 0)},
		"huge":         {int64T(nil, 0), int64T(nil, 1<<50), int64T(nil, 1)},
		"mixed types":  {int64T(nil, 0), mustT(t, nil, 5), int64T(nil, 1)},
		"not a scalar": {int64T([]int{2}, 0, 1), int64T(nil, 5), int64T(nil, 1)},
	} {
		if _, err := runOp(t, node("Range", nil), ins, 1); err == nil || !strings.Contains(err.Error(), "Range") {
			t.Errorf("%s: %v, want a refusal naming Range", name, err)
		}
	}
	if _, err := runOp(t, node("OneHot", nil), []*Tensor{idx, int64T(nil, 0), mustT(t, []int{2}, 0, 1)}, 1); err == nil {
		t.Error("depth 0 accepted")
	}
}
