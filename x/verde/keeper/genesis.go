package keeper

import (
	"context"

	"cosmossdk.io/collections"

	"github.com/delphi-network/delphi/x/verde/types"
)

// InitGenesis loads a validated genesis, re-indexing open disputes.
func (k Keeper) InitGenesis(ctx context.Context, gs types.GenesisState) error {
	if err := k.Params.Set(ctx, gs.Params); err != nil {
		return err
	}
	if gs.NextDisputeId > 0 {
		if err := k.DisputeSeq.Set(ctx, gs.NextDisputeId-1); err != nil {
			return err
		}
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
	seq, err := k.DisputeSeq.Peek(ctx)
	if err != nil {
		return nil, err
	}
	gs := &types.GenesisState{Params: p, NextDisputeId: seq + 1}
	err = k.Disputes.Walk(ctx, nil, func(_ uint64, d types.Dispute) (bool, error) {
		gs.Disputes = append(gs.Disputes, d)
		return false, nil
	})
	return gs, err
}
