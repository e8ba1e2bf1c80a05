package ve

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/stretchr/testify/require"

	"cosmossdk.io/log/v2"

	sdk "github.com/cosmos/cosmos-sdk/types"

	evaluationtypes "github.com/delphi-network/delphi/x/evaluation/types"
)

// committer stands in for x/evaluation: the default params' limits at every
// height, and an extension that commits to every result it is given.
type committer struct{}

func (committer) ExtensionLimits(_ context.Context, h int64) (evaluationtypes.ExtensionLimits, error) {
	return evaluationtypes.DefaultParams().Limits(h), nil
}

func (committer) BuildVoteExtension(_ context.Context, _ int64, me evaluationtypes.Reporter, results []*evaluationtypes.RoundResult,
	_ evaluationtypes.ExtensionLimits,
) (evaluationtypes.VoteExtension, error) {
	var ve evaluationtypes.VoteExtension
	for _, r := range results {
		ve.Commitments = append(ve.Commitments, me.Commit(r))
	}
	return ve, nil
}

var me = &evaluationtypes.Reporter{Address: bytes.Repeat([]byte{1}, 20), Secret: bytes.Repeat([]byte{2}, 32)}

func newTestHandler(who *evaluationtypes.Reporter) *Handler {
	return NewHandler(log.NewNopLogger(), committer{}, EvaluatorConfig{Timeout: time.Second}, who, nil)
}

func TestVerifyVoteExtension(t *testing.T) {
	h := newTestHandler(me)
	limits := evaluationtypes.DefaultParams().Limits(5)
	valid, err := (&evaluationtypes.VoteExtension{Commitments: []*evaluationtypes.ResultCommitment{
		me.Commit(&evaluationtypes.RoundResult{EvaluationId: 1, Round: 0, ModelId: 1, Correct: 90, TraceRoot: bytes.Repeat([]byte{1}, 32), Leaves: 12}),
		me.Commit(&evaluationtypes.RoundResult{EvaluationId: 1, Round: 0, ModelId: 2, Correct: 80, TraceRoot: bytes.Repeat([]byte{2}, 32), Leaves: 12}),
	}}).Marshal()
	require.NoError(t, err)

	for name, tc := range map[string]struct {
		ext  []byte
		want abci.ResponseVerifyVoteExtension_VerifyStatus
	}{
		"empty is accepted":       {nil, abci.ResponseVerifyVoteExtension_ACCEPT},
		"well-formed is accepted": {valid, abci.ResponseVerifyVoteExtension_ACCEPT},
		"garbage is rejected":     {[]byte{0xde, 0xad, 0xbe, 0xef}, abci.ResponseVerifyVoteExtension_REJECT},
		"oversized is rejected":   {make([]byte, limits.MaxVoteExtensionBytes+1), abci.ResponseVerifyVoteExtension_REJECT},
	} {
		t.Run(name, func(t *testing.T) {
			res, err := h.VerifyVoteExtension(sdk.Context{}, &abci.RequestVerifyVoteExtension{Height: 5, VoteExtension: tc.ext})
			require.NoError(t, err)
			require.Equal(t, tc.want, res.Status)
		})
	}
}

type scriptedEvaluator struct {
	results []*evaluationtypes.RoundResult
	err     error
	panics  bool
}

func (s scriptedEvaluator) Results(context.Context, int64) ([]*evaluationtypes.RoundResult, error) {
	if s.panics {
		panic("sidecar client bug")
	}
	return s.results, s.err
}

func TestExtendVoteNeverFailsTheVote(t *testing.T) {
	h := newTestHandler(me)
	res, err := h.ExtendVote(sdk.Context{}, &abci.RequestExtendVote{Height: 7})
	require.NoError(t, err)
	require.Empty(t, res.VoteExtension, "no sidecar configured")

	good := []*evaluationtypes.RoundResult{{EvaluationId: 1, ModelId: 1, Correct: 9, TraceRoot: bytes.Repeat([]byte{3}, 32), Leaves: 4}}
	h.SetEvaluatorClient(scriptedEvaluator{results: good})
	res, err = h.ExtendVote(sdk.Context{}, &abci.RequestExtendVote{Height: 7})
	require.NoError(t, err)
	ve, err := evaluationtypes.DecodeVoteExtension(res.VoteExtension, evaluationtypes.DefaultParams().Limits(7))
	require.NoError(t, err)
	require.Len(t, ve.Commitments, 1)

	for name, ev := range map[string]EvaluatorClient{
		"dead sidecar":     scriptedEvaluator{err: errors.New("connection refused")},
		"panicking client": scriptedEvaluator{panics: true},
	} {
		t.Run(name, func(t *testing.T) {
			h.SetEvaluatorClient(ev)
			res, err := h.ExtendVote(sdk.Context{}, &abci.RequestExtendVote{Height: 7})
			require.NoError(t, err)
			require.Empty(t, res.VoteExtension)
		})
	}

	// A node that is not a validator extends nothing, whatever its sidecar.
	none := newTestHandler(nil)
	none.SetEvaluatorClient(scriptedEvaluator{results: good})
	res, err = none.ExtendVote(sdk.Context{}, &abci.RequestExtendVote{Height: 7})
	require.NoError(t, err)
	require.Empty(t, res.VoteExtension)
}

func TestLoadReporterKeepsItsSecret(t *testing.T) {
	home := t.TempDir()
	opts := mapOpts{"home": home, "evaluator.consensus_address": "0a0b0c"}
	a, err := LoadReporter(opts)
	require.NoError(t, err)
	require.Equal(t, []byte{0x0a, 0x0b, 0x0c}, a.Address)
	require.Len(t, a.Secret, 32)
	b, err := LoadReporter(opts)
	require.NoError(t, err)
	require.Equal(t, a.Secret, b.Secret, "a restarted node reveals what it committed to")
	_, err = LoadReporter(mapOpts{"home": t.TempDir()})
	require.ErrorContains(t, err, "validator key", "no key file, no identity")
}

type mapOpts map[string]any

func (o mapOpts) Get(k string) any { return o[k] }
