package types

import (
	"fmt"

	"cosmossdk.io/math"

	"github.com/delphi-network/delphi/x/market/lmsr"
)

// ValidateBasic checks a stored market's shape (used on genesis import).
func (m Market) ValidateBasic() error {
	n := len(m.ModelIds)
	switch {
	case m.Id == 0:
		return fmt.Errorf("id 0")
	case n < lmsr.MinOutcomes || n > lmsr.MaxOutcomes:
		return fmt.Errorf("%d outcomes", n)
	case len(m.Shares) != n:
		return fmt.Errorf("%d share entries for %d outcomes", len(m.Shares), n)
	case m.Status == MARKET_STATUS_UNSPECIFIED || MarketStatus_name[int32(m.Status)] == "":
		return fmt.Errorf("status %d", m.Status)
	case m.Liquidity.IsNil() || !m.Liquidity.IsPositive():
		return fmt.Errorf("liquidity missing or not positive")
	}
	for _, v := range []math.Int{m.Escrow, m.Subsidy, m.CreatorFees, m.LpFees, m.Volume} {
		if v.IsNil() || v.IsNegative() {
			return fmt.Errorf("missing or negative amount")
		}
	}
	for i, q := range m.Shares {
		if q.IsNil() || q.IsNegative() {
			return fmt.Errorf("outcome %d: missing or negative shares", i)
		}
	}
	if m.Status == MARKET_STATUS_RESOLVED || m.Status == MARKET_STATUS_INVALID {
		if len(m.PayoutNumerators) != n || m.PayoutDenominator == 0 {
			return fmt.Errorf("settled without a payout vector")
		}
	}
	return nil
}

// Outcome returns the index of a model among the market's outcomes, or -1.
func (m Market) Outcome(modelID uint64) int {
	for i, id := range m.ModelIds {
		if id == modelID {
			return i
		}
	}
	return -1
}

// Settled reports whether the market pays out (resolved or invalid).
func (m Market) Settled() bool {
	return m.Status == MARKET_STATUS_RESOLVED || m.Status == MARKET_STATUS_INVALID
}

// Payout is what shares pay in a settled market, rounded down: the holder
// never receives more than its exact share of the escrow.
func (m Market) Payout(shares []math.Int) math.Int {
	if m.PayoutDenominator == 0 {
		return math.ZeroInt()
	}
	return m.weighted(shares).Quo(math.NewIntFromUint64(m.PayoutDenominator))
}

// weighted is Σ shares_i · payout_numerators_i.
func (m Market) weighted(shares []math.Int) math.Int {
	total := math.ZeroInt()
	for i, s := range shares {
		if i < len(m.PayoutNumerators) && m.PayoutNumerators[i] != 0 {
			total = total.Add(s.Mul(math.NewIntFromUint64(m.PayoutNumerators[i])))
		}
	}
	return total
}

// Liability is what all outstanding shares of a settled market can claim,
// rounded up: the escrow kept back at settlement always covers every
// position's rounded-down payout.
func (m Market) Liability() math.Int {
	if m.PayoutDenominator == 0 {
		return math.ZeroInt()
	}
	total := m.weighted(m.Shares)
	den := math.NewIntFromUint64(m.PayoutDenominator)
	out := total.Quo(den)
	if !total.Mod(den).IsZero() {
		out = out.AddRaw(1)
	}
	return out
}

// FormatPrices renders prices as decimal strings with 18 places, the form
// queries, events and the price history carry.
func FormatPrices(prices []math.LegacyDec) []string {
	out := make([]string, len(prices))
	for i, p := range prices {
		out[i] = p.String()
	}
	return out
}
