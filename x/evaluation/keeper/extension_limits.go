package keeper

import (
	"context"
	"errors"

	"cosmossdk.io/collections"

	"github.com/delphi-network/delphi/x/evaluation/types"
)

// ExtensionLimits are the bounds under which the vote extensions of height
// were made and verified. ExtendVote and VerifyVoteExtension at height h
// run on the state committed at h-1, whose params bound them; the proposer
// of h+1, every validator checking its proposal and the PreBlocker of h+1
// run on the state committed at h, in which governance may have changed
// the params. So the PreBlocker of every block h records the params it
// starts from (those of h-1) as the limits of height h, and an extension is
// judged by them whenever it is judged again: changing the params never
// invalidates extensions already signed, and never halts the chain.
func (k Keeper) ExtensionLimits(ctx context.Context, height int64) (types.ExtensionLimits, error) {
	l, err := k.ExtLimits.Get(ctx)
	switch {
	case err == nil && l.Height == height:
		return l, nil
	case err != nil && !errors.Is(err, collections.ErrNotFound):
		return l, err
	}
	// Not recorded (the first blocks of a chain, or a chain started from
	// an export): the params in force are the ones the votes saw.
	p, err := k.Params.Get(ctx)
	if err != nil {
		return types.ExtensionLimits{}, err
	}
	return p.Limits(height), nil
}

// RecordExtensionLimits keeps the params this block starts from as the
// limits of the extensions validators sign at this height. The PreBlocker
// calls it after judging the previous height's extensions.
func (k Keeper) RecordExtensionLimits(ctx context.Context, height int64) error {
	p, err := k.Params.Get(ctx)
	if err != nil {
		return err
	}
	return k.ExtLimits.Set(ctx, p.Limits(height))
}
