package evaluator

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/delphi-network/delphi/evaluator/player"
	evaluationtypes "github.com/delphi-network/delphi/x/evaluation/types"
	verdetypes "github.com/delphi-network/delphi/x/verde/types"
)

// "One honest party suffices" includes parties that are not validators: a
// verifier holding the traces of its own runs can dispute a wrong final
// result and play the dispute as a sidecar does — the same challenge,
// bisection and referee moves (defend.go), signed with the user's key and
// backed by the challenger bond instead of a validator's stake.

// PrepareChallenge checks the signing key before a verification whose
// mismatches Challenge will dispute: a missing key fails at once, not after
// the (long) re-runs.
func (v *Verifier) PrepareChallenge(sc SignerConfig) error {
	sg, err := newSigner(sc, v.chain.rpc)
	if err != nil {
		return fmt.Errorf("challenge signer: %w", err)
	}
	v.signer = sg
	return nil
}

// KeepTraces makes the verifier keep its runs (results and traces) in a
// store at dir, so that Challenge can play the disputes it opens.
func (v *Verifier) KeepTraces(dir string) error {
	st, err := OpenStore(dir)
	if err != nil {
		return err
	}
	v.keep = st
	return nil
}

// Challenge disputes, with the key of sc, every mismatching result of rep
// that is still inside its challenge window, and plays those disputes to
// their end (or until ctx ends), reporting each outcome to out. It needs
// KeepTraces before the verification that made rep.
func (v *Verifier) Challenge(ctx context.Context, rep Report, sc SignerConfig, out io.Writer) error {
	if v.keep == nil {
		return fmt.Errorf("challenge: the verifier kept no traces")
	}
	var wrong []Finding
	for _, f := range rep.Findings {
		if f.Verdict == Mismatch && f.Challenge != "" {
			wrong = append(wrong, f)
		}
	}
	if len(wrong) == 0 {
		return fmt.Errorf("challenge: no mismatching result of evaluation %d is still open to a challenge", rep.Evaluation)
	}
	sg := v.signer
	if sg == nil {
		var err error
		if sg, err = newSigner(sc, v.chain.rpc); err != nil {
			return fmt.Errorf("challenge signer: %w", err)
		}
	}
	s := &Sidecar{store: v.keep, chain: v.chain, compute: v.compute, metrics: newMetrics(), signer: sg, sent: map[string]bool{}, max: -1}
	reported := map[uint64]bool{}
	var failures uint64
	for {
		ev, err := v.chain.q.Evaluation(ctx, &evaluationtypes.QueryEvaluationRequest{Id: rep.Evaluation})
		if err != nil {
			return err
		}
		// Moves go on after the evaluation ends (a dispute outlives a
		// failed evaluation); only new challenges need it running.
		var running []evaluationtypes.Evaluation
		if ev.Evaluation.Status == evaluationtypes.EVALUATION_STATUS_RUNNING {
			running = append(running, ev.Evaluation)
		}
		s.defend(ctx, running)
		// A refused challenge or move (no funds, a closed window) is said,
		// once per new error, instead of waiting out the timeout in silence.
		if n, last := s.metrics.disputeFailures(); n > failures {
			failures = n
			fmt.Fprintf(out, "a challenge or dispute move failed (%d so far): %s\n", n, last)
		}
		disputes, err := s.disputes(ctx)
		if err != nil {
			return err
		}
		st, err := v.chain.rpc.Status(ctx)
		if err != nil {
			return err
		}
		pending := 0
		for _, f := range wrong {
			d, ok := ours(disputes, f)
			switch {
			case !ok && ev.Evaluation.Status != evaluationtypes.EVALUATION_STATUS_RUNNING:
				return fmt.Errorf("evaluation %d ended (%s) before round %d model %d could be challenged",
					rep.Evaluation, ev.Evaluation.Status, f.Round, f.Model)
			case !ok && st.SyncInfo.LatestBlockHeight >= f.ChallengeUntil:
				return fmt.Errorf("the challenge window of round %d model %d closed at height %d before a challenge was accepted",
					f.Round, f.Model, f.ChallengeUntil)
			case !ok || d.Status == verdetypes.DISPUTE_STATUS_OPEN:
				pending++
			case !reported[d.Id]:
				reported[d.Id] = true
				fmt.Fprintf(out, "dispute %d (round %d, %s): %s %s\n", d.Id, f.Round, f.ModelName, d.Status, d.Reason)
			}
		}
		if pending == 0 {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("challenge: %d dispute(s) still open: %w", pending, ctx.Err())
		case <-time.After(500 * time.Millisecond):
		}
	}
}

// ours is the dispute about f's result in which the challenger's claim is
// the verifier's own run.
func ours(disputes []verdetypes.Dispute, f Finding) (verdetypes.Dispute, bool) {
	for _, d := range disputes {
		if d.EvaluationId == f.Evaluation && d.Round == f.Round && d.ModelId == f.Model &&
			player.SideOf(d, f.TraceRoot, f.Correct) == verdetypes.SIDE_CHALLENGER {
			return d, true
		}
	}
	return verdetypes.Dispute{}, false
}
