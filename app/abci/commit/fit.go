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

// Order is the order in which a commit's n votes keep their extensions
// when the block is short of room: it starts at vote height mod n and wraps,
// and extensions are left out from its end. The start moves every height,
// so the validators whose results are dropped in a full block are not
// always the same (the commit's own order is by power, then address, and
// would drop the smallest validators every time).
func Order(n int, height int64) []int {
	out := make([]int, n)
	if n == 0 {
		return out
	}
	start := int(uint64(height) % uint64(n))
	for i := range out {
		out[i] = (start + i) % n
	}
	return out
}

// Stripped is a last commit as an extended commit without extensions: what
// an injected commit takes at the least while it still lists every vote.
func Stripped(last abci.CommitInfo) abci.ExtendedCommitInfo {
	out := abci.ExtendedCommitInfo{Round: last.Round, Votes: make([]abci.ExtendedVoteInfo, 0, len(last.Votes))}
	for _, v := range last.Votes {
		out.Votes = append(out.Votes, abci.ExtendedVoteInfo{Validator: v.Validator, BlockIdFlag: v.BlockIdFlag})
	}
	return out
}

// Elided is the injected commit of a block that cannot take even the
// stripped commit (governance made blocks that small): the round and no
// votes. Every node takes the block's votes from its decided last commit
// instead, without extensions. It keeps the chain committing at any block
// size CometBFT accepts, so governance can raise it again.
func Elided(round int32) abci.ExtendedCommitInfo { return abci.ExtendedCommitInfo{Round: round} }

// IsElided says whether an injected commit is elided.
func IsElided(info abci.ExtendedCommitInfo) bool { return len(info.Votes) == 0 }

// Fit is the proposer's side: it leaves out the extensions of votes whose
// key cannot be checked on this state, then, while the injected commit
// takes more than target bytes, the extension of the vote last in Order
// that still has one. Votes, flags and powers stay as they are, so the
// commit still matches the block's last commit. When even the commit
// without any extension takes more than target, it is Elided. It returns
// the pseudo-transaction.
func Fit(ctx context.Context, keys PubKeys, info abci.ExtendedCommitInfo, height int64, target int64) ([]byte, error) {
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
	order := Order(len(out.Votes), height)
	last := len(order) - 1
	for {
		tx, err := Encode(out)
		if err != nil {
			return nil, err
		}
		if Size(tx) <= target {
			return tx, nil
		}
		for last >= 0 && len(out.Votes[order[last]].ExtensionSignature) == 0 {
			last--
		}
		if last < 0 {
			return Encode(Elided(info.Round))
		}
		out.Votes[order[last]].VoteExtension, out.Votes[order[last]].ExtensionSignature = nil, nil
	}
}

// CheckOmissions is the verifier's side of Fit. Extensions left out for
// room must be the last ones in Order at the block's height (a proposer
// cannot choose whose results to drop), and only from a commit that was
// full: one more extension of the largest size the limits allow, with a
// signature as large as the commit's largest (sigBytes), would not have
// fitted the budget.
func CheckOmissions(exts []Extension, height, size, budget int64, maxExtBytes uint32, sigBytes int64) error {
	first := -1
	for _, i := range Order(len(exts), height) {
		e := exts[i]
		switch {
		case e == Omitted && first < 0:
			first = i
		case (e == Included || e == Invalid) && first >= 0:
			return fmt.Errorf("vote %d's extension is included after vote %d's was left out: only the last ones in the height's order may be", i, first)
		}
	}
	if first >= 0 && size+int64(maxExtBytes)+sigBytes+fieldOverhead <= budget {
		return fmt.Errorf("vote %d's extension was left out of a commit of %d bytes that had room under %d", first, size, budget)
	}
	return nil
}

// CheckElided is the verifier's side of an elided commit: it is only for a
// block whose budget cannot take the last commit without extensions, and
// it keeps the last commit's round.
func CheckElided(info abci.ExtendedCommitInfo, last abci.CommitInfo, budget int64) error {
	if info.Round != last.Round {
		return fmt.Errorf("elided commit of round %d, the last commit's is %d", info.Round, last.Round)
	}
	tx, err := Encode(Stripped(last))
	if err != nil {
		return err
	}
	if Size(tx) <= budget {
		return fmt.Errorf("the commit was elided, but it takes %d bytes without extensions and the block has room for %d", Size(tx), budget)
	}
	return nil
}
