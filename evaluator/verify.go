package evaluator

import (
	"context"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/delphi-network/delphi/runtime"
	"github.com/delphi-network/delphi/runtime/llm"
	evaluationtypes "github.com/delphi-network/delphi/x/evaluation/types"
	markettypes "github.com/delphi-network/delphi/x/market/types"
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
}

// Verifier re-runs final rounds from public data.
type Verifier struct {
	chain   *chain
	compute *computer
	// keep, when set (KeepTraces), stores every local run for Challenge.
	keep *Store
	// fetchWait bounds the wait for one model's artifacts.
	fetchWait time.Duration
}

// NewVerifier reads from the node at cfg.NodeRPC.
func NewVerifier(cfg VerifyConfig) (*Verifier, error) {
	ch, err := newChain(cfg.NodeRPC)
	if err != nil {
		return nil, err
	}
	wait := cfg.FetchTimeout + 10*time.Second
	if cfg.FetchTimeout <= 0 {
		wait = 2 * time.Minute
	}
	return &Verifier{chain: ch, fetchWait: wait, compute: &computer{
		artifacts: newArtifacts(Fetcher{Schemes: cfg.Schemes, AllowPrivate: cfg.AllowPrivateHosts, Timeout: cfg.FetchTimeout}, cfg.ArtifactDir),
		limits:    cfg.Limits, texts: map[string]*llm.TextBench{},
	}}, nil
}

// Verdicts of one (round, model).
const (
	Match       = "match"
	Mismatch    = "MISMATCH"
	Pending     = "pending"     // the round is not final yet
	Unavailable = "UNAVAILABLE" // the artifact could not be fetched or is not the registered bytes
)

// Finding is the verdict on one model's result in one round.
type Finding struct {
	Evaluation uint64 `json:"evaluation"`
	Round      uint32 `json:"round"`
	Attempt    uint32 `json:"attempt"`
	Model      uint64 `json:"model"`
	ModelName  string `json:"model_name"`
	Verdict    string `json:"verdict"`
	// Field names what differs (correct, trace_root, leaves), or why the
	// local run failed; Chain and Local are the two values.
	Field string `json:"field,omitempty"`
	Chain string `json:"chain,omitempty"`
	Local string `json:"local,omitempty"`
	// Correct, TraceRoot and Leaves are the local run's result.
	Correct   uint64 `json:"correct"`
	TraceRoot string `json:"trace_root,omitempty"`
	Leaves    uint64 `json:"leaves"`
	// Challenge is the command that disputes a mismatching result still
	// inside its challenge window.
	Challenge string `json:"challenge,omitempty"`
}

// Report is the verdict on an evaluation (and its market).
type Report struct {
	Evaluation uint64    `json:"evaluation"`
	Status     string    `json:"status"`
	Findings   []Finding `json:"findings"`
	// Standings are the chain's and the ones the local results imply (set
	// when every round is final).
	ChainStandings []evaluationtypes.Standing `json:"chain_standings,omitempty"`
	LocalStandings []evaluationtypes.Standing `json:"local_standings,omitempty"`
	StandingsMatch bool                       `json:"standings_match"`
	// Checked counts the (round, model) results re-run and compared.
	Checked int `json:"checked"`
	// Market, when verifying one: its settlement and whether it follows
	// from the local standings.
	Market     uint64 `json:"market,omitempty"`
	Settlement string `json:"settlement,omitempty"`
	SettledOK  bool   `json:"settled_ok"`
	// OK: every final result matches, no artifact was unavailable, and the
	// standings (and the settlement) follow.
	OK bool `json:"ok"`
}

// Progress is told each (round, model) as it is done.
type Progress func(done, total int, f Finding)

// VerifyEvaluation verifies every final round of an evaluation (only
// round, when it is not negative) and the standings they imply.
func (v *Verifier) VerifyEvaluation(ctx context.Context, id uint64, round int64, progress Progress) (Report, error) {
	ev, err := v.chain.q.Evaluation(ctx, &evaluationtypes.QueryEvaluationRequest{Id: id})
	if err != nil {
		return Report{}, fmt.Errorf("evaluation %d: %w", id, err)
	}
	e := ev.Evaluation
	rep := Report{Evaluation: id, Status: strings.TrimPrefix(e.Status.String(), "EVALUATION_STATUS_")}
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
			f := Finding{Evaluation: id, Round: r, Attempt: rd.Attempt, Model: m.Id, ModelName: m.Name}
			if !drawn || rd.Status != evaluationtypes.ROUND_STATUS_FINAL {
				f.Verdict, f.Field = Pending, "round not final"
				if drawn {
					f.Field = "round " + strings.TrimPrefix(rd.Status.String(), "ROUND_STATUS_")
				}
			} else {
				j := job{evaluation: e, round: rd, benchmark: b.Benchmark, model: m, judge: judge, maxBytes: int64(p.Params.MaxArtifactBytes)}
				f = v.verifyOne(ctx, j, chainResult[RoundKey{id, r}][m.Id], f, e.Status == evaluationtypes.EVALUATION_STATUS_RUNNING)
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
	// Nothing checked is nothing verified.
	rep.OK = rep.StandingsMatch && rep.Checked > 0
	for _, f := range rep.Findings {
		rep.OK = rep.OK && (f.Verdict == Match || f.Verdict == Pending)
	}
	return rep, nil
}

// verifyOne re-runs one model on one final round and compares.
func (v *Verifier) verifyOne(ctx context.Context, j job, res evaluationtypes.Result, f Finding, running bool) Finding {
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
	case f.TraceRoot != res.TraceRoot:
		f.Verdict, f.Field, f.Chain, f.Local = Mismatch, "trace_root", res.TraceRoot, f.TraceRoot
	case local.Leaves != res.Leaves:
		f.Verdict, f.Field, f.Chain, f.Local = Mismatch, "leaves", fmt.Sprint(res.Leaves), fmt.Sprint(local.Leaves)
	default:
		f.Verdict = Match
	}
	if f.Verdict == Mismatch && running {
		f.Challenge = fmt.Sprintf("delphid tx verde challenge %d %d %d %d %s %d --from KEY", j.evaluation.Id, j.round.Round,
			j.model.Id, local.Correct, f.TraceRoot, local.Leaves)
	}
	return f
}

// Standing is a model's place in an evaluation's standings.
type Standing = evaluationtypes.Standing

// Standings ranks models by their summed local scores as x/evaluation
// does: most correct first, ties sharing a rank, listed by model id.
func Standings(modelIDs []uint64, findings []Finding) []evaluationtypes.Standing {
	sum := map[uint64]uint64{}
	for _, f := range findings {
		sum[f.Model] += f.Correct
	}
	out := make([]evaluationtypes.Standing, 0, len(modelIDs))
	for _, id := range modelIDs {
		out = append(out, evaluationtypes.Standing{ModelId: id, Correct: sum[id]})
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Correct != out[j].Correct {
			return out[i].Correct > out[j].Correct
		}
		return out[i].ModelId < out[j].ModelId
	})
	for i := range out {
		if i > 0 && out[i].Correct == out[i-1].Correct {
			out[i].Rank = out[i-1].Rank
		} else {
			out[i].Rank = uint32(i + 1)
		}
	}
	return out
}

func sameStandings(a, b []evaluationtypes.Standing) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].ModelId != b[i].ModelId || a[i].Correct != b[i].Correct || a[i].Rank != b[i].Rank {
			return false
		}
	}
	return true
}

// VerifyMarket verifies a market's evaluation and whether its settlement
// follows from the local standings: the models ranked first win, k tied
// winners paying 1/k per share; an invalid market pays 1/N.
func (v *Verifier) VerifyMarket(ctx context.Context, id uint64, progress Progress) (Report, error) {
	mq := markettypes.NewQueryClient(v.chain.cctx)
	res, err := mq.Market(ctx, &markettypes.QueryMarketRequest{MarketId: id})
	if err != nil {
		return Report{}, fmt.Errorf("market %d: %w", id, err)
	}
	m := res.Market
	rep, err := v.VerifyEvaluation(ctx, m.EvaluationId, -1, progress)
	if err != nil {
		return rep, err
	}
	rep.Market = id
	rep.SettledOK = true
	switch m.Status {
	case markettypes.MARKET_STATUS_RESOLVED:
		want := make([]uint64, len(m.ModelIds))
		var den uint64
		for _, s := range rep.LocalStandings {
			if s.Rank == 1 {
				if i := m.Outcome(s.ModelId); i >= 0 {
					want[i], den = 1, den+1
				}
			}
		}
		rep.SettledOK = den == m.PayoutDenominator && fmt.Sprint(want) == fmt.Sprint(m.PayoutNumerators)
		rep.Settlement = fmt.Sprintf("resolved: payout %v/%d per share; the local standings give %v/%d", m.PayoutNumerators,
			m.PayoutDenominator, want, den)
	case markettypes.MARKET_STATUS_INVALID:
		rep.Settlement = fmt.Sprintf("invalid: every share pays 1/%d (the evaluation is %s)", len(m.ModelIds), rep.Status)
	default:
		rep.Settlement = strings.ToLower(strings.TrimPrefix(m.Status.String(), "MARKET_STATUS_"))
	}
	rep.OK = rep.OK && rep.SettledOK
	return rep, nil
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
