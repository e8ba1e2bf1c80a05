package keeper

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"fmt"

	"cosmossdk.io/collections"

	"github.com/delphi-network/delphi/internal/modkit"
	"github.com/delphi-network/delphi/x/evaluation/types"
)

// Seeds. A round's items are drawn from a seed no single party controls.
// Every draw is scheduled at least seed_lead_blocks ahead, at a height H
// whose seed is pending: validators commit to a random 32-byte contribution
// in their extensions of heights ≤ H−2 (recorded by the block of H−1 at the
// latest) and reveal it from height H−1 (counted from the block of H on).
// The set of contributors is fixed before anyone reveals, a proposer cannot
// choose which reveals count (the seed waits for every committed
// contributor that was not heard withholding), and one honest contribution
// makes the value unpredictable.
// See README "Seeds" for the bias that remains.

// needSeed opens the seed of height for commitments, if it is not already.
func (k Keeper) needSeed(ctx context.Context, height int64) error {
	if has, err := k.Seeds.Has(ctx, height); err != nil || has {
		return err
	}
	if err := k.Seeds.Set(ctx, height, types.Seed{Height: height, Status: types.SEED_STATUS_PENDING}); err != nil {
		return err
	}
	return k.PendingSeeds.Set(ctx, height)
}

func (k Keeper) processSeeds(ctx context.Context, height int64, votes []signedVote, set voters) error {
	for _, v := range votes {
		for _, r := range v.ext.SeedReveals {
			if err := k.revealSeed(ctx, height, v.validator, r); err != nil {
				return err
			}
		}
	}
	// The seeds whose height has come; commitments do not change the set.
	var due []int64
	if err := k.PendingSeeds.Walk(ctx, new(collections.Range[int64]).EndInclusive(height), func(h int64) (bool, error) {
		due = append(due, h)
		return false, nil
	}); err != nil {
		return err
	}
	if err := k.markWithheld(ctx, due, votes); err != nil {
		return err
	}
	for _, v := range votes {
		for _, c := range v.ext.SeedCommitments {
			if err := k.commitSeed(ctx, height, v.validator, c, set); err != nil {
				return err
			}
		}
	}
	return k.resolveSeeds(ctx, height, due, set)
}

// commitSeed records a validator's first commitment to its contribution to
// a pending seed, if it came in time: from an extension of height ≤ H−2,
// so in a block ≤ H−1, before any reveal can count.
func (k Keeper) commitSeed(ctx context.Context, height int64, val []byte, c *types.SeedCommitment, set voters) error {
	if height > c.Height-1 || set.of(val) == 0 {
		return nil
	}
	seed, err := k.Seeds.Get(ctx, c.Height)
	if errors.Is(err, collections.ErrNotFound) || (err == nil && seed.Status != types.SEED_STATUS_PENDING) {
		return nil
	}
	if err != nil {
		return err
	}
	key := collections.Join(c.Height, val)
	if has, err := k.SeedEntries.Has(ctx, key); err != nil || has {
		return err
	}
	return k.SeedEntries.Set(ctx, key, types.SeedEntry{Commitment: c.Hash})
}

// revealSeed records a contribution that opens the validator's commitment,
// once reveals count (from the block of the seed's height). A reveal that
// does not open it is a fault.
func (k Keeper) revealSeed(ctx context.Context, height int64, val []byte, r *types.SeedReveal) error {
	if height < r.Height {
		return nil
	}
	seed, err := k.Seeds.Get(ctx, r.Height)
	if errors.Is(err, collections.ErrNotFound) || (err == nil && seed.Status != types.SEED_STATUS_PENDING) {
		return nil
	}
	if err != nil {
		return err
	}
	key := collections.Join(r.Height, val)
	entry, err := k.SeedEntries.Get(ctx, key)
	if errors.Is(err, collections.ErrNotFound) {
		return nil // never committed (or not in time): nothing to open
	}
	if err != nil || len(entry.Value) > 0 {
		return err
	}
	if !bytes.Equal(types.SeedCommitmentHash(r.Height, val, r.Value), entry.Commitment) {
		return k.fault(ctx, val, 0, 0, 0, fmt.Sprintf("seed of height %d: reveal does not match its commitment", r.Height))
	}
	entry.Value = r.Value
	return k.SeedEntries.Set(ctx, key, entry)
}

// markWithheld records, for every seed whose reveals count by now (due),
// the committed contributors that were heard in this block (their signed
// extension is in it) without a reveal that opened their commitment: they
// withhold it. A contributor whose vote is absent, or whose extension a
// proposer left out, was not heard; it may have been censored.
func (k Keeper) markWithheld(ctx context.Context, due []int64, votes []signedVote) error {
	for _, h := range due {
		for _, v := range votes {
			key := collections.Join(h, v.validator)
			entry, err := k.SeedEntries.Get(ctx, key)
			if errors.Is(err, collections.ErrNotFound) {
				continue
			}
			if err != nil {
				return err
			}
			if len(entry.Value) > 0 || entry.Withheld {
				continue
			}
			entry.Withheld = true
			if err := k.SeedEntries.Set(ctx, key, entry); err != nil {
				return err
			}
		}
	}
	return nil
}

// resolveSeeds fixes or fails every pending seed whose height has come.
//
// More than 2/3 of the power must have committed: then, with less than
// 1/3 byzantine, more than 1/3 of honest power committed and will reveal.
// Less fails the seed at once (no more commitments can come) and its draws
// move to a later seed. Otherwise the seed waits for every committed
// contributor that is still a validator:
//
//   - every one revealed: the seed is fixed;
//   - after seed_grace_blocks, every one missing was heard without its
//     reveal (withheld): it is fixed with what was revealed;
//   - after seed_max_wait_blocks: it is fixed with what was revealed,
//     whoever is missing.
//
// Fixing needs what was revealed to be more than 1/3 of the power (so at
// least one honest contribution is in it; byzantine contributions alone
// could have been chosen together in advance); less fails the seed. A
// withholder cannot stop the seed, only choose whether it is in it, and is
// recorded as a fault. A proposer that leaves honest contributions out of
// its block (it sees them all one block early) to choose the seed must be
// the proposer of every block to seed_max_wait_blocks; contributors it
// left out are not faulted.
func (k Keeper) resolveSeeds(ctx context.Context, height int64, due []int64, set voters) error {
	if set.total == 0 {
		return nil // no validator set to weigh contributions by (a chain's first block)
	}
	p, err := k.Params.Get(ctx)
	if err != nil {
		return err
	}
	for _, h := range due {
		var committed, revealed int64
		all, heard := true, true
		var contributions []types.Contribution
		err := k.SeedEntries.Walk(ctx, collections.NewPrefixedPairRange[int64, []byte](h),
			func(key collections.Pair[int64, []byte], e types.SeedEntry) (bool, error) {
				power := set.of(key.K2())
				committed += power
				if len(e.Value) > 0 {
					revealed += power
					contributions = append(contributions, types.Contribution{Validator: key.K2(), Value: e.Value})
				} else if power > 0 {
					all = false
					heard = heard && e.Withheld
				}
				return false, nil
			})
		if err != nil {
			return err
		}
		// Bounded: the waits by params, h by the schedule.
		graceOver, waitOver := height >= h+int64(p.SeedGraceBlocks), height >= h+int64(p.SeedMaxWaitBlocks)
		switch {
		case !set.moreThanTwoThirds(committed):
			err = k.endSeed(ctx, h, height, nil, 0, fmt.Sprintf("only %d of %d power committed", committed, set.total))
		case all || (graceOver && heard) || waitOver:
			if !all {
				if err := k.withheld(ctx, h, set); err != nil {
					return err
				}
			}
			if set.moreThanOneThird(revealed) {
				err = k.endSeed(ctx, h, height, contributions, revealed, "")
			} else {
				err = k.endSeed(ctx, h, height, nil, 0, fmt.Sprintf("only %d of %d power revealed", revealed, set.total))
			}
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// withheld records a fault against every validator that committed to the
// seed of h and was heard without revealing its contribution.
func (k Keeper) withheld(ctx context.Context, h int64, set voters) error {
	var late [][]byte
	if err := k.SeedEntries.Walk(ctx, collections.NewPrefixedPairRange[int64, []byte](h),
		func(key collections.Pair[int64, []byte], e types.SeedEntry) (bool, error) {
			if len(e.Value) == 0 && e.Withheld && set.of(key.K2()) > 0 {
				late = append(late, key.K2())
			}
			return false, nil
		}); err != nil {
		return err
	}
	for _, val := range late {
		if err := k.fault(ctx, val, 0, 0, 0, fmt.Sprintf("seed of height %d: committed, never revealed", h)); err != nil {
			return err
		}
	}
	return nil
}

// endSeed fixes a seed with contributions, or fails it with a reason.
func (k Keeper) endSeed(ctx context.Context, h, height int64, contributions []types.Contribution, power int64, failure string) error {
	seed := types.Seed{Height: h, FixedHeight: height, Status: types.SEED_STATUS_FAILED}
	if failure == "" {
		seed.Status, seed.Power = types.SEED_STATUS_FIXED, power
		seed.Value = hex.EncodeToString(types.SeedValue(h, contributions))
		for _, c := range contributions {
			seed.Contributors = append(seed.Contributors, hex.EncodeToString(c.Validator))
		}
	}
	if err := k.Seeds.Set(ctx, h, seed); err != nil {
		return err
	}
	if err := k.PendingSeeds.Remove(ctx, h); err != nil {
		return err
	}
	// The contributions are in the seed's record now; the entries are
	// done with (so state does not grow with every height ever drawn at).
	if err := k.SeedEntries.Clear(ctx, collections.NewPrefixedPairRange[int64, []byte](h)); err != nil {
		return err
	}
	if failure != "" {
		return modkit.Emit(ctx, &types.EventSeedFailed{Height: h, Reason: failure})
	}
	return modkit.Emit(ctx, &types.EventSeedFixed{Height: h, Value: seed.Value, Contributors: uint32(len(contributions)), Power: power,
		ContributorAddresses: seed.Contributors})
}
