package keeper

import (
	"context"
	"fmt"

	"cosmossdk.io/collections"
	"cosmossdk.io/math"

	"github.com/delphi-network/delphi/x/vault/types"
)

// valuation is a vault's assets, valued one way for what leaves and
// another for what enters, so that nobody gains by the choice of moment:
//
//   - withdraw: idle collateral plus each open market's funder position
//     marked to market at its LMSR prices, the lower of now and the end of
//     the last block it traded in, liability rounded up;
//   - deposit: idle plus each open market at the highest of those marks
//     and its subsidy plus LP fees.
//
// Marked values assume prices carry all there is to know. Once a round of
// a market's evaluation is drawn they may not — its scores are knowable to
// anyone who runs the models while the market maker cannot see them — so
// such a market is exposed: deposits are refused and withdrawals wait for
// its settlement (see Deposit, Withdraw).
type valuation struct {
	withdraw, deposit math.Int
	// exposed lists the open markets with a round drawn, in id order;
	// settleBy the latest of their settle deadlines.
	exposed  []uint64
	settleBy int64
}

// value values vault v now. It reads at most max_open_markets markets.
func (k Keeper) value(ctx context.Context, v types.Vault) (valuation, error) {
	val := valuation{withdraw: v.Idle, deposit: v.Idle}
	err := k.OpenMarkets.Walk(ctx, collections.NewPrefixedPairRange[uint64, uint64](v.Id), func(key collections.Pair[uint64, uint64]) (bool, error) {
		fv, err := k.market.FunderValue(ctx, key.K2())
		if err != nil {
			return true, err
		}
		val.withdraw, val.deposit = val.withdraw.Add(fv.Withdraw), val.deposit.Add(fv.Deposit)
		if fv.Exposed {
			val.exposed = append(val.exposed, key.K2())
			val.settleBy = max(val.settleBy, fv.SettleBy)
		}
		return false, nil
	})
	return val, err
}

// WithdrawValue is what burning shares of vault v would pay now.
func (k Keeper) WithdrawValue(ctx context.Context, v types.Vault, shares math.Int) (math.Int, error) {
	p, err := k.Params.Get(ctx)
	if err != nil {
		return math.Int{}, err
	}
	val, err := k.value(ctx, v)
	if err != nil {
		return math.Int{}, err
	}
	return v.AssetsFor(shares, val.withdraw, p.VirtualShares), nil
}

// DepositsPaused says why vault v refuses deposits now ("" when it takes
// them): a market it funds is exposed.
func (k Keeper) DepositsPaused(ctx context.Context, v types.Vault) (string, error) {
	val, err := k.value(ctx, v)
	if err != nil || len(val.exposed) == 0 {
		return "", err
	}
	return fmt.Sprintf("markets %v have rounds drawn: deposits resume when they settle, by height %d at the latest",
		val.exposed, val.settleBy), nil
}
