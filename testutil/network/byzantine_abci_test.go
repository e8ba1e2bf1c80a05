package network_test

import (
	"bytes"
	"encoding/hex"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"
	"github.com/stretchr/testify/require"

	"github.com/delphi-network/delphi/app"
	"github.com/delphi-network/delphi/app/abci/commit"
	"github.com/delphi-network/delphi/testutil/network"
	evaluationtypes "github.com/delphi-network/delphi/x/evaluation/types"
)

// TestBadVoteExtensionsAndForgedCommitsAreRejected: on a live 4-validator
// network with sidecars, validator 3 sends garbled or oversized vote
// extensions and validator 2, whenever it proposes, injects a forged
// extended commit (one signed extension changed after signing). The
// honest validators reject both (VerifyVoteExtension, ProcessProposal),
// the chain keeps producing blocks, the evaluation finalizes on the honest
// results, and no committed block carries a forged commit.
func TestBadVoteExtensionsAndForgedCommitsAreRejected(t *testing.T) {
	garble := func(req *abci.RequestExtendVote, _ *evaluationtypes.Reporter, ext []byte) []byte {
		if req.Height%2 == 0 {
			return bytes.Repeat([]byte{0xff, 0x13}, 32) // undecodable
		}
		return bytes.Repeat([]byte{0x0a}, 1<<20) // far over max_vote_extension_bytes
	}
	var forged atomic.Int32 // written by validator 2's consensus goroutine
	forge := func(_ int64, txs [][]byte) [][]byte {
		if len(txs) == 0 || !commit.IsInjected(txs[0]) {
			return txs
		}
		var info abci.ExtendedCommitInfo
		if err := info.Unmarshal(txs[0][len(commit.Prefix):]); err != nil {
			return txs
		}
		for i := range info.Votes {
			if len(info.Votes[i].ExtensionSignature) > 0 {
				// Change the signed extension: append a byte (to an empty
				// one too), so its signature no longer verifies.
				info.Votes[i].VoteExtension = append(append([]byte{}, info.Votes[i].VoteExtension...), 0x01)
				raw, err := info.Marshal()
				if err != nil {
					return txs
				}
				forged.Add(1)
				out := append([][]byte{}, txs...)
				out[0] = append(append([]byte{}, commit.Prefix...), raw...)
				return out
			}
		}
		return txs
	}
	net, _ := startEvaluationWith(t, network.Setup{Validators: 4, Sidecars: 4,
		Tamper: map[int]app.Tamper{3: {VoteExtension: garble}, 2: {Proposal: forge}}}, true)
	dumpOnFailure(t, net)
	got := waitForEnd(t, net)
	require.Equal(t, "EVALUATION_STATUS_FINALIZED", got.Evaluation.Status)
	require.Positive(t, forged.Load(), "validator 2 proposed at least once")

	// Every committed block's injected commit is the genuine one: it
	// verifies, which the forged ones did not.
	var results struct {
		Results []struct {
			Validators []string `json:"validators"`
		} `json:"results"`
	}
	getJSON(t, net.Nodes[0].API()+"/delphi/evaluation/v1/evaluations/1/results", &results)
	garbler := strings.ToLower(net.Validators[3].ConsAddressHex())
	for _, r := range results.Results {
		require.NotContains(t, r.Validators, garbler, "a garbled extension never counted")
	}
	require.NoError(t, net.WaitForHeight(net.Height()+3, 30*time.Second), "the chain goes on")
}

// TestProposerForgingAbsentValidatorsExtensionsIsRejected: whenever
// validator 0 proposes, it marks the last validator of the commit absent
// and attaches, in that validator's name, an unsigned extension: its own
// commitments, reveals and seed contributions, hoping to speak for the
// victim (and so have it disputed, slashed or counted for a false result).
// Every such proposal is rejected (the flags differ from the block's last
// commit, and an absent vote may carry no extension), nobody is disputed,
// the victim's own signed results count, and the evaluation finalizes.
func TestProposerForgingAbsentValidatorsExtensionsIsRejected(t *testing.T) {
	var forged atomic.Int32
	var victim atomic.Value // hex consensus address
	forge := func(_ int64, txs [][]byte) [][]byte {
		if len(txs) == 0 || !commit.IsInjected(txs[0]) {
			return txs
		}
		info, err := commit.Decode(txs[0])
		if err != nil || len(info.Votes) < 2 {
			return txs
		}
		var words []byte
		for _, v := range info.Votes {
			if len(v.VoteExtension) > 0 {
				words = v.VoteExtension
				break
			}
		}
		if words == nil {
			return txs
		}
		last := &info.Votes[len(info.Votes)-1]
		victim.Store(hex.EncodeToString(last.Validator.Address))
		last.BlockIdFlag = cmtproto.BlockIDFlagAbsent
		last.VoteExtension, last.ExtensionSignature = words, nil
		tx, err := commit.Encode(info)
		if err != nil {
			return txs
		}
		forged.Add(1)
		return append([][]byte{tx}, txs[1:]...)
	}
	net, _ := startEvaluationWith(t, network.Setup{Validators: 4, Sidecars: 4, Tamper: map[int]app.Tamper{0: {Proposal: forge}}}, true)
	dumpOnFailure(t, net)
	got := waitForEnd(t, net)
	require.Equal(t, "EVALUATION_STATUS_FINALIZED", got.Evaluation.Status)
	require.Positive(t, forged.Load(), "validator 0 proposed a forgery at least once")

	var ds disputesView
	getJSON(t, net.Nodes[0].API()+"/delphi/verde/v1/disputes", &ds)
	require.Empty(t, ds.Disputes, "nobody disputed: the forged words never counted")
	var results struct {
		Results []struct {
			Validators []string `json:"validators"`
		} `json:"results"`
	}
	getJSON(t, net.Nodes[0].API()+"/delphi/evaluation/v1/evaluations/1/results", &results)
	require.NotEmpty(t, results.Results)
	backed := 0
	for _, r := range results.Results {
		if slices.Contains(r.Validators, victim.Load().(string)) {
			backed++
		}
	}
	require.Positive(t, backed, "the victim's own signed results counted")
	require.NoError(t, net.WaitForHeight(net.Height()+3, 30*time.Second), "the chain goes on")
}
