package keeper_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/delphi-network/delphi/evaluator/player"
	"github.com/delphi-network/delphi/runtime/llm"
	evaluationtypes "github.com/delphi-network/delphi/x/evaluation/types"
	"github.com/delphi-network/delphi/x/verde/types"
)

// leafOf is the global index of the first leaf of item `item` whose place
// satisfies want, for a text run.
func leafOf(t *testing.T, f *fixture, item int, want func(llm.Loc) bool) int {
	t.Helper()
	task := f.honest.Text.Task
	per := task.LeavesPerItem()
	for l := 0; l < per; l++ {
		loc, err := task.Locate(l)
		require.NoError(t, err)
		if want(loc) {
			return item*per + l
		}
	}
	t.Fatalf("no leaf of the wanted kind")
	return 0
}

func part(p llm.Part) func(llm.Loc) bool { return func(l llm.Loc) bool { return l.Part == p } }

// TestTextLiarLosesAtEveryKindOfLeaf: a validator that lies about one leaf
// of a language model's run (a stage's input tokens, an operator output, a
// greedy pick, a judge's verdict, the last leaf) is outvoted, the bisection
// finds that leaf, and the chain's referee recomputes it from proven
// weight parts (GGUF) or the artifact (ONNX) and the proven item.
func TestTextLiarLosesAtEveryKindOfLeaf(t *testing.T) {
	type lie struct {
		name string
		leaf func(*fixture) int
	}
	cases := []struct {
		c    textCase
		lies []lie
	}{
		{textCase{"kjv-next", "gguf", false}, []lie{
			{"tokens", func(f *fixture) int { return leafOf(t, f, 1, part(llm.PartTokens)) }},
			{"operator", func(f *fixture) int { return leafOf(t, f, 0, part(llm.PartOp)) + 9 }},
			{"last", func(f *fixture) int { return f.honest.Trace.Len() - 1 }},
		}},
		{textCase{"kjv-cloze", "onnx", false}, []lie{
			{"prior operator", func(f *fixture) int {
				return leafOf(t, f, 1, func(l llm.Loc) bool { return l.Stage.Kind == llm.StagePrior && l.Part == llm.PartOp }) + 3
			}},
		}},
		{textCase{"kjv-complete", "gguf", true}, []lie{
			{"pick", func(f *fixture) int { return leafOf(t, f, 0, part(llm.PartPick)) }},
			{"verdict", func(f *fixture) int {
				return leafOf(t, f, 1, func(l llm.Loc) bool { return l.Stage.Kind == llm.StageVerdict && l.Part == llm.PartOp }) + 5
			}},
		}},
	}
	for _, tc := range cases {
		for _, l := range tc.lies {
			t.Run(tc.c.dataset+"/"+tc.c.format+"/"+l.name, func(t *testing.T) {
				f := newTextFixture(t, tc.c, 2)
				k := l.leaf(f)
				liar := f.liar(k)
				votes := []claim{f.vote(0, f.honest, f.correct), f.vote(1, f.honest, f.correct), f.vote(2, f.honest, f.correct), f.vote(3, liar, f.correct)}
				f.tally(t, votes...)
				steps := f.play(t, 1, f.honest, liar)
				d := f.dispute(t, 1)
				require.Equal(t, types.DISPUTE_STATUS_CLAIMANT_WON, d.Status, d.Reason)
				require.Equal(t, int64(k), d.Hi, "the bisection found the falsified leaf")
				require.LessOrEqual(t, steps, maxSteps(f.honest.Trace.Len()))
				require.Len(t, f.slashing.slashed, 1)
			})
		}
	}
}

// TestTextHonestMinorityOverturns: three of four validators report a
// judged generation run with a falsified pick; the honest validator wins,
// and its result replaces theirs.
func TestTextHonestMinorityOverturns(t *testing.T) {
	f := newTextFixture(t, textCase{"kjv-complete", "gguf", true}, 2)
	k := leafOf(t, f, 1, part(llm.PartPick))
	liar := f.liar(k)
	votes := []claim{f.vote(0, liar, f.correct), f.vote(1, liar, f.correct), f.vote(2, liar, f.correct), f.vote(3, f.honest, f.correct)}
	f.tally(t, votes...)
	f.play(t, 1, liar, f.honest)
	d := f.dispute(t, 1)
	require.Equal(t, types.DISPUTE_STATUS_CHALLENGER_WON, d.Status, d.Reason)
	require.Equal(t, int64(k), d.Hi)
	require.Len(t, f.slashing.slashed, 3)
	res, err := f.ek.GetResult(f.ctx, f.evaluation, 0, 1)
	require.NoError(t, err)
	require.True(t, res.Replaced)
	require.Equal(t, f.honest.Root(), res.TraceRoot)
	require.Equal(t, f.correct, res.Correct)
	f.beginBlock(t, f.ctx.BlockHeight()+3)
	e, err := f.ek.GetEvaluation(f.ctx, f.evaluation)
	require.NoError(t, err)
	require.Equal(t, evaluationtypes.EVALUATION_STATUS_FINALIZED, e.Status)
}

// toReferee plays a dispute over leaf k until the referee phase and returns
// the honest claimant's referee step, undelivered.
func toReferee(t *testing.T, f *fixture, k int) *types.MsgSubmitOperatorInputs {
	t.Helper()
	liar := f.liar(k)
	f.tally(t, f.vote(0, f.honest, f.correct), f.vote(1, f.honest, f.correct),
		f.vote(2, f.honest, f.correct), f.vote(3, liar, f.correct))
	for f.dispute(t, 1).Phase == types.PHASE_BISECT {
		for _, s := range []struct {
			side types.Side
			run  player.Run
		}{{types.SIDE_CLAIMANT, f.honest}, {types.SIDE_CHALLENGER, liar}} {
			m, err := player.NextMove(f.submitter, f.dispute(t, 1), s.side, s.run)
			require.NoError(t, err)
			if m != nil {
				require.NoError(t, f.deliver(t, m))
			}
		}
	}
	require.Equal(t, types.PHASE_REFEREE, f.dispute(t, 1).Phase)
	m, err := player.NextMove(f.submitter, f.dispute(t, 1), types.SIDE_CLAIMANT, f.honest)
	require.NoError(t, err)
	msg, ok := m.(*types.MsgSubmitOperatorInputs)
	require.True(t, ok, "a referee step, got %T", m)
	return msg
}

func clone(m *types.MsgSubmitOperatorInputs) *types.MsgSubmitOperatorInputs {
	c := *m
	c.Parts = append([]types.ModelPart(nil), m.Parts...)
	for i := range c.Parts {
		c.Parts[i].Data = append([]byte(nil), m.Parts[i].Data...)
	}
	c.Inputs = append([]types.OperatorInput(nil), m.Inputs...)
	c.Artifacts = append([]types.ModelArtifact(nil), m.Artifacts...)
	return &c
}

// TestTextRefereeRefusesBadMaterials: a referee step whose weight parts
// are missing, tampered, duplicated, of the wrong model or of a wrongly
// sized tree, or whose artifact is not the registered one, is refused with
// an error and changes nothing; the honest step then wins.
func TestTextRefereeRefusesBadMaterials(t *testing.T) {
	f := newTextFixture(t, textCase{"kjv-complete", "gguf", true}, 1)
	k := leafOf(t, f, 0, func(l llm.Loc) bool { return l.Stage.Kind == llm.StageVerdict && l.Part == llm.PartOp }) + 2
	good := toReferee(t, f, k)
	require.NotEmpty(t, good.Parts)
	last := len(good.Parts) - 1
	bad := map[string]func(m *types.MsgSubmitOperatorInputs){
		"no parts":         func(m *types.MsgSubmitOperatorInputs) { m.Parts = nil },
		"weight missing":   func(m *types.MsgSubmitOperatorInputs) { m.Parts = m.Parts[:last] },
		"tampered weight":  func(m *types.MsgSubmitOperatorInputs) { m.Parts[last].Data[len(m.Parts[last].Data)-1] ^= 1 },
		"tampered config":  func(m *types.MsgSubmitOperatorInputs) { m.Parts[0].Data[0] ^= 1 },
		"duplicate part":   func(m *types.MsgSubmitOperatorInputs) { m.Parts = append(m.Parts, m.Parts[0]) },
		"foreign model":    func(m *types.MsgSubmitOperatorInputs) { m.Parts[0].ModelId = 2 },
		"unknown model":    func(m *types.MsgSubmitOperatorInputs) { m.Parts[0].ModelId = 99 },
		"wrong leaf count": func(m *types.MsgSubmitOperatorInputs) { m.Parts[last].LeafCount++ },
		"wrong index":      func(m *types.MsgSubmitOperatorInputs) { m.Parts[last].Index++ },
		"stray artifact": func(m *types.MsgSubmitOperatorInputs) {
			m.Artifacts = []types.ModelArtifact{{ModelId: 1, Artifact: []byte("not a model")}}
		},
		"input missing": func(m *types.MsgSubmitOperatorInputs) { m.Inputs = m.Inputs[:len(m.Inputs)-1] },
	}
	before := f.dispute(t, 1)
	for name, mutate := range bad {
		m := clone(good)
		mutate(m)
		require.Error(t, f.deliver(t, m), name)
		require.Equal(t, before, f.dispute(t, 1), "%s changed the dispute", name)
	}
	gas, err := deliverMetered(f, good)
	require.NoError(t, err)
	t.Logf("referee step over a judge's verdict operator: %d parts, %d gas", len(good.Parts), gas)
	f.beginBlock(t, f.ctx.BlockHeight()+1)
	liar := f.liar(k)
	f.play(t, 1, f.honest, liar)
	require.Equal(t, types.DISPUTE_STATUS_CLAIMANT_WON, f.dispute(t, 1).Status, f.dispute(t, 1).Reason)
}
