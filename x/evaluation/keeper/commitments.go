package keeper

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"slices"

	"cosmossdk.io/collections"

	"github.com/delphi-network/delphi/internal/modkit"
	"github.com/delphi-network/delphi/x/evaluation/types"
)

// Results commit-then-reveal. A round opens in its commit phase: a
// validator's extensions carry a commitment to each result it finished
// (types.ResultCommitmentHash, bound to its own address and a secret salt).
// The commit window closes after commit_window_blocks, or as soon as every
// validator has committed to every model (closeCommitWindows); from the
// next block reveals count and commitments are refused. A reveal counts
// only if it opens the validator's own commitment; anything else (no
// commitment, a mismatch, a reveal before the window closed, an impossible
// result) counts for nothing and is recorded as a fault. So results cannot
// be copied: nothing is visible while commitments are taken.

// commitKey is the store key of a validator's commitment.
func commitKey(e uint64, r uint32, m uint64, val []byte) collections.Quad[uint64, uint32, uint64, []byte] {
	return collections.Join4(e, r, m, val)
}

// commitResult records a validator's first commitment to a result of a
// round attempt that still takes commitments.
func (k Keeper) commitResult(ctx context.Context, height int64, val []byte, c *types.ResultCommitment, set voters, tb *tallyBlock) error {
	if set.of(val) == 0 {
		return nil
	}
	round, err := tb.round(ctx, k, c.EvaluationId, c.Round)
	if err != nil || round == nil {
		return err
	}
	if round.Status != types.ROUND_STATUS_OPEN || round.Phase != types.ROUND_PHASE_COMMIT || round.Attempt != c.Attempt {
		return nil // late (reveals may have begun), stale or not open: refused
	}
	e, err := tb.evaluation(ctx, k, c.EvaluationId)
	if err != nil || e == nil || e.Status != types.EVALUATION_STATUS_RUNNING || !slices.Contains(e.ModelIds, c.ModelId) {
		return err
	}
	key := commitKey(c.EvaluationId, c.Round, c.ModelId, val)
	if has, err := k.Commitments.Has(ctx, key); err != nil || has {
		return err
	}
	tb.commitTouched(c.EvaluationId, c.Round)
	return k.Commitments.Set(ctx, key, types.Commitment{EvaluationId: c.EvaluationId, Round: c.Round, ModelId: c.ModelId,
		Validator: hex.EncodeToString(val), Attempt: c.Attempt, Hash: hex.EncodeToString(c.Hash),
		Status: types.COMMITMENT_STATUS_COMMITTED, CommittedHeight: height})
}

// revealResult opens a validator's commitment, if the round's reveals
// count and the reveal matches; a reveal that cannot count is a fault.
func (k Keeper) revealResult(ctx context.Context, height int64, val []byte, rv *types.ResultReveal, tb *tallyBlock) error {
	round, err := tb.round(ctx, k, rv.EvaluationId, rv.Round)
	if err != nil || round == nil {
		return err
	}
	if round.Attempt != rv.Attempt || (round.Status != types.ROUND_STATUS_OPEN && round.Status != types.ROUND_STATUS_FINAL) {
		return nil // an earlier attempt's, or a failed round's: stale, not a fault
	}
	key := commitKey(rv.EvaluationId, rv.Round, rv.ModelId, val)
	c, err := k.Commitments.Get(ctx, key)
	found := err == nil
	if err != nil && !errors.Is(err, collections.ErrNotFound) {
		return err
	}
	faulty := func(reason string) error {
		if found && c.Status == types.COMMITMENT_STATUS_COMMITTED {
			c.Status = types.COMMITMENT_STATUS_VOIDED
			if err := k.Commitments.Set(ctx, key, c); err != nil {
				return err
			}
		}
		return k.fault(ctx, val, rv.EvaluationId, rv.Round, rv.ModelId, reason)
	}
	if round.Phase == types.ROUND_PHASE_COMMIT {
		// Showing a result while others may still commit lets them copy
		// it: the commitment is void.
		return faulty("revealed before the commit window closed")
	}
	if height > round.RevealEndHeight {
		return nil // after the reveal window: no longer counted
	}
	switch {
	case !found:
		return faulty("no commitment of its own to open")
	case c.Status != types.COMMITMENT_STATUS_COMMITTED:
		return nil // already revealed (extensions repeat) or voided
	case hex.EncodeToString(rv.Hash(val)) != c.Hash:
		return faulty("does not match its commitment")
	}
	if rv.Abstain {
		// A report that the validator could not evaluate the model: it
		// counts as reporting the round, not as a claim.
		c.Status, c.RevealedHeight, c.Abstained = types.COMMITMENT_STATUS_REVEALED, height, true
		return k.Commitments.Set(ctx, key, c)
	}
	e, err := tb.evaluation(ctx, k, rv.EvaluationId)
	if err != nil || e == nil {
		return err
	}
	if rv.Leaves == 0 || rv.Correct > uint64(e.ItemsPerRound)*e.points {
		// Bounded: items and points per item are both bounded.
		return faulty("impossible result")
	}
	if rv.Leaves == 1 {
		// Every run has more leaves than one (at least one per item, plus
		// a classifier's four score leaves): a one-leaf claim is the
		// model's rejection by the runtime, exactly (types.RejectedRoot,
		// 0 correct), or nothing.
		m, err := k.Models.Get(ctx, rv.ModelId)
		if err != nil {
			return faulty("unknown model")
		}
		if rv.Correct != 0 || !types.IsRejection(hex.EncodeToString(rv.TraceRoot), m.WeightsSha256) {
			return faulty("a one-leaf claim that is not the model's rejection (its root, 0 correct)")
		}
	}
	c.Status, c.RevealedHeight = types.COMMITMENT_STATUS_REVEALED, height
	c.Correct, c.TraceRoot, c.Leaves = rv.Correct, hex.EncodeToString(rv.TraceRoot), rv.Leaves
	if err := k.Commitments.Set(ctx, key, c); err != nil {
		return err
	}
	tb.revealed(types.ResultKey{Evaluation: rv.EvaluationId, Round: rv.Round, Model: rv.ModelId}, val)
	return nil
}

// fault records a reveal that counted for nothing against the validator.
func (k Keeper) fault(ctx context.Context, val []byte, e uint64, r uint32, m uint64, reason string) error {
	p, err := k.participation(ctx, val)
	if err != nil {
		return err
	}
	p.Faults++
	if err := k.Participations.Set(ctx, val, p); err != nil {
		return err
	}
	return modkit.Emit(ctx, &types.EventRevealFault{EvaluationId: e, Round: r, ModelId: m, Validator: hex.EncodeToString(val), Reason: reason})
}

// participation is a validator's record, empty if it has none yet.
func (k Keeper) participation(ctx context.Context, val []byte) (types.Participation, error) {
	p, err := k.Participations.Get(ctx, val)
	if errors.Is(err, collections.ErrNotFound) {
		return types.Participation{Validator: hex.EncodeToString(val)}, nil
	}
	return p, err
}

// revealedClaims groups the revealed commitments of a result by value, in
// the order of their validators' addresses.
func (k Keeper) revealedClaims(ctx context.Context, key types.ResultKey, set voters) ([]*claim, error) {
	var claims []*claim
	err := k.Commitments.Walk(ctx, collections.NewSuperPrefixedQuadRange3[uint64, uint32, uint64, []byte](key.Evaluation, key.Round, key.Model),
		func(qk collections.Quad[uint64, uint32, uint64, []byte], c types.Commitment) (bool, error) {
			if c.Status != types.COMMITMENT_STATUS_REVEALED || c.Abstained {
				return false, nil
			}
			root, err := hex.DecodeString(c.TraceRoot)
			if err != nil {
				return true, err
			}
			var cl *claim
			for _, existing := range claims {
				if existing.correct == c.Correct && existing.leaves == c.Leaves && bytes.Equal(existing.traceRoot, root) {
					cl = existing
					break
				}
			}
			if cl == nil {
				cl = &claim{correct: c.Correct, traceRoot: root, leaves: c.Leaves}
				claims = append(claims, cl)
			}
			cl.power += set.of(qk.K4())
			cl.validators = append(cl.validators, qk.K4())
			return false, nil
		})
	return claims, err
}
