package types

import (
	"cosmossdk.io/math"
)

// z95 is the normal quantile of a two-sided 95% interval.
var z95 = math.LegacyMustNewDecFromStr("1.96")

// Score computes an entry's accuracy and 95% Wilson score interval:
//
//	center = (p + z²/2n) / (1 + z²/n)
//	half   = z·√(p(1−p)/n + z²/4n²) / (1 + z²/n)
//
// with p = correct/(items × points_per_item) and n = items. Fixed-point decimals (18 places, LegacyDec's own
// square root), so every node returns the same digits. An entry with no
// items scores 0 with the interval [0, 1].
func (e IndexEntry) Score() IndexScore {
	s := IndexScore{Entry: e}
	if e.Items == 0 {
		s.Accuracy, s.WilsonLower, s.WilsonUpper = "0.000000000000000000", "0.000000000000000000", "1.000000000000000000"
		return s
	}
	n := math.LegacyNewDecFromInt(math.NewIntFromUint64(e.Items))
	most := math.NewIntFromUint64(e.Items).Mul(math.NewIntFromUint64(uint64(max(e.PointsPerItem, 1))))
	p := math.LegacyNewDecFromInt(math.NewIntFromUint64(e.Correct)).Quo(math.LegacyNewDecFromInt(most))
	z2 := z95.Mul(z95)
	denom := math.LegacyOneDec().Add(z2.Quo(n))
	center := p.Add(z2.Quo(n.MulInt64(2))).Quo(denom)
	variance := p.Mul(math.LegacyOneDec().Sub(p)).Quo(n).Add(z2.Quo(n.Mul(n).MulInt64(4)))
	root, err := variance.ApproxSqrt()
	if err != nil {
		root = math.LegacyZeroDec()
	}
	half := z95.Mul(root).Quo(denom)
	lower, upper := center.Sub(half), center.Add(half)
	if lower.IsNegative() {
		lower = math.LegacyZeroDec()
	}
	if upper.GT(math.LegacyOneDec()) {
		upper = math.LegacyOneDec()
	}
	s.Accuracy, s.WilsonLower, s.WilsonUpper = p.String(), lower.String(), upper.String()
	return s
}

// NewModelIndex builds a model's index from its entries (benchmark order):
// the aggregate is the mean of the per-benchmark Wilson lower bounds, so a
// model ranks high only with many correct answers on every benchmark it was
// measured on, and no single large benchmark dominates.
func NewModelIndex(modelID uint64, entries []IndexEntry) ModelIndex {
	idx := ModelIndex{ModelId: modelID, Aggregate: math.LegacyZeroDec().String()}
	if len(entries) == 0 {
		return idx
	}
	sum := math.LegacyZeroDec()
	for _, e := range entries {
		s := e.Score()
		idx.Benchmarks = append(idx.Benchmarks, s)
		sum = sum.Add(math.LegacyMustNewDecFromStr(s.WilsonLower))
	}
	idx.Aggregate = sum.QuoInt64(int64(len(entries))).String()
	return idx
}
