package evaluator

import (
	"context"
	"encoding/hex"
	"fmt"

	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/query"

	"github.com/delphi-network/delphi/evaluator/player"
	"github.com/delphi-network/delphi/runtime/bench"
	evaluationtypes "github.com/delphi-network/delphi/x/evaluation/types"
	verdetypes "github.com/delphi-network/delphi/x/verde/types"
)

// defend plays Verde for the validator: it challenges every final result
// of a running evaluation that contradicts the sidecar's own run of the
// same round attempt, and makes every move it owes in open disputes where
// one side is its run. Moves already sent for a dispute state are not
// sent again; a refused move is retried at the next poll.
func (s *Sidecar) defend(ctx context.Context, running []evaluationtypes.Evaluation) {
	if s.signer == nil {
		return
	}
	disputes, err := s.disputes(ctx)
	if err != nil {
		s.metrics.chainError(err)
		return
	}
	st, err := s.chain.rpc.Status(ctx)
	if err != nil {
		s.metrics.chainError(err)
		return
	}
	self, height := hex.EncodeToString(st.ValidatorInfo.Address), st.SyncInfo.LatestBlockHeight
	params, err := s.chain.q.Params(ctx, &evaluationtypes.QueryParamsRequest{})
	if err != nil {
		s.metrics.chainError(err)
		return
	}
	// The next block must still be in the result's challenge window.
	window := int64(params.Params.ChallengeWindowBlocks)
	for _, e := range running {
		if err := s.challengeEvaluation(ctx, e, disputes, height+1, window); err != nil {
			s.metrics.disputeError(err)
		}
	}
	for _, d := range disputes {
		if d.Status != verdetypes.DISPUTE_STATUS_OPEN {
			continue
		}
		if err := s.move(ctx, d, self, height); err != nil {
			s.metrics.disputeError(err)
		}
	}
}

// disputes lists every dispute, open or not (a resolved one also says the
// sidecar's claim was already heard).
func (s *Sidecar) disputes(ctx context.Context) ([]verdetypes.Dispute, error) {
	var out []verdetypes.Dispute
	var key []byte
	for {
		page, err := s.chain.v.Disputes(ctx, &verdetypes.QueryDisputesRequest{Pagination: &query.PageRequest{Key: key, Limit: 100}})
		if err != nil {
			return nil, err
		}
		out = append(out, page.Disputes...)
		if page.Pagination == nil || len(page.Pagination.NextKey) == 0 {
			return out, nil
		}
		key = page.Pagination.NextKey
	}
}

// challengeEvaluation challenges the evaluation's final results that
// differ from this sidecar's run of the same attempt and can still be
// challenged at height next.
func (s *Sidecar) challengeEvaluation(ctx context.Context, e evaluationtypes.Evaluation, disputes []verdetypes.Dispute, next, window int64) error {
	results, err := s.chain.q.Results(ctx, &evaluationtypes.QueryResultsRequest{Id: e.Id})
	if err != nil || len(results.Results) == 0 {
		return err
	}
	rounds, err := s.chain.q.Rounds(ctx, &evaluationtypes.QueryRoundsRequest{Id: e.Id})
	if err != nil {
		return err
	}
	attempt := map[uint32]uint32{}
	for _, r := range rounds.Rounds {
		attempt[r.Round] = r.Attempt
	}
	for _, res := range results.Results {
		mine := s.own(res.EvaluationId, res.Round, attempt[res.Round], res.ModelId)
		if mine == nil || mine.Abstain || next > lastChallengeHeight(e, res, window) {
			continue
		}
		root := hex.EncodeToString(mine.TraceRoot)
		if (root == res.TraceRoot && mine.Correct == res.Correct) || heard(disputes, res, root, mine.Correct) {
			continue
		}
		msg := &verdetypes.MsgChallenge{Challenger: s.signer.addr.String(), EvaluationId: res.EvaluationId,
			Round: res.Round, ModelId: res.ModelId, Correct: mine.Correct, TraceRoot: root, Leaves: mine.Leaves}
		if err := s.sendOnce(ctx, fmt.Sprintf("challenge/%d/%d/%d/%s", res.EvaluationId, res.Round, res.ModelId, root), msg); err != nil {
			return err
		}
	}
	return nil
}

// heard reports whether a dispute about res already has the claim (root,
// correct) on a side.
func heard(disputes []verdetypes.Dispute, res evaluationtypes.Result, root string, correct uint64) bool {
	for _, d := range disputes {
		if d.EvaluationId == res.EvaluationId && d.Round == res.Round && d.ModelId == res.ModelId &&
			player.SideOf(d, root, correct) != verdetypes.SIDE_UNSPECIFIED {
			return true
		}
	}
	return false
}

// own is this sidecar's stored result for a round attempt, if any.
func (s *Sidecar) own(e uint64, r, attempt uint32, m uint64) *evaluationtypes.RoundResult {
	for _, res := range s.store.Results(e, r, m) {
		if res.Attempt == attempt {
			return res
		}
	}
	return nil
}

// move makes the sidecar's next move in d, if one side is its run. Every
// honest validator on a side holds the same run, so one of them moves
// first each step — the side's validator at (dispute id + step) in its
// list — and the others only when the deadline is two blocks away and the
// move is still missing: one transaction per move, and no stall if the
// designated sidecar is down.
func (s *Sidecar) move(ctx context.Context, d verdetypes.Dispute, self string, height int64) error {
	for _, res := range s.store.Results(d.EvaluationId, d.Round, d.ModelId) {
		side := player.SideOf(d, hex.EncodeToString(res.TraceRoot), res.Correct)
		if side == verdetypes.SIDE_UNSPECIFIED {
			continue
		}
		if !designated(d, side, self) && height < d.DeadlineHeight-2 {
			return nil
		}
		run, err := s.run(ctx, d, res)
		if err != nil {
			return err
		}
		msg, err := player.NextMove(s.signer.addr.String(), d, side, run)
		if err != nil || msg == nil {
			return err
		}
		key := fmt.Sprintf("move/%d/%s/%d/%d/%d/%s", d.Id, d.Phase, d.Index, d.Hi, len(d.History), side)
		return s.sendOnce(ctx, key, msg)
	}
	return nil
}

// designated reports whether self moves first for side in d's current
// step. A side without validators (a bonded challenger) has no one
// designated: anyone holding its run moves.
func designated(d verdetypes.Dispute, side verdetypes.Side, self string) bool {
	vals := d.Claimant.Validators
	if side == verdetypes.SIDE_CHALLENGER {
		vals = d.Challenger.Validators
	}
	if len(vals) == 0 {
		return true
	}
	return vals[(int(d.Id)+len(d.History))%len(vals)] == self
}

// run rebuilds what a side needs from the stored trace, the verified
// artifacts, the benchmark and the seed of the attempt the disputed runs
// were computed for.
func (s *Sidecar) run(ctx context.Context, d verdetypes.Dispute, res *evaluationtypes.RoundResult) (player.Run, error) {
	var run player.Run
	tr, err := s.store.Trace(res.EvaluationId, res.Round, res.Attempt, res.ModelId)
	if err != nil {
		return run, fmt.Errorf("dispute %d: no stored trace: %w", d.Id, err)
	}
	j, err := s.disputedJob(ctx, d)
	if err != nil {
		return run, err
	}
	if j.benchmark.IsText() {
		t, err := s.compute.textTask(ctx, j)
		if err != nil {
			return run, err
		}
		if t.refused != nil {
			return run, fmt.Errorf("dispute %d over a model the runtime refuses: %w", d.Id, t.refused)
		}
		text := &player.TextRun{Task: t.task, Bench: t.bench, Cand: player.Material{ID: j.model.Id, Model: t.cand.lm, Artifact: t.cand.raw}}
		if t.judge != nil {
			text.Judge = &player.Material{ID: j.judge.Id, Model: t.judge.lm, Artifact: t.judge.raw}
		}
		return player.Run{Trace: tr, Items: t.items, Text: text}, nil
	}
	l, err := s.compute.artifacts.get(ctx, j.model, j.maxBytes)
	if err != nil {
		return run, err
	}
	m, err := s.compute.classifier(l, j.model, j.evaluation.Runtime())
	if err != nil {
		return run, fmt.Errorf("dispute %d over a model the runtime refuses: %w", d.Id, err)
	}
	ds, err := bench.Load(j.benchmark.DatasetName())
	if err != nil {
		return run, err
	}
	items, err := roundItems(j, ds.Len())
	if err != nil {
		return run, err
	}
	return player.Run{Trace: tr, Artifact: l.raw, Model: m, Dataset: ds, Items: items}, nil
}

// disputedJob reads from the chain the evaluation, benchmark, models and
// round seed a dispute is about.
func (s *Sidecar) disputedJob(ctx context.Context, d verdetypes.Dispute) (job, error) {
	var j job
	e, err := s.chain.q.Evaluation(ctx, &evaluationtypes.QueryEvaluationRequest{Id: d.EvaluationId})
	if err != nil {
		return j, err
	}
	b, err := s.chain.q.Benchmark(ctx, &evaluationtypes.QueryBenchmarkRequest{Id: e.Evaluation.BenchmarkId})
	if err != nil {
		return j, err
	}
	m, err := s.chain.q.Model(ctx, &evaluationtypes.QueryModelRequest{Id: d.ModelId})
	if err != nil {
		return j, err
	}
	p, err := s.chain.q.Params(ctx, &evaluationtypes.QueryParamsRequest{})
	if err != nil {
		return j, err
	}
	j = job{evaluation: e.Evaluation, benchmark: b.Benchmark, model: m.Model, maxBytes: int64(p.Params.MaxArtifactBytes)}
	if id := b.Benchmark.JudgeModelId; id != 0 {
		jm, err := s.chain.q.Model(ctx, &evaluationtypes.QueryModelRequest{Id: id})
		if err != nil {
			return j, err
		}
		j.judge = &jm.Model
	}
	rounds, err := s.chain.q.Rounds(ctx, &evaluationtypes.QueryRoundsRequest{Id: d.EvaluationId})
	if err != nil {
		return j, err
	}
	j.round = evaluationtypes.Round{Round: d.Round, Seed: d.Seed} // the attempt the disputed runs were computed for
	for _, r := range rounds.Rounds {
		if r.Round == d.Round && j.round.Seed == "" {
			j.round = r
		}
	}
	return j, nil
}

// sendOnce broadcasts msg unless a message with the same key was accepted
// into the mempool before.
func (s *Sidecar) sendOnce(ctx context.Context, key string, msg sdk.Msg) error {
	if s.sent[key] {
		return nil
	}
	if err := s.signer.send(ctx, msg); err != nil {
		return fmt.Errorf("%s: %w", key, err)
	}
	s.sent[key] = true
	s.metrics.disputeMove()
	return nil
}

// lastChallengeHeight is the last block in which x/verde accepts a
// challenge of res: challenge_window_blocks after the result became final,
// or the block before the one whose BeginBlocker finalizes the evaluation,
// whichever comes first (the evaluation must still be running).
func lastChallengeHeight(e evaluationtypes.Evaluation, res evaluationtypes.Result, window int64) int64 {
	last := res.Height + window
	if e.FinalAfterHeight != 0 {
		last = min(last, e.FinalAfterHeight-1)
	}
	return last
}
