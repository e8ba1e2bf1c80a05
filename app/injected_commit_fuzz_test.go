package app_test

import (
	"bytes"
	"testing"

	abci "github.com/cometbft/cometbft/abci/types"
	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"
	"github.com/stretchr/testify/require"

	"github.com/delphi-network/delphi/app/abci/commit"
	"github.com/delphi-network/delphi/testutil/chaintest"
)

// FuzzInjectedCommit forges injected commits from an honest one, the way a
// byzantine proposer could: flags flipped (in the injected commit, or in
// the block's last commit as well), powers changed, votes swapped or
// dropped, extensions and signatures altered, removed or invented. Whatever
// it tries, a proposal the validators accept carries exactly what each
// validator signed, on exactly the votes CometBFT counted.
func FuzzInjectedCommit(f *testing.F) {
	for _, seed := range [][]byte{{}, {0, 3}, {8, 1}, {1, 2, 5}, {2, 0}, {3, 1, 40}, {4, 2, 9}, {5, 3}, {6, 1}, {7, 0}, {0, 3, 15, 3}} {
		f.Add(seed)
	}
	c := chaintest.New(f, chaintest.Options{Genesis: withEvaluation})
	for c.Height < 5 {
		c.NextBlock()
	}
	h := c.Height
	exts := [][]byte{commitmentsBy(f, c.Reporter(0), 9, 1), commitmentsBy(f, c.Reporter(1), 9, 1),
		commitmentsBy(f, c.Reporter(2), 8, 2), {}}
	honest := c.ExtendedCommit(h, exts)
	forged := commitmentsBy(f, c.Reporter(3), 3, 0xbb)

	f.Fuzz(func(t *testing.T, ops []byte) {
		info := abci.ExtendedCommitInfo{Round: honest.Round, Votes: append([]abci.ExtendedVoteInfo(nil), honest.Votes...)}
		last := chaintest.LastCommit(info)
		for i := 0; i+1 < len(ops) && len(info.Votes) > 0; i += 2 {
			k := int(ops[i+1]) % len(info.Votes)
			v := &info.Votes[k]
			switch ops[i] % 9 {
			case 0:
				v.BlockIdFlag = cmtproto.BlockIDFlag(1 + ops[i+1]%3)
			case 1:
				v.Validator.Power += int64(ops[i+1]%5) - 2
			case 2:
				j := (k + 1) % len(info.Votes)
				info.Votes[k], info.Votes[j] = info.Votes[j], info.Votes[k]
			case 3:
				if len(v.VoteExtension) > 0 {
					v.VoteExtension = append([]byte{}, v.VoteExtension...)
					v.VoteExtension[int(ops[i+1])%len(v.VoteExtension)] ^= 0x40
				}
			case 4:
				if len(v.ExtensionSignature) > 0 {
					v.ExtensionSignature = append([]byte{}, v.ExtensionSignature...)
					v.ExtensionSignature[int(ops[i+1])%len(v.ExtensionSignature)] ^= 1
				}
			case 5:
				v.VoteExtension, v.ExtensionSignature = nil, nil
			case 6:
				v.VoteExtension = forged
			case 7:
				info.Votes = append(info.Votes[:k], info.Votes[k+1:]...)
			case 8:
				// The proposer also drops the vote from the block's last
				// commit, which CometBFT lets it do within a third.
				if k < len(last.Votes) {
					f := cmtproto.BlockIDFlag(2 + ops[i+1]%2)
					v.BlockIdFlag, last.Votes[k].BlockIdFlag = f, f
				}
			}
		}
		tx, err := commit.Encode(info)
		require.NoError(t, err)
		if c.WithT(t).Process([][]byte{tx}, last) != abci.ResponseProcessProposal_ACCEPT {
			return
		}
		require.Len(t, info.Votes, len(honest.Votes))
		for k, v := range info.Votes {
			require.Equal(t, honest.Votes[k].Validator, v.Validator, "vote %d", k)
			require.Equal(t, last.Votes[k].BlockIdFlag, v.BlockIdFlag, "vote %d", k)
			if v.BlockIdFlag != cmtproto.BlockIDFlagCommit {
				require.Empty(t, v.VoteExtension, "vote %d", k)
				require.Empty(t, v.ExtensionSignature, "vote %d", k)
				continue
			}
			require.True(t, bytes.Equal(honest.Votes[k].VoteExtension, v.VoteExtension), "vote %d carries what it signed", k)
		}
	})
}
