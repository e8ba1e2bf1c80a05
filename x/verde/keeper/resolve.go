package keeper

import (
	"context"
	"encoding/hex"
	"fmt"

	"cosmossdk.io/collections"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/delphi-network/delphi/internal/modkit"
	evaluationtypes "github.com/delphi-network/delphi/x/evaluation/types"
	"github.com/delphi-network/delphi/x/verde/types"
)

// resolve ends a dispute: the losing side's validators are slashed and
// jailed, a losing bond goes to the other side (or the community pool), a
// winning challenger's claim replaces the result, and if both sides lost
// the evaluation fails. Nothing x/slashing or x/staking refuses fails it
// (punish skips that validator); an error from the bank, x/distribution or
// x/evaluation (whose hooks reach x/market) drops the effects and ends the
// dispute without them, with the error in the event: a dispute must end,
// and a block hook must not fail, whatever another module says.
func (k Keeper) resolve(ctx context.Context, d *types.Dispute, status types.DisputeStatus, reason string) error {
	// A side whose last leaf is not the score it claims wins nothing: its
	// claim is false whatever its trace. Without a verdict on the traces,
	// a proven false score still decides: against it the other side wins
	// (its own last leaf is its score).
	switch {
	case status == types.DISPUTE_STATUS_CHALLENGER_WON && d.ChallengerScoreFalse:
		status, reason = types.DISPUTE_STATUS_BOTH_LOST, reason+"; and the challenger's last leaf is not the score it claims"
	case status == types.DISPUTE_STATUS_CLAIMANT_WON && d.ClaimantScoreFalse:
		status, reason = types.DISPUTE_STATUS_BOTH_LOST, reason+"; and the claimant's last leaf is not the score it claims"
	case status == types.DISPUTE_STATUS_NO_VERDICT && d.ChallengerScoreFalse && !d.ClaimantScoreFalse:
		status, reason = types.DISPUTE_STATUS_CLAIMANT_WON, reason+"; but the challenger's last leaf is not the score it claims"
	case status == types.DISPUTE_STATUS_NO_VERDICT && d.ClaimantScoreFalse && !d.ChallengerScoreFalse:
		status, reason = types.DISPUTE_STATUS_CHALLENGER_WON, reason+"; but the claimant's last leaf is not the score it claims"
	case status == types.DISPUTE_STATUS_NO_VERDICT && d.ClaimantScoreFalse && d.ChallengerScoreFalse:
		status, reason = types.DISPUTE_STATUS_BOTH_LOST, reason+"; but neither side's last leaf is the score it claims"
	}
	claimantLost := status == types.DISPUTE_STATUS_CHALLENGER_WON || status == types.DISPUTE_STATUS_BOTH_LOST
	challengerLost := status == types.DISPUTE_STATUS_CLAIMANT_WON || status == types.DISPUTE_STATUS_BOTH_LOST
	ev := &types.EventDisputeResolved{DisputeId: d.Id, Status: status, Reason: reason}
	for _, side := range []struct {
		p    types.Party
		lost bool
	}{{d.Claimant, claimantLost}, {d.Challenger, challengerLost}} {
		if side.lost {
			k.punish(ctx, side.p.Validators, d.OpenedHeight, ev)
		}
	}
	sdkCtx := sdk.UnwrapSDKContext(ctx)
	cache, write := sdkCtx.CacheContext()
	if err := k.effects(cache, d, status, claimantLost, challengerLost); err != nil {
		ev.Failed = err.Error()
		sdkCtx.Logger().Error("dispute ended without its effects", "dispute", d.Id, "err", err)
	} else {
		write()
	}
	if err := k.Deadlines.Remove(ctx, collections.Join(d.DeadlineHeight, d.Id)); err != nil {
		return err
	}
	if err := k.OpenByEvaluation.Remove(ctx, collections.Join(d.EvaluationId, d.Id)); err != nil {
		return err
	}
	d.Status, d.Phase, d.Reason = status, types.PHASE_DONE, reason
	d.ResolvedHeight = sdkCtx.BlockHeight()
	return modkit.Emit(ctx, ev)
}

// effects moves the bonds and applies the outcome to the evaluation.
func (k Keeper) effects(ctx context.Context, d *types.Dispute, status types.DisputeStatus, claimantLost, challengerLost bool) error {
	// Without a verdict the round is drawn again, which a challenger could
	// want for its own sake: one that opened the dispute and did not
	// justify its own claim forfeits its bond (nobody is slashed).
	bondLost := challengerLost || (status == types.DISPUTE_STATUS_NO_VERDICT && !k.resultIsRejection(ctx, d))
	if err := k.settleBonds(ctx, d, claimantLost, bondLost); err != nil {
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
		case types.DISPUTE_STATUS_NO_VERDICT:
			// Nothing shows which claim holds: the round is drawn again
			// (the result stands once it is out of retries). A result that
			// is the model's rejection stands: the referee cannot decide
			// about a refusal, and a liar challenging one at no risk must
			// not be able to spend the round's retries.
			if !k.resultIsRejection(ctx, d) {
				if _, err := k.eval.RedrawRound(ctx, d.EvaluationId, d.Round, d.Attempt); err != nil {
					return err
				}
			}
		}
	}
	return nil
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
	// The whole claim: a result replaced by another dispute may keep the
	// root and change the score.
	return res.TraceRoot == d.Claimant.TraceRoot && res.Correct == d.Claimant.Correct && res.Leaves == d.Claimant.Leaves, nil
}

// punish slashes and jails every validator of a losing side that can
// still be punished, recording each in ev as slashed or skipped. A
// validator x/staking no longer knows, or that is unbonded, is skipped
// (x/staking refuses to slash an unbonded validator; an unbonding one is
// slashed, with the stake that was bonded at the infraction height); each
// slash runs in its own cached context, so a refusal from x/slashing or
// x/staking drops only that validator's writes.
func (k Keeper) punish(ctx context.Context, validators []string, infractionHeight int64, ev *types.EventDisputeResolved) {
	p, err := k.Params.Get(ctx)
	if err != nil {
		for _, v := range validators {
			ev.Skipped = append(ev.Skipped, fmt.Sprintf("%s: no params: %v", v, err))
		}
		return
	}
	sdkCtx := sdk.UnwrapSDKContext(ctx)
	for _, v := range validators {
		raw, err := hex.DecodeString(v)
		if err != nil {
			ev.Skipped = append(ev.Skipped, v+": not a consensus address")
			continue
		}
		cons := sdk.ConsAddress(raw)
		val, err := k.staking.ValidatorByConsAddr(ctx, cons)
		switch {
		case err != nil || val == nil:
			ev.Skipped = append(ev.Skipped, v+": no longer a validator")
			continue
		case val.IsUnbonded():
			ev.Skipped = append(ev.Skipped, v+": unbonded")
			continue
		}
		cache, write := sdkCtx.CacheContext()
		power := val.GetConsensusPower(k.staking.PowerReduction(ctx))
		err = k.slashing.Slash(cache, cons, p.SlashFraction, power, infractionHeight)
		if err == nil && !val.IsJailed() {
			err = k.slashing.Jail(cache, cons)
		}
		if err != nil {
			ev.Skipped = append(ev.Skipped, fmt.Sprintf("%s: refused: %v", v, err))
			continue
		}
		write()
		ev.Slashed = append(ev.Slashed, v)
	}
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
