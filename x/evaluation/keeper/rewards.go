package keeper

import (
	"context"
	"encoding/hex"
	"fmt"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"
	distrtypes "github.com/cosmos/cosmos-sdk/x/distribution/types"

	"github.com/delphi-network/delphi/internal/modkit"
	"github.com/delphi-network/delphi/x/evaluation/types"
)

// FundReporters adds coins, already moved into this module's account by
// the caller (x/market, from the protocol's share of a market's fees), to
// what an evaluation's reporters will share. Coins for an evaluation that
// has ended (its pool paid or released already: fees of trades in the
// block a market was cancelled in) go to the community pool.
func (k Keeper) FundReporters(ctx context.Context, evaluationID uint64, coins sdk.Coins) error {
	if coins.IsZero() {
		return nil
	}
	e, err := k.Evaluations.Get(ctx, evaluationID)
	live := err == nil && (e.Status == types.EVALUATION_STATUS_SCHEDULED || e.Status == types.EVALUATION_STATUS_RUNNING)
	if !live && k.distr != nil {
		return k.distr.FundCommunityPool(ctx, coins, k.moduleAddr)
	}
	pool, err := k.RewardPools.Get(ctx, evaluationID)
	if err != nil && !isNotFound(err) {
		return err
	}
	pool.EvaluationId, pool.Coins = evaluationID, pool.Coins.Add(coins...)
	return k.RewardPools.Set(ctx, evaluationID, pool)
}

// payReporters splits a finalized evaluation's reward pool among the
// validators behind its final results, by the number of results each
// revealed (a result a dispute replaced counts for the side that won it).
// Each share is rounded down and allocated to the validator through
// x/distribution, so its delegators share it as they share its stake;
// the remainder, and the share of a validator that no longer exists, go
// to the community pool.
func (k Keeper) payReporters(ctx context.Context, e types.Evaluation) error {
	pool, err := k.RewardPools.Get(ctx, e.Id)
	if isNotFound(err) || (err == nil && pool.Coins.IsZero()) {
		return nil
	}
	if err != nil {
		return err
	}
	if k.distr == nil || k.staking == nil {
		return nil // a fixture without them: the pool stays
	}
	if err := k.RewardPools.Remove(ctx, e.Id); err != nil {
		return err
	}
	credits := map[string]uint64{}
	var order []string
	var total uint64
	if err := k.Results.Walk(ctx, collections.NewPrefixedTripleRange[uint64, uint32, uint64](e.Id),
		func(_ collections.Triple[uint64, uint32, uint64], r types.Result) (bool, error) {
			for _, v := range r.Validators {
				if credits[v] == 0 {
					order = append(order, v)
				}
				credits[v]++
				total++
			}
			return false, nil
		}); err != nil {
		return err
	}
	left := pool.Coins
	if total > 0 {
		for _, v := range order {
			share := sdk.NewCoins()
			for _, c := range pool.Coins {
				// Round down: the pool never pays out more than it holds.
				share = share.Add(sdk.NewCoin(c.Denom, c.Amount.Mul(math.NewIntFromUint64(credits[v])).Quo(math.NewIntFromUint64(total))))
			}
			if share.IsZero() {
				continue
			}
			paid, err := k.payValidator(ctx, v, share)
			if err != nil {
				return err
			}
			if paid {
				left = left.Sub(share...)
				if err := modkit.Emit(ctx, &types.EventReporterRewarded{EvaluationId: e.Id, Validator: v, Results: credits[v],
					Amount: share.String()}); err != nil {
					return err
				}
			}
		}
	}
	if left.IsZero() {
		return nil
	}
	return k.distr.FundCommunityPool(ctx, left, k.moduleAddr)
}

// payValidator allocates coins to the validator behind a consensus address
// (hex); false if there is none any more.
func (k Keeper) payValidator(ctx context.Context, consHex string, coins sdk.Coins) (bool, error) {
	raw, err := hex.DecodeString(consHex)
	if err != nil {
		return false, nil
	}
	v, err := k.staking.ValidatorByConsAddr(ctx, sdk.ConsAddress(raw))
	if err != nil || v == nil {
		return false, nil
	}
	if err := k.bank.SendCoinsFromModuleToModule(ctx, types.ModuleName, distrtypes.ModuleName, coins); err != nil {
		return false, err
	}
	return true, k.distr.AllocateTokensToValidator(ctx, v, sdk.NewDecCoinsFromCoins(coins...))
}

// releasePool gives a failed evaluation's reward pool to the community
// pool: nobody reported a result that counted.
func (k Keeper) releasePool(ctx context.Context, id uint64) error {
	pool, err := k.RewardPools.Get(ctx, id)
	if isNotFound(err) {
		return nil
	}
	if err != nil {
		return err
	}
	if err := k.RewardPools.Remove(ctx, id); err != nil {
		return err
	}
	if pool.Coins.IsZero() || k.distr == nil {
		return nil
	}
	return k.distr.FundCommunityPool(ctx, pool.Coins, k.moduleAddr)
}

// takeDeposit moves an evaluation's deposit from its creator: at least the
// required one, in its denominations.
func (k Keeper) takeDeposit(ctx context.Context, creator string, offered, required sdk.Coins) (sdk.Coins, error) {
	deposit := offered
	if deposit.IsZero() {
		deposit = required
	}
	if !deposit.IsAllGTE(required) {
		return nil, errorsmod.Wrapf(types.ErrInvalidEvaluation, "deposit %s below the required %s", deposit, required)
	}
	if deposit.IsZero() {
		return deposit, nil
	}
	addr, err := sdk.AccAddressFromBech32(creator)
	if err != nil {
		return nil, errorsmod.Wrapf(types.ErrInvalidEvaluation, "creator: %v", err)
	}
	if err := k.bank.SendCoinsFromAccountToModule(ctx, addr, types.ModuleName, deposit); err != nil {
		// Both errors stay in the chain: this module's code for the
		// result, the bank's reason for the cause.
		return nil, fmt.Errorf("%w: deposit %s: %w", types.ErrInsufficientDeposit, deposit, err)
	}
	return deposit, nil
}

// settleDeposit returns an evaluation's deposit to its creator, or burns
// it (the creator cancelled the evaluation after validators started on it).
func (k Keeper) settleDeposit(ctx context.Context, e types.Evaluation, burn bool) error {
	if e.Deposit.IsZero() {
		return nil
	}
	if burn {
		return k.bank.BurnCoins(ctx, types.ModuleName, e.Deposit)
	}
	addr, err := sdk.AccAddressFromBech32(e.Creator)
	if err != nil {
		return fmt.Errorf("evaluation %d creator %q: %w", e.Id, e.Creator, err)
	}
	return k.bank.SendCoinsFromModuleToAccount(ctx, types.ModuleName, addr, e.Deposit)
}

// priority orders an evaluation's results when a vote extension is full:
// its deposit per result, the one thing a spammer cannot have without
// locking funds for it (in the denomination the params ask deposits in,
// over models × rounds).
func priority(e types.Evaluation, denom string) math.Int {
	if len(e.ModelIds) == 0 || e.Rounds == 0 {
		return math.ZeroInt()
	}
	return e.Deposit.AmountOf(denom).QuoRaw(int64(len(e.ModelIds))).QuoRaw(int64(e.Rounds))
}
