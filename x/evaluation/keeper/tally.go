package keeper

import (
	"context"
	"encoding/hex"
	"fmt"
	"slices"
	"sort"

	"cosmossdk.io/collections"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/delphi-network/delphi/x/evaluation/types"
)

// Vote is one validator's vote extension with its voting power, as found in
// the extended commit of the previous height.
type Vote struct {
	// Validator is the consensus address.
	Validator []byte
	Power     int64
	Extension types.VoteExtension
}

// resultKey identifies a result. A plain struct, not collections.Triple:
// Triple holds pointers, so equal Triples are different map keys.
type resultKey struct {
	evaluation uint64
	round      uint32
	model      uint64
}

func (k resultKey) store() collections.Triple[uint64, uint32, uint64] {
	return collections.Join3(k.evaluation, k.round, k.model)
}

// claim is one set of values for a result, with the power behind it and the
// validators that made it, in commit order.
type claim struct {
	correct    uint64
	traceRoot  []byte
	leaves     uint64
	power      int64
	validators [][]byte
}

func (c *claim) same(r *types.RoundResult) bool {
	return c.correct == r.Correct && c.leaves == r.Leaves && string(c.traceRoot) == string(r.TraceRoot)
}

// TallyVotes applies the results carried by one extended commit. A claim
// backed by more than 2/3 of totalPower becomes the final result; every
// other claim about the same result is recorded as a disagreement for
// x/verde. Claims about unknown, closed or already final results, or with
// impossible values, are ignored: they change nothing and cost the chain
// nothing. Rounds whose models are all final close, and an evaluation whose
// rounds are all final is finalized with its standings.
func (k Keeper) TallyVotes(ctx context.Context, votes []Vote, totalPower int64) error {
	if totalPower <= 0 {
		return nil
	}
	claims := map[resultKey][]*claim{}
	var keys []resultKey
	cache := map[uint64]*scored{}
	for _, v := range votes {
		if v.Power <= 0 {
			continue
		}
		for _, r := range v.Extension.Results {
			ok, err := k.acceptable(ctx, cache, r)
			if err != nil {
				return err
			}
			if !ok {
				continue
			}
			key := resultKey{r.EvaluationId, r.Round, r.ModelId}
			list, seen := claims[key]
			if !seen {
				keys = append(keys, key)
			}
			var c *claim
			for _, existing := range list {
				if existing.same(r) {
					c = existing
					break
				}
			}
			if c == nil {
				c = &claim{correct: r.Correct, traceRoot: r.TraceRoot, leaves: r.Leaves}
				list = append(list, c)
				claims[key] = list
			}
			c.power += v.Power
			c.validators = append(c.validators, v.Validator)
		}
	}
	// Keys in (evaluation, round, model) order, whatever the votes' order.
	sort.Slice(keys, func(i, j int) bool { return lessKey(keys[i], keys[j]) })
	type roundKey struct {
		evaluation uint64
		round      uint32
	}
	touched := map[roundKey]bool{}
	var rounds []roundKey
	for _, key := range keys {
		final, err := k.finalize(ctx, key, claims[key], totalPower)
		if err != nil {
			return err
		}
		rk := roundKey{key.evaluation, key.round}
		if final && !touched[rk] {
			touched[rk] = true
			rounds = append(rounds, rk)
		}
	}
	for _, rk := range rounds {
		if err := k.closeRoundIfComplete(ctx, rk.evaluation, rk.round); err != nil {
			return err
		}
	}
	return nil
}

func lessKey(a, b resultKey) bool {
	if a.evaluation != b.evaluation {
		return a.evaluation < b.evaluation
	}
	if a.round != b.round {
		return a.round < b.round
	}
	return a.model < b.model
}

// scored is an evaluation with its benchmark's points per item.
type scored struct {
	types.Evaluation
	points uint64
}

// acceptable says whether a claim is about a result that can still become
// final, with possible values.
func (k Keeper) acceptable(ctx context.Context, cache map[uint64]*scored, r *types.RoundResult) (bool, error) {
	e, ok := cache[r.EvaluationId]
	if !ok {
		got, err := k.Evaluations.Get(ctx, r.EvaluationId)
		if err == nil {
			e = &scored{Evaluation: got, points: 1}
			if b, err := k.Benchmarks.Get(ctx, got.BenchmarkId); err == nil {
				e.points = b.Points()
			}
		}
		cache[r.EvaluationId] = e
	}
	// A round scores at most items × points per item (both bounded, so the
	// product cannot wrap).
	if e == nil || e.Status != types.EVALUATION_STATUS_RUNNING || r.Correct > uint64(e.ItemsPerRound)*e.points || r.Leaves == 0 {
		return false, nil
	}
	if !slices.Contains(e.ModelIds, r.ModelId) {
		return false, nil
	}
	round, err := k.Rounds.Get(ctx, collections.Join(r.EvaluationId, r.Round))
	if err != nil || round.Status != types.ROUND_STATUS_OPEN || round.Attempt != r.Attempt {
		return false, nil // results for an earlier attempt were computed on other items
	}
	has, err := k.Results.Has(ctx, collections.Join3(r.EvaluationId, r.Round, r.ModelId))
	return !has, err
}

// finalize stores the result of key if one claim has more than 2/3 of the
// power, and records the other claims as disagreements.
func (k Keeper) finalize(ctx context.Context, key resultKey, list []*claim, totalPower int64) (bool, error) {
	var winner *claim
	for _, c := range list {
		// power > ⌊2·total/3⌋, which is 3·power > 2·total computed without
		// a multiplication that could overflow int64.
		if c.power > totalPower/3*2+(totalPower%3*2)/3 {
			winner = c
			break
		}
	}
	if winner == nil {
		return false, nil
	}
	height := sdk.UnwrapSDKContext(ctx).BlockHeight()
	res := types.Result{EvaluationId: key.evaluation, Round: key.round, ModelId: key.model, Correct: winner.correct,
		TraceRoot: hex.EncodeToString(winner.traceRoot), Leaves: winner.leaves, Power: winner.power, Height: height,
		Validators: hexAll(winner.validators)}
	if err := k.Results.Set(ctx, key.store(), res); err != nil {
		return false, err
	}
	if err := emit(ctx, &types.EventResultFinal{EvaluationId: res.EvaluationId, Round: res.Round, ModelId: res.ModelId,
		Correct: res.Correct, TraceRoot: res.TraceRoot, Power: res.Power}); err != nil {
		return false, err
	}
	for _, c := range list {
		if c == winner {
			continue
		}
		for _, val := range c.validators {
			id, err := nextID(ctx, k.DisagreementSeq)
			if err != nil {
				return false, err
			}
			d := types.Disagreement{EvaluationId: key.evaluation, Round: key.round, ModelId: key.model,
				Validator: hex.EncodeToString(val), Correct: c.correct, TraceRoot: hex.EncodeToString(c.traceRoot),
				Leaves: c.leaves, Height: height}
			if err := k.Disagreements.Set(ctx, id, d); err != nil {
				return false, err
			}
			if err := emit(ctx, &types.EventResultDisagreement{EvaluationId: d.EvaluationId, Round: d.Round,
				ModelId: d.ModelId, Validator: d.Validator}); err != nil {
				return false, err
			}
		}
		if k.disputes != nil {
			dissent := types.Claim{Correct: c.correct, TraceRoot: hex.EncodeToString(c.traceRoot), Leaves: c.leaves,
				Validators: hexAll(c.validators)}
			if err := k.disputes.ContestResult(ctx, res, dissent); err != nil {
				return false, err
			}
		}
	}
	return true, nil
}

func hexAll(bs [][]byte) []string {
	out := make([]string, len(bs))
	for i, b := range bs {
		out[i] = hex.EncodeToString(b)
	}
	return out
}

// closeRoundIfComplete marks a round final once every model's result is, and
// finalizes the evaluation after its last round.
func (k Keeper) closeRoundIfComplete(ctx context.Context, evalID uint64, r uint32) error {
	e, err := k.Evaluations.Get(ctx, evalID)
	if err != nil {
		return err
	}
	for _, m := range e.ModelIds {
		has, err := k.Results.Has(ctx, collections.Join3(evalID, r, m))
		if err != nil || !has {
			return err
		}
	}
	round, err := k.Rounds.Get(ctx, collections.Join(evalID, r))
	if err != nil {
		return err
	}
	round.Status = types.ROUND_STATUS_FINAL
	if err := k.Rounds.Set(ctx, collections.Join(evalID, r), round); err != nil {
		return err
	}
	var final uint32
	if err := k.Rounds.Walk(ctx, collections.NewPrefixedPairRange[uint64, uint32](evalID),
		func(_ collections.Pair[uint64, uint32], rd types.Round) (bool, error) {
			if rd.Status == types.ROUND_STATUS_FINAL {
				final++
			}
			return false, nil
		}); err != nil {
		return err
	}
	if final < e.Rounds {
		return nil
	}
	return k.awaitFinal(ctx, e)
}

// finalizeEvaluation ranks the models by cumulative correct answers (ties
// share a rank, listed by model id) and reports the standings.
func (k Keeper) finalizeEvaluation(ctx context.Context, e types.Evaluation) error {
	standings := make([]types.Standing, 0, len(e.ModelIds))
	for _, m := range e.ModelIds {
		s := types.Standing{ModelId: m}
		for r := uint32(0); r < e.Rounds; r++ {
			res, err := k.Results.Get(ctx, collections.Join3(e.Id, r, m))
			if err != nil {
				return fmt.Errorf("evaluation %d round %d model %d: %w", e.Id, r, m, err)
			}
			s.Correct += res.Correct
			s.Items += uint64(e.ItemsPerRound)
		}
		standings = append(standings, s)
	}
	sort.SliceStable(standings, func(i, j int) bool {
		if standings[i].Correct != standings[j].Correct {
			return standings[i].Correct > standings[j].Correct
		}
		return standings[i].ModelId < standings[j].ModelId
	})
	var winners []uint64
	for i := range standings {
		if i > 0 && standings[i].Correct == standings[i-1].Correct {
			standings[i].Rank = standings[i-1].Rank
		} else {
			standings[i].Rank = uint32(i + 1)
		}
		if standings[i].Rank == 1 {
			winners = append(winners, standings[i].ModelId)
		}
	}
	if err := k.addToIndex(ctx, e, standings); err != nil {
		return err
	}
	e.Status = types.EVALUATION_STATUS_FINALIZED
	e.Standings = standings
	if err := k.Evaluations.Set(ctx, e.Id, e); err != nil {
		return err
	}
	if err := emit(ctx, &types.EventEvaluationFinalized{EvaluationId: e.Id, Winners: winners}); err != nil {
		return err
	}
	if k.hooks != nil {
		return k.hooks.AfterEvaluationFinalized(ctx, e.Id, standings)
	}
	return nil
}
