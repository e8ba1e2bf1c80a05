package keeper_test

import (
	"encoding/hex"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/delphi-network/delphi/runtime/llm"
	"github.com/delphi-network/delphi/x/verde/types"
)

// TestATextScoreLieOverTheHonestTraceLoses: on every kind of text
// benchmark, three validators of four report the honest trace with
// another score. Before text runs ended with score leaves, a same-root
// claim with another score was not even disputed on a text benchmark, so
// the majority set any score it liked; now the run's last leaf is its
// score, the honest minority disputes and wins at the first step, the
// three are slashed and the honest score replaces theirs.
func TestATextScoreLieOverTheHonestTraceLoses(t *testing.T) {
	for _, c := range []textCase{{"kjv-next", "gguf", false}, {"kjv-cloze", "onnx", false}, {"kjv-complete", "gguf", true}} {
		t.Run(c.dataset, func(t *testing.T) {
			f := newTextFixture(t, c, 2)
			wrong := f.correct + 1
			if f.correct > 0 {
				wrong = f.correct - 1
			}
			f.tally(t, f.vote(0, f.honest, wrong), f.vote(1, f.honest, wrong), f.vote(2, f.honest, wrong), f.vote(3, f.honest, f.correct))
			res, err := f.ek.GetResult(f.ctx, f.evaluation, 0, 1)
			require.NoError(t, err)
			require.Equal(t, wrong, res.Correct, "the lie had the votes")
			d := f.dispute(t, 1)
			require.Equal(t, d.Claimant.TraceRoot, d.Challenger.TraceRoot, "the same trace, two scores")

			steps := f.play(t, 1, f.honest, f.honest)
			d = f.dispute(t, 1)
			require.Equal(t, types.DISPUTE_STATUS_CHALLENGER_WON, d.Status, d.Reason)
			require.Equal(t, 1, steps, "decided at the last leaf")
			require.Len(t, f.slashing.slashed, 3)
			require.NotContains(t, f.slashing.slashed, hex.EncodeToString(f.validators[3]))
			res, err = f.ek.GetResult(f.ctx, f.evaluation, 0, 1)
			require.NoError(t, err)
			require.Equal(t, f.correct, res.Correct)
			require.True(t, res.Replaced)
		})
	}
}

// TestAFalsifiedTextScoreLeafIsRecomputedByTheReferee: a validator that
// falsifies one of a text run's score leaves (a stage's log-likelihood,
// an item's points, the running total of the second item, which reads
// the first item's) is found by the bisection, and the referee recomputes
// that leaf from the agreed leaves and the proven item.
func TestAFalsifiedTextScoreLeafIsRecomputedByTheReferee(t *testing.T) {
	for _, tc := range []struct {
		c    textCase
		name string
		item int
		part llm.Part
	}{
		{textCase{"kjv-next", "gguf", false}, "points", 0, llm.PartPoints},
		{textCase{"kjv-next", "gguf", false}, "total", 1, llm.PartTotal},
		{textCase{"kjv-cloze", "onnx", false}, "value", 1, llm.PartValue},
		{textCase{"kjv-cloze", "onnx", false}, "points", 0, llm.PartPoints},
		{textCase{"kjv-complete", "gguf", false}, "points", 1, llm.PartPoints},
		{textCase{"kjv-complete", "gguf", true}, "verdict value", 0, llm.PartValue},
		{textCase{"kjv-complete", "gguf", true}, "points", 1, llm.PartPoints},
	} {
		t.Run(tc.c.dataset+"/"+tc.name, func(t *testing.T) {
			f := newTextFixture(t, tc.c, 2)
			k := leafOf(t, f, tc.item, part(tc.part))
			liar := f.liar(k)
			f.tally(t, f.vote(0, f.honest, f.correct), f.vote(1, f.honest, f.correct),
				f.vote(2, f.honest, f.correct), f.vote(3, liar, f.correct))
			f.play(t, 1, f.honest, liar)
			d := f.dispute(t, 1)
			require.Equal(t, types.DISPUTE_STATUS_CLAIMANT_WON, d.Status, d.Reason)
			require.Equal(t, int64(k), d.Hi, "the bisection found the falsified score leaf")
			require.Contains(t, d.Reason, "the referee recomputed")
			require.Equal(t, []string{hex.EncodeToString(f.validators[3])}, f.slashing.slashed)
		})
	}
}
