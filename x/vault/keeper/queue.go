package keeper

import (
	"context"
	"errors"

	"cosmossdk.io/collections"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/delphi-network/delphi/internal/modkit"
	"github.com/delphi-network/delphi/x/vault/types"
)

// The withdrawal queue. A withdrawal that cannot be paid when asked for —
// the idle collateral does not cover it, others wait ahead of it, or a
// market the vault funds is exposed (its scores knowable, its prices
// perhaps stale) — waits in its vault's queue, strictly in order. The
// EndBlocker pays queues at most max_queue_payments_per_block withdrawals
// per block across vaults, each at the share price of that moment, and
// only the vaults marked due (PayDue: a market returned collateral, a
// deposit came in, a withdrawal joined): the work is bounded and paid for
// by the chain, never by whoever's transaction settled a market.

// EndBlocker pays due vaults' queues within the per-block budget,
// round-robin: from the vault after the one served last (PayCursor), in id
// order and around, each vault at most a quarter of the budget (at least
// one) per block, so one vault's long queue cannot starve the others. A
// vault whose queue head cannot be paid leaves the due set until something
// changes; one that used its share stays for the next block. A failure is
// logged and that vault dropped from the due set: it never halts the chain.
func (k Keeper) EndBlocker(ctx context.Context) error {
	p, err := k.Params.Get(ctx)
	if err != nil {
		return err
	}
	budget := int(p.MaxQueuePaymentsPerBlock)
	cursor, err := k.PayCursor.Get(ctx)
	if err != nil && !errors.Is(err, collections.ErrNotFound) {
		return err
	}
	// At most budget vaults get a turn: those after the cursor, then from
	// the start.
	var due []uint64
	collect := func(rng *collections.Range[uint64]) error {
		return k.PayDue.Walk(ctx, rng, func(id uint64) (bool, error) {
			if len(due) < budget {
				due = append(due, id)
			}
			return len(due) >= budget, nil
		})
	}
	if err := collect(new(collections.Range[uint64]).StartExclusive(cursor)); err != nil {
		return err
	}
	if err := collect(new(collections.Range[uint64]).EndInclusive(cursor)); err != nil {
		return err
	}
	share := max(1, budget/4)
	sdkCtx := sdk.UnwrapSDKContext(ctx)
	for _, id := range due {
		if budget == 0 {
			break
		}
		cache, write := sdkCtx.CacheContext()
		paid, blocked, err := k.payQueue(cache, id, min(share, budget), p)
		if err != nil {
			sdkCtx.Logger().Error("vault queue not paid", "vault", id, "err", err)
			blocked = true
		} else {
			write()
			budget -= paid
		}
		if blocked {
			if err := k.PayDue.Remove(ctx, id); err != nil {
				return err
			}
		}
		if err := k.PayCursor.Set(ctx, id); err != nil {
			return err
		}
	}
	return nil
}

// payQueue pays up to budget withdrawals from the head of a vault's queue.
// It stops (blocked) at the first that waits for a market still open or
// that the idle collateral does not cover, or when the queue is empty. A
// withdrawal is never paid while a market the vault funds is exposed: the
// head then waits for that market too (its waits_for grows), whenever it
// was asked for — valuing an exposed market at its stale mark would pay
// whoever times their turn in the queue against its known results.
func (k Keeper) payQueue(ctx context.Context, vaultID uint64, budget int, p types.Params) (paid int, blocked bool, err error) {
	v, err := k.GetVault(ctx, vaultID)
	if err != nil {
		return 0, true, err
	}
	val, err := k.value(ctx, v)
	if err != nil {
		return 0, true, err
	}
	for paid < budget {
		w, ok, err := k.queueHead(ctx, vaultID)
		if err != nil || !ok {
			return paid, true, err
		}
		for _, m := range w.WaitsFor {
			if open, err := k.OpenMarkets.Has(ctx, collections.Join(vaultID, m)); err != nil || open {
				return paid, true, err
			}
		}
		if len(val.exposed) > 0 {
			w.WaitsFor = val.exposed
			return paid, true, k.Withdrawals.Set(ctx, w.Id, w)
		}
		amount := v.AssetsFor(w.Shares, val.withdraw, p.VirtualShares)
		if amount.GT(v.Idle) {
			return paid, true, nil
		}
		if err := k.payOut(ctx, &v, w.Depositor, w.Shares, amount); err != nil {
			return paid, true, err
		}
		val.withdraw = val.withdraw.Sub(amount)
		v.QueuedShares = v.QueuedShares.Sub(w.Shares)
		if err := k.Vaults.Set(ctx, v.Id, v); err != nil {
			return paid, true, err
		}
		if err := k.Queue.Remove(ctx, collections.Join(vaultID, w.Id)); err != nil {
			return paid, true, err
		}
		if err := k.Withdrawals.Remove(ctx, w.Id); err != nil {
			return paid, true, err
		}
		if err := modkit.Emit(ctx, &types.EventWithdrawn{VaultId: vaultID, Depositor: w.Depositor, Shares: w.Shares, Amount: amount, FromQueue: true}); err != nil {
			return paid, true, err
		}
		paid++
	}
	return paid, false, nil
}

// queueHead is the first withdrawal in a vault's queue, if any.
func (k Keeper) queueHead(ctx context.Context, vaultID uint64) (types.Withdrawal, bool, error) {
	it, err := k.Queue.Iterate(ctx, collections.NewPrefixedPairRange[uint64, uint64](vaultID))
	if err != nil {
		return types.Withdrawal{}, false, err
	}
	defer it.Close()
	if !it.Valid() {
		return types.Withdrawal{}, false, nil
	}
	key, err := it.Key()
	if err != nil {
		return types.Withdrawal{}, false, err
	}
	w, err := k.Withdrawals.Get(ctx, key.K2())
	return w, err == nil, err
}

// markDue has the EndBlocker look at a vault's queue, if it has one.
func (k Keeper) markDue(ctx context.Context, vaultID uint64) error {
	if empty, err := k.queueEmpty(ctx, vaultID); err != nil || empty {
		return err
	}
	return k.PayDue.Set(ctx, vaultID)
}

func (k Keeper) queueEmpty(ctx context.Context, vaultID uint64) (bool, error) {
	_, ok, err := k.queueHead(ctx, vaultID)
	return !ok, err
}
