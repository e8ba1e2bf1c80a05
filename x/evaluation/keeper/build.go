package keeper

import (
	"context"
	"sort"

	"cosmossdk.io/collections"
	"cosmossdk.io/math"

	"github.com/delphi-network/delphi/x/evaluation/types"
)

// BuildVoteExtension is what an honest validator says at height: run by
// its ExtendVote on the state committed at height−1, with the results its
// evaluator sidecar finished.
//
//   - For every pending seed at height+2 or later it has not committed to:
//     a commitment to its contribution. For every pending seed at height+1
//     or earlier: the contribution, unless the chain has it (or never had
//     its commitment; a commitment made at height−1 is in the block being
//     decided, so the seed of height+1 is revealed whatever the state says).
//   - For every result of a round attempt taking commitments that it has
//     not committed to: a commitment. For every result whose commitment the
//     chain holds, of a round attempt taking reveals: the reveal.
//
// When the limits cannot hold everything, reveals go first (a commitment
// can wait a block; a missed reveal is a missed round), then the results of
// evaluations with the most deposit per result (what a spammer cannot take
// without paying for it), then older rounds.
func (k Keeper) BuildVoteExtension(ctx context.Context, height int64, me types.Reporter, results []*types.RoundResult,
	limits types.ExtensionLimits,
) (types.VoteExtension, error) {
	var ve types.VoteExtension
	if err := k.seedEntries(ctx, height, me, &ve); err != nil {
		return ve, err
	}
	// Seed entries are small and few, but the byte limit binds them too:
	// the farthest commitments give way first, then the reveals.
	for ve.Size() > int(limits.MaxVoteExtensionBytes) && len(ve.SeedCommitments) > 0 {
		ve.SeedCommitments = ve.SeedCommitments[:len(ve.SeedCommitments)-1]
	}
	for ve.Size() > int(limits.MaxVoteExtensionBytes) && len(ve.SeedReveals) > 0 {
		ve.SeedReveals = ve.SeedReveals[:len(ve.SeedReveals)-1]
	}
	cands, err := k.resultCandidates(ctx, height, me, results)
	if err != nil {
		return ve, err
	}
	sort.SliceStable(cands, func(i, j int) bool {
		a, b := cands[i], cands[j]
		if (a.reveal != nil) != (b.reveal != nil) {
			return a.reveal != nil
		}
		if c := a.priority.BigInt().Cmp(b.priority.BigInt()); c != 0 {
			return c > 0
		}
		if a.opened != b.opened {
			return a.opened < b.opened
		}
		return a.key.Less(b.key)
	})
	for _, c := range cands {
		if len(ve.Commitments)+len(ve.Reveals) >= int(limits.MaxResultsPerExtension) {
			break
		}
		if c.reveal != nil {
			ve.Reveals = append(ve.Reveals, c.reveal)
		} else {
			ve.Commitments = append(ve.Commitments, c.commit)
		}
		if ve.Size() > int(limits.MaxVoteExtensionBytes) {
			if c.reveal != nil {
				ve.Reveals = ve.Reveals[:len(ve.Reveals)-1]
			} else {
				ve.Commitments = ve.Commitments[:len(ve.Commitments)-1]
			}
			break
		}
	}
	sort.Slice(ve.Commitments, func(i, j int) bool { return ve.Commitments[i].Key().Less(ve.Commitments[j].Key()) })
	sort.Slice(ve.Reveals, func(i, j int) bool { return ve.Reveals[i].Key().Less(ve.Reveals[j].Key()) })
	return ve, nil
}

// seedEntries adds the reporter's seed commitments and reveals, nearest
// heights first, within MaxSeedEntries each. It commits only to seeds
// within two seed leads (seeds further ahead get their commitments in
// later extensions), so its work does not grow with how far ahead
// evaluations are scheduled.
func (k Keeper) seedEntries(ctx context.Context, height int64, me types.Reporter, ve *types.VoteExtension) error {
	p, err := k.Params.Get(ctx)
	if err != nil {
		return err
	}
	horizon := height + 2*int64(p.SeedLeadBlocks)
	rng := new(collections.Range[int64]).EndInclusive(horizon)
	return k.PendingSeeds.Walk(ctx, rng, func(h int64) (bool, error) {
		if len(ve.SeedCommitments) >= types.MaxSeedEntries && len(ve.SeedReveals) >= types.MaxSeedEntries {
			return true, nil
		}
		entry, err := k.SeedEntries.Get(ctx, collections.Join(h, me.Address))
		has := err == nil
		if err != nil && !isNotFound(err) {
			return true, err
		}
		switch {
		case h >= height+2 && !has && len(ve.SeedCommitments) < types.MaxSeedEntries:
			ve.SeedCommitments = append(ve.SeedCommitments, &types.SeedCommitment{Height: h,
				Hash: types.SeedCommitmentHash(h, me.Address, me.SeedContribution(h))})
		case h <= height+1 && ((has && len(entry.Value) == 0) || (!has && h == height+1)) && len(ve.SeedReveals) < types.MaxSeedEntries:
			ve.SeedReveals = append(ve.SeedReveals, &types.SeedReveal{Height: h, Value: me.SeedContribution(h)})
		}
		return false, nil
	})
}

// candidate is one commitment or reveal the reporter could send.
type candidate struct {
	key      types.ResultKey
	priority math.Int
	opened   int64
	commit   *types.ResultCommitment
	reveal   *types.ResultReveal
}

func (k Keeper) resultCandidates(ctx context.Context, height int64, me types.Reporter, results []*types.RoundResult) ([]candidate, error) {
	p, err := k.Params.Get(ctx)
	if err != nil {
		return nil, err
	}
	var denom string
	if len(p.EvaluationDepositPerItem) > 0 {
		denom = p.EvaluationDepositPerItem[0].Denom
	}
	var out []candidate
	evals := map[uint64]types.Evaluation{}
	for _, res := range results {
		if res == nil || len(res.TraceRoot) != types.TraceRootLen || res.EvaluationId == 0 || res.ModelId == 0 {
			continue
		}
		round, err := k.Rounds.Get(ctx, collections.Join(res.EvaluationId, res.Round))
		if err != nil || round.Attempt != res.Attempt {
			continue
		}
		e, ok := evals[res.EvaluationId]
		if !ok {
			if e, err = k.Evaluations.Get(ctx, res.EvaluationId); err != nil {
				continue
			}
			evals[res.EvaluationId] = e
		}
		key := types.ResultKey{Evaluation: res.EvaluationId, Round: res.Round, Model: res.ModelId}
		c := candidate{key: key, priority: priority(e, denom), opened: round.StartHeight}
		committed, err := k.Commitments.Get(ctx, commitKey(key.Evaluation, key.Round, key.Model, me.Address))
		if err != nil && !isNotFound(err) {
			return nil, err
		}
		has := err == nil
		switch {
		case round.Status == types.ROUND_STATUS_OPEN && round.Phase == types.ROUND_PHASE_COMMIT && !has:
			c.commit = me.Commit(res)
		case round.Phase == types.ROUND_PHASE_REVEAL && height+1 <= round.RevealEndHeight && has &&
			committed.Status == types.COMMITMENT_STATUS_COMMITTED:
			c.reveal = me.Reveal(res)
		default:
			continue
		}
		out = append(out, c)
	}
	return out, nil
}
