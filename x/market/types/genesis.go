package types

import (
	"fmt"

	"cosmossdk.io/math"
)

// DefaultGenesis is an empty market module with default params.
func DefaultGenesis() *GenesisState {
	return &GenesisState{Params: DefaultParams(), NextMarketId: 1}
}

// Validate checks the genesis: params, unique ids below the next id, one
// market per evaluation, and positions that add up to each market's shares.
func (gs GenesisState) Validate() error {
	if err := gs.Params.Validate(); err != nil {
		return err
	}
	markets := make(map[uint64]*Market, len(gs.Markets))
	evals := make(map[uint64]bool, len(gs.Markets))
	sums := make(map[uint64][]math.Int, len(gs.Markets))
	for i := range gs.Markets {
		m := &gs.Markets[i]
		if err := m.ValidateBasic(); err != nil {
			return fmt.Errorf("market %d: %w", m.Id, err)
		}
		if markets[m.Id] != nil {
			return fmt.Errorf("market %d listed twice", m.Id)
		}
		if m.Id >= gs.NextMarketId {
			return fmt.Errorf("market %d not below next_market_id %d", m.Id, gs.NextMarketId)
		}
		if evals[m.EvaluationId] {
			return fmt.Errorf("evaluation %d has two markets", m.EvaluationId)
		}
		markets[m.Id], evals[m.EvaluationId] = m, true
		sums[m.Id] = ZeroShares(len(m.ModelIds))
	}
	holders := make(map[uint64]uint64, len(gs.Markets))
	seen := make(map[string]bool, len(gs.Positions))
	for _, p := range gs.Positions {
		m := markets[p.MarketId]
		if m == nil {
			return fmt.Errorf("position of %s in unknown market %d", p.Owner, p.MarketId)
		}
		key := fmt.Sprintf("%d/%s", p.MarketId, p.Owner)
		if seen[key] {
			return fmt.Errorf("position of %s in market %d listed twice", p.Owner, p.MarketId)
		}
		seen[key] = true
		if len(p.Shares) != len(m.ModelIds) {
			return fmt.Errorf("position of %s in market %d has %d outcomes, want %d", p.Owner, p.MarketId, len(p.Shares), len(m.ModelIds))
		}
		for i, s := range p.Shares {
			if s.IsNil() || s.IsNegative() {
				return fmt.Errorf("position of %s in market %d: bad shares of outcome %d", p.Owner, p.MarketId, i)
			}
			sums[p.MarketId][i] = sums[p.MarketId][i].Add(s)
		}
		holders[p.MarketId]++
	}
	for i := range gs.Markets {
		m := &gs.Markets[i]
		if holders[m.Id] != m.Holders {
			return fmt.Errorf("market %d counts %d holders, genesis has %d positions", m.Id, m.Holders, holders[m.Id])
		}
		if m.Status != MARKET_STATUS_OPEN {
			continue // settled positions are removed as they are redeemed
		}
		for j, q := range m.Shares {
			if !q.Equal(sums[m.Id][j]) {
				return fmt.Errorf("market %d outcome %d: shares %s, positions sum to %s", m.Id, j, q, sums[m.Id][j])
			}
		}
	}
	for _, h := range gs.History {
		if markets[h.MarketId] == nil {
			return fmt.Errorf("price history of unknown market %d", h.MarketId)
		}
	}
	return nil
}

// ZeroShares is a share vector of n zeros.
func ZeroShares(n int) []math.Int {
	out := make([]math.Int, n)
	for i := range out {
		out[i] = math.ZeroInt()
	}
	return out
}
