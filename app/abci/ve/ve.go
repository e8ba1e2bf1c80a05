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
}

// Handler serves ExtendVote and VerifyVoteExtension.
type Handler struct {
	logger    log.Logger
	eval      EvaluationKeeper
	evaluator EvaluatorClient
	cfg       EvaluatorConfig
	// tamper rewrites this node's extension (byzantine test nodes only).
	tamper func(height int64, ext []byte) []byte
}

// NewHandler builds the handlers. tamper is nil on every real node.
func NewHandler(logger log.Logger, eval EvaluationKeeper, cfg EvaluatorConfig, tamper func(int64, []byte) []byte) *Handler {
	return &Handler{logger: logger, eval: eval, evaluator: newEvaluatorClient(cfg), cfg: cfg, tamper: tamper}
}

// SetTamper makes this node rewrite its extensions (byzantine test nodes).
func (h *Handler) SetTamper(f func(height int64, ext []byte) []byte) { h.tamper = f }

// SetEvaluatorClient replaces the sidecar client (tests and tools).
func (h *Handler) SetEvaluatorClient(c EvaluatorClient) { h.evaluator = c }

// ExtendVote asks the local sidecar for finished results, with a short
// timeout. The chain never waits for evaluation: a slow, dead or panicking
// sidecar, or anything else that goes wrong, gives an empty extension.
func (h *Handler) ExtendVote(ctx sdk.Context, req *abci.RequestExtendVote) (*abci.ResponseExtendVote, error) {
	resp := h.honestExtension(ctx, req)
	if h.tamper != nil {
		resp.VoteExtension = h.tamper(req.Height, resp.VoteExtension)
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
	limits, err := h.eval.ExtensionLimits(ctx, req.Height)
	if err != nil {
		return empty
	}
	cctx, cancel := context.WithTimeout(context.Background(), h.cfg.Timeout)
	defer cancel()
	results, err := h.evaluator.Results(cctx, req.Height)
	if err != nil {
		h.logger.Info("evaluator gave no results; voting without them", "height", req.Height, "err", err)
		return empty
	}
	bz, err := evaluationtypes.EncodeVoteExtension(results, limits)
	if err != nil {
		return empty
	}
	return &abci.ResponseExtendVote{VoteExtension: bz}
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
