package keeper

import (
	"context"
	"encoding/hex"

	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/delphi-network/delphi/internal/modkit"
	evaluationtypes "github.com/delphi-network/delphi/x/evaluation/types"
	"github.com/delphi-network/delphi/x/verde/types"
)

// Challenge implements types.MsgServer: a bonded validator (through its
// operator account) or an account that posts the challenger bond disputes
// a final result of an evaluation that has not finalized, with its own
// claim, within x/evaluation's challenge_window_blocks of the height the
// result became final. A validator whose result arrived too late to be
// tallied uses this. The window bounds how old a result a dispute can be
// about: the validators who backed it are then still bonded, or unbonding
// and still slashable for it.
func (k msgServer) Challenge(ctx context.Context, msg *types.MsgChallenge) (*types.MsgChallengeResponse, error) {
	acc, err := modkit.Signer("challenger", msg.Challenger, types.ErrInvalidAddress)
	if err != nil {
		return nil, err
	}
	e, err := k.eval.GetEvaluation(ctx, msg.EvaluationId)
	if err != nil {
		return nil, err
	}
	if e.Status != evaluationtypes.EVALUATION_STATUS_RUNNING {
		return nil, errorsmod.Wrapf(types.ErrWindowClosed, "evaluation %d is %s", e.Id, e.Status)
	}
	res, err := k.eval.GetResult(ctx, msg.EvaluationId, msg.Round, msg.ModelId)
	if err != nil {
		return nil, err
	}
	window, err := k.eval.ChallengeWindowBlocks(ctx)
	if err != nil {
		return nil, err
	}
	if height := sdk.UnwrapSDKContext(ctx).BlockHeight(); height > res.Height+window {
		return nil, errorsmod.Wrapf(types.ErrWindowClosed, "the result of evaluation %d round %d model %d became final at height %d; it could be challenged until height %d (challenge_window_blocks %d), this is height %d",
			msg.EvaluationId, msg.Round, msg.ModelId, res.Height, res.Height+window, window, height)
	}
	b, err := k.eval.GetBenchmark(ctx, e.BenchmarkId)
	if err != nil {
		return nil, err
	}
	m, err := k.eval.GetModel(ctx, msg.ModelId)
	if err != nil {
		return nil, err
	}
	if _, err := parseRoot(msg.TraceRoot); err != nil {
		return nil, errorsmod.Wrap(types.ErrInvalidChallenge, err.Error())
	}
	switch {
	case msg.TraceRoot == res.TraceRoot && msg.Correct == res.Correct:
		return nil, errorsmod.Wrap(types.ErrInvalidChallenge, "the claim is the result")
	case msg.Leaves == 0:
		return nil, errorsmod.Wrap(types.ErrInvalidChallenge, "leaves must be positive")
	case msg.Leaves == 1 && (msg.Correct != 0 || !evaluationtypes.IsRejection(msg.TraceRoot, m.WeightsSha256)):
		return nil, errorsmod.Wrap(types.ErrInvalidChallenge, "a one-leaf claim is the model's rejection by the runtime (its root, 0 correct) or nothing")
	case msg.Correct > uint64(e.ItemsPerRound)*b.Points():
		return nil, errorsmod.Wrapf(types.ErrInvalidChallenge, "correct %d above the round's %d items × %d points per item",
			msg.Correct, e.ItemsPerRound, b.Points())
	}
	if dup, err := k.disputed(ctx, res, msg.TraceRoot, msg.Correct); err != nil {
		return nil, err
	} else if dup {
		return nil, errorsmod.Wrapf(types.ErrAlreadyDisputed, "root %s", msg.TraceRoot)
	}

	challenger := types.Party{Correct: msg.Correct, TraceRoot: msg.TraceRoot, Leaves: msg.Leaves}
	if val, err := k.staking.Validator(ctx, sdk.ValAddress(acc)); err == nil && val != nil && val.IsBonded() {
		cons, err := val.GetConsAddr()
		if err != nil {
			return nil, err
		}
		challenger.Validators = []string{hex.EncodeToString(cons)}
	} else {
		p, err := k.Params.Get(ctx)
		if err != nil {
			return nil, err
		}
		if !p.ChallengerBond.IsZero() {
			if err := k.bank.SendCoinsFromAccountToModule(ctx, acc, types.ModuleName, p.ChallengerBond); err != nil {
				return nil, errorsmod.Wrapf(types.ErrNotChallenger, "bond %s: %v", p.ChallengerBond, err)
			}
		}
		challenger.Account, challenger.Bond = msg.Challenger, p.ChallengerBond
	}
	claimant := types.Party{Correct: res.Correct, TraceRoot: res.TraceRoot, Leaves: res.Leaves, Validators: res.Validators}
	id, err := k.open(ctx, res, claimant, challenger)
	if err != nil {
		return nil, err
	}
	return &types.MsgChallengeResponse{DisputeId: id}, nil
}
