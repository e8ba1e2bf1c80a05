package app

import (
	"bytes"
	"errors"
	"fmt"

	abci "github.com/cometbft/cometbft/abci/types"

	"github.com/cosmos/cosmos-sdk/baseapp"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/mempool"

	evaluationkeeper "github.com/delphi-network/delphi/x/evaluation/keeper"
	evaluationtypes "github.com/delphi-network/delphi/x/evaluation/types"
)

// InjectedCommitPrefix starts the pseudo-transaction that carries the
// previous height's extended commit at txs[0] of every block once vote
// extensions are on. It is not a transaction: FinalizeBlock reports it as
// undecodable, and clients and explorers recognise it by this prefix.
var InjectedCommitPrefix = []byte("delphi/extended-commit/v1\x00")

// IsInjectedCommit says whether a block's tx is the injected extended commit.
func IsInjectedCommit(tx []byte) bool { return bytes.HasPrefix(tx, InjectedCommitPrefix) }

// extensionsLive says whether a block at height carries an injected commit:
// extensions exist from the enable height + 1, and only where there is a
// previous block whose votes carried them. lastCommitVotes is the number of
// votes in the block's last commit: CometBFT sends none exactly at the
// chain's initial height, which is above the enable height when a chain is
// restarted from an exported genesis. Every node sees the same last commit
// for a block, so the answer is the same everywhere.
func extensionsLive(ctx sdk.Context, height int64, lastCommitVotes int) bool {
	abciParams := ctx.ConsensusParams().Abci
	return abciParams != nil && abciParams.VoteExtensionsEnableHeight != 0 &&
		height > abciParams.VoteExtensionsEnableHeight && lastCommitVotes > 0
}

// setProposalHandlers installs the connect-style proposal flow: the proposer
// injects the extended commit it saw, every validator checks it, and the
// PreBlocker tallies it. The rest of the block is the SDK's default handling.
func (app *App) setProposalHandlers() {
	def := baseapp.NewDefaultProposalHandler(mempool.NoOpMempool{}, app)
	prepare, process := def.PrepareProposalHandler(), def.ProcessProposalHandler()

	app.SetPrepareProposal(func(ctx sdk.Context, req *abci.RequestPrepareProposal) (*abci.ResponsePrepareProposal, error) {
		if !extensionsLive(ctx, req.Height, len(req.LocalLastCommit.Votes)) {
			return prepare(ctx, req)
		}
		if err := baseapp.ValidateVoteExtensions(ctx, app.StakingKeeper, req.Height, ctx.ChainID(), req.LocalLastCommit); err != nil {
			return nil, fmt.Errorf("local extended commit: %w", err)
		}
		raw, err := req.LocalLastCommit.Marshal()
		if err != nil {
			return nil, err
		}
		injected := append(append([]byte{}, InjectedCommitPrefix...), raw...)
		if int64(len(injected)) > req.MaxTxBytes {
			return nil, fmt.Errorf("extended commit of %d bytes exceeds the block's %d", len(injected), req.MaxTxBytes)
		}
		// The injected commit's bytes come out of the block's budget.
		rest := *req
		rest.MaxTxBytes -= int64(len(injected))
		res, err := prepare(ctx, &rest)
		if err != nil {
			return nil, err
		}
		res.Txs = append([][]byte{injected}, res.Txs...)
		if f := app.tamper.Proposal; f != nil {
			res.Txs = f(req.Height, res.Txs)
		}
		return res, nil
	})

	app.SetProcessProposal(func(ctx sdk.Context, req *abci.RequestProcessProposal) (*abci.ResponseProcessProposal, error) {
		reject := &abci.ResponseProcessProposal{Status: abci.ResponseProcessProposal_REJECT}
		if !extensionsLive(ctx, req.Height, len(req.ProposedLastCommit.Votes)) {
			for _, tx := range req.Txs {
				if IsInjectedCommit(tx) {
					return reject, nil
				}
			}
			return process(ctx, req)
		}
		if _, err := app.checkInjectedCommit(ctx, req.Height, req.Txs); err != nil {
			app.Logger().Info("rejected proposal", "height", req.Height, "err", err)
			return reject, nil
		}
		rest := *req
		rest.Txs = req.Txs[1:]
		return process(ctx, &rest)
	})
}

// checkInjectedCommit decodes txs[0] as the extended commit and validates its
// signatures, its power and every extension's format.
func (app *App) checkInjectedCommit(ctx sdk.Context, height int64, txs [][]byte) (abci.ExtendedCommitInfo, error) {
	var info abci.ExtendedCommitInfo
	if len(txs) == 0 || !IsInjectedCommit(txs[0]) {
		return info, errors.New("first tx is not the injected extended commit")
	}
	for _, tx := range txs[1:] {
		if IsInjectedCommit(tx) {
			return info, errors.New("more than one injected extended commit")
		}
	}
	if err := info.Unmarshal(txs[0][len(InjectedCommitPrefix):]); err != nil {
		return info, fmt.Errorf("undecodable extended commit: %w", err)
	}
	if err := baseapp.ValidateVoteExtensions(ctx, app.StakingKeeper, height, ctx.ChainID(), info); err != nil {
		return info, err
	}
	params, err := app.EvaluationKeeper.Params.Get(ctx)
	if err != nil {
		return info, err
	}
	for _, v := range info.Votes {
		if _, err := evaluationtypes.DecodeVoteExtension(v.VoteExtension, params); err != nil {
			return info, fmt.Errorf("validator %X: %w", v.Validator.Address, err)
		}
	}
	return info, nil
}

// tallyInjectedCommit feeds the extensions of the decided block's injected
// commit to x/evaluation. ProcessProposal accepted the block, so the commit
// is valid here; decoding is repeated rather than cached so every node does
// the same work whatever it saw before.
func (app *App) tallyInjectedCommit(ctx sdk.Context, req *abci.RequestFinalizeBlock) error {
	if !extensionsLive(ctx, req.Height, len(req.DecidedLastCommit.Votes)) || len(req.Txs) == 0 || !IsInjectedCommit(req.Txs[0]) {
		return nil
	}
	var info abci.ExtendedCommitInfo
	if err := info.Unmarshal(req.Txs[0][len(InjectedCommitPrefix):]); err != nil {
		return fmt.Errorf("injected commit: %w", err)
	}
	params, err := app.EvaluationKeeper.Params.Get(ctx)
	if err != nil {
		return err
	}
	var (
		votes []evaluationkeeper.Vote
		total int64
	)
	for _, v := range info.Votes {
		total += v.Validator.Power
		ext, err := evaluationtypes.DecodeVoteExtension(v.VoteExtension, params)
		if err != nil || len(ext.Results) == 0 {
			continue
		}
		votes = append(votes, evaluationkeeper.Vote{Validator: v.Validator.Address, Power: v.Validator.Power, Extension: ext})
	}
	return app.EvaluationKeeper.TallyVotes(ctx, votes, total)
}
