package app

import (
	"github.com/cosmos/cosmos-sdk/baseapp"
	"github.com/cosmos/cosmos-sdk/types/mempool"

	"github.com/delphi-network/delphi/app/abci/preblock"
	"github.com/delphi-network/delphi/app/abci/proposals"
	"github.com/delphi-network/delphi/app/abci/ve"
	evaluationtypes "github.com/delphi-network/delphi/x/evaluation/types"
)

// setABCIHandlers installs the ABCI++ handlers of app/abci: the vote
// extensions, the connect-style proposal flow (the proposer injects the
// extended commit it saw, every validator checks it) and the PreBlocker's
// hand-off to x/evaluation. The rest of a block is the SDK's default
// handling.
func (app *App) setABCIHandlers(cfg ve.EvaluatorConfig, me *evaluationtypes.Reporter) {
	logger := app.Logger()
	app.ve = ve.NewHandler(logger, &app.EvaluationKeeper, cfg, me, nil)
	def := baseapp.NewDefaultProposalHandler(mempool.NoOpMempool{}, app)
	app.proposals = proposals.NewHandler(logger, &app.EvaluationKeeper, app.StakingKeeper,
		def.PrepareProposalHandler(), def.ProcessProposalHandler(), nil)
	app.preblock = preblock.NewHandler(logger, &app.EvaluationKeeper)
	app.SetExtendVoteHandler(app.ve.ExtendVote)
	app.SetVerifyVoteExtensionHandler(app.ve.VerifyVoteExtension)
	app.SetPrepareProposal(app.proposals.PrepareProposal)
	app.SetProcessProposal(app.proposals.ProcessProposal)
}
