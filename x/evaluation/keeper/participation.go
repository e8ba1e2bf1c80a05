package keeper

import (
	"context"
	"encoding/hex"
	"fmt"
	"math"
	"slices"

	"cosmossdk.io/collections"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/delphi-network/delphi/x/evaluation/types"
)

// accountRounds counts, for every round whose reveal window ends at this
// height and that closed (every model final), which of its eligible
// validators (those with power when its commit window closed, and still
// with power) reported it: committed to and revealed every model, an
// abstention included. A validator that did not (committed nothing, or did
// not reveal) missed the round. The streak that leads to a penalty counts
// blocks, not rounds: however many rounds end in one block (a spammer can
// align many), a validator's misses in it count once, and
// max_missed_rounds blocks in a row with a miss get it slashed and jailed.
// A round that did not close is not counted: without a final result there
// is nothing to have reported.
func (k Keeper) accountRounds(ctx context.Context, height int64, set voters) error {
	if len(set.addrs) == 0 {
		return nil
	}
	var due []collections.Triple[int64, uint64, uint32]
	rng := new(collections.Range[collections.Triple[int64, uint64, uint32]]).
		EndInclusive(collections.Join3(height, uint64(math.MaxUint64), uint32(math.MaxUint32)))
	if err := k.RevealEnds.Walk(ctx, rng, func(key collections.Triple[int64, uint64, uint32]) (bool, error) {
		due = append(due, key)
		return false, nil
	}); err != nil {
		return err
	}
	// Per validator of the set (in address order): rounds reported and
	// missed in this block.
	reported := make([]uint64, len(set.addrs))
	missed := make([]uint64, len(set.addrs))
	for _, key := range due {
		if err := k.RevealEnds.Remove(ctx, key); err != nil {
			return err
		}
		round, err := k.Rounds.Get(ctx, collections.Join(key.K2(), key.K3()))
		if err != nil {
			return err
		}
		if round.Status != types.ROUND_STATUS_FINAL || round.RevealEndHeight != key.K1() || round.Accounted {
			continue
		}
		if err := k.accountRound(ctx, round, set, reported, missed); err != nil {
			return err
		}
		round.Accounted = true
		if err := k.Rounds.Set(ctx, collections.Join(key.K2(), key.K3()), round); err != nil {
			return err
		}
	}
	p, err := k.Params.Get(ctx)
	if err != nil {
		return err
	}
	for i, val := range set.addrs {
		if reported[i] == 0 && missed[i] == 0 {
			continue
		}
		part, err := k.participation(ctx, val)
		if err != nil {
			return err
		}
		part.RoundsReported += reported[i]
		part.RoundsMissed += missed[i]
		if missed[i] == 0 {
			part.MissedInARow = 0
		} else if part.MissedInARow++; part.MissedInARow >= p.MaxMissedRounds {
			if err := k.penalize(ctx, val, part.MissedInARow, p); err != nil {
				return err
			}
			part.MissedInARow = 0
			part.Penalties++
		}
		if err := k.Participations.Set(ctx, val, part); err != nil {
			return err
		}
	}
	return nil
}

// accountRound adds one round's reports and misses to the block's tallies
// (indexed like set.addrs) and announces them.
func (k Keeper) accountRound(ctx context.Context, round types.Round, set voters, reported, missed []uint64) error {
	e, err := k.Evaluations.Get(ctx, round.EvaluationId)
	if err != nil {
		return err
	}
	ev := &types.EventRoundAccounted{EvaluationId: round.EvaluationId, Round: round.Round}
	for i, val := range set.addrs {
		if !slices.Contains(round.Eligible, hex.EncodeToString(val)) {
			continue // joined the set after the commit window closed
		}
		ok := true
		for _, m := range e.ModelIds {
			c, err := k.Commitments.Get(ctx, commitKey(round.EvaluationId, round.Round, m, val))
			if err != nil && !isNotFound(err) {
				return err
			}
			ok = ok && err == nil && c.Status == types.COMMITMENT_STATUS_REVEALED
		}
		if ok {
			reported[i]++
			ev.Reported = append(ev.Reported, hex.EncodeToString(val))
		} else {
			missed[i]++
			ev.Missed = append(ev.Missed, hex.EncodeToString(val))
		}
	}
	return emit(ctx, ev)
}

// penalize slashes and jails a validator that missed too many rounds in a
// row. It never fails the block: a validator x/staking no longer knows, or
// that is unbonded or jailed already, is skipped, and an error from
// x/slashing or x/staking drops only the penalty's own writes; either way
// an event says what happened.
func (k Keeper) penalize(ctx context.Context, val []byte, missed uint32, p types.Params) error {
	ev := &types.EventReporterPenalized{Validator: hex.EncodeToString(val), Missed: missed,
		SlashFraction: p.MissedRoundsSlashFraction.String()}
	if k.staking == nil || k.slashing == nil {
		ev.Skipped = "no staking or slashing keeper"
		return emit(ctx, ev)
	}
	cons := sdk.ConsAddress(val)
	v, err := k.staking.ValidatorByConsAddr(ctx, cons)
	switch {
	case err != nil || v == nil:
		ev.Skipped = "no longer a validator"
	case !v.IsBonded():
		ev.Skipped = "not bonded"
	case v.IsJailed():
		ev.Skipped = "already jailed"
	default:
		sdkCtx := sdk.UnwrapSDKContext(ctx)
		cache, write := sdkCtx.CacheContext()
		power := v.GetConsensusPower(k.staking.PowerReduction(ctx))
		err := k.slashing.Slash(cache, cons, p.MissedRoundsSlashFraction, power, sdkCtx.BlockHeight())
		if err == nil {
			err = k.slashing.Jail(cache, cons)
		}
		if err != nil {
			ev.Skipped = fmt.Sprintf("refused: %v", err)
		} else {
			write()
		}
	}
	return emit(ctx, ev)
}
