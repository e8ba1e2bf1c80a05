package keeper

import (
	"context"

	abci "github.com/cometbft/cometbft/abci/types"
	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"

	"github.com/delphi-network/delphi/x/evaluation/types"
)

// TallyCommit turns a decided block's injected commit into votes and
// tallies them. Only the extensions of COMMIT votes with a signature count
// (ProcessProposal verified each signature against its validator's key);
// every vote's power counts in the total. limits are those the extensions
// were made under.
func (k Keeper) TallyCommit(ctx context.Context, info abci.ExtendedCommitInfo, limits types.ExtensionLimits) error {
	var (
		votes []Vote
		total int64
	)
	for _, v := range info.Votes {
		total += v.Validator.Power
		if v.BlockIdFlag != cmtproto.BlockIDFlagCommit || len(v.ExtensionSignature) == 0 {
			continue
		}
		ext, err := types.DecodeVoteExtension(v.VoteExtension, limits)
		if err != nil || len(ext.Results) == 0 {
			continue
		}
		votes = append(votes, Vote{Validator: v.Validator.Address, Power: v.Validator.Power, Extension: ext})
	}
	return k.TallyVotes(ctx, votes, total)
}
