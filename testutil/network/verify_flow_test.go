package network_test

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cosmos/cosmos-sdk/codec"

	"github.com/delphi-network/delphi/evaluator"
	"github.com/delphi-network/delphi/runtime"
	"github.com/delphi-network/delphi/testutil/network"
	evaluationtypes "github.com/delphi-network/delphi/x/evaluation/types"
)

// TestAnyoneVerifiesAndOverturnsAFalseResult: three of four sidecars report
// a wrong score over the honest trace (or falsify an operator's output),
// and the honest validator's sidecar
// plays no disputes (no key), so the lie is final — what only an outsider
// can now catch. A verifier that is no validator re-runs the evaluation
// from the chain and the artifacts alone, reports both results as
// MISMATCH (of the score, or of the trace root) with the chain's and its
// own values, and, as bob (an account with a challenger bond), challenges
// them and plays both disputes to the end — bisecting to the falsified
// operator and handing the referee its step when it must: it wins them, the results are replaced, and a
// second verification matches everywhere.
func TestAnyoneVerifiesAndOverturnsAFalseResult(t *testing.T) {
	for _, tc := range []struct {
		name  string
		score bool   // a wrong score over the honest trace (decided at the first step)
		field string // what verify finds differs
	}{
		{"wrong score", true, "correct"},
		{"falsified operator", false, "trace_root"}, // bisected to the operator, recomputed by the referee
	} {
		t.Run(tc.name, func(t *testing.T) { verifiesAndOverturns(t, tc.score, tc.field) })
	}
}

func verifiesAndOverturns(t *testing.T, score bool, field string) {
	net, _ := startEvaluationSpec(t, network.Setup{Validators: 4, Sidecars: 4, Faulty: []int{1, 2, 3}, FaultScore: score, FaultLeaf: faultLeaf,
		SidecarConfig: func(i int, cfg *evaluator.Config) {
			if i == 0 {
				cfg.Signer = nil // the honest sidecar reports and does not dispute
			}
		},
		Genesis: func(cdc codec.Codec, state map[string]json.RawMessage) {
			var gs evaluationtypes.GenesisState
			cdc.MustUnmarshalJSON(state[evaluationtypes.ModuleName], &gs)
			gs.Params.ChallengeWindowBlocks = 40 // time for an outsider to notice
			state[evaluationtypes.ModuleName] = cdc.MustMarshalJSON(&gs)
		},
	}, true, 1, 40)
	dumpOnFailure(t, net)
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	v, err := evaluator.NewVerifier(evaluator.VerifyConfig{NodeRPC: net.Nodes[0].RPC(), Schemes: []string{"file"},
		FetchTimeout: time.Minute, Limits: runtime.DefaultLimits()})
	require.NoError(t, err)
	require.NoError(t, v.KeepTraces(t.TempDir()))

	// Wait until the lies are final (the evaluation waits out its window).
	var rep evaluator.Report
	require.Eventually(t, func() bool {
		rep, err = v.VerifyEvaluation(ctx, 1, -1, nil)
		return err == nil && len(rep.Findings) == 2 && rep.Findings[0].Verdict != evaluator.Pending &&
			rep.Findings[1].Verdict != evaluator.Pending
	}, 90*time.Second, time.Second, "round 0 never became final: %v %+v", err, rep)
	require.False(t, rep.OK)
	for _, f := range rep.Findings {
		require.Equal(t, evaluator.Mismatch, f.Verdict, "%+v", f)
		require.Equal(t, field, f.Field)
		require.NotEqual(t, f.Chain, f.Local)
		require.Contains(t, f.Challenge, "delphid tx verde challenge 1 0 ")
		require.Greater(t, f.ChallengeUntil, rep.Height, "the window is still open at the height verified")
	}
	require.Positive(t, rep.Height, "every query read one height, reported")

	var out bytes.Buffer
	require.NoError(t, v.Challenge(ctx, rep, evaluator.SignerConfig{KeyName: "bob", KeyringDir: net.Nodes[0].Home,
		KeyringBackend: "test", ChainID: net.ChainID}, &out))
	t.Log(out.String())
	require.Equal(t, 2, strings.Count(out.String(), "DISPUTE_STATUS_CHALLENGER_WON"), out.String())

	after, err := v.VerifyEvaluation(ctx, 1, -1, nil)
	require.NoError(t, err)
	require.True(t, after.OK, "%+v", after.Findings)
}
