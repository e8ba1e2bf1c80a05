package keeper

import (
	"context"
	"encoding/hex"
	"fmt"
	"math"
	"slices"

	"cosmossdk.io/collections"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/delphi-network/delphi/internal/modkit"
	"github.com/delphi-network/delphi/x/evaluation/types"
)

// accountRounds counts, for every round whose reveal window ends at this
// height, which of its eligible validators (those with power when its
// commit window closed, and still with power) reported it. A validator
// reported a round if it committed to and revealed every model, a real
// result or an abstention on a model that no more than 1/3 of the power
// evaluated; it abstained if it abstained on a model that more than 1/3 of
// the power did evaluate; otherwise (nothing committed, or not revealed)
// it missed the round.
//
// A round is counted whether or not its results became final: that more
// than 1/3 of the power evaluated a model shows the work could be done, so
// validators that did not are at fault even when, by being many, they kept
// every result from becoming final. A round in which no model was
// evaluated by more than 1/3 (every artifact down, work too large for the
// windows) is counted against nobody.
//
// The streaks that lead to a penalty count blocks, not rounds: however
// many rounds end in one block (a spammer can align many), a validator's
// misses in it count once. max_missed_rounds blocks in a row with a miss,
// or max_abstained_rounds blocks in a row with an abstention (and no
// miss), get it slashed and jailed. An accounted round's commitments and
// eligible list are pruned: nothing reads them any more.
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
	// Per validator of the set (in address order): rounds reported,
	// abstained and missed in this block.
	tally := blockTally{
		reported:  make([]uint64, len(set.addrs)),
		abstained: make([]uint64, len(set.addrs)),
		missed:    make([]uint64, len(set.addrs)),
	}
	for _, key := range due {
		if err := k.RevealEnds.Remove(ctx, key); err != nil {
			return err
		}
		round, err := k.Rounds.Get(ctx, collections.Join(key.K2(), key.K3()))
		if err != nil {
			return err
		}
		live := round.Status == types.ROUND_STATUS_FINAL || (round.Status == types.ROUND_STATUS_OPEN && round.Phase == types.ROUND_PHASE_REVEAL)
		if !live || round.RevealEndHeight != key.K1() || round.Accounted {
			continue
		}
		if err := k.accountRound(ctx, round, set, tally); err != nil {
			return err
		}
		round.Accounted, round.Eligible = true, nil
		if err := k.Rounds.Set(ctx, collections.Join(key.K2(), key.K3()), round); err != nil {
			return err
		}
		if err := k.clearCommitments(ctx, round.EvaluationId, round.Round); err != nil {
			return err
		}
	}
	p, err := k.Params.Get(ctx)
	if err != nil {
		return err
	}
	for i, val := range set.addrs {
		if tally.reported[i] == 0 && tally.abstained[i] == 0 && tally.missed[i] == 0 {
			continue
		}
		part, err := k.participation(ctx, val)
		if err != nil {
			return err
		}
		part.RoundsReported += tally.reported[i]
		part.RoundsAbstained += tally.abstained[i]
		part.RoundsMissed += tally.missed[i]
		switch {
		case tally.missed[i] > 0:
			if part.MissedInARow++; part.MissedInARow >= p.MaxMissedRounds {
				if err := k.penalize(ctx, val, part.MissedInARow, "missed", p); err != nil {
					return err
				}
				part.MissedInARow = 0
				part.Penalties++
			}
		case tally.abstained[i] > 0:
			part.MissedInARow = 0
			if part.AbstainedInARow++; part.AbstainedInARow >= p.MaxAbstainedRounds {
				if err := k.penalize(ctx, val, part.AbstainedInARow, "abstained", p); err != nil {
					return err
				}
				part.AbstainedInARow = 0
				part.Penalties++
			}
		default:
			part.MissedInARow, part.AbstainedInARow = 0, 0
		}
		if err := k.Participations.Set(ctx, val, part); err != nil {
			return err
		}
	}
	return nil
}

// blockTally is one block's accounting, indexed like voters.addrs.
type blockTally struct {
	reported, abstained, missed []uint64
}

// report is what one validator's commitment to one model came to.
type report int

const (
	reportNone      report = iota // no commitment, or not revealed
	reportResult                  // a revealed result
	reportAbstained               // a revealed abstention
)

// accountRound adds one round's reports, abstentions and misses to the
// block's tally and announces them; a round no model of which was
// evaluated by more than 1/3 of the power is counted against nobody.
func (k Keeper) accountRound(ctx context.Context, round types.Round, set voters, tally blockTally) error {
	e, err := k.Evaluations.Get(ctx, round.EvaluationId)
	if err != nil {
		return err
	}
	// reports[m][i]: validator i's report on model m (ModelIds order).
	reports := make([][]report, len(e.ModelIds))
	feasible := make([]bool, len(e.ModelIds))
	any := false
	for mi, m := range e.ModelIds {
		reports[mi] = make([]report, len(set.addrs))
		var evaluated int64
		for i, val := range set.addrs {
			c, err := k.Commitments.Get(ctx, commitKey(round.EvaluationId, round.Round, m, val))
			if err != nil && !isNotFound(err) {
				return err
			}
			switch {
			case err != nil || c.Status != types.COMMITMENT_STATUS_REVEALED:
			case c.Abstained:
				reports[mi][i] = reportAbstained
			default:
				reports[mi][i] = reportResult
				evaluated += set.power[string(val)]
			}
		}
		feasible[mi] = set.moreThanOneThird(evaluated)
		any = any || feasible[mi]
	}
	ev := &types.EventRoundAccounted{EvaluationId: round.EvaluationId, Round: round.Round, Attempt: round.Attempt}
	if !any {
		return modkit.Emit(ctx, ev)
	}
	for i, val := range set.addrs {
		if !slices.Contains(round.Eligible, hex.EncodeToString(val)) {
			continue // joined the set after the commit window closed
		}
		missed, abstained := false, false
		for mi := range e.ModelIds {
			switch reports[mi][i] {
			case reportNone:
				missed = true
			case reportAbstained:
				abstained = abstained || feasible[mi]
			}
		}
		switch {
		case missed:
			tally.missed[i]++
			ev.Missed = append(ev.Missed, hex.EncodeToString(val))
		case abstained:
			tally.abstained[i]++
			ev.Abstained = append(ev.Abstained, hex.EncodeToString(val))
		default:
			tally.reported[i]++
			ev.Reported = append(ev.Reported, hex.EncodeToString(val))
		}
	}
	return modkit.Emit(ctx, ev)
}

// penalize slashes and jails a validator that missed (or abstained on)
// too many rounds in a row. It never fails the block: a validator x/staking no longer knows, or
// that is unbonded or jailed already, is skipped, and an error from
// x/slashing or x/staking drops only the penalty's own writes; either way
// an event says what happened.
func (k Keeper) penalize(ctx context.Context, val []byte, inARow uint32, reason string, p types.Params) error {
	ev := &types.EventReporterPenalized{Validator: hex.EncodeToString(val), Missed: inARow,
		SlashFraction: p.MissedRoundsSlashFraction.String(), Reason: reason}
	if k.staking == nil || k.slashing == nil {
		ev.Skipped = "no staking or slashing keeper"
		return modkit.Emit(ctx, ev)
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
	return modkit.Emit(ctx, ev)
}
