package network_test

import (
	"encoding/hex"
	"encoding/json"
	"slices"
	"sort"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/stretchr/testify/require"

	"github.com/cosmos/cosmos-sdk/codec"

	"github.com/delphi-network/delphi/app"
	"github.com/delphi-network/delphi/app/abci/commit"
	"github.com/delphi-network/delphi/evaluator"
	"github.com/delphi-network/delphi/testutil/network"
	evaluationtypes "github.com/delphi-network/delphi/x/evaluation/types"
)

// maxMissedRounds sets x/evaluation's max_missed_rounds in genesis.
func maxMissedRounds(n uint32) func(codec.Codec, map[string]json.RawMessage) {
	return func(cdc codec.Codec, state map[string]json.RawMessage) {
		var gs evaluationtypes.GenesisState
		cdc.MustUnmarshalJSON(state[evaluationtypes.ModuleName], &gs)
		gs.Params.MaxMissedRounds = n
		state[evaluationtypes.ModuleName] = cdc.MustMarshalJSON(&gs)
	}
}

// copyOthers is a validator that evaluates nothing: from the block it votes
// on (whose first tx carries the others' extensions of the last height) it
// copies every reveal as its own, and commits to what it copied, as late as
// it can ever see it.
func copyOthers(copied *atomic.Int32) app.Tamper {
	return app.Tamper{VoteExtension: func(req *abci.RequestExtendVote, me *evaluationtypes.Reporter, ext []byte) []byte {
		if me == nil || len(req.Txs) == 0 || !commit.IsInjected(req.Txs[0]) {
			return ext
		}
		limits := evaluationtypes.DefaultParams().Limits(req.Height)
		own, err := evaluationtypes.DecodeVoteExtension(ext, limits)
		info, err2 := commit.Decode(req.Txs[0])
		if err != nil || err2 != nil {
			return ext
		}
		seen := map[evaluationtypes.ResultKey]bool{}
		for _, v := range info.Votes {
			theirs, err := evaluationtypes.DecodeVoteExtension(v.VoteExtension, limits)
			if err != nil {
				continue
			}
			for _, r := range theirs.Reveals {
				if seen[r.Key()] {
					continue
				}
				seen[r.Key()] = true
				dup := *r
				own.Reveals = append(own.Reveals, &dup)
				own.Commitments = append(own.Commitments, me.Commit(&evaluationtypes.RoundResult{EvaluationId: r.EvaluationId,
					Round: r.Round, Attempt: r.Attempt, ModelId: r.ModelId, Correct: r.Correct, TraceRoot: r.TraceRoot, Leaves: r.Leaves}))
				copied.Add(1)
			}
		}
		sort.Slice(own.Reveals, func(i, j int) bool { return own.Reveals[i].Key().Less(own.Reveals[j].Key()) })
		sort.Slice(own.Commitments, func(i, j int) bool { return own.Commitments[i].Key().Less(own.Commitments[j].Key()) })
		bz, err := evaluationtypes.EncodeVoteExtension(own, limits)
		if err != nil {
			return ext
		}
		return bz
	}}
}

type participationView struct {
	Participations []struct {
		Validator       string `json:"validator"`
		MissedInARow    int    `json:"missed_in_a_row"`
		RoundsReported  string `json:"rounds_reported"`
		RoundsMissed    string `json:"rounds_missed"`
		RoundsAbstained string `json:"rounds_abstained"`
		Faults          string `json:"faults"`
		Penalties       string `json:"penalties"`
	} `json:"participations"`
}

// TestACopyingValidatorEarnsNothingAndIsPenalised: on a running network of
// four, validator 3 runs no evaluator and copies what the others reveal.
// Commit-then-reveal leaves it nothing to copy in time: its copied reveals
// open no commitment of its own (faults), its commitments come after the
// reveals began (refused), it backs no result, and after max_missed_rounds
// rounds without a report of its own it is slashed and jailed. The three
// that evaluated report every round and the evaluation finalizes.
func TestACopyingValidatorEarnsNothingAndIsPenalised(t *testing.T) {
	var copied atomic.Int32
	net, _ := startEvaluationSpec(t, network.Setup{Validators: 4, Sidecars: 3,
		Tamper: map[int]app.Tamper{3: copyOthers(&copied)}, Genesis: maxMissedRounds(2)}, true, 3, 40)
	dumpOnFailure(t, net)
	got := waitForEnd(t, net)
	require.Equal(t, "EVALUATION_STATUS_FINALIZED", got.Evaluation.Status)
	require.Positive(t, copied.Load(), "the copier saw reveals to copy")
	api := net.Nodes[0].API()
	copier := hex.EncodeToString(mustHex(t, net.Validators[3].ConsAddressHex()))

	var results struct {
		Results []struct {
			Validators []string `json:"validators"`
		} `json:"results"`
	}
	getJSON(t, api+"/delphi/evaluation/v1/evaluations/1/results", &results)
	require.Len(t, results.Results, 6)
	for _, r := range results.Results {
		require.NotContains(t, r.Validators, copier, "a copied result never counts")
		require.Len(t, r.Validators, 3)
	}

	var parts participationView
	require.Eventually(t, func() bool {
		if tryGetJSON(api+"/delphi/evaluation/v1/participation", &parts) != nil {
			return false
		}
		for _, p := range parts.Participations {
			if p.Validator == copier {
				return p.Penalties != "" && p.Penalties != "0"
			}
		}
		return false
	}, 60*time.Second, 500*time.Millisecond, "the copier is penalised")
	for _, p := range parts.Participations {
		if p.Validator == copier {
			faults, _ := strconv.Atoi(p.Faults)
			require.Positive(t, faults, "its copied reveals were faults")
			require.Contains(t, []string{"", "0"}, p.RoundsReported)
			continue
		}
		require.Equal(t, "3", p.RoundsReported, "validator %s reported every round", p.Validator)
	}

	var vals struct {
		Validators []struct {
			Jailed          bool   `json:"jailed"`
			ConsensusPubkey any    `json:"consensus_pubkey"`
			OperatorAddress string `json:"operator_address"`
			Tokens          string `json:"tokens"`
		} `json:"validators"`
	}
	getJSON(t, api+"/cosmos/staking/v1beta1/validators", &vals)
	jailed := 0
	var tokens []string
	for _, v := range vals.Validators {
		if v.Jailed {
			jailed++
		}
		tokens = append(tokens, v.Tokens)
	}
	require.Equal(t, 1, jailed, "the copier, and only it, is jailed")
	slices.Sort(tokens)
	require.NotEqual(t, tokens[0], tokens[len(tokens)-1], "and slashed: its stake is below the others' (%v)", tokens)
	require.NoError(t, net.WaitForHeight(net.Height()+2, 30*time.Second), "the chain goes on without it")
}

func mustHex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	require.NoError(t, err)
	return b
}

// TestAValidatorThatCannotFetchAnArtifactAbstains: validator 3's sidecar
// may not fetch file:// URIs, so it cannot obtain any model. At the end of
// each commit window it abstains: a report (committed, then revealed), not
// a claim. It backs no result and earns nothing; the rounds finalize on the
// other three. Its abstentions on models the others evaluated are counted
// (max_abstained_rounds of them in a row would get it penalised, so
// abstaining is no way to skip the work), but they are not misses: with
// max_missed_rounds 2 over 3 rounds it is not penalised.
func TestAValidatorThatCannotFetchAnArtifactAbstains(t *testing.T) {
	net, _ := startEvaluationSpec(t, network.Setup{Validators: 4, Sidecars: 4, Genesis: maxMissedRounds(2),
		SidecarConfig: func(i int, cfg *evaluator.Config) {
			if i == 3 {
				cfg.Schemes = []string{"https"}
			}
		}}, true, 3, 40)
	dumpOnFailure(t, net)
	got := waitForEnd(t, net)
	require.Equal(t, "EVALUATION_STATUS_FINALIZED", got.Evaluation.Status)
	api := net.Nodes[0].API()
	blocked := net.Validators[3].ConsAddressHex()

	var results struct {
		Results []struct {
			Validators []string `json:"validators"`
		} `json:"results"`
	}
	getJSON(t, api+"/delphi/evaluation/v1/evaluations/1/results", &results)
	require.Len(t, results.Results, 6)
	for _, r := range results.Results {
		require.NotContains(t, r.Validators, blocked)
	}
	var parts participationView
	require.Eventually(t, func() bool {
		if tryGetJSON(api+"/delphi/evaluation/v1/participation", &parts) != nil {
			return false
		}
		for _, p := range parts.Participations {
			if p.Validator == blocked {
				return p.RoundsAbstained == "3"
			}
		}
		return false
	}, 60*time.Second, 500*time.Millisecond, "its three abstentions are counted")
	for _, p := range parts.Participations {
		if p.Validator == blocked {
			require.Contains(t, []string{"", "0"}, p.RoundsMissed)
			require.Contains(t, []string{"", "0"}, p.RoundsReported)
			require.Contains(t, []string{"", "0"}, p.Penalties)
		}
	}
	var h struct {
		Abstentions int `json:"abstentions"`
	}
	getJSON(t, "http://"+net.Nodes[3].EvaluatorHealth()+"/healthz", &h)
	require.Equal(t, 6, h.Abstentions, "one per model and round")
}
