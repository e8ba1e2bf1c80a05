// Package preblock hands the decided block's injected commit to
// x/evaluation, before any transaction of the block runs. See
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
	RecordExtensionLimits(ctx context.Context, height int64) error
	TallyCommit(ctx context.Context, info abci.ExtendedCommitInfo, limits evaluationtypes.ExtensionLimits) error
}

// Handler is the PreBlocker's Delphi part.
type Handler struct {
	logger log.Logger
	eval   EvaluationKeeper
}

// NewHandler builds the PreBlocker's Delphi part.
func NewHandler(logger log.Logger, eval EvaluationKeeper) *Handler {
	return &Handler{logger: logger, eval: eval}
}

// PreBlock tallies the extensions of the block's injected commit (the
// proposer's view, which ProcessProposal accepted, is canonical), then
// records the limits this height's extensions are made under. It checks
// the commit against the decided last commit once more, since a node may
// finalize a block it rejected itself; every check is deterministic, so
// every node does the same. Nothing x/evaluation fails at halts the chain:
// its writes are dropped and the failure logged.
func (h *Handler) PreBlock(ctx sdk.Context, req *abci.RequestFinalizeBlock) error {
	if commit.Live(ctx, req.Height, len(req.DecidedLastCommit.Votes)) && len(req.Txs) > 0 && commit.IsInjected(req.Txs[0]) {
		h.tally(ctx, req)
	}
	return h.eval.RecordExtensionLimits(ctx, req.Height)
}

func (h *Handler) tally(ctx sdk.Context, req *abci.RequestFinalizeBlock) {
	info, err := commit.Decode(req.Txs[0])
	if err == nil {
		err = commit.MatchesLastCommit(info, req.DecidedLastCommit)
	}
	if err != nil {
		h.logger.Error("decided block's injected commit is invalid; no results tallied", "height", req.Height, "err", err)
		return
	}
	limits, err := h.eval.ExtensionLimits(ctx, req.Height-1)
	if err != nil {
		h.logger.Error("no extension limits; no results tallied", "height", req.Height, "err", err)
		return
	}
	cache, write := ctx.CacheContext()
	if err := h.eval.TallyCommit(cache, info, limits); err != nil {
		h.logger.Error("tally failed; the block's results are dropped", "height", req.Height, "err", err)
		return
	}
	write()
}
