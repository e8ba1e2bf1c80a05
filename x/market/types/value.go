package types

import (
	"cosmossdk.io/math"
)

// MarkedValue is the funder's position marked to market at prices: the
// escrow and unpaid LP fees, less what the outstanding shares would pay if
// each outcome won with its price as probability (Σ price_i·q_i). With
// roundDown the liability is rounded up (the value a withdrawal may take);
// otherwise down. Never negative: the LMSR keeps escrow ≥ max_i q_i.
func (m Market) MarkedValue(prices []math.LegacyDec, roundDown bool) math.Int {
	liability := math.LegacyZeroDec()
	for i, p := range prices {
		if i < len(m.Shares) {
			liability = liability.Add(p.MulInt(m.Shares[i]))
		}
	}
	owed := liability.TruncateInt()
	if roundDown {
		owed = liability.Ceil().TruncateInt()
	}
	v := m.Escrow.Add(m.LpFees).Sub(owed)
	if v.IsNegative() {
		return math.ZeroInt()
	}
	return v
}
