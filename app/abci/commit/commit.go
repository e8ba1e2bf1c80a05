// Package commit is the injected extended commit: the pseudo-transaction at
// txs[0] of every block (once vote extensions are live) that carries the
// previous height's vote extensions, and the checks that make the
// proposer's copy of them trustworthy. See app/abci/README.md for the
// timing and the rules.
package commit

import (
	"bytes"
	"context"
	"errors"
	"fmt"

	abci "github.com/cometbft/cometbft/abci/types"
	cryptoenc "github.com/cometbft/cometbft/crypto/encoding"
	"github.com/cometbft/cometbft/libs/protoio"
	cmtprotocrypto "github.com/cometbft/cometbft/proto/tendermint/crypto"
	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"

	sdk "github.com/cosmos/cosmos-sdk/types"
)

// Prefix starts the pseudo-transaction. It is not a transaction:
// FinalizeBlock reports it as undecodable, and clients and explorers
// recognise it by this prefix.
var Prefix = []byte("delphi/extended-commit/v1\x00")

// IsInjected says whether a block's tx is the injected extended commit.
func IsInjected(tx []byte) bool { return bytes.HasPrefix(tx, Prefix) }

// Encode makes the pseudo-transaction for an extended commit.
func Encode(info abci.ExtendedCommitInfo) ([]byte, error) {
	raw, err := info.Marshal()
	if err != nil {
		return nil, err
	}
	return append(append(make([]byte, 0, len(Prefix)+len(raw)), Prefix...), raw...), nil
}

// Decode parses a pseudo-transaction, which must be exactly what Encode
// makes of what it decodes to. Protobuf skips unknown fields, so without
// this a proposer could pad the commit with bytes that carry nothing and
// make a block look full, and so leave out extensions of its choosing
// (CheckOmissions judges room by the tx's size).
func Decode(tx []byte) (abci.ExtendedCommitInfo, error) {
	var info abci.ExtendedCommitInfo
	if !IsInjected(tx) {
		return info, errors.New("not an injected extended commit")
	}
	if err := info.Unmarshal(tx[len(Prefix):]); err != nil {
		return abci.ExtendedCommitInfo{}, fmt.Errorf("undecodable extended commit: %w", err)
	}
	canonical, err := Encode(info)
	if err != nil {
		return abci.ExtendedCommitInfo{}, err
	}
	if !bytes.Equal(canonical, tx) {
		return abci.ExtendedCommitInfo{}, fmt.Errorf("extended commit of %d bytes is not canonically encoded (%d bytes)", len(tx), len(canonical))
	}
	return info, nil
}

// MatchesLastCommit checks an extended commit against the block's last
// commit as CometBFT reports it (ProposedLastCommit, DecidedLastCommit):
// the same round and the same validators, in the same order, with the same
// powers and the same flags. A vote that is not a COMMIT carries neither an
// extension nor a signature. So a proposer cannot mark a vote absent and
// speak in that validator's name, nor change anyone's power.
func MatchesLastCommit(info abci.ExtendedCommitInfo, last abci.CommitInfo) error {
	if info.Round != last.Round {
		return fmt.Errorf("round %d, the last commit's is %d", info.Round, last.Round)
	}
	if len(info.Votes) != len(last.Votes) {
		return fmt.Errorf("%d votes, the last commit has %d", len(info.Votes), len(last.Votes))
	}
	for i, v := range info.Votes {
		want := last.Votes[i]
		switch {
		case !bytes.Equal(v.Validator.Address, want.Validator.Address):
			return fmt.Errorf("vote %d: validator %X, the last commit's is %X", i, v.Validator.Address, want.Validator.Address)
		case v.Validator.Power != want.Validator.Power:
			return fmt.Errorf("vote %d (%X): power %d, the last commit's is %d", i, v.Validator.Address, v.Validator.Power, want.Validator.Power)
		case v.BlockIdFlag != want.BlockIdFlag:
			return fmt.Errorf("vote %d (%X): flag %s, the last commit's is %s", i, v.Validator.Address, v.BlockIdFlag, want.BlockIdFlag)
		case v.BlockIdFlag != cmtproto.BlockIDFlagCommit && (len(v.VoteExtension) > 0 || len(v.ExtensionSignature) > 0):
			return fmt.Errorf("vote %d (%X) is %s but carries an extension or signature", i, v.Validator.Address, v.BlockIdFlag)
		}
	}
	return nil
}

// PubKeys finds a validator's consensus key (x/staking).
type PubKeys interface {
	GetPubKeyByConsAddr(ctx context.Context, addr sdk.ConsAddress) (cmtprotocrypto.PublicKey, error)
}

// Signable says whether a vote's extension can be verified on this state:
// x/staking knows a key for its validator and the key's address is the
// vote's (a validator that rotated its key since signing cannot be checked,
// so its extension must be left out).
func Signable(ctx context.Context, keys PubKeys, addr []byte) (cmtprotocrypto.PublicKey, bool) {
	pk, err := keys.GetPubKeyByConsAddr(ctx, sdk.ConsAddress(addr))
	if err != nil {
		return pk, false
	}
	key, err := cryptoenc.PubKeyFromProto(pk)
	if err != nil || !bytes.Equal(key.Address(), addr) {
		return pk, false
	}
	return pk, true
}

// SignBytes are the bytes CometBFT signs for a vote extension: a
// length-delimited CanonicalVoteExtension.
func SignBytes(ext []byte, height int64, round int32, chainID string) ([]byte, error) {
	var buf bytes.Buffer
	cve := cmtproto.CanonicalVoteExtension{Extension: ext, Height: height, Round: int64(round), ChainId: chainID}
	if _, err := protoio.NewDelimitedWriter(&buf).WriteMsg(&cve); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Extension is what a COMMIT vote's extension is in an injected commit.
type Extension int

const (
	// NotCommit: the vote is not a COMMIT; it has no extension.
	NotCommit Extension = iota
	// Included: the extension is there, signed by the vote's validator.
	Included
	// Unsignable: left out because its key cannot be checked on this state.
	Unsignable
	// Omitted: left out by the proposer for room.
	Omitted
	// Invalid: signed by its validator but not well formed under the
	// limits of its height. It counts for nothing; it does not make the
	// proposal invalid, since its own validator signed it (no peer would
	// have accepted it, but a byzantine proposer may include it), and
	// rejecting it would let one validator's bad extension stop every
	// proposal.
	Invalid
)

// Verify checks the extension of every COMMIT vote of info, signed at
// height (the previous block's): it is left out (no extension, no
// signature), or it is signed by the vote's validator; check says whether
// it is well formed (the extension format within the limits it was made
// under). A vote whose key cannot be checked on this state (Signable) must
// be left out. It returns what each vote's extension is.
func Verify(ctx context.Context, keys PubKeys, info abci.ExtendedCommitInfo, height int64, chainID string,
	check func([]byte) error,
) ([]Extension, error) {
	out := make([]Extension, len(info.Votes))
	for i, v := range info.Votes {
		if v.BlockIdFlag != cmtproto.BlockIDFlagCommit {
			continue
		}
		pk, ok := Signable(ctx, keys, v.Validator.Address)
		if len(v.ExtensionSignature) == 0 {
			if len(v.VoteExtension) > 0 {
				return nil, fmt.Errorf("vote %d (%X): extension without a signature", i, v.Validator.Address)
			}
			out[i] = Omitted
			if !ok {
				out[i] = Unsignable
			}
			continue
		}
		if !ok {
			return nil, fmt.Errorf("vote %d (%X): no key on this state to check its extension with; it must be left out", i, v.Validator.Address)
		}
		key, err := cryptoenc.PubKeyFromProto(pk)
		if err != nil {
			return nil, err
		}
		msg, err := SignBytes(v.VoteExtension, height, info.Round, chainID)
		if err != nil {
			return nil, err
		}
		if !key.VerifySignature(msg, v.ExtensionSignature) {
			return nil, fmt.Errorf("vote %d (%X): extension signature does not verify", i, v.Validator.Address)
		}
		out[i] = Included
		if check(v.VoteExtension) != nil {
			out[i] = Invalid
		}
	}
	return out, nil
}

// Live says whether a block at height carries an injected commit:
// extensions exist from the enable height + 1, and only where there is a
// previous block whose votes carried them. lastCommitVotes is the number of
// votes in the block's last commit: CometBFT sends none exactly at the
// chain's initial height, which is above the enable height when a chain is
// restarted from an exported genesis. Every node sees the same last commit
// for a block, so the answer is the same everywhere.
func Live(ctx sdk.Context, height int64, lastCommitVotes int) bool {
	p := ctx.ConsensusParams().Abci
	return p != nil && p.VoteExtensionsEnableHeight != 0 && height > p.VoteExtensionsEnableHeight && lastCommitVotes > 0
}
