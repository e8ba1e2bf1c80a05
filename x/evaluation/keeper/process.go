package keeper

import (
	"bytes"
	"context"
	"sort"

	abci "github.com/cometbft/cometbft/abci/types"
	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/delphi-network/delphi/x/evaluation/types"
)

// voters is the validator set of a decided commit: every vote's power
// (whatever its flag) and the total.
type voters struct {
	power map[string]int64
	total int64
	// addrs are the validators with power, in address order.
	addrs [][]byte
}

func (v voters) of(addr []byte) int64 { return v.power[string(addr)] }

// moreThanTwoThirds says whether power is more than 2/3 of the total:
// power > ⌊2·total/3⌋, computed without a product that could overflow.
func (v voters) moreThanTwoThirds(power int64) bool {
	return v.total > 0 && power > v.total/3*2+(v.total%3*2)/3
}

// moreThanOneThird says whether power is more than 1/3 of the total:
// power > ⌊total/3⌋.
func (v voters) moreThanOneThird(power int64) bool { return v.total > 0 && power > v.total/3 }

// signedVote is a COMMIT vote whose signed extension decoded.
type signedVote struct {
	validator []byte
	ext       types.VoteExtension
}

// ProcessCommit is x/evaluation's part of every block's PreBlocker: it
// takes the extensions of the decided block's injected commit (info; every
// vote of the block's last commit, without extensions where the block has
// no injected commit) and moves every evaluation on by them, in one fixed
// order:
//
//  1. seed reveals, then seed commitments; seeds due are fixed or fail;
//  2. result commitments (rounds still taking them), then result reveals
//     (rounds whose commit window closed in an earlier block; a reveal of
//     a round still taking commitments voids the validator's own);
//  3. results whose reveals reach more than 2/3 of the power become final,
//     and their rounds close;
//  4. commit windows due, or whose every validator has committed, close;
//  5. rounds whose reveal window ended are accounted: reporters credited,
//     absentees counted and, after max_missed_rounds in a row, penalised.
//
// Only the extensions of COMMIT votes that carry a signature count (the
// proposal's checks verified each against its validator's key); every
// vote's power counts in the total. Validators are processed in address
// order, so the commit's order does not matter.
func (k Keeper) ProcessCommit(ctx context.Context, info abci.ExtendedCommitInfo, limits types.ExtensionLimits) error {
	height := sdk.UnwrapSDKContext(ctx).BlockHeight()
	set := voters{power: map[string]int64{}}
	var votes []signedVote
	for _, v := range info.Votes {
		if v.Validator.Power > 0 {
			if _, dup := set.power[string(v.Validator.Address)]; !dup {
				set.addrs = append(set.addrs, v.Validator.Address)
			}
			set.power[string(v.Validator.Address)] = v.Validator.Power
			set.total += v.Validator.Power
		}
		if v.BlockIdFlag != cmtproto.BlockIDFlagCommit || len(v.ExtensionSignature) == 0 {
			continue
		}
		ext, err := types.DecodeVoteExtension(v.VoteExtension, limits)
		if err != nil {
			continue
		}
		votes = append(votes, signedVote{validator: v.Validator.Address, ext: ext})
	}
	sort.Slice(set.addrs, func(i, j int) bool { return bytes.Compare(set.addrs[i], set.addrs[j]) < 0 })
	sort.SliceStable(votes, func(i, j int) bool { return bytes.Compare(votes[i].validator, votes[j].validator) < 0 })

	if err := k.processSeeds(ctx, height, votes, set); err != nil {
		return err
	}
	tb := newTallyBlock()
	// Commitments before reveals: a reveal of a round still taking
	// commitments voids the commitment even when both came in the same
	// extension.
	for _, v := range votes {
		for _, c := range v.ext.Commitments {
			if err := k.commitResult(ctx, height, v.validator, c, set, tb); err != nil {
				return err
			}
		}
	}
	for _, v := range votes {
		for _, r := range v.ext.Reveals {
			if err := k.revealResult(ctx, height, v.validator, r, tb); err != nil {
				return err
			}
		}
	}
	tb.readsDone()
	if err := k.tallyRevealed(ctx, tb, set); err != nil {
		return err
	}
	if err := k.closeCommitWindows(ctx, height, tb, set); err != nil {
		return err
	}
	return k.accountRounds(ctx, height, set)
}
