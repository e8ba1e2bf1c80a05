package keeper_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/delphi-network/delphi/evaluator/player"
	"github.com/delphi-network/delphi/runtime"
	"github.com/delphi-network/delphi/runtime/merkle"
	"github.com/delphi-network/delphi/x/verde/types"
)

// TestMalformedMovesAreRefused: every malformed move is refused with its
// registered error and leaves the dispute as it was.
func TestMalformedMovesAreRefused(t *testing.T) {
	f := newFixture(t)
	// Item 2's second leaf: an operator (a Gemm) whose first input is an
	// earlier output, so the referee step carries a tensor to forge.
	per := f.honest.Model.LeavesPerItem()
	lie := f.liar(2*per + 1)
	f.tally(t, f.vote(0, f.honest, f.correct), f.vote(1, f.honest, f.correct),
		f.vote(2, f.honest, f.correct), f.vote(3, lie, f.correct))
	d := f.dispute(t, 1)
	good, err := player.Reveal(f.submitter, d, types.SIDE_CLAIMANT, f.honest)
	require.NoError(t, err)
	edit := func(change func(m *types.MsgBisect)) *types.MsgBisect {
		m := *good
		m.Proof = append([][]byte(nil), good.Proof...)
		change(&m)
		return &m
	}
	// The liar's leaf, presented as the claimant's: its proof is against
	// the wrong root.
	liarLeaf, err := player.Reveal(f.submitter, d, types.SIDE_CHALLENGER, lie)
	require.NoError(t, err)
	justify, err := player.Justify(f.submitter, d, types.SIDE_CLAIMANT, f.honest)
	require.NoError(t, err)

	cases := map[string]struct {
		msg  sdk.Msg
		want error
	}{
		"unknown dispute":     {edit(func(m *types.MsgBisect) { m.DisputeId = 9 }), types.ErrDisputeNotFound},
		"wrong index":         {edit(func(m *types.MsgBisect) { m.Index = 3 }), types.ErrWrongIndex},
		"unknown side":        {edit(func(m *types.MsgBisect) { m.Side = 7 }), types.ErrWrongSide},
		"garbled leaf":        {edit(func(m *types.MsgBisect) { m.Leaf.Output = "zz" }), types.ErrBadLeaf},
		"short leaf":          {edit(func(m *types.MsgBisect) { m.Leaf.Acc = m.Leaf.Acc[:10] }), types.ErrBadLeaf},
		"tampered proof":      {edit(func(m *types.MsgBisect) { m.Proof[0] = make([]byte, 32) }), types.ErrBadProof},
		"short sibling":       {edit(func(m *types.MsgBisect) { m.Proof[0] = []byte{1} }), types.ErrBadProof},
		"missing proof":       {edit(func(m *types.MsgBisect) { m.Proof = nil }), types.ErrBadProof},
		"other side's leaf":   {edit(func(m *types.MsgBisect) { m.Leaf, m.Proof = liarLeaf.Leaf, liarLeaf.Proof }), types.ErrBadProof},
		"bad submitter":       {edit(func(m *types.MsgBisect) { m.Submitter = "nope" }), types.ErrInvalidAddress},
		"referee too early":   {justify, types.ErrWrongPhase},
		"challenge same root": {&types.MsgChallenge{Challenger: f.operators[3].String(), EvaluationId: f.evaluation, ModelId: 1, Correct: f.correct, TraceRoot: f.honest.Root(), Leaves: 40}, types.ErrInvalidChallenge},
		"challenge twice":     {&types.MsgChallenge{Challenger: f.operators[3].String(), EvaluationId: f.evaluation, ModelId: 1, Correct: f.correct, TraceRoot: lie.Root(), Leaves: 40}, types.ErrAlreadyDisputed},
		"challenge bad root":  {&types.MsgChallenge{Challenger: f.operators[3].String(), EvaluationId: f.evaluation, ModelId: 1, Correct: f.correct, TraceRoot: "abc", Leaves: 40}, types.ErrInvalidChallenge},
		"challenge no leaves": {&types.MsgChallenge{Challenger: f.operators[3].String(), EvaluationId: f.evaluation, ModelId: 1, Correct: f.correct, TraceRoot: f.liar(1).Root()}, types.ErrInvalidChallenge},
		"challenge too many":  {&types.MsgChallenge{Challenger: f.operators[3].String(), EvaluationId: f.evaluation, ModelId: 1, Correct: 9, TraceRoot: f.liar(1).Root(), Leaves: 40}, types.ErrInvalidChallenge},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			before := f.dispute(t, 1)
			require.ErrorIs(t, f.deliver(t, tc.msg), tc.want)
			require.Equal(t, before, f.dispute(t, 1))
		})
	}

	// A valid reveal, then the same side again.
	require.NoError(t, f.deliver(t, good))
	require.ErrorIs(t, f.deliver(t, good), types.ErrAlreadyRevealed)

	// Play to the referee phase, then forge the referee inputs.
	require.NoError(t, f.deliver(t, liarLeaf))
	for f.dispute(t, 1).Phase == types.PHASE_BISECT {
		for _, side := range []struct {
			s   types.Side
			run player.Run
		}{{types.SIDE_CLAIMANT, f.honest}, {types.SIDE_CHALLENGER, lie}} {
			m, err := player.Reveal(f.submitter, f.dispute(t, 1), side.s, side.run)
			require.NoError(t, err)
			require.NoError(t, f.deliver(t, m))
		}
	}
	d = f.dispute(t, 1)
	require.Equal(t, int64(2*per+1), d.Hi)
	ok, err := player.Justify(f.submitter, d, types.SIDE_CLAIMANT, f.honest)
	require.NoError(t, err)
	forge := func(change func(m *types.MsgSubmitOperatorInputs)) *types.MsgSubmitOperatorInputs {
		m := *ok
		m.Inputs = append([]types.OperatorInput(nil), ok.Inputs...)
		m.Parts = append([]types.ModelPart(nil), ok.Parts...)
		change(&m)
		return &m
	}
	flipped := func(b []byte) []byte { c := append([]byte(nil), b...); c[len(c)-1] ^= 1; return c }
	require.GreaterOrEqual(t, len(ok.Parts), 2, "the skeleton and the weights the operator reads")
	tree := f.honest.Model.Weights()
	var unread string
	var ui int
	var uproof merkle.Proof
	for _, name := range tree.Names() {
		i, proof, err := tree.Prove(name)
		require.NoError(t, err)
		read := false
		for _, p := range ok.Parts {
			read = read || p.Index == uint64(i)
		}
		if !read {
			unread, ui, uproof = name, i, proof
			break
		}
	}
	require.NotEmpty(t, unread)
	unreadPart := types.ModelPart{ModelId: ok.Parts[1].ModelId, Index: uint64(ui), LeafCount: uproof.LeafCount,
		Data: runtime.WeightLeafData(unread, f.honest.Model.Graph.Initializers[unread])}
	for _, s := range uproof.Siblings {
		unreadPart.Proof = append(unreadPart.Proof, append([]byte(nil), s[:]...))
	}
	referee := map[string]struct {
		msg  *types.MsgSubmitOperatorInputs
		want error
	}{
		"whole artifact":    {forge(func(m *types.MsgSubmitOperatorInputs) { m.Model = f.honest.Artifact }), types.ErrBadInputs},
		"no skeleton":       {forge(func(m *types.MsgSubmitOperatorInputs) { m.Parts = m.Parts[1:] }), types.ErrBadInputs},
		"skeleton twice":    {forge(func(m *types.MsgSubmitOperatorInputs) { m.Parts = append(m.Parts, m.Parts[0]) }), types.ErrBadInputs},
		"tampered skeleton": {forge(func(m *types.MsgSubmitOperatorInputs) { m.Parts[0].Data = flipped(m.Parts[0].Data) }), types.ErrBadProof},
		"tampered weight":   {forge(func(m *types.MsgSubmitOperatorInputs) { m.Parts[1].Data = flipped(m.Parts[1].Data) }), types.ErrBadProof},
		"weight missing":    {forge(func(m *types.MsgSubmitOperatorInputs) { m.Parts = m.Parts[:1] }), types.ErrBadInputs},
		"weight twice":      {forge(func(m *types.MsgSubmitOperatorInputs) { m.Parts = append(m.Parts, m.Parts[1]) }), types.ErrBadInputs},
		"weight not read":   {forge(func(m *types.MsgSubmitOperatorInputs) { m.Parts = append(m.Parts, unreadPart) }), types.ErrBadInputs},
		"weight at another leaf": {forge(func(m *types.MsgSubmitOperatorInputs) {
			m.Parts[1].Index = unreadPart.Index
		}), types.ErrBadInputs},
		"wrong tree size":       {forge(func(m *types.MsgSubmitOperatorInputs) { m.Parts[1].LeafCount++ }), types.ErrBadProof},
		"part of another model": {forge(func(m *types.MsgSubmitOperatorInputs) { m.Parts[1].ModelId++ }), types.ErrBadInputs},
		"oversized parts": {forge(func(m *types.MsgSubmitOperatorInputs) {
			m.Parts[1].Data = make([]byte, types.DefaultParams().MaxInputBytes+1)
		}), types.ErrTooLarge},
		"no inputs":   {forge(func(m *types.MsgSubmitOperatorInputs) { m.Inputs = nil }), types.ErrBadInputs},
		"extra input": {forge(func(m *types.MsgSubmitOperatorInputs) { m.Inputs = append(m.Inputs, m.Inputs[0]) }), types.ErrBadInputs},
		"forged tensor": {forge(func(m *types.MsgSubmitOperatorInputs) {
			in := m.Inputs[0]
			tensor := *in.Tensor
			tensor.Data = flipped(tensor.Data)
			in.Tensor = &tensor
			m.Inputs[0] = in
		}), types.ErrBadInputs},
		"truncated tensor": {forge(func(m *types.MsgSubmitOperatorInputs) {
			in := m.Inputs[0]
			tensor := *in.Tensor
			tensor.Data = tensor.Data[:3]
			in.Tensor = &tensor
			m.Inputs[0] = in
		}), types.ErrBadInputs},
		"wrong leaf index": {forge(func(m *types.MsgSubmitOperatorInputs) { m.Inputs[0].LeafIndex-- }), types.ErrBadInputs},
		"unknown side":     {forge(func(m *types.MsgSubmitOperatorInputs) { m.Side = 0 }), types.ErrWrongSide},
		"oversized model": {forge(func(m *types.MsgSubmitOperatorInputs) {
			m.Model = make([]byte, types.DefaultParams().MaxArtifactBytes+1)
		}), types.ErrTooLarge},
	}
	for name, tc := range referee {
		t.Run(name, func(t *testing.T) {
			before := f.dispute(t, 1)
			require.ErrorIs(t, f.deliver(t, tc.msg), tc.want)
			require.Equal(t, before, f.dispute(t, 1))
		})
	}
	require.NoError(t, f.deliver(t, ok))
	require.ErrorIs(t, f.deliver(t, ok), types.ErrAlreadyRevealed)
	lieJustify, err := player.Justify(f.submitter, f.dispute(t, 1), types.SIDE_CHALLENGER, lie)
	require.NoError(t, err)
	require.NoError(t, f.deliver(t, lieJustify))
	require.Equal(t, types.DISPUTE_STATUS_CLAIMANT_WON, f.dispute(t, 1).Status)
	// A closed dispute takes no more moves.
	require.ErrorIs(t, f.deliver(t, ok), types.ErrDisputeClosed)
}

// TestRefereeRefusesTooMuchArithmetic: a model above max_referee_flops
// cannot be refereed in a transaction.
func TestRefereeRefusesTooMuchArithmetic(t *testing.T) {
	f := newFixture(t)
	lie := f.liar(1)
	f.tally(t, f.vote(0, f.honest, f.correct), f.vote(1, f.honest, f.correct),
		f.vote(2, f.honest, f.correct), f.vote(3, lie, f.correct))
	for f.dispute(t, 1).Phase == types.PHASE_BISECT {
		for _, side := range []struct {
			s   types.Side
			run player.Run
		}{{types.SIDE_CLAIMANT, f.honest}, {types.SIDE_CHALLENGER, lie}} {
			m, err := player.Reveal(f.submitter, f.dispute(t, 1), side.s, side.run)
			require.NoError(t, err)
			require.NoError(t, f.deliver(t, m))
		}
	}
	// The bound is the disputed operator's arithmetic, not the model's.
	d := f.dispute(t, 1)
	flops, err := f.honest.Model.Program.LeafFLOPs(int(d.Hi % int64(f.honest.Model.LeavesPerItem())))
	require.NoError(t, err)
	require.Less(t, flops, f.honest.Model.Program.FLOPs())
	p := types.DefaultParams()
	p.MaxRefereeFlops = uint64(flops) - 1
	require.NoError(t, f.k.Params.Set(f.ctx, p))
	msg, err := player.Justify(f.submitter, d, types.SIDE_CLAIMANT, f.honest)
	require.NoError(t, err)
	require.ErrorIs(t, f.deliver(t, msg), types.ErrTooLarge)
}
