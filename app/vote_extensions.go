package app

import (
	abci "github.com/cometbft/cometbft/abci/types"

	sdk "github.com/cosmos/cosmos-sdk/types"

	evaluationtypes "github.com/delphi-network/delphi/x/evaluation/types"
)

// Vote extensions are enabled from genesis (DefaultVoteExtensionsEnableHeight)
// because evaluation results travel in them, in the x/evaluation
// VoteExtension format. Until the evaluator sidecar is wired in, a validator
// extends its vote with nothing.

// extendVote attaches no results: this node runs no evaluator yet.
func extendVote(sdk.Context, *abci.RequestExtendVote) (*abci.ResponseExtendVote, error) {
	return &abci.ResponseExtendVote{VoteExtension: []byte{}}, nil
}

// verifyVoteExtension accepts an empty extension or a well-formed one within
// the x/evaluation params' bounds, and rejects anything undecodable,
// oversized or non-canonical. It never consults the local sidecar: whether a
// peer's result is right is settled by tallying and disputes, not here.
func (app *App) verifyVoteExtension(ctx sdk.Context, req *abci.RequestVerifyVoteExtension) (*abci.ResponseVerifyVoteExtension, error) {
	reject := &abci.ResponseVerifyVoteExtension{Status: abci.ResponseVerifyVoteExtension_REJECT}
	if len(req.VoteExtension) == 0 {
		return &abci.ResponseVerifyVoteExtension{Status: abci.ResponseVerifyVoteExtension_ACCEPT}, nil
	}
	params, err := app.EvaluationKeeper.Params.Get(ctx)
	if err != nil {
		return reject, nil
	}
	if _, err := evaluationtypes.DecodeVoteExtension(req.VoteExtension, params); err != nil {
		app.Logger().Info("rejected vote extension", "height", req.Height,
			"validator", sdk.ConsAddress(req.ValidatorAddress).String(), "err", err)
		return reject, nil
	}
	return &abci.ResponseVerifyVoteExtension{Status: abci.ResponseVerifyVoteExtension_ACCEPT}, nil
}

// setABCIExtensions installs the ABCI++ vote-extension handlers.
func (app *App) setABCIExtensions() {
	app.SetExtendVoteHandler(extendVote)
	app.SetVerifyVoteExtensionHandler(app.verifyVoteExtension)
}
