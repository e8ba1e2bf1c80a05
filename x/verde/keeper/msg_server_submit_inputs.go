package keeper

import (
	"context"
	"crypto/sha256"

	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/delphi-network/delphi/internal/modkit"
	"github.com/delphi-network/delphi/runtime"
	"github.com/delphi-network/delphi/x/verde/types"
)

// SubmitOperatorInputs implements types.MsgServer: the referee step for
// one side. The chain loads the registered model from the artifact (its
// SHA-256 and weight root must match the registry; weights come from it),
// proves the operator's other inputs (earlier outputs by their leaves in
// the side's own trace, the benchmark item by the item root), recomputes
// that one operator with the reference CPU kernel, gas-metered, and
// compares with the side's leaf hi. A side its own inputs refute loses at
// once. When both sides are justified, their traces must part at one of
// the input leaves, where the bisection resumes.
func (k msgServer) SubmitOperatorInputs(ctx context.Context, msg *types.MsgSubmitOperatorInputs) (*types.MsgSubmitOperatorInputsResponse, error) {
	if _, err := modkit.Signer("submitter", msg.Submitter, types.ErrInvalidAddress); err != nil {
		return nil, err
	}
	d, err := k.openDispute(ctx, msg.DisputeId)
	if err != nil {
		return nil, err
	}
	if d.Phase != types.PHASE_REFEREE {
		return nil, errorsmod.Wrapf(types.ErrWrongPhase, "dispute %d is in %s", d.Id, d.Phase)
	}
	side, hiLeaf, justified, used, err := refereeSide(&d, msg.Side)
	if err != nil {
		return nil, err
	}
	if *justified {
		return nil, errorsmod.Wrapf(types.ErrAlreadyRevealed, "%s already justified leaf %d", msg.Side, d.Hi)
	}
	p, err := k.Params.Get(ctx)
	if err != nil {
		return nil, err
	}
	if err := meter(ctx, msg, p); err != nil {
		return nil, err
	}
	e, err := k.eval.GetEvaluation(ctx, d.EvaluationId)
	if err != nil {
		return nil, err
	}
	// The referee recomputes under the evaluation's runtime version; a
	// binary without it can decide nothing (the step is refused, and the
	// dispute ends without a verdict at its deadline: nobody is punished
	// by semantics the chain cannot compute).
	if err := runtime.CheckVersion(e.Runtime()); err != nil {
		return nil, errorsmod.Wrapf(types.ErrUnsupportedRuntime, "evaluation %d: %v", e.Id, err)
	}
	b, err := k.eval.GetBenchmark(ctx, e.BenchmarkId)
	if err != nil {
		return nil, err
	}
	done := func(status types.DisputeStatus, reason, output string) (*types.MsgSubmitOperatorInputsResponse, error) {
		if status != types.DISPUTE_STATUS_OPEN {
			if err := k.resolve(ctx, &d, status, reason); err != nil {
				return nil, err
			}
		}
		if err := k.Disputes.Set(ctx, d.Id, d); err != nil {
			return nil, err
		}
		return &types.MsgSubmitOperatorInputsResponse{Status: d.Status, Output: output, Phase: d.Phase}, nil
	}
	var rf referee
	if b.IsText() {
		rf, err = k.textReferee(ctx, msg, b, p, e.Runtime())
	} else {
		rf, err = k.modelReferee(ctx, d.ModelId, msg, p, e.Runtime())
	}
	if err != nil {
		return nil, err
	}
	// A result that is the model's rejection by the runtime committed to
	// no trace at all: the referee can recompute operators, not a refusal
	// (which may come from the model's load or from its first run), so it
	// cannot decide against it. (A challenger claiming the rejection
	// against a result with a trace loses on its leaf count below.)
	if k.resultIsRejection(ctx, &d) {
		return done(types.DISPUTE_STATUS_NO_VERDICT, "the result is the model's rejection by the runtime, which the referee cannot decide: no verdict, the result stands", "")
	}
	// A side that committed to a leaf count the program cannot produce
	// lied about the run's shape.
	per := rf.leavesPerItem()
	if bad := badCounts(d, uint64(per)*uint64(e.ItemsPerRound)); bad != types.DISPUTE_STATUS_UNSPECIFIED {
		return done(bad, "a side committed to a leaf count the model does not produce", "")
	}
	out, leaves, err := rf.recompute(ctx, &d, *side, e.ItemsPerRound, msg.Inputs)
	if err != nil {
		return nil, err
	}
	sdk.UnwrapSDKContext(ctx).GasMeter().ConsumeGas(uint64(len(out.Bytes()))*p.RefereeGasPerByte, "verde referee output")
	truth, err := nextLeaf(d, out)
	if err != nil {
		return nil, err
	}
	if *hiLeaf != truth {
		loser := types.DISPUTE_STATUS_CLAIMANT_WON
		if msg.Side == types.SIDE_CLAIMANT {
			loser = types.DISPUTE_STATUS_CHALLENGER_WON
		}
		return done(loser, "the referee recomputed "+truth.Output+" at leaf "+itoa(d.Hi)+
			" from the "+msg.Side.String()+"'s own inputs, which refutes its leaf", truth.Output)
	}
	*justified, *used = true, leaves
	if d.ClaimantJustified && d.ChallengerJustified {
		status, reason, err := k.partAtInputs(ctx, &d)
		if err != nil {
			return nil, err
		}
		return done(status, reason, truth.Output)
	}
	return done(types.DISPUTE_STATUS_OPEN, "", truth.Output)
}

// nextLeaf is the leaf the recomputed output makes at hi: (o, SHA-256(a_lo ‖ o)).
func nextLeaf(d types.Dispute, out *runtime.Tensor) (types.Leaf, error) {
	var prev runtime.Hash
	if d.Lo >= 0 {
		lo, err := parseLeaf(d.LoLeaf)
		if err != nil {
			return types.Leaf{}, err
		}
		prev = lo.Acc
	}
	o := runtime.OutputHash(out)
	return types.FormatLeaf(runtime.Leaf{Output: o, Acc: sha256.Sum256(append(prev[:], o[:]...))}), nil
}

// partAtInputs handles two justified sides: each side's own inputs
// reproduce its different leaf hi, so they read different inputs; the
// first input leaf where they differ is a proven disagreement below hi,
// and the bisection resumes on [lo', j] with lo' the last agreed step
// below j.
func (k Keeper) partAtInputs(ctx context.Context, d *types.Dispute) (types.DisputeStatus, string, error) {
	j := int64(-1)
	var a, b types.Leaf
	for _, x := range d.ClaimantInputs {
		for _, y := range d.ChallengerInputs {
			if x.Index == y.Index && x.Leaf != y.Leaf && (j < 0 || x.Index < j) {
				j, a, b = x.Index, x.Leaf, y.Leaf
			}
		}
	}
	if j < 0 {
		return types.DISPUTE_STATUS_BOTH_LOST, "both sides reproduced different outputs from the same inputs", nil
	}
	d.Hi, d.ClaimantHi, d.ChallengerHi = j, a, b
	d.Lo, d.LoLeaf = -1, types.Leaf{}
	for _, s := range d.History {
		if s.Agreed && s.Index < j && s.Index > d.Lo {
			d.Lo, d.LoLeaf = s.Index, s.Claimant
		}
	}
	d.ClaimantInputs, d.ChallengerInputs = nil, nil
	d.ClaimantJustified, d.ChallengerJustified = false, false
	p, err := k.Params.Get(ctx)
	if err != nil {
		return 0, "", err
	}
	if d.Hi-d.Lo == 1 {
		d.Index = d.Hi
	} else {
		d.Phase, d.Index = types.PHASE_BISECT, d.Lo+(d.Hi-d.Lo)/2
	}
	height := sdk.UnwrapSDKContext(ctx).BlockHeight()
	if err := k.setDeadline(ctx, d, height+int64(p.StepBlocks)); err != nil {
		return 0, "", err
	}
	return types.DISPUTE_STATUS_OPEN, "", modkit.Emit(ctx, &types.EventStepCompleted{DisputeId: d.Id, Index: j, Agreed: false,
		Lo: d.Lo, Hi: d.Hi, Phase: d.Phase, NextIndex: d.Index, DeadlineHeight: d.DeadlineHeight})
}

// refereeSide returns the side's party, its leaf hi, its justified flag
// and where its input leaves are kept.
func refereeSide(d *types.Dispute, side types.Side) (*types.Party, *types.Leaf, *bool, *[]types.InputLeaf, error) {
	switch side {
	case types.SIDE_CLAIMANT:
		return &d.Claimant, &d.ClaimantHi, &d.ClaimantJustified, &d.ClaimantInputs, nil
	case types.SIDE_CHALLENGER:
		return &d.Challenger, &d.ChallengerHi, &d.ChallengerJustified, &d.ChallengerInputs, nil
	}
	return nil, nil, nil, nil, errorsmod.Wrapf(types.ErrWrongSide, "side %d", side)
}

// meter bounds and charges the referee step's bytes before any work:
// each artifact by max_artifact_bytes, the inputs and weight-tree parts
// together by max_input_bytes.
func meter(ctx context.Context, msg *types.MsgSubmitOperatorInputs, p types.Params) error {
	artifacts := uint64(len(msg.Model))
	if uint64(len(msg.Model)) > p.MaxArtifactBytes {
		return errorsmod.Wrapf(types.ErrTooLarge, "model of %d bytes above %d", len(msg.Model), p.MaxArtifactBytes)
	}
	if len(msg.Artifacts) > 1 {
		return errorsmod.Wrapf(types.ErrTooLarge, "%d extra artifacts: a step reads at most a judge's", len(msg.Artifacts))
	}
	for _, a := range msg.Artifacts {
		if uint64(len(a.Artifact)) > p.MaxArtifactBytes {
			return errorsmod.Wrapf(types.ErrTooLarge, "artifact of model %d: %d bytes above %d", a.ModelId, len(a.Artifact), p.MaxArtifactBytes)
		}
		artifacts += uint64(len(a.Artifact))
	}
	var n uint64
	for _, in := range msg.Inputs {
		n += uint64(in.Size())
	}
	for _, part := range msg.Parts {
		n += uint64(part.Size())
	}
	if n > p.MaxInputBytes {
		return errorsmod.Wrapf(types.ErrTooLarge, "inputs and parts of %d bytes above %d", n, p.MaxInputBytes)
	}
	sdk.UnwrapSDKContext(ctx).GasMeter().ConsumeGas((n+artifacts)*p.RefereeGasPerByte, "verde referee inputs")
	return nil
}

// badCounts names the outcome when a side's leaf count is impossible.
func badCounts(d types.Dispute, want uint64) types.DisputeStatus {
	claimantBad, challengerBad := d.Claimant.Leaves != want, d.Challenger.Leaves != want
	switch {
	case claimantBad && challengerBad:
		return types.DISPUTE_STATUS_BOTH_LOST
	case claimantBad:
		return types.DISPUTE_STATUS_CHALLENGER_WON
	case challengerBad:
		return types.DISPUTE_STATUS_CLAIMANT_WON
	}
	return types.DISPUTE_STATUS_UNSPECIFIED
}
