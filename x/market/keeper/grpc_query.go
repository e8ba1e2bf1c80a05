package keeper

import (
	"context"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"cosmossdk.io/collections"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/query"

	"github.com/delphi-network/delphi/x/market/lmsr"
	"github.com/delphi-network/delphi/x/market/types"
)

type queryServer struct{ Keeper }

var _ types.QueryServer = queryServer{}

// NewQueryServerImpl returns the module's Query service.
func NewQueryServerImpl(k Keeper) types.QueryServer { return queryServer{k} }

// Params implements types.QueryServer.
func (q queryServer) Params(ctx context.Context, _ *types.QueryParamsRequest) (*types.QueryParamsResponse, error) {
	p, err := q.Keeper.Params.Get(ctx)
	if err != nil {
		return nil, err
	}
	return &types.QueryParamsResponse{Params: p}, nil
}

// Markets implements types.QueryServer.
func (q queryServer) Markets(ctx context.Context, req *types.QueryMarketsRequest) (*types.QueryMarketsResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	if _, ok := types.MarketStatus_name[int32(req.Status)]; !ok {
		return nil, status.Errorf(codes.InvalidArgument, "unknown status %d", req.Status)
	}
	items, page, err := query.CollectionFilteredPaginate(ctx, q.Keeper.Markets, req.Pagination,
		func(_ uint64, m types.Market) (bool, error) {
			return req.Status == types.MARKET_STATUS_UNSPECIFIED || m.Status == req.Status, nil
		},
		func(_ uint64, m types.Market) (types.Market, error) { return m, nil })
	if err != nil {
		return nil, status.Error(codes.InvalidArgument, err.Error())
	}
	return &types.QueryMarketsResponse{Markets: items, Pagination: page}, nil
}

// Market implements types.QueryServer.
func (q queryServer) Market(ctx context.Context, req *types.QueryMarketRequest) (*types.QueryMarketResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	m, prices, err := q.marketPrices(ctx, req.MarketId)
	if err != nil {
		return nil, err
	}
	ts, err := q.trading(ctx, m)
	if err != nil {
		return nil, err
	}
	return &types.QueryMarketResponse{Market: m, Prices: types.FormatPrices(prices), Trading: ts,
		ModelNames: q.modelNames(ctx, m.ModelIds)}, nil
}

// Prices implements types.QueryServer.
func (q queryServer) Prices(ctx context.Context, req *types.QueryPricesRequest) (*types.QueryPricesResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	m, prices, err := q.marketPrices(ctx, req.MarketId)
	if err != nil {
		return nil, err
	}
	return &types.QueryPricesResponse{ModelIds: m.ModelIds, Prices: types.FormatPrices(prices),
		ModelNames: q.modelNames(ctx, m.ModelIds)}, nil
}

// marketPrices returns a market with its price per outcome: the LMSR price
// while it trades, the payout per share once settled, nothing if cancelled.
func (q queryServer) marketPrices(ctx context.Context, id uint64) (types.Market, []math.LegacyDec, error) {
	m, err := q.Keeper.Markets.Get(ctx, id)
	if err != nil {
		return m, nil, status.Errorf(codes.NotFound, "market %d not found", id)
	}
	switch {
	case m.Settled():
		prices := make([]math.LegacyDec, len(m.ModelIds))
		den := math.LegacyNewDec(int64(m.PayoutDenominator))
		for i, n := range m.PayoutNumerators {
			prices[i] = math.LegacyNewDec(int64(n)).Quo(den)
		}
		return m, prices, nil
	case m.Status == types.MARKET_STATUS_OPEN:
		prices, err := lmsr.Prices(m.Shares, m.Liquidity)
		if err != nil {
			return m, nil, status.Error(codes.Internal, err.Error())
		}
		return m, prices, nil
	}
	return m, nil, nil
}

// History implements types.QueryServer.
func (q queryServer) History(ctx context.Context, req *types.QueryHistoryRequest) (*types.QueryHistoryResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	if has, err := q.Keeper.Markets.Has(ctx, req.MarketId); err != nil || !has {
		return nil, status.Errorf(codes.NotFound, "market %d not found", req.MarketId)
	}
	items, page, err := query.CollectionPaginate(ctx, q.Keeper.History, req.Pagination,
		func(_ collections.Pair[uint64, int64], p types.PricePoint) (types.PricePoint, error) { return p, nil },
		query.WithCollectionPaginationPairPrefix[uint64, int64](req.MarketId))
	if err != nil {
		return nil, status.Error(codes.InvalidArgument, err.Error())
	}
	return &types.QueryHistoryResponse{Points: items, Pagination: page}, nil
}

// Positions implements types.QueryServer.
func (q queryServer) Positions(ctx context.Context, req *types.QueryPositionsRequest) (*types.QueryPositionsResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	owner, err := sdk.AccAddressFromBech32(req.Owner)
	if err != nil {
		return nil, status.Errorf(codes.InvalidArgument, "owner %q: %v", req.Owner, err)
	}
	items, page, err := query.CollectionPaginate(ctx, q.Keeper.PositionsByOwner, req.Pagination,
		func(key collections.Pair[sdk.AccAddress, uint64], _ collections.NoValue) (types.Position, error) {
			return q.Keeper.Positions.Get(ctx, collections.Join(key.K2(), owner))
		},
		query.WithCollectionPaginationPairPrefix[sdk.AccAddress, uint64](owner))
	if err != nil {
		return nil, status.Error(codes.InvalidArgument, err.Error())
	}
	// One position per market in a page (the index is keyed by owner and
	// market); a model shared by several markets is read once.
	outcomes := make([]types.MarketOutcomes, 0, len(items))
	names := map[uint64]string{}
	for _, p := range items {
		m, err := q.Keeper.Markets.Get(ctx, p.MarketId)
		if err != nil {
			return nil, status.Errorf(codes.Internal, "position in market %d, which is gone: %v", p.MarketId, err)
		}
		outcomes = append(outcomes, types.MarketOutcomes{MarketId: m.Id, ModelIds: m.ModelIds, ModelNames: q.namesWith(ctx, m.ModelIds, names)})
	}
	return &types.QueryPositionsResponse{Positions: items, Pagination: page, Outcomes: outcomes}, nil
}

// modelNames names a market's outcomes by their models' registered names
// ("" for a model the registry no longer has, which it never deletes).
func (q queryServer) modelNames(ctx context.Context, ids []uint64) []string {
	return q.namesWith(ctx, ids, map[uint64]string{})
}

// namesWith is modelNames reading each model once across calls sharing seen.
func (q queryServer) namesWith(ctx context.Context, ids []uint64, seen map[uint64]string) []string {
	names := make([]string, len(ids))
	for i, id := range ids {
		name, ok := seen[id]
		if !ok {
			if m, err := q.Keeper.eval.GetModel(ctx, id); err == nil {
				name = m.Name
			}
			seen[id] = name
		}
		names[i] = name
	}
	return names
}
