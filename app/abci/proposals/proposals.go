// Package proposals holds PrepareProposal, which injects the previous
// height's extended commit at txs[0], and ProcessProposal, which accepts a
// proposal only if that commit is exactly what the validators signed. See
// app/abci/README.md for the timing and the rules.
package proposals

import (
	"context"
	"fmt"

	abci "github.com/cometbft/cometbft/abci/types"

	"cosmossdk.io/log/v2"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/delphi-network/delphi/app/abci/commit"
	evaluationtypes "github.com/delphi-network/delphi/x/evaluation/types"
)

// EvaluationKeeper is what the handlers read from x/evaluation.
type EvaluationKeeper interface {
	ExtensionLimits(ctx context.Context, height int64) (evaluationtypes.ExtensionLimits, error)
}

// Handler serves PrepareProposal and ProcessProposal around the SDK's
// default handlers, which handle the rest of the block.
type Handler struct {
	logger  log.Logger
	eval    EvaluationKeeper
	keys    commit.PubKeys
	prepare sdk.PrepareProposalHandler
	process sdk.ProcessProposalHandler
	// tamper rewrites this node's proposals (byzantine test nodes only).
	tamper func(height int64, txs [][]byte) [][]byte
}

// NewHandler wraps the default proposal handlers. tamper is nil on every
// real node.
func NewHandler(logger log.Logger, eval EvaluationKeeper, keys commit.PubKeys, prepare sdk.PrepareProposalHandler,
	process sdk.ProcessProposalHandler, tamper func(int64, [][]byte) [][]byte,
) *Handler {
	return &Handler{logger: logger, eval: eval, keys: keys, prepare: prepare, process: process, tamper: tamper}
}

// SetTamper makes this node rewrite its proposals (byzantine test nodes).
func (h *Handler) SetTamper(f func(height int64, txs [][]byte) [][]byte) { h.tamper = f }

// PrepareProposal puts the extended commit CometBFT gave this proposer at
// txs[0], taking its bytes from the block's budget. When the commit does
// not fit, it leaves out the extensions of the votes last in the height's
// order (commit.Fit), or in a block too small for even the votes, all of
// them (commit.Elided), rather than fail: a failed PrepareProposal makes baseapp propose the raw txs,
// which every validator rejects, so one oversized commit would stall the
// chain. The signatures of what it keeps are untouched, so every kept
// extension is still the validator's own.
func (h *Handler) PrepareProposal(ctx sdk.Context, req *abci.RequestPrepareProposal) (*abci.ResponsePrepareProposal, error) {
	if !commit.Live(ctx, req.Height, len(req.LocalLastCommit.Votes)) {
		return h.prepare(ctx, req)
	}
	cp := ctx.ConsensusParams()
	target := min(req.MaxTxBytes, commit.Budget(cp, len(req.LocalLastCommit.Votes)))
	injected, err := commit.Fit(ctx, h.keys, req.LocalLastCommit, req.Height, target)
	if err != nil {
		return nil, fmt.Errorf("local extended commit: %w", err)
	}
	rest := *req
	rest.MaxTxBytes -= commit.Size(injected)
	res, err := h.prepare(ctx, &rest)
	if err != nil {
		return nil, err
	}
	res.Txs = append([][]byte{injected}, res.Txs...)
	if h.tamper != nil {
		res.Txs = h.tamper(req.Height, res.Txs)
	}
	return res, nil
}

// ProcessProposal accepts a proposal only if its first tx is an injected
// commit that Check accepts, and no other tx is one; before extensions are
// live, only without any. The rest of the block is the default handler's.
func (h *Handler) ProcessProposal(ctx sdk.Context, req *abci.RequestProcessProposal) (*abci.ResponseProcessProposal, error) {
	reject := &abci.ResponseProcessProposal{Status: abci.ResponseProcessProposal_REJECT}
	if !commit.Live(ctx, req.Height, len(req.ProposedLastCommit.Votes)) {
		for _, tx := range req.Txs {
			if commit.IsInjected(tx) {
				return reject, nil
			}
		}
		return h.process(ctx, req)
	}
	if err := h.Check(ctx, req.Height, req.Txs, req.ProposedLastCommit); err != nil {
		h.logger.Info("rejected proposal", "height", req.Height, "err", err)
		return reject, nil
	}
	rest := *req
	rest.Txs = req.Txs[1:]
	return h.process(ctx, &rest)
}

// Check validates the injected commit of a proposal at height against the
// block's last commit: it decodes, it matches the last commit vote for
// vote (validators, powers, flags; nothing on votes that are not COMMITs),
// every extension it carries is signed by its validator and well formed
// under the limits it was made under, and extensions are left out only as
// PrepareProposal leaves them out; or it is elided, and only because the
// block has no room for the votes.
func (h *Handler) Check(ctx sdk.Context, height int64, txs [][]byte, last abci.CommitInfo) error {
	if len(txs) == 0 || !commit.IsInjected(txs[0]) {
		return fmt.Errorf("first tx is not the injected extended commit")
	}
	for _, tx := range txs[1:] {
		if commit.IsInjected(tx) {
			return fmt.Errorf("more than one injected extended commit")
		}
	}
	info, err := commit.Decode(txs[0])
	if err != nil {
		return err
	}
	budget := commit.Budget(ctx.ConsensusParams(), len(last.Votes))
	if commit.IsElided(info) {
		return commit.CheckElided(info, last, budget)
	}
	if err := commit.MatchesLastCommit(info, last); err != nil {
		return err
	}
	limits, err := h.eval.ExtensionLimits(ctx, height-1)
	if err != nil {
		return err
	}
	exts, err := commit.Verify(ctx, h.keys, info, height-1, ctx.ChainID(), func(ext []byte) error {
		_, err := evaluationtypes.DecodeVoteExtension(ext, limits)
		return err
	})
	if err != nil {
		return err
	}
	return commit.CheckOmissions(exts, height, commit.Size(txs[0]), budget,
		limits.MaxVoteExtensionBytes, commit.SignatureBytes(info))
}
