// Package ve holds the vote-extension handlers: ExtendVote asks the local
// evaluator sidecar for finished results and VerifyVoteExtension checks a
// peer's extension. See app/abci/README.md for the timing.
package ve

import (
	"context"

	abci "github.com/cometbft/cometbft/abci/types"

	"cosmossdk.io/log/v2"

	sdk "github.com/cosmos/cosmos-sdk/types"

	evaluationtypes "github.com/delphi-network/delphi/x/evaluation/types"
)

// EvaluationKeeper is what the handlers read from x/evaluation.
type EvaluationKeeper interface {
	ExtensionLimits(ctx context.Context, height int64) (evaluationtypes.ExtensionLimits, error)
	BuildVoteExtension(ctx context.Context, height int64, me evaluationtypes.Reporter, results []*evaluationtypes.RoundResult,
		limits evaluationtypes.ExtensionLimits) (evaluationtypes.VoteExtension, error)
}

// Handler serves ExtendVote and VerifyVoteExtension.
type Handler struct {
	logger    log.Logger
	eval      EvaluationKeeper
	evaluator EvaluatorClient
	cfg       EvaluatorConfig
	// me is this node's validator identity; nil: it extends nothing.
	me *evaluationtypes.Reporter
	// tamper rewrites this node's extension (byzantine test nodes only).
	tamper Tamper
}

// NewHandler builds the handlers. me is the node's identity (LoadReporter;
// nil on a node that is not a validator). tamper is nil on every real node.
func NewHandler(logger log.Logger, eval EvaluationKeeper, cfg EvaluatorConfig, me *evaluationtypes.Reporter,
	tamper Tamper,
) *Handler {
	return &Handler{logger: logger, eval: eval, evaluator: newEvaluatorClient(cfg), cfg: cfg, me: me, tamper: tamper}
}

// SetTamper makes this node rewrite its extensions (byzantine test nodes).
func (h *Handler) SetTamper(f Tamper) { h.tamper = f }

// Tamper rewrites a byzantine test node's extension: it sees the request
// (the block being voted on, whose txs[0] holds the previous height's
// extensions), the node's identity (nil if none) and the honest extension.
type Tamper func(req *abci.RequestExtendVote, me *evaluationtypes.Reporter, ext []byte) []byte

// SetEvaluatorClient replaces the sidecar client (tests and tools).
func (h *Handler) SetEvaluatorClient(c EvaluatorClient) { h.evaluator = c }

// ExtendVote asks the local sidecar for finished results, with a short
// timeout, and says what an honest validator says at this height
// (x/evaluation's BuildVoteExtension: seed contributions, commitments to
// results, reveals). The chain never waits for evaluation: a slow, dead or
// panicking sidecar gives an extension without results, and anything else
// that goes wrong an empty one.
func (h *Handler) ExtendVote(ctx sdk.Context, req *abci.RequestExtendVote) (*abci.ResponseExtendVote, error) {
	resp := h.honestExtension(ctx, req)
	if h.tamper != nil {
		resp.VoteExtension = h.tamper(req, h.me, resp.VoteExtension)
	}
	return resp, nil
}

func (h *Handler) honestExtension(ctx sdk.Context, req *abci.RequestExtendVote) (resp *abci.ResponseExtendVote) {
	empty := &abci.ResponseExtendVote{VoteExtension: []byte{}}
	defer func() {
		if r := recover(); r != nil {
			h.logger.Error("evaluator panicked in ExtendVote; voting without results", "height", req.Height, "panic", r)
			resp = empty
		}
	}()
	if h.me == nil {
		return empty
	}
	limits, err := h.eval.ExtensionLimits(ctx, req.Height)
	if err != nil {
		return empty
	}
	results := h.sidecarResults(req.Height)
	ext, err := h.eval.BuildVoteExtension(ctx, req.Height, *h.me, results, limits)
	if err != nil {
		h.logger.Error("building the vote extension failed; voting without one", "height", req.Height, "err", err)
		return empty
	}
	bz, err := evaluationtypes.EncodeVoteExtension(ext, limits)
	if err != nil {
		h.logger.Error("vote extension out of bounds; voting without one", "height", req.Height, "err", err)
		return empty
	}
	return &abci.ResponseExtendVote{VoteExtension: bz}
}

// sidecarResults are the sidecar's finished results, or none if it is
// slow, down or panics.
func (h *Handler) sidecarResults(height int64) (results []*evaluationtypes.RoundResult) {
	defer func() {
		if r := recover(); r != nil {
			h.logger.Error("evaluator client panicked in ExtendVote; voting without results", "height", height, "panic", r)
			results = nil
		}
	}()
	cctx, cancel := context.WithTimeout(context.Background(), h.cfg.Timeout)
	defer cancel()
	results, err := h.evaluator.Results(cctx, height)
	if err != nil {
		h.logger.Info("evaluator gave no results; voting without them", "height", height, "err", err)
		return nil
	}
	return results
}

// VerifyVoteExtension accepts an empty extension or a well-formed one within
// the limits of its height, and rejects anything undecodable, oversized or
// non-canonical. It never consults the local sidecar: whether a peer's
// result is right is settled by tallying and disputes, not here.
func (h *Handler) VerifyVoteExtension(ctx sdk.Context, req *abci.RequestVerifyVoteExtension) (*abci.ResponseVerifyVoteExtension, error) {
	accept := &abci.ResponseVerifyVoteExtension{Status: abci.ResponseVerifyVoteExtension_ACCEPT}
	reject := &abci.ResponseVerifyVoteExtension{Status: abci.ResponseVerifyVoteExtension_REJECT}
	if len(req.VoteExtension) == 0 {
		return accept, nil
	}
	limits, err := h.eval.ExtensionLimits(ctx, req.Height)
	if err != nil {
		return reject, nil
	}
	if _, err := evaluationtypes.DecodeVoteExtension(req.VoteExtension, limits); err != nil {
		h.logger.Info("rejected vote extension", "height", req.Height,
			"validator", sdk.ConsAddress(req.ValidatorAddress).String(), "err", err)
		return reject, nil
	}
	return accept, nil
}
