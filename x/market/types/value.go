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

// MarkWindowBlocks is the window of end-of-block marks a withdrawal from a
// vault is valued against (the lowest of the current and previous window).
const MarkWindowBlocks = 20

// RecordMark records v as the funder's mark at the end of block h.
func (m *Market) RecordMark(v math.Int, h int64) {
	m.rollMarks(h)
	m.LpMark = v
	m.LpMarkLow = math.MinInt(m.LpMarkLow, v)
}

// MarkLow is the lowest end-of-block mark over at least the last
// MarkWindowBlocks blocks before h (and at most twice that).
func (m Market) MarkLow(h int64) math.Int {
	m.rollMarks(h)
	return math.MinInt(m.LpMarkLow, m.LpMarkPrevLow)
}

// rollMarks moves the mark windows up to height h: a window that ended
// closes into the previous one; with no block recorded since, the last
// mark held throughout.
func (m *Market) rollMarks(h int64) {
	last := m.LpMark
	if last.IsNil() {
		last = m.Subsidy
	}
	if m.LpMarkWindow == 0 || m.LpMarkLow.IsNil() || m.LpMarkPrevLow.IsNil() {
		m.LpMarkWindow, m.LpMarkLow, m.LpMarkPrevLow = h, last, last
		return
	}
	switch {
	case h >= m.LpMarkWindow+2*MarkWindowBlocks:
		m.LpMarkWindow, m.LpMarkLow, m.LpMarkPrevLow = h, last, last
	case h >= m.LpMarkWindow+MarkWindowBlocks:
		m.LpMarkWindow, m.LpMarkLow, m.LpMarkPrevLow = m.LpMarkWindow+MarkWindowBlocks, last, m.LpMarkLow
	}
}
