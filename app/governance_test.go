package app_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	govtypes "github.com/cosmos/cosmos-sdk/x/gov/types"

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
