package runtime

import (
	"strings"
	"testing"
)

func TestEinsumForms(t *testing.T) {
	a := mustT(t, []int{2, 3}, 1, 2, 3, 4, 5, 6)
	b := mustT(t, []int{3, 2}, 1, 0, 0, 1, 1, 1)
	eq := func(e string) map[string]Attr { return map[string]Attr{"equation": str(e)} }
	y, err := runOp(t, node("Einsum", eq("ij,jk->ik")), []*Tensor{a, b}, 1)
	if err != nil {
		t.Fatal(err)
	}
	checkEqual(t, "matmul", y, []int{2, 2}, []float32{4, 5, 10, 11})
	y, err = runOp(t, node("Einsum", eq("ij,jk")), []*Tensor{a, b}, 1) // implicit: i and k, alphabetical
	if err != nil {
		t.Fatal(err)
	}
	checkEqual(t, "implicit", y, []int{2, 2}, []float32{4, 5, 10, 11})
	y, err = runOp(t, node("Einsum", eq("ji")), []*Tensor{a}, 1) // implicit output "ij": a transpose
	if err != nil {
		t.Fatal(err)
	}
	checkEqual(t, "implicit transpose", y, []int{3, 2}, []float32{1, 4, 2, 5, 3, 6})
	sq := mustT(t, []int{2, 2, 2}, 1, 2, 3, 4, 5, 6, 7, 8)
	y, err = runOp(t, node("Einsum", eq("...ii->...i")), []*Tensor{sq}, 1)
	if err != nil {
		t.Fatal(err)
	}
	checkEqual(t, "batch diagonal", y, []int{2, 2}, []float32{1, 4, 5, 8})
	// "..." broadcasts a size-1 dimension against another operand's.
	y, err = runOp(t, node("Einsum", eq("...j,...j->..."), "y"), []*Tensor{mustT(t, []int{1, 2}, 1, 2), mustT(t, []int{3, 2}, 1, 1, 2, 2, 3, 3)}, 1)
	if err != nil {
		t.Fatal(err)
	}
	checkEqual(t, "broadcast", y, []int{3}, []float32{3, 6, 9})
	for e, ins := range map[string][]*Tensor{
		"ij,jk->ik": {a, a}, // j is 3 and 2
		"ij->k":     {a},    // k in no input
		"ijk->ij":   {a},    // three labels for rank 2
		"ij,jk,k":   {a, b}, // three terms, two inputs
		"i1->i":     {mustT(t, []int{2}, 1, 2)},
		"ij->ii":    {a},
	} {
		if _, err := runOp(t, node("Einsum", eq(e)), ins, 1); err == nil || !strings.Contains(err.Error(), "Einsum") {
			t.Errorf("%q: %v, want a refusal naming Einsum", e, err)
		}
	}
}
