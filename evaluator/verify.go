package evaluator

import (
	"context"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/delphi-network/delphi/runtime"
	"github.com/delphi-network/delphi/runtime/llm"
	evaluationtypes "github.com/delphi-network/delphi/x/evaluation/types"
	verdetypes "github.com/delphi-network/delphi/x/verde/types"
)

// Verification. Anyone — not only a validator — can check that the chain's
// final results are what the registered models score on the round's items:
// the Verifier reads the benchmark, the round's seed, the models and the
// final results from a node, fetches every artifact with the sidecar's own
// rules (scheme allow-list, size cap while streaming, SHA-256 before
// parsing) and re-runs each model on exactly the round's items with the
// same deterministic runtime and code path as a sidecar. It needs nothing
// a sidecar kept: only the chain and the artifacts.

// VerifyConfig is what a Verifier needs: a node and the fetching rules.
type VerifyConfig struct {
	NodeRPC           string
	Schemes           []string
	AllowPrivateHosts bool
	FetchTimeout      time.Duration
	// ArtifactDir caches artifacts by SHA-256 (empty: memory only).
	ArtifactDir string
	Limits      runtime.Limits
	// Height is the state verified (0: the node's latest block). Every
	// query of one verification reads that one height, so a block landing
	// meanwhile cannot pair a round's status with another block's results.
	Height int64
}

// Verifier re-runs final rounds from public data.
type Verifier struct {
	chain   *chain
	compute *computer
	// keep, when set (KeepTraces), stores every local run for Challenge.
	keep *Store
	// signer signs Challenge's transactions (PrepareChallenge).
	signer *signer
	// fetchWait bounds the wait for one model's artifacts.
	fetchWait time.Duration
	height    int64
}

// NewVerifier reads from the node at cfg.NodeRPC.
func NewVerifier(cfg VerifyConfig) (*Verifier, error) {
	ch, err := newChain(cfg.NodeRPC)
	if err != nil {
		return nil, err
	}
	var wait time.Duration // verifyOne's default
	if cfg.FetchTimeout > 0 {
		wait = cfg.FetchTimeout + 10*time.Second
	}
	return &Verifier{chain: ch, fetchWait: wait, height: cfg.Height, compute: &computer{
		artifacts: newArtifacts(Fetcher{Schemes: cfg.Schemes, AllowPrivate: cfg.AllowPrivateHosts, Timeout: cfg.FetchTimeout}, cfg.ArtifactDir),
		limits:    cfg.Limits, texts: map[string]*llm.TextBench{},
	}}, nil
}

// Progress is told each (round, model) as it is done.
type Progress func(done, total int, f Finding)

// VerifyEvaluation verifies every final round of an evaluation (only
// round, when it is not negative) and the standings they imply.
func (v *Verifier) VerifyEvaluation(ctx context.Context, id uint64, round int64, progress Progress) (Report, error) {
	ctx, height, err := v.pin(ctx)
	if err != nil {
		return Report{}, fmt.Errorf("evaluation %d: %w", id, err)
	}
	return v.verifyEvaluation(ctx, height, id, round, progress)
}

// verifyEvaluation is VerifyEvaluation on ctx pinned at height (0: not
// known).
func (v *Verifier) verifyEvaluation(ctx context.Context, height int64, id uint64, round int64, progress Progress) (Report, error) {
	ev, err := v.chain.q.Evaluation(ctx, &evaluationtypes.QueryEvaluationRequest{Id: id})
	if err != nil {
		return Report{}, fmt.Errorf("evaluation %d: %w", id, err)
	}
	e := ev.Evaluation
	rep := Report{Evaluation: id, Height: height, Status: strings.TrimPrefix(e.Status.String(), "EVALUATION_STATUS_")}
	if round >= int64(e.Rounds) {
		return rep, fmt.Errorf("evaluation %d has %d rounds (0 to %d), not round %d", id, e.Rounds, int64(e.Rounds)-1, round)
	}
	rounds, err := v.chain.q.Rounds(ctx, &evaluationtypes.QueryRoundsRequest{Id: id})
	if err != nil {
		return rep, err
	}
	results, err := v.chain.q.Results(ctx, &evaluationtypes.QueryResultsRequest{Id: id})
	if err != nil {
		return rep, err
	}
	b, err := v.chain.q.Benchmark(ctx, &evaluationtypes.QueryBenchmarkRequest{Id: e.BenchmarkId})
	if err != nil {
		return rep, err
	}
	p, err := v.chain.q.Params(ctx, &evaluationtypes.QueryParamsRequest{})
	if err != nil {
		return rep, err
	}
	var judge *evaluationtypes.Model
	if b.Benchmark.JudgeModelId != 0 {
		m, err := v.chain.q.Model(ctx, &evaluationtypes.QueryModelRequest{Id: b.Benchmark.JudgeModelId})
		if err != nil {
			return rep, err
		}
		judge = &m.Model
	}
	models := make([]evaluationtypes.Model, len(e.ModelIds))
	for i, mid := range e.ModelIds {
		m, err := v.chain.q.Model(ctx, &evaluationtypes.QueryModelRequest{Id: mid})
		if err != nil {
			return rep, fmt.Errorf("model %d: %w", mid, err)
		}
		models[i] = m.Model
	}
	chainResult := map[RoundKey]map[uint64]evaluationtypes.Result{}
	for _, r := range results.Results {
		k := RoundKey{r.EvaluationId, r.Round}
		if chainResult[k] == nil {
			chainResult[k] = map[uint64]evaluationtypes.Result{}
		}
		chainResult[k][r.ModelId] = r
	}
	byRound := map[uint32]evaluationtypes.Round{}
	for _, r := range rounds.Rounds {
		byRound[r.Round] = r
	}
	if uint64(e.Rounds)*uint64(len(models)) > maxFindings {
		return rep, fmt.Errorf("evaluation %d: the node claims %d rounds of %d models, more than verify checks (%d results)", id, e.Rounds, len(models), maxFindings)
	}
	total := int(e.Rounds) * len(models)
	if round >= 0 {
		total = len(models)
	}
	done := 0
	for r := uint32(0); r < e.Rounds; r++ {
		if round >= 0 && int64(r) != round {
			continue
		}
		rd, drawn := byRound[r]
		for _, m := range models {
			f := Finding{Evaluation: id, Round: r, Attempt: rd.Attempt, Model: m.Id, ModelName: m.Name, Items: e.ItemsPerRound}
			if !drawn || rd.Status != evaluationtypes.ROUND_STATUS_FINAL {
				f.Verdict, f.Field = Pending, "round not drawn yet"
				if drawn {
					f.Field = "round " + strings.TrimPrefix(rd.Status.String(), "ROUND_STATUS_")
				}
				switch e.Status {
				case evaluationtypes.EVALUATION_STATUS_FAILED:
					f.Verdict = NeverFinal // ended: it will never be
				case evaluationtypes.EVALUATION_STATUS_FINALIZED:
					// x/evaluation finalizes only when every round is
					// final: the node's answers contradict each other.
					f.Verdict, f.Chain, f.Local = Mismatch, "evaluation FINALIZED with this round "+f.Field, "every round final"
					f.Field = "round_status"
				}
			} else {
				j := job{evaluation: e, round: rd, benchmark: b.Benchmark, model: m, judge: judge, maxBytes: int64(p.Params.MaxArtifactBytes)}
				res := chainResult[RoundKey{id, r}][m.Id]
				// A challenge is accepted while the evaluation runs, inside
				// the result's window (x/verde's MsgChallenge).
				// A past --height offers none: the window is the chain's now.
				until := int64(-1)
				if e.Status == evaluationtypes.EVALUATION_STATUS_RUNNING && v.height == 0 {
					until = lastChallengeHeight(e, res, int64(p.Params.ChallengeWindowBlocks))
					if height > 0 && height+1 > until { // the next block is past the window
						until = -1
					}
				}
				f = v.verifyOne(ctx, j, res, f, until)
			}
			rep.Findings = append(rep.Findings, f)
			done++
			if progress != nil {
				progress(done, total, f)
			}
		}
	}
	rep.ChainStandings = e.Standings
	rep.StandingsMatch = true
	computed := true
	for _, f := range rep.Findings {
		if f.Verdict == Match || f.Verdict == Mismatch && f.Field != "result" {
			rep.Checked++
		} else {
			computed = false
		}
	}
	// Standings from every round's local score only: a missing one would
	// count as zero and fake a difference.
	if round < 0 && e.Status == evaluationtypes.EVALUATION_STATUS_FINALIZED && computed {
		rep.LocalStandings = Standings(e.ModelIds, rep.Findings)
		rep.StandingsMatch = sameStandings(rep.LocalStandings, e.Standings)
	}
	// Nothing checked is nothing verified, and a finalized evaluation is
	// verified only with its standings.
	rep.OK = rep.StandingsMatch && rep.Checked > 0 && (round >= 0 || e.Status != evaluationtypes.EVALUATION_STATUS_FINALIZED || computed)
	for _, f := range rep.Findings {
		rep.OK = rep.OK && (f.Verdict == Match || f.Verdict == Pending || f.Verdict == NeverFinal)
	}
	return rep, nil
}

// verifyOne re-runs one model on one final round and compares. A
// mismatch can be challenged up to height challengeUntil (-1: no more).
func (v *Verifier) verifyOne(ctx context.Context, j job, res evaluationtypes.Result, f Finding, challengeUntil int64) Finding {
	if res.TraceRoot == "" {
		f.Verdict, f.Field = Mismatch, "result"
		f.Chain, f.Local = "none on chain for a final round", "computed"
		return f
	}
	// Bounded: a host (or a file:// device) that never answers is a finding.
	wait := v.fetchWait
	if wait <= 0 {
		wait = 2 * time.Minute
	}
	actx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	err := v.compute.artifacts.await(actx, j.model, j.maxBytes)
	if err == nil && j.judge != nil {
		err = v.compute.artifacts.await(actx, *j.judge, j.maxBytes)
	}
	var local *evaluationtypes.RoundResult
	var tr *runtime.Trace
	if err == nil {
		local, tr, err = v.compute.run(ctx, j)
	}
	if err == nil && v.keep != nil {
		if tr != nil { // a rejected model has no trace, only its result
			err = v.keep.PutTrace(local, tr)
		}
		if err == nil {
			err = v.keep.Put(local)
		}
	}
	if err != nil {
		f.Verdict, f.Field, f.Local = Unavailable, "artifact", err.Error()
		return f
	}
	f.Correct, f.TraceRoot, f.Leaves = local.Correct, hex.EncodeToString(local.TraceRoot), local.Leaves
	switch {
	case local.Correct != res.Correct:
		f.Verdict, f.Field, f.Chain, f.Local = Mismatch, "correct", fmt.Sprint(res.Correct), fmt.Sprint(local.Correct)
	case !strings.EqualFold(f.TraceRoot, res.TraceRoot):
		f.Verdict, f.Field, f.Chain, f.Local = Mismatch, "trace_root", res.TraceRoot, f.TraceRoot
	case local.Leaves != res.Leaves:
		f.Verdict, f.Field, f.Chain, f.Local = Mismatch, "leaves", fmt.Sprint(res.Leaves), fmt.Sprint(local.Leaves)
	default:
		f.Verdict = Match
	}
	// x/verde refuses a challenge whose claim is the result's score and
	// root ("the claim is the result"): a leaves-only difference is
	// reported, not disputable.
	if f.Verdict == Mismatch && f.Field != "leaves" && challengeUntil >= 0 {
		f.ChallengeUntil = challengeUntil
		f.Challenge = fmt.Sprintf("delphid tx verde challenge %d %d %d %d %s %d --from KEY", j.evaluation.Id, j.round.Round,
			j.model.Id, local.Correct, f.TraceRoot, local.Leaves)
	}
	return f
}

// ChallengeBond is what a challenge escrows from an account that is not a
// bonded validator.
func (v *Verifier) ChallengeBond(ctx context.Context) (string, error) {
	p, err := v.chain.v.Params(ctx, &verdetypes.QueryParamsRequest{})
	if err != nil {
		return "", err
	}
	return p.Params.ChallengerBond.String(), nil
}
