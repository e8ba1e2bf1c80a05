package keeper

import (
	"fmt"

	"cosmossdk.io/collections"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/delphi-network/delphi/x/market/types"
)

// BetweenBlocksInvariant: x/market's per-block state (the protocol and
// reporter fees awaiting their transfer, the markets awaiting their price
// point) is
// emptied by its EndBlocker, so a committed state holds none. It holds only
// between blocks: run it on committed state, not inside a block.
func BetweenBlocksInvariant(k Keeper) sdk.Invariant {
	return func(ctx sdk.Context) (string, bool) {
		const route = "between-blocks"
		var left []string
		if err := k.ProtocolFees.Walk(ctx, nil, func(denom string, amount math.Int) (bool, error) {
			left = append(left, fmt.Sprintf("protocol fee %s%s", amount, denom))
			return false, nil
		}); err != nil {
			return sdk.FormatInvariant(types.ModuleName, route, err.Error()), true
		}
		if err := k.ReporterFees.Walk(ctx, nil, func(key collections.Pair[uint64, string], amount math.Int) (bool, error) {
			left = append(left, fmt.Sprintf("reporter fee %s%s for evaluation %d", amount, key.K2(), key.K1()))
			return false, nil
		}); err != nil {
			return sdk.FormatInvariant(types.ModuleName, route, err.Error()), true
		}
		if err := k.Traded.Walk(ctx, nil, func(id uint64) (bool, error) {
			left = append(left, fmt.Sprintf("traded mark of market %d", id))
			return false, nil
		}); err != nil {
			return sdk.FormatInvariant(types.ModuleName, route, err.Error()), true
		}
		if len(left) > 0 {
			return sdk.FormatInvariant(types.ModuleName, route, fmt.Sprintf("left over from a block: %v", left)), true
		}
		return sdk.FormatInvariant(types.ModuleName, route, ""), false
	}
}
