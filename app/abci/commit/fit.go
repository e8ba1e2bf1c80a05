package commit

import (
	"context"
	"fmt"

	abci "github.com/cometbft/cometbft/abci/types"
	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"
	cmttypes "github.com/cometbft/cometbft/types"
)

// fieldOverhead bounds what one vote's extension adds to an encoded commit
// besides the extension's and its signature's own bytes: the two fields'
// tags and lengths and the growth of the vote's length prefix.
const fieldOverhead = 32

// SignatureBytes is the largest extension signature in a commit (64, an
// ed25519 signature, if it has none): what leaving an extension out saved
// besides the extension itself.
func SignatureBytes(info abci.ExtendedCommitInfo) int64 {
	n := 64
	for _, v := range info.Votes {
		n = max(n, len(v.ExtensionSignature))
	}
	return int64(n)
}

// Budget is the most a proposer may give the injected commit at a height
// with these consensus params, in the bytes CometBFT counts for a block's
// txs (Size): the block's data bytes when the evidence takes all the params
// allow and the current validator set is twice the last commit's. Every
// validator computes the same number from the same state, and the real
// room CometBFT offers a proposer (RequestPrepareProposal.MaxTxBytes) is
// never smaller.
func Budget(cp cmtproto.ConsensusParams, votes int) int64 {
	if cp.Block == nil {
		return 0
	}
	blockBytes := cp.Block.MaxBytes
	if blockBytes == -1 {
		blockBytes = cmttypes.MaxBlockSizeBytes
	}
	var evidence int64
	if cp.Evidence != nil {
		evidence = cp.Evidence.MaxBytes
	}
	b := blockBytes - cmttypes.MaxOverheadForBlock - cmttypes.MaxHeaderBytes - cmttypes.MaxCommitBytes(2*votes) - evidence
	return max(b, 0)
}

// Size is what the pseudo-transaction takes of a block's data: its bytes
// and its entry in the block's list of txs.
func Size(tx []byte) int64 { return cmttypes.ComputeProtoSizeForTxs([]cmttypes.Tx{tx}) }

// Fit is the proposer's side: it leaves out the extensions of votes whose
// key cannot be checked on this state, then, while the injected commit
// takes more than target bytes, the extension of the last vote that still
// has one. Votes, flags and powers stay as they are, so the commit still
// matches the block's last commit. It returns the pseudo-transaction.
func Fit(ctx context.Context, keys PubKeys, info abci.ExtendedCommitInfo, target int64) ([]byte, error) {
	out := abci.ExtendedCommitInfo{Round: info.Round, Votes: append([]abci.ExtendedVoteInfo(nil), info.Votes...)}
	for i, v := range out.Votes {
		if v.BlockIdFlag != cmtproto.BlockIDFlagCommit {
			out.Votes[i].VoteExtension, out.Votes[i].ExtensionSignature = nil, nil
			continue
		}
		if _, ok := Signable(ctx, keys, v.Validator.Address); !ok {
			out.Votes[i].VoteExtension, out.Votes[i].ExtensionSignature = nil, nil
		}
	}
	last := len(out.Votes) - 1
	for {
		tx, err := Encode(out)
		if err != nil {
			return nil, err
		}
		if Size(tx) <= target {
			return tx, nil
		}
		for last >= 0 && len(out.Votes[last].ExtensionSignature) == 0 {
			last--
		}
		if last < 0 {
			return nil, fmt.Errorf("the extended commit takes %d bytes without any extension, the block offers %d", Size(tx), target)
		}
		out.Votes[last].VoteExtension, out.Votes[last].ExtensionSignature = nil, nil
	}
}

// CheckOmissions is the verifier's side of Fit. Extensions left out for
// room must be the last ones (a proposer cannot choose whose results to
// drop), and only from a commit that was full: one more extension of the
// largest size the limits allow, with a signature as large as the
// commit's largest (sigBytes), would not have fitted the budget.
func CheckOmissions(exts []Extension, size, budget int64, maxExtBytes uint32, sigBytes int64) error {
	first := -1
	for i, e := range exts {
		switch {
		case e == Omitted && first < 0:
			first = i
		case (e == Included || e == Invalid) && first >= 0:
			return fmt.Errorf("vote %d's extension is included after vote %d's was left out: only the last ones may be", i, first)
		}
	}
	if first >= 0 && size+int64(maxExtBytes)+sigBytes+fieldOverhead <= budget {
		return fmt.Errorf("vote %d's extension was left out of a commit of %d bytes that had room under %d", first, size, budget)
	}
	return nil
}
