package keeper

import (
	"fmt"

	sdk "github.com/cosmos/cosmos-sdk/types"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"

	"github.com/delphi-network/delphi/x/verde/types"
)

// BondsInvariant: x/verde holds exactly the bonds of its open disputes; a
// resolved dispute has paid every bond out.
func BondsInvariant(k Keeper) sdk.Invariant {
	return func(ctx sdk.Context) (string, bool) {
		owed := sdk.NewCoins()
		err := k.Disputes.Walk(ctx, nil, func(_ uint64, d types.Dispute) (bool, error) {
			if d.Status == types.DISPUTE_STATUS_OPEN {
				owed = owed.Add(d.Claimant.Bond...).Add(d.Challenger.Bond...)
			}
			return false, nil
		})
		if err != nil {
			return sdk.FormatInvariant(types.ModuleName, "bonds", err.Error()), true
		}
		held := k.bank.GetAllBalances(ctx, authtypes.NewModuleAddress(types.ModuleName))
		if !held.Equal(owed) {
			return sdk.FormatInvariant(types.ModuleName, "bonds",
				fmt.Sprintf("module holds %s, open disputes' bonds are %s", held, owed)), true
		}
		return sdk.FormatInvariant(types.ModuleName, "bonds", ""), false
	}
}
