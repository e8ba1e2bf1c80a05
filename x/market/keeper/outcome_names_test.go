package keeper_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/delphi-network/delphi/x/market/types"
)

// TestQueriesNameEveryOutcome: a trader reads outcome i as a model name,
// not as an index into model_ids, in the market, its prices and the
// positions of an account holding shares in two markets.
func TestQueriesNameEveryOutcome(t *testing.T) {
	f := newFixture(t)
	first := f.create(t, 3)
	second := f.create(t, 2)
	f.buy(t, f.bob, first.Id, 2, 1_000_000)
	f.buy(t, f.bob, second.Id, 1, 1_000_000)
	f.buy(t, f.bob, first.Id, 0, 1_000_000)

	want := []string{"model-0", "model-1", "model-2"}
	m, err := f.q.Market(f.ctx, &types.QueryMarketRequest{MarketId: first.Id})
	require.NoError(t, err)
	require.Equal(t, want, m.ModelNames)
	p, err := f.q.Prices(f.ctx, &types.QueryPricesRequest{MarketId: first.Id})
	require.NoError(t, err)
	require.Equal(t, want, p.ModelNames)
	require.Len(t, p.Prices, 3)

	pos, err := f.q.Positions(f.ctx, &types.QueryPositionsRequest{Owner: f.bob.String()})
	require.NoError(t, err)
	require.Len(t, pos.Positions, 2)
	require.Equal(t, []types.MarketOutcomes{
		{MarketId: first.Id, ModelIds: first.ModelIds, ModelNames: want},
		{MarketId: second.Id, ModelIds: second.ModelIds, ModelNames: want[:2]},
	}, pos.Outcomes)
}
