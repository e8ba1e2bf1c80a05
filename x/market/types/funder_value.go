package types

import "cosmossdk.io/math"

// FunderValue is what an open market's funder position is worth to x/vault
// now, for its share price.
type FunderValue struct {
	// Withdraw is the lowest of the position marked to market now and at
	// the end of every block of the last MarkWindowBlocks at least
	// (Market.MarkLow), liability rounded up: lifting what a withdrawal
	// takes means holding lifted prices, which anyone may trade against,
	// for that long — not a trade placed in the withdrawing transaction.
	Withdraw math.Int
	// Deposit is the highest of the marked values and the subsidy plus LP
	// fees: a trade cannot lower what a deposit pays for its shares.
	Deposit math.Int
	// Exposed: some round of the market's evaluation is drawn, so scores
	// are (partly) knowable that prices may not reflect (Exposed).
	Exposed bool
	// SettleBy is the market's settle deadline: it settles or is made
	// invalid by then.
	SettleBy int64
}
