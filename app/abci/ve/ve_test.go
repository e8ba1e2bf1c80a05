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

// limitsAt is x/evaluation's answer for every height: the default params'.
type limitsAt struct{}

func (limitsAt) ExtensionLimits(_ context.Context, h int64) (evaluationtypes.ExtensionLimits, error) {
	return evaluationtypes.DefaultParams().Limits(h), nil
}

func newTestHandler() *Handler {
	return NewHandler(log.NewNopLogger(), limitsAt{}, EvaluatorConfig{Timeout: time.Second}, nil)
}

func TestVerifyVoteExtension(t *testing.T) {
	h := newTestHandler()
	limits := evaluationtypes.DefaultParams().Limits(5)
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
	h := newTestHandler()
	res, err := h.ExtendVote(sdk.Context{}, &abci.RequestExtendVote{Height: 7})
	require.NoError(t, err)
	require.Empty(t, res.VoteExtension, "no sidecar configured")

	good := []*evaluationtypes.RoundResult{{EvaluationId: 1, ModelId: 1, Correct: 9, TraceRoot: bytes.Repeat([]byte{3}, 32), Leaves: 4}}
	h.SetEvaluatorClient(scriptedEvaluator{results: good})
	res, err = h.ExtendVote(sdk.Context{}, &abci.RequestExtendVote{Height: 7})
	require.NoError(t, err)
	ve, err := evaluationtypes.DecodeVoteExtension(res.VoteExtension, evaluationtypes.DefaultParams().Limits(7))
	require.NoError(t, err)
	require.Len(t, ve.Results, 1)

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
}
