package keeper

import (
	"fmt"

	"cosmossdk.io/collections"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/delphi-network/delphi/x/vault/types"
)

// AllInvariants: the module account holds exactly every vault's idle
// collateral (per denom); each vault's locked amount is the subsidy of its
// unsettled markets, which are exactly its indexed open markets; each
// vault's shares are all held by depositors or queued withdrawals (those
// add up to queued_shares), so depositors never claim more than the assets.
func AllInvariants(k Keeper) sdk.Invariant {
	return func(ctx sdk.Context) (string, bool) {
		idle := sdk.NewCoins()
		var msg string
		err := k.Vaults.Walk(ctx, nil, func(id uint64, v types.Vault) (bool, error) {
			idle = idle.Add(sdk.NewCoin(v.CollateralDenom, v.Idle))
			locked, shares, queued := math.ZeroInt(), math.ZeroInt(), math.ZeroInt()
			indexed := true
			if err := k.VaultMarkets.Walk(ctx, collections.NewPrefixedPairRange[uint64, uint64](id),
				func(key collections.Pair[uint64, uint64], m types.VaultMarket) (bool, error) {
					if !m.Settled {
						locked = locked.Add(m.Subsidy)
					}
					open, err := k.OpenMarkets.Has(ctx, key)
					indexed = indexed && open == !m.Settled
					return false, err
				}); err != nil {
				return true, err
			}
			if err := k.Deposits.Walk(ctx, collections.NewPrefixedPairRange[uint64, sdk.AccAddress](id),
				func(_ collections.Pair[uint64, sdk.AccAddress], d types.Deposit) (bool, error) {
					shares = shares.Add(d.Shares)
					return false, nil
				}); err != nil {
				return true, err
			}
			if err := k.Queue.Walk(ctx, collections.NewPrefixedPairRange[uint64, uint64](id),
				func(key collections.Pair[uint64, uint64]) (bool, error) {
					w, err := k.Withdrawals.Get(ctx, key.K2())
					shares, queued = shares.Add(w.Shares), queued.Add(w.Shares)
					return false, err
				}); err != nil {
				return true, err
			}
			switch {
			case !locked.Equal(v.Locked):
				msg = fmt.Sprintf("vault %d: locked %s, unsettled subsidies %s", id, v.Locked, locked)
			case !shares.Equal(v.TotalShares):
				msg = fmt.Sprintf("vault %d: %s shares, depositors and queue hold %s", id, v.TotalShares, shares)
			case !v.QueuedShares.IsNil() && !queued.Equal(v.QueuedShares) || v.QueuedShares.IsNil() && !queued.IsZero():
				msg = fmt.Sprintf("vault %d: queued_shares %s, its queue holds %s", id, v.QueuedShares, queued)
			case !indexed:
				msg = fmt.Sprintf("vault %d: the open-market index differs from its unsettled markets", id)
			}
			return msg != "", nil
		})
		if err != nil {
			msg = err.Error()
		}
		if msg == "" {
			for _, c := range idle {
				if held := k.bank.GetBalance(ctx, k.moduleAddr, c.Denom); !held.Amount.Equal(c.Amount) {
					msg = fmt.Sprintf("module holds %s, vaults' idle collateral is %s", held, c)
				}
			}
		}
		return sdk.FormatInvariant(types.ModuleName, "vault-accounting", msg), msg != ""
	}
}
