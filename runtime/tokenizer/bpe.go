// Package tokenizer is Delphi's deterministic BPE tokenizer: its own
// byte-level vocabularies (a trainer that learns merges from a corpus, and
// the tokenizer that applies them), and the published vocabularies GGUF
// files carry — GPT-2-style byte-level BPE (Llama 3, Qwen 2/3) and
// SentencePiece BPE (Llama 2, Mistral) — applied exactly as their
// tokenizers apply them. See README.md for the flow.
//
// Delphi's own vocabularies put byte b at id b and merge k at id 256+k,
// and split text with GPT-2's rule (PreGPT2). The same corpus and
// vocabulary size give the same merges on every machine: counting uses
// sorted keys only, and ties are broken by the smaller pair.
package tokenizer

import (
	"bytes"
	"fmt"
)

// Pair is two token ids merged into one.
type Pair struct{ A, B int }

// BPE is a tokenizer: a vocabulary, how it merges (Model) and, for
// byte-level vocabularies, how it splits text first (Pre).
type BPE struct {
	model       Model
	pre         Pre  // gpt2 model only
	own         bool // Delphi's id scheme (New, Train)
	spacePrefix bool // llama model: "▁" before each text

	merges []Pair
	result []int        // merge k -> the id of the token it makes
	rank   map[Pair]int // pair -> merge index (lookup only)

	vocab  [][]byte       // id -> the bytes Decode writes
	raw    []string       // id -> the token as GGUF stores it (not own)
	types  []TokenType    // id -> type (not own: own tokens are all normal)
	scores []float32      // llama model: id -> score
	lookup map[string]int // normal tokens: gpt2 by bytes, llama by GGUF text
	byteID [256]int       // byte -> its token (gpt2: one-byte token, llama: <0xXX>)
	user   *trie          // user-defined tokens, matched in the text first
}

// NumBytes is the number of byte tokens every vocabulary starts with.
const NumBytes = 256

// Bounds on a vocabulary, so that hostile merges (each doubling a token's
// length) or metadata cannot ask for more memory than a real tokenizer uses.
const (
	MaxMerges     = 1 << 20
	MaxTokens     = 1 << 20
	MaxTokenBytes = 1 << 10
	maxVocabBytes = 64 << 20
	maxUserBytes  = 1 << 20 // user-defined tokens, in all
	// MaxUserTokenBytes bounds one user-defined token: matching them
	// walks at most this many bytes from each position of a text, so
	// tokenizing stays linear in the text (published ones are tags such
	// as Qwen's <think>, under 32 bytes).
	MaxUserTokenBytes = 64
)

// New builds one of Delphi's own tokenizers from its merges, checking that
// each merge names existing tokens and appears once.
func New(merges []Pair) (*BPE, error) {
	if len(merges) > MaxMerges {
		return nil, fmt.Errorf("%d merges, at most %d", len(merges), MaxMerges)
	}
	t := &BPE{model: ModelGPT2, pre: PreGPT2, own: true, merges: append([]Pair(nil), merges...), rank: make(map[Pair]int, len(merges))}
	total := NumBytes
	t.vocab = make([][]byte, NumBytes, NumBytes+len(merges))
	for i := range t.vocab[:NumBytes] {
		t.vocab[i] = []byte{byte(i)}
		t.byteID[i] = i
	}
	for k, p := range merges {
		id := NumBytes + k
		if p.A < 0 || p.B < 0 || p.A >= id || p.B >= id {
			return nil, fmt.Errorf("merge %d (%d, %d) names a token not yet defined", k, p.A, p.B)
		}
		if _, dup := t.rank[p]; dup {
			return nil, fmt.Errorf("merge %d (%d, %d) repeats an earlier merge", k, p.A, p.B)
		}
		n := len(t.vocab[p.A]) + len(t.vocab[p.B])
		if total += n; n > MaxTokenBytes || total > maxVocabBytes {
			return nil, fmt.Errorf("merge %d makes a token of %d bytes (at most %d, %d in all)", k, n, MaxTokenBytes, maxVocabBytes)
		}
		t.rank[p] = k
		t.result = append(t.result, id)
		t.vocab = append(t.vocab, append(append([]byte{}, t.vocab[p.A]...), t.vocab[p.B]...))
	}
	return t, nil
}

// FromVocab builds a byte-level tokenizer from a published vocabulary: its
// tokens' bytes in id order and its merges as pairs of token ids; text is
// split with GPT-2's rule. Every byte must have exactly one one-byte token,
// tokens must be distinct, and each merge must make a token of the
// vocabulary. It is FromGGUF of the same vocabulary with every token
// normal (so a vocabulary laid out as Delphi's own comes back as New's).
func FromVocab(tokens [][]byte, merges []Pair) (*BPE, error) {
	if len(merges) > MaxMerges || len(tokens) > MaxTokens {
		return nil, fmt.Errorf("%d tokens and %d merges: too many (at most %d and %d)", len(tokens), len(merges), MaxTokens, MaxMerges)
	}
	v := GGUFVocab{Model: string(ModelGPT2), Pre: string(PreGPT2), Tokens: make([]string, len(tokens))}
	for id, b := range tokens {
		if len(b) == 0 || len(b) > MaxTokenBytes {
			return nil, fmt.Errorf("token %d has %d bytes (1 to %d)", id, len(b), MaxTokenBytes)
		}
		v.Tokens[id] = BytesToGPT2(b)
	}
	for k, p := range merges {
		if p.A < 0 || p.B < 0 || p.A >= len(tokens) || p.B >= len(tokens) {
			return nil, fmt.Errorf("merge %d (%d, %d) names a token outside the vocabulary", k, p.A, p.B)
		}
	}
	return fromGGUF(v, append([]Pair{}, merges...)) // by id, as Parse gives them: no "A B" strings
}

// Model is how the tokenizer merges (GGUF's tokenizer.ggml.model).
func (t *BPE) Model() Model { return t.model }

// Pre is the byte-level tokenizer's pre-tokenizer ("" for a llama model).
func (t *BPE) Pre() Pre { return t.pre }

// VocabSize is the number of tokens (for Delphi's own, 256 plus the number
// of merges).
func (t *BPE) VocabSize() int { return len(t.vocab) }

// Merges returns the merges in order (none for a llama model).
func (t *BPE) Merges() []Pair { return append([]Pair(nil), t.merges...) }

// Token returns the bytes Decode writes for token id: a byte-level
// token's bytes, a SentencePiece token's text with "▁" as a space, a byte
// token's byte, and the text of a control, user-defined, unknown or unused
// token.
func (t *BPE) Token(id int) []byte { return t.vocab[id] }

// TokenType is token id's GGUF type (TypeNormal for all of Delphi's own).
func (t *BPE) TokenType(id int) TokenType {
	if t.types == nil {
		return TypeNormal
	}
	return t.types[id]
}

// Encode turns text into token ids. User-defined tokens are matched in the
// text first, leftmost and then longest; control tokens never come from
// text. A byte-level tokenizer then splits each stretch of text between
// them with its pre-tokenizer and merges within each piece (Llama 3's
// emits a piece that is itself a token whole, as its tokenizer's
// ignore_merges does); a SentencePiece one writes each stretch as "▁" (when
// it adds a space prefix, as Llama 2 does) followed by the stretch with
// spaces as "▁" and merges it by score (see mergeScores).
func (t *BPE) Encode(text []byte) []int {
	var out []int
	for len(text) > 0 {
		at, n, id := len(text), 0, 0
		if t.user != nil {
			at, n, id = t.user.find(text)
		}
		if at > 0 {
			out = t.encodeText(text[:at], out)
		}
		if n > 0 {
			out = append(out, id)
		}
		text = text[at+n:]
	}
	return out
}

func (t *BPE) encodeText(text []byte, out []int) []int {
	if t.model == ModelLlama {
		s := make([]byte, 0, len(text)+len(spaceMark)+2*bytes.Count(text, []byte{' '}))
		if t.spacePrefix {
			s = append(s, spaceMark...)
		}
		for _, b := range text {
			if b == ' ' {
				s = append(s, spaceMark...)
			} else {
				s = append(s, b)
			}
		}
		return t.mergeScores(s, out)
	}
	whole := t.pre == PreLlama3 && !t.own // Llama 3's ignore_merges
	t.pre.split(t.pre.normalize(text), func(piece []byte) {
		if whole {
			if id, ok := t.lookup[string(piece)]; ok {
				out = append(out, id)
				return
			}
		}
		out = t.mergeRanks(piece, out)
	})
	return out
}

// Decode concatenates the tokens' bytes (see Token); an unknown id is an
// error. A llama tokenizer's Encode adds the space prefix, so Decode of
// it begins with that space.
func (t *BPE) Decode(ids []int) ([]byte, error) {
	var b bytes.Buffer
	for _, id := range ids {
		if id < 0 || id >= len(t.vocab) {
			return nil, fmt.Errorf("token id %d outside the vocabulary of %d", id, len(t.vocab))
		}
		b.Write(t.vocab[id])
	}
	return b.Bytes(), nil
}
