// Package preblock hands the decided block's injected commit to
// x/evaluation, before anything else of the block runs. See
// app/abci/README.md for the timing.
package preblock

import (
	"context"

	abci "github.com/cometbft/cometbft/abci/types"

	"cosmossdk.io/log/v2"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/delphi-network/delphi/app/abci/commit"
	evaluationtypes "github.com/delphi-network/delphi/x/evaluation/types"
)

// EvaluationKeeper is what the PreBlocker needs from x/evaluation.
type EvaluationKeeper interface {
	ExtensionLimits(ctx context.Context, height int64) (evaluationtypes.ExtensionLimits, error)
	ProcessCommit(ctx context.Context, info abci.ExtendedCommitInfo, limits evaluationtypes.ExtensionLimits) error
}

// Handler is the PreBlocker's Delphi part.
type Handler struct {
	logger log.Logger
	eval   EvaluationKeeper
	// simulated, set only by the SDK simulator's harness (which has no
	// CometBFT and no vote extensions), stands in for the block's injected
	// commit.
	simulated CommitSource
}

// CommitSource makes the extended commit of the block ctx finalizes from
// its decided last commit: the simulator's validators.
type CommitSource func(ctx sdk.Context, decided abci.CommitInfo) (abci.ExtendedCommitInfo, error)

// SetSimulatedCommits makes every block take its extended commit from src
// instead of its transactions. Simulations only: a node never calls it.
func (h *Handler) SetSimulatedCommits(src CommitSource) { h.simulated = src }

// NewHandler builds the PreBlocker's Delphi part.
func NewHandler(logger log.Logger, eval EvaluationKeeper) *Handler {
	return &Handler{logger: logger, eval: eval}
}

// PreBlock hands x/evaluation the block's injected commit (the proposer's
// view, which ProcessProposal accepted, is canonical) or, in a block
// without one (or with an elided one), the votes of its last commit
// without extensions (seeds,
// commit windows and accounting move on by height either way). It checks
// the commit against the decided last commit once more, since a node may
// finalize a block it rejected itself; every check is deterministic, so
// every node does the same. Nothing x/evaluation fails at halts the chain:
// its writes are dropped and the failure logged.
func (h *Handler) PreBlock(ctx sdk.Context, req *abci.RequestFinalizeBlock) error {
	if h.simulated != nil {
		// A simulation fails at the first block x/evaluation cannot take,
		// where a node would log it and drop the block's extensions.
		info, err := h.simulated(ctx, req.DecidedLastCommit)
		if err != nil {
			return err
		}
		limits, err := h.eval.ExtensionLimits(ctx, req.Height-1)
		if err != nil {
			return err
		}
		return h.eval.ProcessCommit(ctx, info, limits)
	}
	info := commit.Stripped(req.DecidedLastCommit)
	if commit.Live(ctx, req.Height, len(req.DecidedLastCommit.Votes)) && len(req.Txs) > 0 && commit.IsInjected(req.Txs[0]) {
		injected, err := commit.Decode(req.Txs[0])
		if err == nil && !commit.IsElided(injected) {
			err = commit.MatchesLastCommit(injected, req.DecidedLastCommit)
		}
		switch {
		case err != nil:
			h.logger.Error("decided block's injected commit is invalid; its extensions are ignored", "height", req.Height, "err", err)
		case commit.IsElided(injected):
			// No room for the votes: the decided last commit's, without
			// extensions.
		default:
			info = injected
		}
	}
	h.process(ctx, req.Height, info)
	return nil
}

func (h *Handler) process(ctx sdk.Context, height int64, info abci.ExtendedCommitInfo) {
	limits, err := h.eval.ExtensionLimits(ctx, height-1)
	if err != nil {
		h.logger.Error("no extension limits; the block's extensions are ignored", "height", height, "err", err)
		return
	}
	cache, write := ctx.CacheContext()
	if err := h.eval.ProcessCommit(cache, info, limits); err != nil {
		h.logger.Error("x/evaluation failed on the block's extensions; its changes are dropped", "height", height, "err", err)
		return
	}
	write()
}
