package keeper

import (
	"context"
	"errors"

	"cosmossdk.io/collections"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/delphi-network/delphi/x/evaluation/types"
)

// ExtensionLimits are the bounds under which the vote extensions of height
// were made and verified. ExtendVote and VerifyVoteExtension at height h
// run on the state committed at h−1, whose params bound them; the proposer
// of h+1, every validator checking its proposal and the PreBlocker of h+1
// run on the state committed at h, in which governance (or an upgrade) may
// have changed the params. So the EndBlocker of every block h−1 records the
// params it ends with as the limits of height h, after every other module's
// EndBlock (governance executes proposals in its own), and an extension is
// judged by them wherever it is judged again: changing the params never
// invalidates extensions already signed, and never halts the chain.
func (k Keeper) ExtensionLimits(ctx context.Context, height int64) (types.ExtensionLimits, error) {
	l, err := k.ExtLimits.Get(ctx, height)
	switch {
	case err == nil:
		return l, nil
	case !errors.Is(err, collections.ErrNotFound):
		return l, err
	}
	// Not recorded (a chain's first block, or a chain started from an
	// export): the params in force are the ones the votes saw.
	p, err := k.Params.Get(ctx)
	if err != nil {
		return types.ExtensionLimits{}, err
	}
	return p.Limits(height), nil
}

// EndBlocker records the params this block ends with as the limits of the
// next height's extensions, and forgets the limits of heights no proposal
// can carry any more (those before this one).
func (k Keeper) EndBlocker(ctx context.Context) error {
	height := sdk.UnwrapSDKContext(ctx).BlockHeight()
	p, err := k.Params.Get(ctx)
	if err != nil {
		return err
	}
	if err := k.ExtLimits.Set(ctx, height+1, p.Limits(height+1)); err != nil {
		return err
	}
	var old []int64
	if err := k.ExtLimits.Walk(ctx, new(collections.Range[int64]).EndExclusive(height), func(h int64, _ types.ExtensionLimits) (bool, error) {
		old = append(old, h)
		return false, nil
	}); err != nil {
		return err
	}
	for _, h := range old {
		if err := k.ExtLimits.Remove(ctx, h); err != nil {
			return err
		}
	}
	return nil
}
