package llm

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"github.com/delphi-network/delphi/runtime/text"
	"github.com/delphi-network/delphi/runtime/tokenizer"
)

// Record makes a trained language model's provenance checkable: anyone with
// the KJV can retrain and compare the bytes.
type Record struct {
	Config        TrainConfig `json:"config"`
	Name          string      `json:"name"`
	CorpusSHA256  string      `json:"corpus_sha256"`
	TokenizerHash string      `json:"tokenizer_sha256"`
	TrainTokens   int         `json:"train_tokens"`
	FirstLoss     float64     `json:"first_loss"`
	FinalLoss     float64     `json:"final_loss"` // mean over the last 10% of steps
	WeightsSHA256 string      `json:"weights_sha256"`
	ModelSHA256   string      `json:"model_sha256"` // of the GGUF file
	ONNXSHA256    string      `json:"onnx_sha256"`  // of the ONNX file (window = context)
}

// TrainKJV trains a BPE tokenizer of cfg.Model.Vocab tokens and then the
// model on the KJV's training split, and returns the model as GGUF (f32)
// and as ONNX, with its record. progress, if set, sees every step.
func TrainKJV(cfg TrainConfig, name string, workers int, progress func(int, Step)) (gguf, onnx []byte, rec Record, err error) {
	verses, err := text.LoadKJV()
	if err != nil {
		return nil, nil, Record{}, err
	}
	train, _ := text.Split(verses)
	corpus := text.Join(train)
	tok, err := tokenizer.Train(corpus, cfg.Model.Vocab)
	if err != nil {
		return nil, nil, Record{}, err
	}
	if tok.VocabSize() != cfg.Model.Vocab {
		return nil, nil, Record{}, fmt.Errorf("the corpus supports only %d tokens", tok.VocabSize())
	}
	ids := tok.Encode(corpus)
	tr, err := NewTrainer(cfg, ids)
	if err != nil {
		return nil, nil, Record{}, err
	}
	rec = Record{Config: cfg, Name: name, CorpusSHA256: text.KJVSHA256, TokenizerHash: tok.Hash(), TrainTokens: len(ids)}
	tail := max(1, cfg.Steps/10)
	var tailLoss float64
	for i := 0; i < cfg.Steps; i++ {
		s := tr.Step(workers)
		if i == 0 {
			rec.FirstLoss = s.Loss
		}
		if i >= cfg.Steps-tail {
			tailLoss += s.Loss
		}
		if progress != nil {
			progress(i, s)
		}
	}
	rec.FinalLoss = tailLoss / float64(tail)
	rec.WeightsSHA256 = WeightsHash(tr.Weights())
	if gguf, err = Save(tr.Weights(), tok, name, false); err != nil {
		return nil, nil, Record{}, err
	}
	if onnx, err = ExportONNX(tr.Weights(), tok, cfg.Model.Context, name); err != nil {
		return nil, nil, Record{}, err
	}
	sum := sha256.Sum256(gguf)
	rec.ModelSHA256 = hex.EncodeToString(sum[:])
	sum = sha256.Sum256(onnx)
	rec.ONNXSHA256 = hex.EncodeToString(sum[:])
	return gguf, onnx, rec, nil
}

// Sizes are the named model sizes `delphid model train --type llama` offers.
var Sizes = map[string]Config{
	"nano":  {Vocab: 384, Dim: 32, Layers: 2, Heads: 2, Hidden: 96, Context: 64, RopeTheta: 10000, NormEps: 1e-5},
	"micro": {Vocab: 512, Dim: 64, Layers: 2, Heads: 4, Hidden: 176, Context: 128, RopeTheta: 10000, NormEps: 1e-5},
	"small": {Vocab: 768, Dim: 128, Layers: 4, Heads: 4, Hidden: 352, Context: 256, RopeTheta: 10000, NormEps: 1e-5},
}
