package app

import (
	"context"

	abci "github.com/cometbft/cometbft/abci/types"

	sdk "github.com/cosmos/cosmos-sdk/types"

	evaluationtypes "github.com/delphi-network/delphi/x/evaluation/types"
)

// Vote extensions are enabled from genesis (DefaultVoteExtensionsEnableHeight)
// because evaluation results travel in them, in the x/evaluation
// VoteExtension format.

// extendVote asks the local sidecar for finished results, with a short
// timeout. The chain never waits for evaluation: a slow, dead or panicking
// sidecar, or anything else that goes wrong, gives an empty extension.
func (app *App) extendVote(ctx sdk.Context, req *abci.RequestExtendVote) (resp *abci.ResponseExtendVote, err error) {
	resp, err = app.honestExtension(ctx, req)
	if f := app.tamper.VoteExtension; f != nil && err == nil {
		resp.VoteExtension = f(req.Height, resp.VoteExtension)
	}
	return resp, err
}

func (app *App) honestExtension(ctx sdk.Context, req *abci.RequestExtendVote) (resp *abci.ResponseExtendVote, err error) {
	empty := &abci.ResponseExtendVote{VoteExtension: []byte{}}
	defer func() {
		if r := recover(); r != nil {
			app.Logger().Error("evaluator panicked in ExtendVote; voting without results", "height", req.Height, "panic", r)
			resp, err = empty, nil
		}
	}()
	params, err := app.EvaluationKeeper.Params.Get(ctx)
	if err != nil {
		return empty, nil
	}
	cctx, cancel := context.WithTimeout(context.Background(), app.evaluatorCfg.Timeout)
	defer cancel()
	results, err := app.evaluator.Results(cctx, req.Height)
	if err != nil {
		app.Logger().Info("evaluator gave no results; voting without them", "height", req.Height, "err", err)
		return empty, nil
	}
	bz, err := evaluationtypes.EncodeVoteExtension(results, params)
	if err != nil {
		return empty, nil
	}
	return &abci.ResponseExtendVote{VoteExtension: bz}, nil
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
	app.SetExtendVoteHandler(app.extendVote)
	app.SetVerifyVoteExtensionHandler(app.verifyVoteExtension)
}
