package evaluator

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	goruntime "runtime"

	"github.com/delphi-network/delphi/runtime"
	"github.com/delphi-network/delphi/runtime/llm"
	"github.com/delphi-network/delphi/runtime/train"
	evaluationtypes "github.com/delphi-network/delphi/x/evaluation/types"
)

// Provenance. A model registered with a training record can be traced from
// its training data to its evaluation: the record hashes to the registered
// training_record_hash, and training again as it describes — classifiers
// (runtime/train) and llama models (runtime/llm), both bit-for-bit
// deterministic on every CPU — yields exactly the registered artifact: its
// SHA-256 and the weight root the runtime computes from it.

// RecordCheck is one comparison of a record verification.
type RecordCheck struct {
	What  string `json:"what"`
	OK    bool   `json:"ok"`
	Chain string `json:"chain"`
	Local string `json:"local"`
}

// RecordReport is the verdict on a model's training record.
type RecordReport struct {
	Model  uint64        `json:"model"`
	Kind   string        `json:"kind"` // classifier or llama
	Checks []RecordCheck `json:"checks"`
	OK     bool          `json:"ok"`
}

// VerifyRecord checks record (the file's bytes) against registered model m
// and retrains from it. progress, if set, hears what it is doing.
func VerifyRecord(m evaluationtypes.Model, record []byte, progress func(string)) (RecordReport, error) {
	say := func(format string, a ...any) {
		if progress != nil {
			progress(fmt.Sprintf(format, a...))
		}
	}
	rep := RecordReport{Model: m.Id}
	if m.TrainingRecordHash == "" {
		return rep, fmt.Errorf("model %d (%s) was registered without a training record", m.Id, m.Name)
	}
	sum := sha256.Sum256(record)
	check := func(what, chain, local string) {
		rep.Checks = append(rep.Checks, RecordCheck{What: what, OK: chain == local, Chain: chain, Local: local})
	}
	check("training_record_hash", m.TrainingRecordHash, hex.EncodeToString(sum[:]))
	if !rep.Checks[0].OK {
		// Not the registered record: what it trains proves nothing about
		// the model, and a llama retrains for a long time.
		return rep, nil
	}
	var probe struct {
		Corpus string `json:"corpus_sha256"`
	}
	if err := json.Unmarshal(record, &probe); err != nil {
		return rep, fmt.Errorf("training record: %w", err)
	}
	var raw []byte
	var root string
	if probe.Corpus != "" {
		rep.Kind = "llama"
		var rec llm.Record
		if err := json.Unmarshal(record, &rec); err != nil {
			return rep, fmt.Errorf("llama training record: %w", err)
		}
		say("training %s again: %d steps on the KJV's training split", rec.Name, rec.Config.Steps)
		gguf, onnx, _, err := llm.TrainKJV(rec.Config, rec.Name, goruntime.NumCPU(), nil)
		if err != nil {
			return rep, fmt.Errorf("retraining: %w", err)
		}
		raw = gguf
		if m.Format == "onnx" {
			raw = onnx
		}
		lm, err := llm.Open(m.Format, raw, runtime.DefaultLimits())
		if err != nil {
			return rep, fmt.Errorf("the retrained %s file: %w", m.Format, err)
		}
		root = hex.EncodeToString(lm.Root[:])
	} else {
		rep.Kind = "classifier"
		var rec train.Record
		if err := json.Unmarshal(record, &rec); err != nil {
			return rep, fmt.Errorf("classifier training record: %w", err)
		}
		say("training %s on %s again: %d epochs", rec.Config.Model, rec.Config.Dataset, rec.Config.Epochs)
		out, _, err := train.Train(rec.Config)
		if err != nil {
			return rep, fmt.Errorf("retraining: %w", err)
		}
		loaded, err := runtime.LoadModel(out, runtime.DefaultLimits())
		if err != nil {
			return rep, fmt.Errorf("the retrained model: %w", err)
		}
		r := loaded.Weights().Root()
		raw, root = out, hex.EncodeToString(r[:])
	}
	art := sha256.Sum256(raw)
	check("weights_sha256", m.WeightsSha256, hex.EncodeToString(art[:]))
	check("weights_root", m.WeightsRoot, root)
	rep.OK = true
	for _, c := range rep.Checks {
		rep.OK = rep.OK && c.OK
	}
	return rep, nil
}

// Model is a registered model, read from the node.
func (v *Verifier) Model(ctx context.Context, id uint64) (evaluationtypes.Model, error) {
	res, err := v.chain.q.Model(ctx, &evaluationtypes.QueryModelRequest{Id: id})
	if err != nil {
		return evaluationtypes.Model{}, fmt.Errorf("model %d: %w", id, err)
	}
	return res.Model, nil
}
