package app

import (
	"bytes"
	"context"
	"errors"
	"testing"

	abci "github.com/cometbft/cometbft/abci/types"
	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"
	dbm "github.com/cosmos/cosmos-db"
	"github.com/stretchr/testify/require"

	"cosmossdk.io/log/v2"

	evaluationtypes "github.com/delphi-network/delphi/x/evaluation/types"
)

type testOptions map[string]any

func (o testOptions) Get(k string) any { return o[k] }

func TestVoteExtensions(t *testing.T) {
	a := New(log.NewNopLogger(), dbm.NewMemDB(), testOptions{"home": t.TempDir()})
	ctx := a.NewUncachedContext(false, cmtproto.Header{Height: 5})
	params := evaluationtypes.DefaultParams()
	require.NoError(t, a.EvaluationKeeper.Params.Set(ctx, params))

	res, err := a.extendVote(ctx, &abci.RequestExtendVote{Height: 5})
	require.NoError(t, err)
	require.Empty(t, res.VoteExtension, "no sidecar configured")

	valid, err := (&evaluationtypes.VoteExtension{Results: []*evaluationtypes.RoundResult{
		{EvaluationId: 1, Round: 0, ModelId: 1, Correct: 90, TraceRoot: bytes.Repeat([]byte{1}, 32), Leaves: 12},
		{EvaluationId: 1, Round: 0, ModelId: 2, Correct: 80, TraceRoot: bytes.Repeat([]byte{2}, 32), Leaves: 12},
	}}).Marshal()
	require.NoError(t, err)

	for name, tc := range map[string]struct {
		ext  []byte
		want abci.ResponseVerifyVoteExtension_VerifyStatus
	}{
		"empty is accepted":       {nil, abci.ResponseVerifyVoteExtension_ACCEPT},
		"well-formed is accepted": {valid, abci.ResponseVerifyVoteExtension_ACCEPT},
		"garbage is rejected":     {[]byte{0xde, 0xad, 0xbe, 0xef}, abci.ResponseVerifyVoteExtension_REJECT},
		"oversized is rejected":   {make([]byte, params.MaxVoteExtensionBytes+1), abci.ResponseVerifyVoteExtension_REJECT},
	} {
		t.Run(name, func(t *testing.T) {
			res, err := a.verifyVoteExtension(ctx, &abci.RequestVerifyVoteExtension{Height: 5, VoteExtension: tc.ext})
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
	a := New(log.NewNopLogger(), dbm.NewMemDB(), testOptions{"home": t.TempDir()})
	ctx := a.NewUncachedContext(false, cmtproto.Header{Height: 7})
	require.NoError(t, a.EvaluationKeeper.Params.Set(ctx, evaluationtypes.DefaultParams()))
	good := []*evaluationtypes.RoundResult{{EvaluationId: 1, ModelId: 1, Correct: 9, TraceRoot: bytes.Repeat([]byte{3}, 32), Leaves: 4}}

	a.SetEvaluatorClient(scriptedEvaluator{results: good})
	res, err := a.extendVote(ctx, &abci.RequestExtendVote{Height: 7})
	require.NoError(t, err)
	ve, err := evaluationtypes.DecodeVoteExtension(res.VoteExtension, evaluationtypes.DefaultParams())
	require.NoError(t, err)
	require.Len(t, ve.Results, 1)

	for name, ev := range map[string]EvaluatorClient{
		"dead sidecar":     scriptedEvaluator{err: errors.New("connection refused")},
		"panicking client": scriptedEvaluator{panics: true},
	} {
		t.Run(name, func(t *testing.T) {
			a.SetEvaluatorClient(ev)
			res, err := a.extendVote(ctx, &abci.RequestExtendVote{Height: 7})
			require.NoError(t, err)
			require.Empty(t, res.VoteExtension)
		})
	}
}
