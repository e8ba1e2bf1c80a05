package runtime

import (
	"math"
	"sort"
)

// Operators whose output shape depends on their inputs' values: NonZero,
// Compress, Unique, NonMaxSuppression. Shapes are static in this runtime,
// so these need every input known when the node compiles (constants, or
// graph inputs Specialize binds); their outputs are then constants. A
// model whose own computed values flow into one is refused with that
// reason. Their work is bounded (maxDataDependent elements, or boxes per
// class for NonMaxSuppression) because it happens during compilation.
//
//	NonZero: int64 [rank, count], the indices of nonzero elements in row-major order
//	Compress: the slices along axis (the flattened input without one)
//	  whose condition is true; a condition shorter than the axis is false beyond it
//	Unique: the distinct elements (or slices along axis), ascending with
//	  sorted=1 (NaN after every number, equal to itself) or in order of
//	  first appearance, with the first index of each, the inverse indices
//	  and the counts
//	NonMaxSuppression: per batch and class, boxes with score above
//	  score_threshold in descending score (ties: lower index first),
//	  taken greedily unless their IoU with a taken box exceeds
//	  iou_threshold (IoU in float64; degenerate boxes never suppress), at
//	  most max_output_boxes_per_class; rows (batch, class, box) in that order

func init() {
	register("NonZero", buildNonZero)
	register("Compress", buildCompress)
	register("Unique", buildUnique)
	register("NonMaxSuppression", buildNMS)
}

// maxDataDependent bounds the elements a compile-time operator reads.
const maxDataDependent = 1 << 20

// allConst requires inputs known at compile time (absent ones aside).
func allConst(n *Node, in []TensorInfo) error {
	for i := range in {
		if in[i].absent() {
			continue
		}
		if in[i].Const == nil {
			return n.needConst(i, "input %d must be known when the node compiles: the output's shape depends on its values", i)
		}
		if numel(in[i].Shape) > maxDataDependent {
			return n.errorf("input %d has %d elements: at most %d for an operator computed while compiling", i, numel(in[i].Shape), maxDataDependent)
		}
	}
	return nil
}

// maxCompileWork bounds one such operator's work, checked before it
// starts; Compile charges it to the budget of work done while compiling.
const maxCompileWork = 1 << 26

// known is a step whose outputs were computed while compiling, at the
// given cost. It keeps only these outputs (a copy: nothing else the
// builder made stays reachable).
func known(work int64, outs ...*Tensor) *step {
	outs = append([]*Tensor(nil), outs...)
	infos := make([]TensorInfo, len(outs))
	for i, t := range outs {
		infos[i] = TensorInfo{DType: t.DType, Shape: t.Shape, Const: t}
	}
	return &step{outs: infos, flops: work, run: func([]*Tensor, int) []*Tensor { return outs }}
}

// nonzero reports whether element i of t is not zero (NaN is nonzero).
func nonzero(t *Tensor, i int) bool {
	if t.DType.ints() && t.DType != Float64 {
		return t.I[i] != 0
	}
	return valueAsFloat64(t, i) != 0
}

func buildNonZero(n *Node, in []TensorInfo) (*step, error) {
	if err := wantInputs(n, in, 1, 1); err != nil {
		return nil, err
	}
	if err := allConst(n, in); err != nil {
		return nil, err
	}
	x := in[0].Const
	var hits []int
	for i := 0; i < x.Len(); i++ {
		if nonzero(x, i) {
			hits = append(hits, i)
		}
	}
	r := len(x.Shape)
	out := &Tensor{DType: Int64, Shape: []int{r, len(hits)}, I: make([]int64, r*len(hits))}
	for j, e := range hits {
		for d := r - 1; d >= 0; d-- {
			out.I[d*len(hits)+j] = int64(e % x.Shape[d])
			e /= x.Shape[d]
		}
	}
	return known(i64(x.Len()), out), nil
}

func buildCompress(n *Node, in []TensorInfo) (*step, error) {
	if err := wantInputs(n, in, 2, 2); err != nil {
		return nil, err
	}
	if in[1].DType != Bool || len(in[1].Shape) != 1 {
		return nil, n.errorf("condition is %s %v: want 1-D bool", in[1].DType, in[1].Shape)
	}
	if err := allConst(n, in); err != nil {
		return nil, err
	}
	x, cond := in[0].Const, in[1].Const
	shape := x.Shape
	if _, ok := n.Attrs["axis"]; !ok {
		shape = []int{x.Len()}
	}
	a, err := n.attrInt("axis", 0)
	if err != nil {
		return nil, err
	}
	axis, err := normAxis(n, a, len(shape))
	if err != nil {
		return nil, err
	}
	dim := shape[axis]
	if len(cond.I) > dim {
		return nil, n.errorf("condition has %d values for an axis of %d", len(cond.I), dim)
	}
	var keep []int
	for i, c := range cond.I {
		if c != 0 {
			keep = append(keep, i)
		}
	}
	outer, inner := numel(shape[:axis]), numel(shape[axis+1:])
	out := append([]int{}, shape...)
	out[axis] = len(keep)
	t := newOf(x.DType, out)
	e := 0
	for o := 0; o < outer; o++ {
		for _, k := range keep {
			for i := 0; i < inner; i++ {
				t.put(e, x, (o*dim+k)*inner+i)
				e++
			}
		}
	}
	return known(i64(x.Len()), t), nil
}

// compareElems orders two elements of one tensor: numbers ascending, NaN
// last and equal to NaN.
func compareElems(x *Tensor, i, j int) int {
	if x.DType.integer() || x.DType == Bool {
		return compareOf(x.DType, x.I[i], x.I[j])
	}
	a, b := valueAsFloat64(x, i), valueAsFloat64(x, j)
	switch {
	case a != a && b != b:
		return 0
	case a != a:
		return 1
	case b != b:
		return -1
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func buildUnique(n *Node, in []TensorInfo) (*step, error) {
	if err := wantInputs(n, in, 1, 1); err != nil {
		return nil, err
	}
	if err := allConst(n, in); err != nil {
		return nil, err
	}
	x := in[0].Const
	if len(n.Outputs) < 1 || len(n.Outputs) > 4 {
		return nil, n.errorf("has %d outputs", len(n.Outputs))
	}
	work := satMul(i64(x.Len()), i64(max(1, bitsOf(x.Len()))))
	if work > maxCompileWork {
		return nil, n.errorf("sorting %d elements is too much work while compiling (at most %d)", x.Len(), maxCompileWork)
	}
	sorted, err := n.attrInt("sorted", 1)
	if err != nil {
		return nil, err
	}
	shape := x.Shape
	_, hasAxis := n.Attrs["axis"]
	if !hasAxis {
		shape = []int{x.Len()}
	}
	a, err := n.attrInt("axis", 0)
	if err != nil {
		return nil, err
	}
	axis, err := normAxis(n, a, len(shape))
	if err != nil {
		return nil, err
	}
	dim, outer, inner := shape[axis], numel(shape[:axis]), numel(shape[axis+1:])
	// compareSlices orders slices p and q along the axis lexicographically.
	compareSlices := func(p, q int) int {
		for o := 0; o < outer; o++ {
			for i := 0; i < inner; i++ {
				if c := compareElems(x, (o*dim+p)*inner+i, (o*dim+q)*inner+i); c != 0 {
					return c
				}
			}
		}
		return 0
	}
	// Group equal slices by sorting (stable, so each group starts with its
	// first occurrence): O(dim·log dim) comparisons, not O(dim²).
	byValue := make([]int, dim)
	for p := range byValue {
		byValue[p] = p
	}
	sort.SliceStable(byValue, func(i, j int) bool { return compareSlices(byValue[i], byValue[j]) < 0 })
	groupOf := make([]int, dim) // slice -> its group's first occurrence
	for i, p := range byValue {
		if i > 0 && compareSlices(byValue[i-1], p) == 0 {
			groupOf[p] = groupOf[byValue[i-1]]
		} else {
			groupOf[p] = p
		}
	}
	var firsts []int // first occurrence of each distinct slice, in order of appearance
	inverseFirst := make([]int, dim)
	slotOf := map[int]int{} // first occurrence -> index into firsts (looked up by key only)
	for p := 0; p < dim; p++ {
		k, ok := slotOf[groupOf[p]]
		if !ok {
			k = len(firsts)
			slotOf[groupOf[p]] = k
			firsts = append(firsts, p)
		}
		inverseFirst[p] = k
	}
	order := make([]int, len(firsts)) // output position -> index into firsts
	for i := range order {
		order[i] = i
	}
	if sorted == 1 {
		sort.SliceStable(order, func(i, j int) bool { return compareSlices(firsts[order[i]], firsts[order[j]]) < 0 })
	}
	pos := make([]int, len(firsts))
	for i, k := range order {
		pos[k] = i
	}
	u := len(firsts)
	outShape := append([]int{}, shape...)
	outShape[axis] = u
	y := newOf(x.DType, outShape)
	e := 0
	for o := 0; o < outer; o++ {
		for _, k := range order {
			for i := 0; i < inner; i++ {
				y.put(e, x, (o*dim+firsts[k])*inner+i)
				e++
			}
		}
	}
	idx := &Tensor{DType: Int64, Shape: []int{u}, I: make([]int64, u)}
	counts := &Tensor{DType: Int64, Shape: []int{u}, I: make([]int64, u)}
	inv := &Tensor{DType: Int64, Shape: []int{dim}, I: make([]int64, dim)}
	for i, k := range order {
		idx.I[i] = int64(firsts[k])
	}
	for p := 0; p < dim; p++ {
		inv.I[p] = int64(pos[inverseFirst[p]])
		counts.I[pos[inverseFirst[p]]]++
	}
	all := []*Tensor{y, idx, inv, counts}
	return known(work, all[:len(n.Outputs)]...), nil
}

func buildNMS(n *Node, in []TensorInfo) (*step, error) {
	if err := wantInputs(n, in, 2, 5); err != nil {
		return nil, err
	}
	for i := range in {
		if i != 2 && !in[i].absent() {
			if err := wantFloat(n, in, i); err != nil {
				return nil, err
			}
		}
	}
	bs, ss := in[0].Shape, in[1].Shape
	if len(bs) != 3 || bs[2] != 4 || len(ss) != 3 || ss[0] != bs[0] || ss[2] != bs[1] {
		return nil, n.errorf("boxes %v and scores %v: want [B, N, 4] and [B, C, N]", bs, ss)
	}
	// Every pair of a class's boxes may be compared.
	work := satMul(i64(bs[0]), i64(ss[1]), i64(bs[1]), i64(bs[1]))
	if work > maxCompileWork {
		return nil, n.errorf("%d batches × %d classes × %d² boxes is too much work while compiling (at most %d)", bs[0], ss[1], bs[1], maxCompileWork)
	}
	if len(in) > 2 && !in[2].absent() && (in[2].DType != Int64 || numel(in[2].Shape) != 1) {
		return nil, n.errorf("max_output_boxes_per_class is %s %v: want one int64", in[2].DType, in[2].Shape)
	}
	for i := 3; i < len(in); i++ {
		if !in[i].absent() && numel(in[i].Shape) != 1 {
			return nil, n.errorf("input %d is %v: want a scalar", i, in[i].Shape)
		}
	}
	if err := allConst(n, in); err != nil {
		return nil, err
	}
	center, err := n.attrInt("center_point_box", 0)
	if err != nil {
		return nil, err
	}
	var maxOut int64
	iouT := 0.0 // absent: any overlap suppresses
	scoreT, hasScoreT := 0.0, false
	if len(in) > 2 && !in[2].absent() {
		maxOut = in[2].Const.I[0]
	}
	if len(in) > 3 && !in[3].absent() {
		iouT = float64(in[3].Const.F[0])
	}
	if len(in) > 4 && !in[4].absent() {
		scoreT, hasScoreT = float64(in[4].Const.F[0]), true
	}
	boxes, scores := in[0].Const.F, in[1].Const.F
	B, N, C := bs[0], bs[1], ss[1]
	corners := func(b, i int) (y1, x1, y2, x2 float64) {
		v := boxes[(b*N+i)*4 : (b*N+i)*4+4]
		if center == 1 {
			cx, cy, w, h := float64(v[0]), float64(v[1]), float64(v[2]), float64(v[3])
			hh, hw := float64(h/2), float64(w/2) // rounded alone: h/2 is h·0.5, which a compiler may fuse
			return cy - hh, cx - hw, cy + hh, cx + hw
		}
		y1, x1, y2, x2 = float64(v[0]), float64(v[1]), float64(v[2]), float64(v[3])
		return math.Min(y1, y2), math.Min(x1, x2), math.Max(y1, y2), math.Max(x1, x2)
	}
	suppress := func(b, i, j int) bool {
		ay1, ax1, ay2, ax2 := corners(b, i)
		by1, bx1, by2, bx2 := corners(b, j)
		ih := math.Min(ay2, by2) - math.Max(ay1, by1)
		iw := math.Min(ax2, bx2) - math.Max(ax1, bx1)
		if ih <= 0 || iw <= 0 {
			return false
		}
		inter := float64(ih * iw)
		a1, a2 := float64((ay2-ay1)*(ax2-ax1)), float64((by2-by1)*(bx2-bx1))
		union := a1 + a2 - inter
		if a1 <= 0 || a2 <= 0 || union <= 0 {
			return false
		}
		return inter/union > iouT
	}
	var rows []int64
	for b := 0; b < B; b++ {
		for c := 0; c < C; c++ {
			sc := scores[(b*C+c)*N : (b*C+c+1)*N]
			var cand []int
			for i, s := range sc {
				if !hasScoreT || float64(s) > scoreT {
					cand = append(cand, i)
				}
			}
			sort.SliceStable(cand, func(p, q int) bool { return sc[cand[p]] > sc[cand[q]] })
			var taken []int
			for _, i := range cand {
				if int64(len(taken)) >= maxOut {
					break
				}
				ok := true
				for _, j := range taken {
					if suppress(b, j, i) {
						ok = false
						break
					}
				}
				if ok {
					taken = append(taken, i)
					rows = append(rows, int64(b), int64(c), int64(i))
				}
			}
		}
	}
	out := &Tensor{DType: Int64, Shape: []int{len(rows) / 3, 3}, I: rows}
	if out.I == nil {
		out.I = []int64{}
	}
	return known(work, out), nil
}
