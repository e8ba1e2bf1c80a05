package keeper

import (
	"context"
	"errors"

	"cosmossdk.io/collections"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/delphi-network/delphi/internal/modkit"
	"github.com/delphi-network/delphi/x/market/types"
)

// InitGenesis loads a validated genesis.
func (k Keeper) InitGenesis(ctx context.Context, gs types.GenesisState) error {
	if err := k.Params.Set(ctx, gs.Params); err != nil {
		return err
	}
	if err := modkit.ImportNext(ctx, k.MarketSeq, gs.NextMarketId); err != nil {
		return err
	}
	for _, m := range gs.Markets {
		if err := k.Markets.Set(ctx, m.Id, m); err != nil {
			return err
		}
		if err := k.MarketByEvaluation.Set(ctx, m.EvaluationId, m.Id); err != nil {
			return err
		}
		if err := k.indexDeadline(ctx, m); err != nil {
			return err
		}
	}
	for _, p := range gs.Positions {
		owner, err := sdk.AccAddressFromBech32(p.Owner)
		if err != nil {
			return err
		}
		if err := k.Positions.Set(ctx, collections.Join(p.MarketId, owner), p); err != nil {
			return err
		}
		if err := k.PositionsByOwner.Set(ctx, collections.Join(owner, p.MarketId)); err != nil {
			return err
		}
	}
	for _, h := range gs.History {
		for _, pt := range h.Points {
			if err := k.History.Set(ctx, collections.Join(h.MarketId, pt.Height), pt); err != nil {
				return err
			}
		}
	}
	return nil
}

// ExportGenesis exports the module state in key order.
func (k Keeper) ExportGenesis(ctx context.Context) (*types.GenesisState, error) {
	p, err := k.Params.Get(ctx)
	if err != nil {
		return nil, err
	}
	next, err := modkit.ExportNext(ctx, k.MarketSeq)
	if err != nil {
		return nil, err
	}
	// Protocol fees wait in the module only within a block (EndBlock
	// deposits them); a state that still holds some is not one to export.
	pending, err := k.ProtocolFees.Iterate(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer pending.Close()
	if pending.Valid() {
		return nil, errors.New("protocol fees are awaiting their end-of-block deposit: export a committed state")
	}
	reporters, err := k.ReporterFees.Iterate(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer reporters.Close()
	if reporters.Valid() {
		return nil, errors.New("reporter fees are awaiting their end-of-block transfer: export a committed state")
	}
	gs := &types.GenesisState{Params: p, NextMarketId: next}
	if err := k.Markets.Walk(ctx, nil, func(_ uint64, m types.Market) (bool, error) {
		gs.Markets = append(gs.Markets, m)
		return false, nil
	}); err != nil {
		return nil, err
	}
	if err := k.Positions.Walk(ctx, nil, func(_ collections.Pair[uint64, sdk.AccAddress], p types.Position) (bool, error) {
		gs.Positions = append(gs.Positions, p)
		return false, nil
	}); err != nil {
		return nil, err
	}
	if err := k.History.Walk(ctx, nil, func(key collections.Pair[uint64, int64], pt types.PricePoint) (bool, error) {
		n := len(gs.History)
		if n == 0 || gs.History[n-1].MarketId != key.K1() {
			gs.History = append(gs.History, types.MarketHistory{MarketId: key.K1()})
			n++
		}
		gs.History[n-1].Points = append(gs.History[n-1].Points, pt)
		return false, nil
	}); err != nil {
		return nil, err
	}
	return gs, nil
}
