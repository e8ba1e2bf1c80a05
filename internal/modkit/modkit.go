// Package modkit is what every Delphi module does the same way: parse a
// message's signer, check the governance authority, update params, emit
// typed events and draw ids. Each module passes its own registered errors,
// so its codes stay its own (every module registers ErrUnauthorized,
// ErrInvalidParams and ErrInvalidAddress at codes 100, 101 and 102).
package modkit

import (
	"context"

	"github.com/cosmos/gogoproto/proto"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"
)

// Signer parses the address in a message's signer field; a malformed one
// is errInvalid naming the field and the value.
func Signer(field, addr string, errInvalid *errorsmod.Error) (sdk.AccAddress, error) {
	a, err := sdk.AccAddressFromBech32(addr)
	if err != nil {
		return nil, errorsmod.Wrapf(errInvalid, "%s %q: %v", field, addr, err)
	}
	return a, nil
}

// Authority refuses any signer but the module's authority (governance).
func Authority(authority, signer string, errUnauthorized *errorsmod.Error) error {
	if signer != authority {
		return errorsmod.Wrapf(errUnauthorized, "only the module's authority %s may do this, not %s", authority, signer)
	}
	return nil
}

// Params is a module's params.
type Params interface {
	Validate() error
}

// UpdateParams is every module's MsgUpdateParams: the authority only,
// params that validate, stored, and event (the module's
// EventParamsUpdated) emitted.
func UpdateParams[P Params](ctx context.Context, authority, signer string, params P, store collections.Item[P],
	errUnauthorized *errorsmod.Error, event proto.Message,
) error {
	if err := Authority(authority, signer, errUnauthorized); err != nil {
		return err
	}
	if err := params.Validate(); err != nil {
		return err
	}
	if err := store.Set(ctx, params); err != nil {
		return err
	}
	return Emit(ctx, event)
}

// Emit emits a typed event. An event that renders itself (ToEvent, the
// same attributes sdk.TypedEventToEvent would make, without its JSON round
// trip: market's per-trade event) is emitted as it renders.
func Emit(ctx context.Context, ev proto.Message) error {
	em := sdk.UnwrapSDKContext(ctx).EventManager()
	if r, ok := ev.(interface{ ToEvent() sdk.Event }); ok {
		em.EmitEvent(r.ToEvent())
		return nil
	}
	return em.EmitTypedEvent(ev)
}

// NextID draws a sequence's next id. Ids start at 1, so 0 always means
// "none" in messages and state. The sequence stores the last id drawn; a
// genesis records the next id (ExportNext) and sets the sequence back from
// it (ImportNext).
func NextID(ctx context.Context, seq collections.Sequence) (uint64, error) {
	id, err := seq.Next(ctx)
	if err != nil {
		return 0, err
	}
	return id + 1, nil
}

// ExportNext is the id a sequence draws next, as a genesis records it.
func ExportNext(ctx context.Context, seq collections.Sequence) (uint64, error) {
	v, err := seq.Peek(ctx)
	return v + 1, err
}

// ImportNext sets a sequence from a genesis's next id (0: none drawn yet).
func ImportNext(ctx context.Context, seq collections.Sequence, next uint64) error {
	if next == 0 {
		return nil
	}
	return seq.Set(ctx, next-1)
}
