package cmd

import (
	"testing"

	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"

	"github.com/cosmos/cosmos-sdk/x/tx/signing/aminojson"

	evaluationv1 "github.com/delphi-network/delphi/api/delphi/evaluation/v1"
	verdev1 "github.com/delphi-network/delphi/api/delphi/verde/v1"
)

// TestCLIJSONShowsRoundZero: query commands print amino JSON, which omits
// zero values unless the field says otherwise; round 0 is the first round,
// not a missing one, so every state type with a round prints it.
func TestCLIJSONShowsRoundZero(t *testing.T) {
	enc := aminojson.NewEncoder(aminojson.EncoderOptions{EnumAsString: true, DoNotSortFields: true})
	for _, m := range []proto.Message{&evaluationv1.Round{}, &evaluationv1.Result{}, &evaluationv1.Commitment{},
		&evaluationv1.Disagreement{}, &evaluationv1.Draw{}, &verdev1.Dispute{Claimant: &verdev1.Party{}, Challenger: &verdev1.Party{},
			LoLeaf: &verdev1.Leaf{}, ClaimantHi: &verdev1.Leaf{}, ChallengerHi: &verdev1.Leaf{}, ClaimantReveal: &verdev1.Leaf{},
			ChallengerReveal: &verdev1.Leaf{}}} {
		bz, err := enc.Marshal(m)
		require.NoError(t, err)
		require.Contains(t, string(bz), `"round":0`, "%T", m)
	}
	// The encoder does omit zeros elsewhere: the annotation is what counts.
	bz, err := enc.Marshal(&evaluationv1.Evaluation{})
	require.NoError(t, err)
	require.NotContains(t, string(bz), `"rounds"`)
}
