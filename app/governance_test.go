package app_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	govtypes "github.com/cosmos/cosmos-sdk/x/gov/types"
	govv1 "github.com/cosmos/cosmos-sdk/x/gov/types/v1"
	govv1beta1 "github.com/cosmos/cosmos-sdk/x/gov/types/v1beta1"

	"github.com/delphi-network/delphi/testutil/chaintest"
	evaluationtypes "github.com/delphi-network/delphi/x/evaluation/types"
)

// TestGovernanceProposalPassesAndExecutes: a proposal reaches the end of its
// voting period, is tallied by bonded stake and executed. (x/gov was wired
// without a tally function: the first voting period to end dereferenced nil
// in EndBlock and halted the chain.)
func TestGovernanceProposalPassesAndExecutes(t *testing.T) {
	c := chaintest.New(t, chaintest.Options{Genesis: chaintest.FastGovernance})
	p, err := c.App.EvaluationKeeper.Params.Get(c.Context())
	require.NoError(t, err)
	p.ChallengeWindowBlocks = 7
	c.Govern(&evaluationtypes.MsgUpdateParams{Authority: authtypes.NewModuleAddress(govtypes.ModuleName).String(), Params: p})
	got, err := c.App.EvaluationKeeper.Params.Get(c.Context())
	require.NoError(t, err)
	require.EqualValues(t, 7, got.ChallengeWindowBlocks)
	c.NextBlock()
}

// TestALegacyTextProposalPasses: a signalling proposal in the legacy form
// (MsgExecLegacyContent of a TextProposal, which wallets still send) is
// accepted and passes. (x/gov was wired without a legacy router: the
// submission dereferenced nil inside the message handler — the SDK
// simulator found it.)
func TestALegacyTextProposalPasses(t *testing.T) {
	c := chaintest.New(t, chaintest.Options{Genesis: chaintest.FastGovernance})
	content, err := govv1.NewLegacyContent(govv1beta1.NewTextProposal("signal", "a text proposal"),
		authtypes.NewModuleAddress(govtypes.ModuleName).String())
	require.NoError(t, err)
	c.Govern(content)
}
