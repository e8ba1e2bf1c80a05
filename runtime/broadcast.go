package runtime

import "fmt"

// broadcast maps each element of a numpy-broadcast output back to its two
// operands. Shapes are right-aligned; a dimension of 1 (or a missing
// leading dimension) is repeated, and gets stride 0 in that operand.
type broadcast struct {
	out    []int
	sa, sb []int // operand strides in output rank (0 where broadcast)
}

func newBroadcast(a, b []int) (*broadcast, error) {
	r := max(len(a), len(b))
	bc := &broadcast{out: make([]int, r), sa: make([]int, r), sb: make([]int, r)}
	stA, stB := strides(a), strides(b)
	for i := 0; i < r; i++ {
		da, db := 1, 1
		ia, ib := i-(r-len(a)), i-(r-len(b))
		if ia >= 0 {
			da = a[ia]
		}
		if ib >= 0 {
			db = b[ib]
		}
		switch {
		case da == db:
			bc.out[i] = da
		case da == 1:
			bc.out[i] = db
		case db == 1:
			bc.out[i] = da
		default:
			return nil, fmt.Errorf("shapes %v and %v do not broadcast", a, b)
		}
		if ia >= 0 && da != 1 {
			bc.sa[i] = stA[ia]
		}
		if ib >= 0 && db != 1 {
			bc.sb[i] = stB[ib]
		}
	}
	return bc, nil
}

// coalesced is the same mapping over fewer dimensions: dimensions of 1 are
// dropped, and a dimension is merged into the next where both operands
// step through the pair as through one (stride = next stride × next
// size; two broadcast dimensions, stride 0, always merge). Every output
// element keeps its operand offsets, so the arithmetic and its bits are
// unchanged; the row loops then walk, say, a [1,C,H,W] + [C,1,1] bias as C
// rows of H·W instead of C·H rows of W, each row's offsets found once.
func (bc *broadcast) coalesced() *broadcast {
	if numel(bc.out) == 0 {
		return bc
	}
	c := &broadcast{}
	for i, d := range bc.out {
		if d == 1 {
			continue
		}
		if n := len(c.out) - 1; n >= 0 && c.sa[n] == bc.sa[i]*d && c.sb[n] == bc.sb[i]*d {
			c.out[n] *= d
			c.sa[n], c.sb[n] = bc.sa[i], bc.sb[i]
			continue
		}
		c.out, c.sa, c.sb = append(c.out, d), append(c.sa, bc.sa[i]), append(c.sb, bc.sb[i])
	}
	return c
}

// bcIter walks output elements in row-major order, tracking operand offsets.
type bcIter struct {
	bc     *broadcast
	idx    []int
	ia, ib int
}

// at positions an iterator at flat output index flat.
func (bc *broadcast) at(flat int) *bcIter {
	it := &bcIter{bc: bc, idx: make([]int, len(bc.out))}
	for i := len(bc.out) - 1; i >= 0; i-- {
		d := bc.out[i]
		if d == 0 {
			continue
		}
		it.idx[i] = flat % d
		flat /= d
		it.ia += it.idx[i] * bc.sa[i]
		it.ib += it.idx[i] * bc.sb[i]
	}
	return it
}

// next advances to the following output element.
func (it *bcIter) next() {
	bc := it.bc
	for i := len(bc.out) - 1; i >= 0; i-- {
		it.idx[i]++
		it.ia += bc.sa[i]
		it.ib += bc.sb[i]
		if it.idx[i] < bc.out[i] {
			return
		}
		it.ia -= bc.sa[i] * it.idx[i]
		it.ib -= bc.sb[i] * it.idx[i]
		it.idx[i] = 0
	}
}

// offsets returns the operand offsets of flat output index flat without
// allocating (the row loops call it once per row).
func (bc *broadcast) offsets(flat int) (ia, ib int) {
	for i := len(bc.out) - 1; i >= 0; i-- {
		d := bc.out[i]
		if d == 0 {
			continue
		}
		k := flat % d
		flat /= d
		ia += k * bc.sa[i]
		ib += k * bc.sb[i]
	}
	return ia, ib
}
