package keeper

import (
	"context"

	"cosmossdk.io/collections"

	"github.com/delphi-network/delphi/internal/modkit"
	"github.com/delphi-network/delphi/x/verde/types"
)

// InitGenesis loads a validated genesis, re-indexing open disputes.
func (k Keeper) InitGenesis(ctx context.Context, gs types.GenesisState) error {
	if err := k.Params.Set(ctx, gs.Params); err != nil {
		return err
	}
	if err := modkit.ImportNext(ctx, k.DisputeSeq, gs.NextDisputeId); err != nil {
		return err
	}
	for _, d := range gs.Disputes {
		if err := k.Disputes.Set(ctx, d.Id, d); err != nil {
			return err
		}
		if d.Status != types.DISPUTE_STATUS_OPEN {
			continue
		}
		if err := k.OpenByEvaluation.Set(ctx, collections.Join(d.EvaluationId, d.Id)); err != nil {
			return err
		}
		if err := k.Deadlines.Set(ctx, collections.Join(d.DeadlineHeight, d.Id)); err != nil {
			return err
		}
	}
	return nil
}

// ExportGenesis exports the module state in id order.
func (k Keeper) ExportGenesis(ctx context.Context) (*types.GenesisState, error) {
	p, err := k.Params.Get(ctx)
	if err != nil {
		return nil, err
	}
	next, err := modkit.ExportNext(ctx, k.DisputeSeq)
	if err != nil {
		return nil, err
	}
	gs := &types.GenesisState{Params: p, NextDisputeId: next}
	err = k.Disputes.Walk(ctx, nil, func(_ uint64, d types.Dispute) (bool, error) {
		gs.Disputes = append(gs.Disputes, d)
		return false, nil
	})
	return gs, err
}
