package keeper

import (
	"context"
	"encoding/hex"

	"cosmossdk.io/collections"

	sdk "github.com/cosmos/cosmos-sdk/types"

	evaluationtypes "github.com/delphi-network/delphi/x/evaluation/types"
	"github.com/delphi-network/delphi/x/verde/types"
)

// resolve ends a dispute: the losing side's validators are slashed and
// jailed, a losing bond goes to the other side (or the community pool), a
// winning challenger's claim replaces the result, and if both sides lost
// the evaluation fails.
func (k Keeper) resolve(ctx context.Context, d *types.Dispute, status types.DisputeStatus, reason string) error {
	claimantLost := status == types.DISPUTE_STATUS_CHALLENGER_WON || status == types.DISPUTE_STATUS_BOTH_LOST
	challengerLost := status == types.DISPUTE_STATUS_CLAIMANT_WON || status == types.DISPUTE_STATUS_BOTH_LOST
	var slashed []string
	for _, side := range []struct {
		p    types.Party
		lost bool
	}{{d.Claimant, claimantLost}, {d.Challenger, challengerLost}} {
		if !side.lost {
			continue
		}
		s, err := k.punish(ctx, side.p.Validators, d.OpenedHeight)
		if err != nil {
			return err
		}
		slashed = append(slashed, s...)
	}
	if err := k.settleBonds(ctx, d, claimantLost, challengerLost); err != nil {
		return err
	}
	// The evaluation changes only while the disputed result is still the
	// one it holds: the evaluation running, the round on the same attempt,
	// the result the claimant's. An evaluation that failed, or a round
	// redrawn, while the dispute went on keeps its state; the liars are
	// punished all the same.
	if live, err := k.stillDisputed(ctx, d); err != nil {
		return err
	} else if live {
		switch status {
		case types.DISPUTE_STATUS_CHALLENGER_WON:
			c := d.Challenger
			if err := k.eval.ReplaceResult(ctx, d.EvaluationId, d.Round, d.ModelId, evaluationtypes.Claim{
				Correct: c.Correct, TraceRoot: c.TraceRoot, Leaves: c.Leaves, Validators: c.Validators}); err != nil {
				return err
			}
		case types.DISPUTE_STATUS_BOTH_LOST:
			if err := k.eval.CancelEvaluation(ctx, d.EvaluationId, "dispute: neither claim about a result holds", false); err != nil {
				return err
			}
		}
	}
	if err := k.Deadlines.Remove(ctx, collections.Join(d.DeadlineHeight, d.Id)); err != nil {
		return err
	}
	if err := k.OpenByEvaluation.Remove(ctx, collections.Join(d.EvaluationId, d.Id)); err != nil {
		return err
	}
	d.Status, d.Phase, d.Reason = status, types.PHASE_DONE, reason
	d.ResolvedHeight = sdk.UnwrapSDKContext(ctx).BlockHeight()
	return emit(ctx, &types.EventDisputeResolved{DisputeId: d.Id, Status: status, Reason: reason, Slashed: slashed})
}

// stillDisputed reports whether the disputed result is still the one the
// evaluation holds.
func (k Keeper) stillDisputed(ctx context.Context, d *types.Dispute) (bool, error) {
	e, err := k.eval.GetEvaluation(ctx, d.EvaluationId)
	if err != nil {
		return false, err
	}
	if e.Status != evaluationtypes.EVALUATION_STATUS_RUNNING {
		return false, nil
	}
	r, err := k.eval.GetRound(ctx, d.EvaluationId, d.Round)
	if err != nil || r.Attempt != d.Attempt {
		return false, nil
	}
	res, err := k.eval.GetResult(ctx, d.EvaluationId, d.Round, d.ModelId)
	if err != nil {
		return false, nil
	}
	return res.TraceRoot == d.Claimant.TraceRoot, nil
}

// punish slashes and jails every validator of a losing side that is still
// a validator, and returns those it slashed.
func (k Keeper) punish(ctx context.Context, validators []string, infractionHeight int64) ([]string, error) {
	p, err := k.Params.Get(ctx)
	if err != nil {
		return nil, err
	}
	var slashed []string
	for _, v := range validators {
		raw, err := hex.DecodeString(v)
		if err != nil {
			continue // not a consensus address: nothing to slash
		}
		cons := sdk.ConsAddress(raw)
		val, err := k.staking.ValidatorByConsAddr(ctx, cons)
		if err != nil || val == nil {
			continue // no longer a validator
		}
		power := val.GetConsensusPower(k.staking.PowerReduction(ctx))
		if err := k.slashing.Slash(ctx, cons, p.SlashFraction, power, infractionHeight); err != nil {
			return nil, err
		}
		if !val.IsJailed() {
			if err := k.slashing.Jail(ctx, cons); err != nil {
				return nil, err
			}
		}
		slashed = append(slashed, v)
	}
	return slashed, nil
}

// settleBonds refunds the bond of a side that did not lose and gives a
// losing side's bond to the winner's account, or to the community pool
// when the winner posted none.
func (k Keeper) settleBonds(ctx context.Context, d *types.Dispute, claimantLost, challengerLost bool) error {
	sides := []struct {
		p         types.Party
		lost      bool
		other     types.Party
		otherLost bool
	}{{d.Claimant, claimantLost, d.Challenger, challengerLost}, {d.Challenger, challengerLost, d.Claimant, claimantLost}}
	for _, s := range sides {
		if s.p.Bond.IsZero() {
			continue
		}
		to := s.p.Account
		if s.lost {
			to = ""
			if !s.otherLost {
				to = s.other.Account
			}
		}
		if to == "" {
			if err := k.distr.FundCommunityPool(ctx, s.p.Bond, k.moduleAddr); err != nil {
				return err
			}
			continue
		}
		addr, err := sdk.AccAddressFromBech32(to)
		if err != nil {
			return err
		}
		if err := k.bank.SendCoinsFromModuleToAccount(ctx, types.ModuleName, addr, s.p.Bond); err != nil {
			return err
		}
	}
	return nil
}
