package tokenizer

import (
	"fmt"
	"math"
	"strings"
)

// Model is how a tokenizer merges, as GGUF's tokenizer.ggml.model names it.
type Model string

// The models.
const (
	// ModelGPT2 is byte-level BPE: tokens are bytes (stored in GPT-2's
	// byte-to-unicode form), the text is split by a pre-tokenizer and the
	// merges apply by rank within each piece.
	ModelGPT2 Model = "gpt2"
	// ModelLlama is SentencePiece BPE as Llama 2 and Mistral ship it:
	// tokens are text with "▁" for a space, adjacent pieces merge by the
	// score of the token they make, and a character with no token falls
	// back to <0xXX> byte tokens.
	ModelLlama Model = "llama"
)

// TokenType is GGUF's tokenizer.ggml.token_type.
type TokenType int32

// The token types.
const (
	TypeNormal      TokenType = 1 // made by merging
	TypeUnknown     TokenType = 2 // <unk>: never made from text
	TypeControl     TokenType = 3 // <s>, <|begin_of_text|>: never made from text
	TypeUserDefined TokenType = 4 // matched literally in the text
	TypeUnused      TokenType = 5 // never made from text
	TypeByte        TokenType = 6 // <0xXX>: a llama vocabulary's byte fallback
)

// GGUFVocab is a tokenizer's GGUF metadata (the tokenizer.ggml.* keys).
type GGUFVocab struct {
	Model  string    // tokenizer.ggml.model: "gpt2" or "llama"
	Pre    string    // tokenizer.ggml.pre: gpt2 only, one of Pres
	Tokens []string  // tokenizer.ggml.tokens, in id order
	Scores []float32 // tokenizer.ggml.scores: llama only (nil: all 0)
	Types  []int32   // tokenizer.ggml.token_type (nil: all normal; llama needs them)
	Merges []string  // tokenizer.ggml.merges, "A B": gpt2 only
	// AddSpacePrefix is tokenizer.ggml.add_space_prefix; nil is the
	// model's default (llama true). A gpt2 model ignores it, as llama.cpp
	// does.
	AddSpacePrefix *bool
}

// spaceMark is SentencePiece's visible space, U+2581.
const spaceMark = "\u2581"

// FromGGUF builds the tokenizer a GGUF file describes, as the published
// tokenizer it came from applies it (Hugging Face's; the README lists the
// two corners where llama.cpp's tokenizer differs), checking every bound: at most MaxTokens distinct non-empty
// tokens of at most MaxTokenBytes each, at most MaxMerges distinct merges
// each making a normal token from two, finite scores, types 1–6, a token
// for every byte (gpt2: a one-byte normal token; llama: a <0xXX> byte
// token, uppercase hex, each byte once). A gpt2 model ignores Scores and
// AddSpacePrefix, a llama model Pre and Merges. A gpt2 vocabulary laid out
// as Delphi's own (pre gpt-2, byte b at id b, merge k making token 256+k,
// every token normal) comes back as New's tokenizer, with the same hash.
func FromGGUF(v GGUFVocab) (*BPE, error) { return fromGGUF(v, nil) }

// fromGGUF is FromGGUF with the merges given as token ids (Parse's
// encoding) when pairs is set, in place of v.Merges: no merge string is
// built, so the work is linear in the encoding whatever the tokens' lengths.
func fromGGUF(v GGUFVocab, pairs []Pair) (*BPE, error) {
	t := &BPE{model: Model(v.Model)}
	n := len(v.Tokens)
	switch {
	case t.model != ModelGPT2 && t.model != ModelLlama:
		return nil, fmt.Errorf("tokenizer model %q: supported are %q (byte-level BPE) and %q (SentencePiece BPE)", v.Model, ModelGPT2, ModelLlama)
	case n == 0 || n > MaxTokens:
		return nil, fmt.Errorf("%d tokens (1 to %d)", n, MaxTokens)
	case v.Types != nil && len(v.Types) != n:
		return nil, fmt.Errorf("%d token types for %d tokens", len(v.Types), n)
	}
	if t.model == ModelGPT2 {
		t.pre = Pre(v.Pre)
		switch {
		case v.Pre == "gpt2":
			return nil, fmt.Errorf("pre-tokenizer %q: llama.cpp names GPT-2's rule %q", v.Pre, PreGPT2)
		case !t.pre.valid():
			return nil, fmt.Errorf("pre-tokenizer %q: supported are %q", v.Pre, Pres)
		case len(v.Merges)+len(pairs) > MaxMerges:
			return nil, fmt.Errorf("%d merges, at most %d", len(v.Merges)+len(pairs), MaxMerges)
		}
	} else {
		switch {
		case v.Types == nil:
			return nil, fmt.Errorf("a llama vocabulary needs token types (its byte tokens are type %d)", TypeByte)
		case v.Scores != nil && len(v.Scores) != n:
			return nil, fmt.Errorf("%d scores for %d tokens", len(v.Scores), n)
		}
		t.spacePrefix = v.AddSpacePrefix == nil || *v.AddSpacePrefix
		t.scores = make([]float32, n)
		copy(t.scores, v.Scores)
	}
	ids, err := t.addTokens(v)
	if err != nil {
		return nil, err
	}
	if t.model == ModelLlama {
		return t, nil
	}
	if pairs == nil {
		if pairs, err = t.mergePairs(v.Merges, ids); err != nil {
			return nil, err
		}
	}
	if err := t.addMerges(pairs); err != nil {
		return nil, err
	}
	if t.ownLayout() {
		return New(t.merges)
	}
	return t, nil
}

// addTokens reads the tokens and returns the id of each GGUF string.
func (t *BPE) addTokens(v GGUFVocab) (map[string]int, error) {
	n := len(v.Tokens)
	t.raw = make([]string, n)
	t.types = make([]TokenType, n)
	t.vocab = make([][]byte, n)
	t.lookup = make(map[string]int, n)
	for b := range t.byteID {
		t.byteID[b] = -1
	}
	seen := make(map[string]int, n)
	total, userBytes := 0, 0
	for id, s := range v.Tokens {
		typ := TypeNormal
		if v.Types != nil {
			typ = TokenType(v.Types[id])
		}
		switch {
		case len(s) == 0 || len(s) > MaxTokenBytes:
			return nil, fmt.Errorf("token %d has %d bytes (1 to %d)", id, len(s), MaxTokenBytes)
		case typ < TypeNormal || typ > TypeByte:
			return nil, fmt.Errorf("token %d %q has type %d (1 to %d)", id, s, typ, TypeByte)
		case t.model == ModelGPT2 && typ == TypeByte:
			return nil, fmt.Errorf("token %d %q: byte tokens (type %d) belong to llama vocabularies", id, s, TypeByte)
		}
		if prev, dup := seen[s]; dup {
			return nil, fmt.Errorf("token %d %q repeats token %d", id, s, prev)
		}
		seen[s] = id
		if total += len(s); total > maxVocabBytes {
			return nil, fmt.Errorf("tokens of more than %d bytes in all", maxVocabBytes)
		}
		if t.model == ModelLlama {
			if sc := t.scores[id]; math.IsNaN(float64(sc)) || math.IsInf(float64(sc), 0) {
				return nil, fmt.Errorf("token %d %q has score %v", id, s, sc)
			}
		}
		t.raw[id], t.types[id] = s, typ
		b := []byte(s) // control, unknown, unused: their text
		switch typ {
		case TypeByte:
			x, ok := parseByteToken(s)
			if !ok {
				return nil, fmt.Errorf("byte token %d %q is not <0xXX> in uppercase hex", id, s)
			}
			t.byteID[x] = id // once: the text is canonical and tokens distinct
			b = []byte{x}
		case TypeNormal:
			if t.model == ModelLlama {
				t.lookup[s] = id
				b = []byte(strings.ReplaceAll(s, spaceMark, " "))
				break
			}
			dec, err := GPT2ToBytes(s)
			if err != nil {
				return nil, fmt.Errorf("token %d: %w", id, err)
			}
			b = dec
			t.lookup[string(b)] = id
			if len(b) == 1 {
				t.byteID[b[0]] = id
			}
		case TypeUserDefined:
			if len(s) > MaxUserTokenBytes {
				return nil, fmt.Errorf("user-defined token %d has %d bytes (at most %d)", id, len(s), MaxUserTokenBytes)
			}
			if userBytes += len(s); userBytes > maxUserBytes {
				return nil, fmt.Errorf("user-defined tokens of more than %d bytes in all", maxUserBytes)
			}
			if t.user == nil {
				t.user = newTrie()
			}
			t.user.add(b, id)
		}
		t.vocab[id] = b
	}
	for b, id := range t.byteID {
		if id < 0 && t.model == ModelGPT2 {
			return nil, fmt.Errorf("byte %#02x has no one-byte token: not a byte-level vocabulary", b)
		}
		if id < 0 {
			return nil, fmt.Errorf("byte %#02x has no <0x%02X> byte token", b, b)
		}
	}
	return seen, nil
}

// mergePairs reads GGUF's "A B" merges as token ids.
func (t *BPE) mergePairs(merges []string, ids map[string]int) ([]Pair, error) {
	pairs := make([]Pair, len(merges))
	for k, m := range merges {
		a, b, ok := strings.Cut(m, " ")
		if !ok || a == "" || b == "" {
			return nil, fmt.Errorf("merge %d %q is not two tokens separated by a space", k, m)
		}
		ia, okA := ids[a]
		ib, okB := ids[b]
		if !okA || t.types[ia] != TypeNormal {
			return nil, fmt.Errorf("merge %d %q: %q is not a normal token of the vocabulary", k, m, a)
		}
		if !okB || t.types[ib] != TypeNormal {
			return nil, fmt.Errorf("merge %d %q: %q is not a normal token of the vocabulary", k, m, b)
		}
		pairs[k] = Pair{ia, ib}
	}
	return pairs, nil
}

// addMerges checks and ranks the merges: each joins two normal tokens,
// appears once and makes a normal token of the vocabulary.
func (t *BPE) addMerges(pairs []Pair) error {
	t.rank = make(map[Pair]int, len(pairs))
	t.merges = make([]Pair, 0, len(pairs))
	t.result = make([]int, 0, len(pairs))
	var buf []byte
	for k, p := range pairs {
		if p.A < 0 || p.B < 0 || p.A >= len(t.vocab) || p.B >= len(t.vocab) || t.types[p.A] != TypeNormal || t.types[p.B] != TypeNormal {
			return fmt.Errorf("merge %d (%d, %d) does not join two normal tokens of the vocabulary", k, p.A, p.B)
		}
		if prev, dup := t.rank[p]; dup {
			return fmt.Errorf("merge %d %q repeats merge %d", k, t.raw[p.A]+" "+t.raw[p.B], prev)
		}
		buf = append(append(buf[:0], t.vocab[p.A]...), t.vocab[p.B]...)
		made, ok := t.lookup[string(buf)] // no allocation: a lookup by the bytes
		if !ok {
			return fmt.Errorf("merge %d %q makes %q, which is not a normal token of the vocabulary", k, t.raw[p.A]+" "+t.raw[p.B], t.raw[p.A]+t.raw[p.B])
		}
		t.rank[p] = k
		t.merges = append(t.merges, p)
		t.result = append(t.result, made)
	}
	return nil
}

// ownLayout reports whether the vocabulary is laid out as Delphi's own.
func (t *BPE) ownLayout() bool {
	if t.pre != PreGPT2 || len(t.vocab) != NumBytes+len(t.merges) {
		return false
	}
	for id, b := range t.vocab {
		if t.types[id] != TypeNormal || id < NumBytes && (len(b) != 1 || int(b[0]) != id) {
			return false
		}
	}
	for k, p := range t.merges {
		if id := NumBytes + k; t.result[k] != id || p.A >= id || p.B >= id {
			return false
		}
	}
	return true
}

// GGUF is the tokenizer's GGUF metadata: FromGGUF of it gives the same
// tokenizer (the same canonical encoding and hash).
func (t *BPE) GGUF() GGUFVocab {
	v := GGUFVocab{Model: string(t.model), Tokens: make([]string, len(t.vocab)), Types: make([]int32, len(t.vocab))}
	for id := range t.vocab {
		v.Types[id] = int32(t.TokenType(id))
		if t.own {
			v.Tokens[id] = BytesToGPT2(t.vocab[id])
		} else {
			v.Tokens[id] = t.raw[id]
		}
	}
	if t.model == ModelLlama {
		v.Scores = append([]float32(nil), t.scores...)
		sp := t.spacePrefix
		v.AddSpacePrefix = &sp
		return v
	}
	v.Pre = string(t.pre)
	v.Merges = make([]string, len(t.merges))
	for k, p := range t.merges {
		v.Merges[k] = v.Tokens[p.A] + " " + v.Tokens[p.B]
	}
	return v
}

// parseByteToken reads a llama byte token, "<0xXX>" in uppercase hex.
func parseByteToken(s string) (byte, bool) {
	const digits = "0123456789ABCDEF"
	if len(s) != 6 || s[:3] != "<0x" || s[5] != '>' {
		return 0, false
	}
	hi, lo := strings.IndexByte(digits, s[3]), strings.IndexByte(digits, s[4])
	if hi < 0 || lo < 0 {
		return 0, false
	}
	return byte(hi<<4 | lo), true
}
