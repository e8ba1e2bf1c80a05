package keeper

import (
	"context"
	"encoding/hex"
	"math"

	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/delphi-network/delphi/internal/modkit"
	"github.com/delphi-network/delphi/runtime"
	"github.com/delphi-network/delphi/x/verde/types"
)

// Bisect implements types.MsgServer: it accepts one side's leaf at the
// step's index if the proof holds against that side's root, and completes
// the step once both sides revealed.
func (k msgServer) Bisect(ctx context.Context, msg *types.MsgBisect) (*types.MsgBisectResponse, error) {
	if _, err := modkit.Signer("submitter", msg.Submitter, types.ErrInvalidAddress); err != nil {
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
	*reveal = types.FormatLeaf(leaf)
	if len(d.History) == 0 {
		// The first step reveals the last leaf: on a classifier benchmark,
		// the side's score.
		proven, err := k.scoreProven(ctx, &d)
		if err != nil {
			return nil, err
		}
		if proven && !scoreLeafIs(*reveal, p.Correct) {
			if msg.Side == types.SIDE_CLAIMANT {
				d.ClaimantScoreFalse = true
			} else {
				d.ChallengerScoreFalse = true
			}
		}
	}
	if err := modkit.Emit(ctx, &types.EventLeafRevealed{DisputeId: d.Id, Side: msg.Side, Index: msg.Index}); err != nil {
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
// leaf, which on a classifier benchmark commits to the run's score (Bisect
// marks a side whose last leaf is not the score it claims). Two sides with
// the same trace differ only in their scores, and the last leaf decides
// between them at once; a side that contradicts itself while the traces
// differ can still win the trace game, but never with its score (resolve).
// If the sides agree at the last leaf, their runs produced the same
// outputs (and, on a classifier benchmark, the same score).
func (k Keeper) completeStep(ctx context.Context, d *types.Dispute) error {
	height := sdk.UnwrapSDKContext(ctx).BlockHeight()
	agreed := d.ClaimantReveal == d.ChallengerReveal
	d.History = append(d.History, types.Step{Height: height, Index: d.Index,
		Claimant: d.ClaimantReveal, Challenger: d.ChallengerReveal, Agreed: agreed})
	if len(d.History) == 1 {
		if status, reason, ok := firstStepVerdict(d, agreed || d.Claimant.TraceRoot == d.Challenger.TraceRoot); ok {
			return k.resolve(ctx, d, status, reason)
		}
	}
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
	return modkit.Emit(ctx, &types.EventStepCompleted{DisputeId: d.Id, Index: d.History[len(d.History)-1].Index, Agreed: agreed,
		Lo: d.Lo, Hi: d.Hi, Phase: d.Phase, NextIndex: d.Index, DeadlineHeight: d.DeadlineHeight})
}

// scoreProven says whether this step reveals both sides' last leaves,
// which commit to their scores: every run ends with score leaves
// (runtime/score.go, runtime/llm/score.go).
func (k Keeper) scoreProven(_ context.Context, d *types.Dispute) (bool, error) {
	return d.Claimant.Leaves == d.Challenger.Leaves && d.Index == int64(d.Claimant.Leaves)-1, nil
}

// scoreLeafIs says whether a revealed leaf's output is the score leaf of
// value correct.
func scoreLeafIs(l types.Leaf, correct uint64) bool {
	if correct > math.MaxInt64 {
		return false
	}
	h := runtime.OutputHash(runtime.ScoreTensor(int64(correct)))
	return l.Output == hex.EncodeToString(h[:])
}

// firstStepVerdict decides a dispute at its first step by the scores alone
// where that is possible: both sides' last leaves false to their scores
// (both lost); or one false while the sides share their last leaf (the
// same trace, or revealed last leaves that agree), which then proves the
// other side's score. A false side facing a different last leaf is only
// marked: the trace game goes on, and it can win nothing with its score
// (resolve).
func firstStepVerdict(d *types.Dispute, sameLastLeaf bool) (types.DisputeStatus, string, bool) {
	switch {
	case d.ClaimantScoreFalse && d.ChallengerScoreFalse:
		return types.DISPUTE_STATUS_BOTH_LOST, "neither side's last leaf is the score it claims", true
	case sameLastLeaf && d.ClaimantScoreFalse:
		return types.DISPUTE_STATUS_CHALLENGER_WON, "the same last leaf: the claimant's is not the score it claims", true
	case sameLastLeaf && d.ChallengerScoreFalse:
		return types.DISPUTE_STATUS_CLAIMANT_WON, "the same last leaf: the challenger's is not the score it claims", true
	}
	return types.DISPUTE_STATUS_UNSPECIFIED, "", false
}
