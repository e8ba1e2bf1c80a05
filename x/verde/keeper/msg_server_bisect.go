package keeper

import (
	"context"

	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/delphi-network/delphi/x/verde/types"
)

// Bisect implements types.MsgServer: it accepts one side's leaf at the
// step's index if the proof holds against that side's root, and completes
// the step once both sides revealed.
func (k msgServer) Bisect(ctx context.Context, msg *types.MsgBisect) (*types.MsgBisectResponse, error) {
	if _, err := signer("submitter", msg.Submitter); err != nil {
		return nil, err
	}
	d, err := k.openDispute(ctx, msg.DisputeId)
	if err != nil {
		return nil, err
	}
	if d.Phase != types.PHASE_BISECT {
		return nil, errorsmod.Wrapf(types.ErrWrongPhase, "dispute %d is in %s", d.Id, d.Phase)
	}
	if msg.Index != d.Index {
		return nil, errorsmod.Wrapf(types.ErrWrongIndex, "this step reveals leaf %d, not %d", d.Index, msg.Index)
	}
	p, reveal, err := party(&d, msg.Side)
	if err != nil {
		return nil, err
	}
	if reveal.Output != "" {
		return nil, errorsmod.Wrapf(types.ErrAlreadyRevealed, "%s revealed leaf %d", msg.Side, d.Index)
	}
	leaf, err := parseLeaf(msg.Leaf)
	if err != nil {
		return nil, err
	}
	if err := verifyLeaf(*p, msg.Index, leaf, msg.Proof); err != nil {
		return nil, err
	}
	*reveal = formatLeaf(leaf)
	if err := emit(ctx, &types.EventLeafRevealed{DisputeId: d.Id, Side: msg.Side, Index: msg.Index}); err != nil {
		return nil, err
	}
	if d.ClaimantReveal.Output != "" && d.ChallengerReveal.Output != "" {
		if err := k.completeStep(ctx, &d); err != nil {
			return nil, err
		}
	}
	if err := k.Disputes.Set(ctx, d.Id, d); err != nil {
		return nil, err
	}
	return &types.MsgBisectResponse{Phase: d.Phase, NextIndex: d.Index}, nil
}

// completeStep narrows [lo, hi] with the two reveals at index: equal leaves
// move lo up, different ones move hi down. The first step is at the last
// leaf: if the sides agree there, their runs produced the same outputs.
func (k Keeper) completeStep(ctx context.Context, d *types.Dispute) error {
	height := sdk.UnwrapSDKContext(ctx).BlockHeight()
	agreed := d.ClaimantReveal == d.ChallengerReveal
	d.History = append(d.History, types.Step{Height: height, Index: d.Index,
		Claimant: d.ClaimantReveal, Challenger: d.ChallengerReveal, Agreed: agreed})
	if len(d.History) == 1 && agreed {
		return k.resolve(ctx, d, types.DISPUTE_STATUS_NO_DIVERGENCE,
			"both traces end in the same leaf: the runs produced the same operator outputs")
	}
	if agreed {
		d.Lo, d.LoLeaf = d.Index, d.ClaimantReveal
	} else {
		d.Hi, d.ClaimantHi, d.ChallengerHi = d.Index, d.ClaimantReveal, d.ChallengerReveal
	}
	d.ClaimantReveal, d.ChallengerReveal = types.Leaf{}, types.Leaf{}
	p, err := k.Params.Get(ctx)
	if err != nil {
		return err
	}
	if d.Hi-d.Lo == 1 {
		d.Phase = types.PHASE_REFEREE
		d.Index = d.Hi
	} else {
		d.Index = d.Lo + (d.Hi-d.Lo)/2
	}
	if err := k.setDeadline(ctx, d, height+int64(p.StepBlocks)); err != nil {
		return err
	}
	return emit(ctx, &types.EventStepCompleted{DisputeId: d.Id, Index: d.History[len(d.History)-1].Index, Agreed: agreed,
		Lo: d.Lo, Hi: d.Hi, Phase: d.Phase, NextIndex: d.Index, DeadlineHeight: d.DeadlineHeight})
}
