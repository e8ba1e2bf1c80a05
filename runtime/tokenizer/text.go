package tokenizer

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"unicode"
)

// The canonical encodings' first lines. Version 1 of Delphi's own and of
// FromVocab's encodings split text with a rule of Delphi's own (Chunks),
// since replaced by GPT-2's; they are refused, not reinterpreted.
const (
	header        = "delphi-bpe v2"
	generalHeader = "delphi-tokenizer v1"
	oldHeader     = "delphi-bpe v1"
	oldVocab      = "delphi-bpe-vocab v1"
)

// MarshalText is the canonical encoding, which describes everything Encode
// depends on. Delphi's own tokenizers: the header "delphi-bpe v2", the
// Unicode version of the character classes the split uses ("unicode
// 15.0.0"), then one merge per line as "A B" in decimal. Every other
// tokenizer: "delphi-tokenizer v1", "model M", for gpt2 "pre P" and the
// Unicode line, for llama "space-prefix true|false", then "tokens N" and
// one line per token, "TYPE HEX" (HEX: the token as GGUF stores it) with,
// for llama, " SCORE" (shortest float32 decimal), and for gpt2 "merges M"
// and one merge per line as "A B" token ids.
func (t *BPE) MarshalText() []byte {
	var b bytes.Buffer
	line := func(parts ...string) {
		b.WriteString(strings.Join(parts, " "))
		b.WriteByte('\n')
	}
	if t.own {
		line(header)
		line("unicode", unicode.Version)
	} else {
		line(generalHeader)
		line("model", string(t.model))
		if t.model == ModelGPT2 {
			line("pre", string(t.pre))
			line("unicode", unicode.Version)
		} else {
			line("space-prefix", strconv.FormatBool(t.spacePrefix))
		}
		line("tokens", strconv.Itoa(len(t.raw)))
		for id, s := range t.raw {
			typ := strconv.Itoa(int(t.types[id]))
			if t.model == ModelLlama {
				line(typ, hex.EncodeToString([]byte(s)), strconv.FormatFloat(float64(t.scores[id]), 'g', -1, 32))
			} else {
				line(typ, hex.EncodeToString([]byte(s)))
			}
		}
		if t.model == ModelLlama {
			return b.Bytes()
		}
		line("merges", strconv.Itoa(len(t.merges)))
	}
	for _, p := range t.merges {
		line(strconv.Itoa(p.A), strconv.Itoa(p.B))
	}
	return b.Bytes()
}

// Hash is the SHA-256 of the canonical encoding, hex.
func (t *BPE) Hash() string {
	h := sha256.Sum256(t.MarshalText())
	return hex.EncodeToString(h[:])
}

// Parse reads MarshalText's encoding, which must be canonical: the
// tokenizer it gives marshals to the same bytes.
func Parse(raw []byte) (*BPE, error) {
	sc := bufio.NewScanner(bytes.NewReader(raw))
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	next := func() (string, bool) {
		if !sc.Scan() {
			return "", false
		}
		return sc.Text(), true
	}
	first, _ := next()
	var t *BPE
	var err error
	switch first {
	case header:
		t, err = parseOwn(next)
	case generalHeader:
		t, err = parseGGUF(next, len(raw))
	case oldHeader, oldVocab:
		return nil, fmt.Errorf("%q tokenizers split text with Delphi's former rule (Chunks), which is gone; "+
			"train or export it again (%q and %q split with GPT-2's)", first, header, generalHeader)
	default:
		return nil, fmt.Errorf("not a %s or %s file", header, generalHeader)
	}
	if err == nil {
		err = sc.Err()
	}
	if err != nil {
		return nil, err
	}
	if !bytes.Equal(t.MarshalText(), raw) {
		return nil, fmt.Errorf("the encoding is not canonical (MarshalText of what it describes differs)")
	}
	return t, nil
}

// field reads a "key value" line.
func field(next func() (string, bool), key string) (string, error) {
	l, ok := next()
	v, found := strings.CutPrefix(l, key+" ")
	if !ok || !found {
		return "", fmt.Errorf("line %q: want %q", l, key+" …")
	}
	return v, nil
}

// checkUnicode refuses a split made with other Unicode tables than this
// binary's: its pieces could differ.
func checkUnicode(next func() (string, bool)) error {
	v, err := field(next, "unicode")
	if err == nil && v != unicode.Version {
		err = fmt.Errorf("the tokenizer splits text by Unicode %s's character classes; this binary has Unicode %s's", v, unicode.Version)
	}
	return err
}

// pairLine reads "A B" in decimal.
func pairLine(l string, k int) (Pair, error) {
	a, b, ok := strings.Cut(l, " ")
	var p Pair
	var errA, errB error
	p.A, errA = strconv.Atoi(a)
	p.B, errB = strconv.Atoi(b)
	if !ok || errA != nil || errB != nil {
		return p, fmt.Errorf("merge line %d: %q is not \"A B\" in decimal", k+1, l)
	}
	return p, nil
}

func parseOwn(next func() (string, bool)) (*BPE, error) {
	if err := checkUnicode(next); err != nil {
		return nil, err
	}
	var merges []Pair
	for l, ok := next(); ok; l, ok = next() {
		if len(merges) >= MaxMerges {
			return nil, fmt.Errorf("more than %d merges", MaxMerges)
		}
		p, err := pairLine(l, len(merges))
		if err != nil {
			return nil, err
		}
		merges = append(merges, p)
	}
	return New(merges)
}

// count reads "key N" with 0 <= N <= max.
func count(next func() (string, bool), key string, max int) (int, error) {
	v, err := field(next, key)
	if err != nil {
		return 0, err
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 || n > max {
		return 0, fmt.Errorf("%s %q: not a count up to %d", key, v, max)
	}
	return n, nil
}

func parseGGUF(next func() (string, bool), size int) (*BPE, error) {
	var v GGUFVocab
	var err error
	if v.Model, err = field(next, "model"); err != nil {
		return nil, err
	}
	switch Model(v.Model) {
	case ModelGPT2:
		if v.Pre, err = field(next, "pre"); err != nil {
			return nil, err
		}
		if err := checkUnicode(next); err != nil {
			return nil, err
		}
	case ModelLlama:
		sp, err := field(next, "space-prefix")
		if err != nil {
			return nil, err
		}
		b, err := strconv.ParseBool(sp)
		if err != nil {
			return nil, fmt.Errorf("space-prefix %q", sp)
		}
		v.AddSpacePrefix = &b
	default:
		return nil, fmt.Errorf("tokenizer model %q", v.Model)
	}
	// Each token and merge takes at least four bytes of the encoding.
	n, err := count(next, "tokens", min(MaxTokens, size/4))
	if err != nil {
		return nil, err
	}
	v.Tokens, v.Types = make([]string, n), make([]int32, n)
	if v.Model == string(ModelLlama) {
		v.Scores = make([]float32, n)
	}
	fields := 2
	if v.Scores != nil {
		fields = 3 // with the score
	}
	for id := range n {
		l, _ := next()
		parts := strings.Split(l, " ")
		if len(parts) != fields {
			return nil, fmt.Errorf("token line %d: %q", id+1, l)
		}
		if len(parts[1]) > 2*MaxTokenBytes {
			return nil, fmt.Errorf("token line %d: a token of more than %d bytes", id+1, MaxTokenBytes)
		}
		typ, errT := strconv.Atoi(parts[0])
		tok, errH := hex.DecodeString(parts[1])
		if errT != nil || errH != nil || typ < int(TypeNormal) || typ > int(TypeByte) {
			return nil, fmt.Errorf("token line %d: %q", id+1, l)
		}
		v.Types[id], v.Tokens[id] = int32(typ), string(tok)
		if v.Scores != nil {
			sc, err := strconv.ParseFloat(parts[2], 32)
			if err != nil {
				return nil, fmt.Errorf("token line %d: score %q", id+1, parts[2])
			}
			v.Scores[id] = float32(sc)
		}
	}
	if v.Model == string(ModelGPT2) {
		m, err := count(next, "merges", min(MaxMerges, size/4))
		if err != nil {
			return nil, err
		}
		pairs := make([]Pair, m)
		for k := range m {
			l, _ := next()
			p, err := pairLine(l, k)
			if err != nil {
				return nil, err
			}
			if p.A < 0 || p.B < 0 || p.A >= n || p.B >= n {
				return nil, fmt.Errorf("merge line %d: %q names a token outside the vocabulary", k+1, l)
			}
			pairs[k] = p // by id: no merge string is built
		}
		if l, more := next(); more {
			return nil, fmt.Errorf("%q after the last line", l)
		}
		return fromGGUF(v, pairs)
	}
	if l, more := next(); more {
		return nil, fmt.Errorf("%q after the last line", l)
	}
	return FromGGUF(v)
}
