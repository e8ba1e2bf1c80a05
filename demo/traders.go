package demo

import (
	"fmt"
	"math"
	"math/rand"

	sdkmath "cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	markettypes "github.com/delphi-network/delphi/x/market/types"
)

// usdc is one whole USDC in base units.
const usdc = 1_000_000

// trader is one demo account with a strategy. act returns the trade to
// make now (nil: none) and a line saying why.
type trader struct {
	name, key, strategy string
	addr                sdk.AccAddress
	act                 func(s *snapshot) (sdk.Msg, string)
}

func buyFor(t *trader, market uint64, outcome int, amount int64) *markettypes.MsgBuyForAmount {
	return &markettypes.MsgBuyForAmount{Trader: t.addr.String(), MarketId: market, Outcome: uint32(outcome),
		Amount: sdkmath.NewInt(amount), MinShares: sdkmath.ZeroInt()}
}

func sellPart(t *trader, market uint64, outcome int, held sdkmath.Int, num, den int64) *markettypes.MsgSellShares {
	shares := held.MulRaw(num).QuoRaw(den)
	if shares.LT(sdkmath.NewInt(10_000)) {
		return nil
	}
	return &markettypes.MsgSellShares{Trader: t.addr.String(), MarketId: market, Outcome: uint32(outcome),
		Shares: shares, MinProceeds: sdkmath.ZeroInt()}
}

// follower buys the model leading the finalized rounds whenever a round
// finalizes and its price is not already near certainty.
func follower(t *trader) func(s *snapshot) (sdk.Msg, string) {
	seen := 0
	return func(s *snapshot) (sdk.Msg, string) {
		if s.roundsFinal <= seen {
			return nil, ""
		}
		seen = s.roundsFinal
		lead := argmax(s.cumulative)
		if s.prices[lead] > 0.85 {
			return nil, ""
		}
		return buyFor(t, s.market.Id, lead, 40*usdc), "round results: backs the leader " + s.names[lead]
	}
}

// estimator trades toward its own offline estimate: it evaluated every
// model on its own sample of the benchmark before trading started.
func estimator(t *trader, belief []float64) func(s *snapshot) (sdk.Msg, string) {
	return func(s *snapshot) (sdk.Msg, string) {
		if s.height%3 != 0 {
			return nil, ""
		}
		best, gap := 0, -1.0
		for i := range belief {
			if d := belief[i] - s.prices[i]; d > gap {
				best, gap = i, d
			}
		}
		if gap > 0.05 {
			return buyFor(t, s.market.Id, best, 20*usdc), "own estimate: " + s.names[best] + " is underpriced"
		}
		held := s.positions[t.name]
		for i := range belief {
			if i < len(held) && s.prices[i]-belief[i] > 0.1 && held[i].IsPositive() {
				if m := sellPart(t, s.market.Id, i, held[i], 1, 2); m != nil {
					return m, "own estimate: " + s.names[i] + " is overpriced"
				}
			}
		}
		return nil, ""
	}
}

// noise trades small random amounts: liquidity and price wiggle.
func noise(t *trader, seed int64) func(s *snapshot) (sdk.Msg, string) {
	rng := rand.New(rand.NewSource(seed))
	return func(s *snapshot) (sdk.Msg, string) {
		if s.height%2 != 0 {
			return nil, ""
		}
		i := rng.Intn(len(s.prices))
		if held := s.positions[t.name]; rng.Intn(10) < 3 && i < len(held) && held[i].IsPositive() {
			if m := sellPart(t, s.market.Id, i, held[i], 1, 2); m != nil {
				return m, "noise: sells half of " + s.names[i]
			}
		}
		return buyFor(t, s.market.Id, i, int64(2+rng.Intn(7))*usdc), "noise: buys " + s.names[i]
	}
}

// beliefs turns offline accuracies into win probabilities: a softmax sharp
// enough that a point of accuracy matters over a few hundred items.
func beliefs(acc []float64) []float64 {
	out := make([]float64, len(acc))
	var sum float64
	for i, a := range acc {
		out[i] = math.Exp(150 * a)
		sum += out[i]
	}
	for i := range out {
		out[i] /= sum
	}
	return out
}

func argmax(v []uint64) int {
	best := 0
	for i := range v {
		if v[i] > v[best] {
			best = i
		}
	}
	return best
}

// newTraders sets up bob (follows round results), carol (trades on her own
// offline estimate, which she computes here) and dave (noise).
func newTraders(c *chain, models []*model, sc scenario) ([]*trader, error) {
	acc, err := sc.estimate(models)
	if err != nil {
		return nil, err
	}
	var out []*trader
	for _, spec := range []struct{ name, strategy string }{
		{"bob", "follows the round results; vault depositor"}, {"carol", fmt.Sprintf("trades on her own estimate (offline scores %.3f)", acc)},
		{"dave", "noise; vault depositor"},
	} {
		addr, err := c.address(spec.name)
		if err != nil {
			return nil, err
		}
		out = append(out, &trader{name: spec.name, key: spec.name, strategy: spec.strategy, addr: addr})
	}
	out[0].act = follower(out[0])
	out[1].act = estimator(out[1], beliefs(acc))
	out[2].act = noise(out[2], 11)
	return out, nil
}
