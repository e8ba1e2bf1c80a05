package app

import (
	abci "github.com/cometbft/cometbft/abci/types"

	sdk "github.com/cosmos/cosmos-sdk/types"
)

// Vote extensions are enabled from genesis (DefaultVoteExtensionsEnableHeight)
// because evaluation results travel in them. Until a module defines their
// content, a validator extends its vote with nothing and accepts only empty
// extensions from its peers: anything else could not have come from an honest
// node running this binary.

// extendVote attaches no data to the vote.
func extendVote(sdk.Context, *abci.RequestExtendVote) (*abci.ResponseExtendVote, error) {
	return &abci.ResponseExtendVote{VoteExtension: []byte{}}, nil
}

// verifyVoteExtension accepts an empty extension and rejects any other.
func verifyVoteExtension(_ sdk.Context, req *abci.RequestVerifyVoteExtension) (*abci.ResponseVerifyVoteExtension, error) {
	if len(req.VoteExtension) == 0 {
		return &abci.ResponseVerifyVoteExtension{Status: abci.ResponseVerifyVoteExtension_ACCEPT}, nil
	}
	return &abci.ResponseVerifyVoteExtension{Status: abci.ResponseVerifyVoteExtension_REJECT}, nil
}

// setABCIExtensions installs the ABCI++ vote-extension handlers.
func (app *App) setABCIExtensions() {
	app.SetExtendVoteHandler(extendVote)
	app.SetVerifyVoteExtensionHandler(verifyVoteExtension)
}
