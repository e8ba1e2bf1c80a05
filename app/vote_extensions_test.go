package app

import (
	"testing"

	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"
)

func TestVoteExtensionsAreEmptyAndOnlyEmptyIsAccepted(t *testing.T) {
	res, err := extendVote(sdk.Context{}, &abci.RequestExtendVote{Height: 5})
	require.NoError(t, err)
	require.Empty(t, res.VoteExtension)

	for name, tc := range map[string]struct {
		ext  []byte
		want abci.ResponseVerifyVoteExtension_VerifyStatus
	}{
		"empty is accepted":       {nil, abci.ResponseVerifyVoteExtension_ACCEPT},
		"zero length is accepted": {[]byte{}, abci.ResponseVerifyVoteExtension_ACCEPT},
		"garbage is rejected":     {[]byte{0xde, 0xad}, abci.ResponseVerifyVoteExtension_REJECT},
		"oversized is rejected":   {make([]byte, 1<<20), abci.ResponseVerifyVoteExtension_REJECT},
	} {
		t.Run(name, func(t *testing.T) {
			res, err := verifyVoteExtension(sdk.Context{}, &abci.RequestVerifyVoteExtension{Height: 5, VoteExtension: tc.ext})
			require.NoError(t, err)
			require.Equal(t, tc.want, res.Status)
		})
	}
}
