package keeper

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"slices"
	"sort"

	"cosmossdk.io/collections"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/delphi-network/delphi/internal/modkit"
	"github.com/delphi-network/delphi/x/evaluation/types"
)

// claim is one set of values revealed for a result, with the power behind
// it and the validators that revealed it, in address order.
type claim struct {
	correct    uint64
	traceRoot  []byte
	leaves     uint64
	power      int64
	validators [][]byte
}

func (c *claim) matches(r types.Result) bool {
	return c.correct == r.Correct && c.leaves == r.Leaves && hex.EncodeToString(c.traceRoot) == r.TraceRoot
}

// scored is an evaluation with its benchmark's points per item.
type scored struct {
	types.Evaluation
	points uint64
}

// roundKey names a round.
type roundKey struct {
	evaluation uint64
	round      uint32
}

// tallyBlock is what one block's extensions touched: the results that got
// new reveals (and from whom), and the rounds that got new commitments.
type tallyBlock struct {
	newReveals map[types.ResultKey][][]byte
	keys       []types.ResultKey
	committed  map[roundKey]bool
	rounds     []roundKey
	cache      map[uint64]*scored
	// read holds the rounds read while the extensions' reveals and
	// commitments are recorded, which change no round: a round (whose
	// eligible set grows with the validators) is decoded once per block,
	// not once per validator and model. It is dropped before anything
	// writes rounds (readsDone).
	read map[roundKey]*types.Round
}

func newTallyBlock() *tallyBlock {
	return &tallyBlock{newReveals: map[types.ResultKey][][]byte{}, committed: map[roundKey]bool{}, cache: map[uint64]*scored{},
		read: map[roundKey]*types.Round{}}
}

// round reads a round (nil if unknown), once per block until readsDone.
func (tb *tallyBlock) round(ctx context.Context, k Keeper, e uint64, r uint32) (*types.Round, error) {
	rk := roundKey{e, r}
	if got, ok := tb.read[rk]; ok {
		return got, nil
	}
	got, err := k.Rounds.Get(ctx, collections.Join(e, r))
	var round *types.Round
	switch {
	case err == nil:
		round = &got
	case !errors.Is(err, collections.ErrNotFound):
		return nil, err
	}
	if tb.read != nil {
		tb.read[rk] = round
	}
	return round, nil
}

// readsDone ends the read-only part of the block: from here on rounds
// change, so they are read from the store again.
func (tb *tallyBlock) readsDone() { tb.read = nil }

func (tb *tallyBlock) revealed(key types.ResultKey, val []byte) {
	if _, ok := tb.newReveals[key]; !ok {
		tb.keys = append(tb.keys, key)
	}
	tb.newReveals[key] = append(tb.newReveals[key], val)
}

func (tb *tallyBlock) commitTouched(e uint64, r uint32) {
	rk := roundKey{e, r}
	if !tb.committed[rk] {
		tb.committed[rk] = true
		tb.rounds = append(tb.rounds, rk)
	}
}

// evaluation reads an evaluation (nil if unknown) once per block.
func (tb *tallyBlock) evaluation(ctx context.Context, k Keeper, id uint64) (*scored, error) {
	if e, ok := tb.cache[id]; ok {
		return e, nil
	}
	got, err := k.Evaluations.Get(ctx, id)
	if err != nil {
		tb.cache[id] = nil
		return nil, nil
	}
	e := &scored{Evaluation: got, points: 1}
	if b, err := k.Benchmarks.Get(ctx, got.BenchmarkId); err == nil {
		e.points = b.Points()
	}
	tb.cache[id] = e
	return e, nil
}

// tallyRevealed weighs, for every result that got new reveals in this
// block, everything revealed for it so far by the validators' power in
// this block's commit. A value revealed by more than 2/3 of the total
// power becomes the final Result; every validator that revealed another
// value is recorded as disagreeing, and each distinct dissenting value is
// handed to x/verde, which opens a dispute. Reveals of a result that is
// already final join its backers if they match and are contested if they
// do not. Results are taken in (evaluation, round, model) order, so the
// votes' order does not matter.
func (k Keeper) tallyRevealed(ctx context.Context, tb *tallyBlock, set voters) error {
	keys := append([]types.ResultKey(nil), tb.keys...)
	sort.Slice(keys, func(i, j int) bool { return keys[i].Less(keys[j]) })
	var closed []roundKey
	for _, key := range keys {
		res, err := k.Results.Get(ctx, collections.Join3(key.Evaluation, key.Round, key.Model))
		switch {
		case err == nil:
			if err := k.lateReveals(ctx, key, res, tb.newReveals[key], set); err != nil {
				return err
			}
			continue
		case !isNotFound(err):
			return err
		}
		claims, err := k.revealedClaims(ctx, key, set)
		if err != nil {
			return err
		}
		final, err := k.finalize(ctx, key, claims, set)
		if err != nil {
			return err
		}
		if rk := (roundKey{key.Evaluation, key.Round}); final && !slices.Contains(closed, rk) {
			closed = append(closed, rk)
		}
	}
	for _, rk := range closed {
		if err := k.closeRoundIfComplete(ctx, rk.evaluation, rk.round); err != nil {
			return err
		}
	}
	return nil
}

// finalize stores the result of key if one claim has more than 2/3 of the
// power, and records the other claims as disagreements.
func (k Keeper) finalize(ctx context.Context, key types.ResultKey, claims []*claim, set voters) (bool, error) {
	var winner *claim
	for _, c := range claims {
		if set.moreThanTwoThirds(c.power) {
			winner = c
			break
		}
	}
	if winner == nil {
		return false, nil
	}
	height := sdk.UnwrapSDKContext(ctx).BlockHeight()
	res := types.Result{EvaluationId: key.Evaluation, Round: key.Round, ModelId: key.Model, Correct: winner.correct,
		TraceRoot: hex.EncodeToString(winner.traceRoot), Leaves: winner.leaves, Power: winner.power, Height: height,
		Validators: hexAll(winner.validators)}
	if err := k.Results.Set(ctx, collections.Join3(key.Evaluation, key.Round, key.Model), res); err != nil {
		return false, err
	}
	if err := modkit.Emit(ctx, &types.EventResultFinal{EvaluationId: res.EvaluationId, Round: res.Round, ModelId: res.ModelId,
		Correct: res.Correct, TraceRoot: res.TraceRoot, Power: res.Power}); err != nil {
		return false, err
	}
	for _, c := range claims {
		if c != winner {
			if err := k.dissent(ctx, res, c); err != nil {
				return false, err
			}
		}
	}
	return true, nil
}

// lateReveals handles reveals of a result that was already final: a
// matching one joins its backers (and its share of the rewards), a
// different one is a disagreement, contested like any other.
func (k Keeper) lateReveals(ctx context.Context, key types.ResultKey, res types.Result, vals [][]byte, set voters) error {
	claims, err := k.revealedClaims(ctx, key, set)
	if err != nil {
		return err
	}
	changed := false
	for _, c := range claims {
		var fresh [][]byte
		for _, v := range c.validators {
			for _, nv := range vals {
				if bytes.Equal(v, nv) {
					fresh = append(fresh, v)
				}
			}
		}
		if len(fresh) == 0 {
			continue
		}
		if c.matches(res) {
			for _, v := range fresh {
				res.Validators = append(res.Validators, hex.EncodeToString(v))
				res.Power += set.of(v)
			}
			changed = true
			continue
		}
		if err := k.dissent(ctx, res, &claim{correct: c.correct, traceRoot: c.traceRoot, leaves: c.leaves, validators: fresh}); err != nil {
			return err
		}
	}
	if !changed {
		return nil
	}
	return k.Results.Set(ctx, collections.Join3(key.Evaluation, key.Round, key.Model), res)
}

// dissent records each validator of a claim that differs from a final
// result as disagreeing and hands the claim to x/verde.
func (k Keeper) dissent(ctx context.Context, res types.Result, c *claim) error {
	for _, val := range c.validators {
		id, err := modkit.NextID(ctx, k.DisagreementSeq)
		if err != nil {
			return err
		}
		d := types.Disagreement{EvaluationId: res.EvaluationId, Round: res.Round, ModelId: res.ModelId,
			Validator: hex.EncodeToString(val), Correct: c.correct, TraceRoot: hex.EncodeToString(c.traceRoot),
			Leaves: c.leaves, Height: sdk.UnwrapSDKContext(ctx).BlockHeight()}
		if err := k.Disagreements.Set(ctx, id, d); err != nil {
			return err
		}
		if err := modkit.Emit(ctx, &types.EventResultDisagreement{EvaluationId: d.EvaluationId, Round: d.Round,
			ModelId: d.ModelId, Validator: d.Validator}); err != nil {
			return err
		}
	}
	if k.disputes == nil {
		return nil
	}
	dissent := types.Claim{Correct: c.correct, TraceRoot: hex.EncodeToString(c.traceRoot), Leaves: c.leaves,
		Validators: hexAll(c.validators)}
	return k.disputes.ContestResult(ctx, res, dissent)
}

func hexAll(bs [][]byte) []string {
	out := make([]string, len(bs))
	for i, b := range bs {
		out[i] = hex.EncodeToString(b)
	}
	return out
}
