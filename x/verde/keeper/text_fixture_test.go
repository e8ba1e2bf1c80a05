package keeper_test

import (
	"crypto/sha256"
	"encoding/hex"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"

	"github.com/delphi-network/delphi/evaluator/player"
	drt "github.com/delphi-network/delphi/runtime"
	"github.com/delphi-network/delphi/runtime/llm"
	"github.com/delphi-network/delphi/runtime/text"
	"github.com/delphi-network/delphi/runtime/tokenizer"
	evaluationkeeper "github.com/delphi-network/delphi/x/evaluation/keeper"
	evaluationtypes "github.com/delphi-network/delphi/x/evaluation/types"
)

// Language models for the text disputes: a BPE tokenizer trained on the
// KJV's first verses and small llama models with deterministic weights,
// in GGUF and ONNX, over the real kjv-* benchmarks.
var lmFiles = sync.OnceValues(func() (map[string][]byte, error) {
	verses, err := text.LoadKJV()
	if err != nil {
		return nil, err
	}
	tok, err := tokenizer.Train(text.Join(verses[:300]), 320)
	if err != nil {
		return nil, err
	}
	cfg := llm.Config{Vocab: tok.VocabSize(), Dim: 16, Layers: 2, Heads: 2, KVHeads: 1, Hidden: 24, Context: 40, RopeTheta: 10000, NormEps: 1e-5}
	out := map[string][]byte{}
	for _, m := range []struct {
		name string
		seed uint64
	}{{"cand", 7}, {"judge", 8}} {
		w, err := llm.Init(cfg, m.seed)
		if err != nil {
			return nil, err
		}
		if out[m.name+".gguf"], err = llm.Save(w, tok, m.name, false); err != nil {
			return nil, err
		}
		if out[m.name+".onnx"], err = llm.ExportONNX(w, tok, cfg.Context, m.name); err != nil {
			return nil, err
		}
	}
	return out, nil
})

// textCase is one text-dispute setting: the dataset, the candidate's
// format and whether a judge (GGUF) decides the answers.
type textCase struct {
	dataset string
	format  string
	judged  bool
}

// newTextFixture registers the dataset (as "judged" with a judge), the
// candidate as model 1, the same weights with another system prompt as
// model 2 and the judge as model 3, opens a one-round evaluation of models
// 1 and 2 over `items` items and runs model 1 honestly.
func newTextFixture(t testing.TB, c textCase, items uint32) *fixture {
	t.Helper()
	files, err := lmFiles()
	require.NoError(t, err, "the KJV: run `make data`")
	f := newKeepers(t)
	ctx, authority := f.ctx, authtypes.NewModuleAddress("gov").String()
	emsg := evaluationkeeper.NewMsgServerImpl(*f.ek)
	open := func(format, name string) *llm.Model {
		m, err := llm.Open(format, files[name+"."+format], drt.DefaultLimits())
		require.NoError(t, err)
		return m
	}
	cand, judge := open(c.format, "cand"), open("gguf", "judge")
	register := func(name, format string, m *llm.Model, raw []byte, prompt string) {
		step := m.RefereeStep(len(raw))
		_, err := emsg.RegisterModel(ctx, &evaluationtypes.MsgRegisterModel{Owner: f.submitter, Name: name, Format: format,
			WeightsSha256: sha(raw), WeightsRoot: hex.EncodeToString(m.Root[:]), ArtifactUris: []string{"file:///" + name},
			SystemPrompt: prompt, RefereeStepBytes: uint64(step.Bytes), RefereeStepFlops: uint64(step.FLOPs)})
		require.NoError(t, err)
	}
	register("cand", c.format, cand, files["cand."+c.format], "")
	register("cand-prompted", c.format, cand, files["cand."+c.format], "Say it plainly.")
	register("judge", "gguf", judge, files["judge.gguf"], "")

	tb, err := llm.LoadTextBench(c.dataset)
	require.NoError(t, err)
	root := tb.ItemRoot()
	reg := &evaluationtypes.MsgRegisterBenchmark{Registrant: authority, Name: c.dataset, Task: "text", Metric: "m",
		DatasetSha256: tb.Hash(), ItemRoot: hex.EncodeToString(root[:]), DatasetUris: []string{"file:///kjv"}, ItemCount: uint64(tb.Len())}
	if c.judged {
		reg.Name, reg.Dataset, reg.JudgeModelId = c.dataset+"-judged", c.dataset, 3
	}
	_, err = emsg.RegisterBenchmark(ctx, reg)
	require.NoError(t, err)

	picked := f.startEvaluation(t, items, tb.Len())
	kind, _ := tb.Kind()
	task := &llm.Task{Kind: kind}
	task.Cand, err = cand.Subject("")
	require.NoError(t, err)
	run := &player.TextRun{Task: task, Bench: tb, Cand: player.Material{ID: 1, Model: cand, Artifact: files["cand."+c.format]}}
	if c.judged {
		task.Judge, err = judge.Subject("")
		require.NoError(t, err)
		run.Judge = &player.Material{ID: 3, Model: judge, Artifact: files["judge.gguf"]}
	}
	res, tr, err := task.Evaluate(tb, picked, true)
	require.NoError(t, err)
	f.honest = player.Run{Trace: tr, Items: picked, Text: run}
	f.correct = uint64(res.Points) // the run's last leaf
	f.twin = 1
	return f
}

func sha(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}
