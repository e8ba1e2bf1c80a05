package evaluator

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/delphi-network/delphi/runtime"
	"github.com/delphi-network/delphi/runtime/llm"
	"github.com/delphi-network/delphi/runtime/train"
	evaluationtypes "github.com/delphi-network/delphi/x/evaluation/types"
)

func registered(t *testing.T, name, format string, raw, record []byte, root string) evaluationtypes.Model {
	t.Helper()
	art, rec := sha256.Sum256(raw), sha256.Sum256(record)
	return evaluationtypes.Model{Id: 3, Name: name, Format: format, WeightsSha256: hex.EncodeToString(art[:]),
		WeightsRoot: root, TrainingRecordHash: hex.EncodeToString(rec[:])}
}

// TestARecordRetrainsToTheRegisteredClassifier: an iris MLP's record
// retrains to the registered bytes and root; a record edited to say more
// epochs does not hash to the registration; a registration whose artifact
// is not what the record trains is a mismatch of the artifact, and a model
// registered without a record is a clear error.
func TestARecordRetrainsToTheRegisteredClassifier(t *testing.T) {
	cfg := train.DefaultConfig("mlp", "iris")
	cfg.Epochs = 5
	raw, rec, err := train.Train(cfg)
	require.NoError(t, err)
	record, err := json.Marshal(rec)
	require.NoError(t, err)
	m := registered(t, "iris-mlp", "onnx", raw, record, rec.WeightsRoot)

	rep, err := VerifyRecord(m, record, nil)
	require.NoError(t, err)
	require.True(t, rep.OK, "%+v", rep.Checks)
	require.Equal(t, "classifier", rep.Kind)
	require.Len(t, rep.Checks, 3)

	edited := rec
	edited.Config.Epochs = 6
	other, err := json.Marshal(edited)
	require.NoError(t, err)
	rep, err = VerifyRecord(m, other, nil)
	require.NoError(t, err)
	require.False(t, rep.OK)
	require.Equal(t, "training_record_hash", rep.Checks[0].What)
	require.False(t, rep.Checks[0].OK)
	require.Len(t, rep.Checks, 1, "a record that is not the registered one is not retrained")

	swapped := registered(t, "iris-mlp", "onnx", append([]byte{}, raw[:len(raw)-1]...), record, rec.WeightsRoot)
	rep, err = VerifyRecord(swapped, record, nil)
	require.NoError(t, err)
	require.False(t, rep.OK)
	require.True(t, rep.Checks[0].OK)
	require.False(t, rep.Checks[1].OK)
	require.True(t, rep.Checks[2].OK)

	m.TrainingRecordHash = ""
	_, err = VerifyRecord(m, record, nil)
	require.ErrorContains(t, err, "registered without a training record")
}

// TestARecordRetrainsToTheRegisteredLlama: a (tiny) llama record retrains
// to the registered GGUF and, registered as ONNX, to the ONNX export.
func TestARecordRetrainsToTheRegisteredLlama(t *testing.T) {
	if testing.Short() {
		t.Skip("trains a tokenizer on the KJV")
	}
	cfg := llm.TrainConfig{Model: llm.Sizes["nano"], Seed: 3, Steps: 2, Batch: 2, Window: 16, LearningRate: 1e-3, ClipNorm: 1}
	gguf, onnx, rec, err := llm.TrainKJV(cfg, "kjv-tiny", 2, nil)
	require.NoError(t, err)
	record, err := json.Marshal(rec)
	require.NoError(t, err)
	for format, raw := range map[string][]byte{"gguf": gguf, "onnx": onnx} {
		lm, err := llm.Open(format, raw, runtime.DefaultLimits())
		require.NoError(t, err)
		rep, err := VerifyRecord(registered(t, "kjv-tiny", format, raw, record, hex.EncodeToString(lm.Root[:])), record, nil)
		require.NoError(t, err)
		require.True(t, rep.OK, "%s: %+v", format, rep.Checks)
		require.Equal(t, "llama", rep.Kind)
	}
}
