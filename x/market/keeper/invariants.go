package keeper

import (
	"fmt"

	"cosmossdk.io/collections"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/delphi-network/delphi/x/market/types"
)

// Invariant names, as registered.
const (
	InvariantEscrow    = "escrow-covers-payouts"
	InvariantBalance   = "module-balance"
	InvariantPositions = "positions-sum-to-shares"
)

// AllInvariants runs every invariant of the module in turn.
func AllInvariants(k Keeper) sdk.Invariant {
	return func(ctx sdk.Context) (string, bool) {
		for _, inv := range []sdk.Invariant{EscrowInvariant(k), BalanceInvariant(k), PositionsInvariant(k)} {
			if msg, broken := inv(ctx); broken {
				return msg, true
			}
		}
		return "", false
	}
}

// EscrowInvariant: an open market's escrow covers its worst-case payout
// max_i q_i; a settled market's escrow covers what its open positions can
// still redeem.
func EscrowInvariant(k Keeper) sdk.Invariant {
	return func(ctx sdk.Context) (string, bool) {
		var msg string
		err := k.Markets.Walk(ctx, nil, func(id uint64, m types.Market) (bool, error) {
			need := math.ZeroInt()
			switch {
			case m.Status == types.MARKET_STATUS_OPEN:
				for _, q := range m.Shares {
					need = math.MaxInt(need, q)
				}
			case m.Settled():
				if err := k.walkPositions(ctx, id, func(p types.Position) {
					need = need.Add(m.Payout(p.Shares))
				}); err != nil {
					return true, err
				}
			}
			if m.Escrow.LT(need) {
				msg = fmt.Sprintf("market %d: escrow %s below the payout it must cover %s", id, m.Escrow, need)
				return true, nil
			}
			return false, nil
		})
		return report(InvariantEscrow, msg, err)
	}
}

// BalanceInvariant: the module account holds exactly the sum of the
// markets' escrows and unpaid fees, and the block's protocol fees not yet
// deposited, per denom.
func BalanceInvariant(k Keeper) sdk.Invariant {
	return func(ctx sdk.Context) (string, bool) {
		owed := sdk.NewCoins()
		err := k.Markets.Walk(ctx, nil, func(_ uint64, m types.Market) (bool, error) {
			owed = owed.Add(sdk.NewCoin(m.CollateralDenom, m.Escrow.Add(m.CreatorFees).Add(m.LpFees)))
			return false, nil
		})
		if err != nil {
			return report(InvariantBalance, "", err)
		}
		// Protocol fees collected in a block wait here until its EndBlock.
		err = k.ProtocolFees.Walk(ctx, nil, func(denom string, amount math.Int) (bool, error) {
			owed = owed.Add(sdk.NewCoin(denom, amount))
			return false, nil
		})
		if err != nil {
			return report(InvariantBalance, "", err)
		}
		// So do the reporters' fees, until EndBlock moves them.
		err = k.ReporterFees.Walk(ctx, nil, func(key collections.Pair[uint64, string], amount math.Int) (bool, error) {
			owed = owed.Add(sdk.NewCoin(key.K2(), amount))
			return false, nil
		})
		if err != nil {
			return report(InvariantBalance, "", err)
		}
		var msg string
		for _, c := range owed {
			if held := k.bank.GetBalance(ctx, k.moduleAddr, c.Denom); !held.Amount.Equal(c.Amount) {
				msg = fmt.Sprintf("module holds %s, markets account for %s", held, c)
				break
			}
		}
		return report(InvariantBalance, msg, nil)
	}
}

// PositionsInvariant: an open market's positions add up to its shares
// (a settled market's only shrink as they are redeemed), and every market
// counts its positions as holders.
func PositionsInvariant(k Keeper) sdk.Invariant {
	return func(ctx sdk.Context) (string, bool) {
		var msg string
		err := k.Markets.Walk(ctx, nil, func(id uint64, m types.Market) (bool, error) {
			sum := types.ZeroShares(len(m.ModelIds))
			var holders uint64
			if err := k.walkPositions(ctx, id, func(p types.Position) {
				holders++
				for i, s := range p.Shares {
					sum[i] = sum[i].Add(s)
				}
			}); err != nil {
				return true, err
			}
			if holders != m.Holders {
				msg = fmt.Sprintf("market %d: %d positions, %d holders counted", id, holders, m.Holders)
				return true, nil
			}
			for i := range sum {
				if (m.Status == types.MARKET_STATUS_OPEN && !sum[i].Equal(m.Shares[i])) || sum[i].GT(m.Shares[i]) {
					msg = fmt.Sprintf("market %d outcome %d: positions sum to %s, shares %s", id, i, sum[i], m.Shares[i])
					return true, nil
				}
			}
			return false, nil
		})
		return report(InvariantPositions, msg, err)
	}
}

func (k Keeper) walkPositions(ctx sdk.Context, id uint64, fn func(types.Position)) error {
	return k.Positions.Walk(ctx, collections.NewPrefixedPairRange[uint64, sdk.AccAddress](id),
		func(_ collections.Pair[uint64, sdk.AccAddress], p types.Position) (bool, error) {
			fn(p)
			return false, nil
		})
}

func report(name, msg string, err error) (string, bool) {
	if err != nil {
		msg = err.Error()
	}
	broken := msg != ""
	return sdk.FormatInvariant(types.ModuleName, name, msg), broken
}
