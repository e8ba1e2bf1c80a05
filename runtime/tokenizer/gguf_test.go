package tokenizer

import (
	"bytes"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
)

// byteVocab is a small byte-level GGUF vocabulary: the 256 bytes, then
// extra normal tokens, a control and two user-defined tokens, and merges.
func byteVocab(pre Pre, extra []string, merges ...string) GGUFVocab {
	v := GGUFVocab{Model: string(ModelGPT2), Pre: string(pre), Merges: merges}
	for b := range 256 {
		v.Tokens = append(v.Tokens, BytesToGPT2([]byte{byte(b)}))
		v.Types = append(v.Types, int32(TypeNormal))
	}
	for _, s := range extra {
		v.Tokens = append(v.Tokens, BytesToGPT2([]byte(s)))
		v.Types = append(v.Types, int32(TypeNormal))
	}
	for _, s := range []struct {
		text string
		typ  TokenType
	}{{"<|end|>", TypeControl}, {"<x>", TypeUserDefined}, {"<x>y", TypeUserDefined}} {
		v.Tokens = append(v.Tokens, s.text)
		v.Types = append(v.Types, int32(s.typ))
	}
	return v
}

// spmVocab is a small SentencePiece vocabulary in Llama 2's layout.
func spmVocab() GGUFVocab {
	v := GGUFVocab{Model: string(ModelLlama), Tokens: []string{"<unk>", "<s>", "</s>"},
		Types: []int32{int32(TypeUnknown), int32(TypeControl), int32(TypeControl)}, Scores: []float32{0, 0, 0}}
	for b := range 256 {
		v.Tokens = append(v.Tokens, fmt.Sprintf("<0x%02X>", b))
		v.Types = append(v.Types, int32(TypeByte))
		v.Scores = append(v.Scores, 0)
	}
	for _, p := range []struct {
		text  string
		score float32
	}{{"▁", -100}, {"t", -100}, {"h", -100}, {"e", -100}, {"a", -100}, {"▁t", -1}, {"he", -2}, {"▁the", -3},
		{"▁▁", -50}, {"ta", -4}, {"▁th", -10}, {"<x>", 0}} {
		v.Tokens = append(v.Tokens, p.text)
		v.Scores = append(v.Scores, p.score)
		typ := TypeNormal
		if p.text == "<x>" {
			typ = TypeUserDefined
		}
		v.Types = append(v.Types, int32(typ))
	}
	return v
}

// ids are the normal or user-defined tokens whose bytes are texts.
func ids(t *testing.T, tok *BPE, texts ...string) []int {
	t.Helper()
	var out []int
	for _, s := range texts {
		id := -1
		for i := range tok.VocabSize() {
			if typ := tok.TokenType(i); string(tok.Token(i)) == s && (typ == TypeNormal || typ == TypeUserDefined) {
				id = i
				break
			}
		}
		if id < 0 {
			t.Fatalf("no token %q", s)
		}
		out = append(out, id)
	}
	return out
}

func TestFromGGUFByteLevel(t *testing.T) {
	// "abc" is a token no merge sequence reaches: only Llama 3's
	// ignore_merges emits it whole.
	for _, c := range []struct {
		pre  Pre
		text string
		want []string
	}{
		{PreLlama3, "abc", []string{"abc"}},
		{PreQwen2, "abc", []string{"a", "bc"}},
		{PreLlama3, "abcd", []string{"a", "bc", "d"}},
		{PreLlama3, "a<|end|>b", []string{"a", "<", "|", "end", "|", ">", "b"}},
		{PreLlama3, "a<x>b <x>yz", []string{"a", "<x>", "b", " ", "<x>y", "z"}},
		{PreGPT2, "the end", []string{"the", " end"}},
	} {
		tok, err := FromGGUF(byteVocab(c.pre, []string{"bc", "abc", "th", "the", "en", "end", " end"},
			"b c", "t h", "th e", "e n", "en d", "Ġ end"))
		if err != nil {
			t.Fatal(err)
		}
		if got, want := tok.Encode([]byte(c.text)), ids(t, tok, c.want...); !slices.Equal(got, want) {
			t.Errorf("%s Encode(%q) = %q, want %q", c.pre, c.text, pieces(tok, got), c.want)
		}
	}
}

func TestFromGGUFSentencePiece(t *testing.T) {
	tok, err := FromGGUF(spmVocab())
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		text   string
		want   []string
		decode string
	}{
		{"the", []string{" the"}, " the"},
		{"ta", []string{" t", "a"}, " ta"}, // ▁t (-1) outscores ta (-4)
		{"  ", []string{"  ", " "}, "   "}, // equal scores: the leftmost ▁▁
		{"the  the", []string{" the", " ", " the"}, " the  the"},
		{"€a", []string{" ", "\xe2", "\x82", "\xac", "a"}, " €a"},   // byte fallback
		{"a<x>the", []string{" ", "a", "<x>", " the"}, " a<x> the"}, // a space prefix after a user-defined token
		{"<s>", []string{" ", "<", "s", ">"}, " <s>"},               // control tokens never come from text
	} {
		got := tok.Encode([]byte(c.text))
		var want []int
		for _, s := range c.want {
			switch {
			case len(s) == 1 && s[0] >= 0x80:
				want = append(want, tok.byteID[s[0]])
			case s == "<" || s == ">" || s == "s":
				want = append(want, tok.byteID[s[0]])
			default:
				want = append(want, ids(t, tok, s)...)
			}
		}
		if !slices.Equal(got, want) {
			t.Errorf("Encode(%q) = %v %q, want %v %q", c.text, got, pieces(tok, got), want, c.want)
		}
		back, _ := tok.Decode(got)
		if string(back) != c.decode {
			t.Errorf("Decode(Encode(%q)) = %q", c.text, back)
		}
	}
	// Without the space prefix.
	v := spmVocab()
	off := false
	v.AddSpacePrefix = &off
	tok, err = FromGGUF(v)
	if err != nil {
		t.Fatal(err)
	}
	if got := pieces(tok, tok.Encode([]byte("the"))); !slices.Equal(got, []string{"t", "he"}) {
		t.Errorf("without the prefix: %q", got)
	}
}

// TestFromGGUFRoundTrips: the canonical encoding and the GGUF metadata
// give the same tokenizer back, and any change to the behaviour changes
// the hash.
func TestFromGGUFRoundTrips(t *testing.T) {
	own, err := Train([]byte(strings.Repeat("the cat sat on the mat. ", 20)), 270)
	if err != nil {
		t.Fatal(err)
	}
	spm := spmVocab()
	hashes := map[string]string{}
	for name, v := range map[string]GGUFVocab{
		"llama-bpe": byteVocab(PreLlama3, []string{"bc"}, "b c"),
		"qwen2":     byteVocab(PreQwen2, []string{"bc"}, "b c"),
		"gpt-2":     byteVocab(PreGPT2, []string{"bc"}, "b c"),
		"llama":     spm,
		"own":       own.GGUF(),
	} {
		tok, err := FromGGUF(v)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if name == "own" && (!tok.own || tok.Hash() != own.Hash()) {
			t.Errorf("Delphi's own layout did not come back as New's tokenizer")
		}
		parsed, err := Parse(tok.MarshalText())
		if err != nil || parsed.Hash() != tok.Hash() {
			t.Fatalf("%s: Parse(MarshalText()): %v", name, err)
		}
		again, err := FromGGUF(tok.GGUF())
		if err != nil || again.Hash() != tok.Hash() {
			t.Fatalf("%s: FromGGUF(GGUF()): %v", name, err)
		}
		if prev, dup := hashes[tok.Hash()]; dup {
			t.Errorf("%s and %s hash the same", name, prev)
		}
		hashes[tok.Hash()] = name
	}
	// A score, a type or the space prefix changes the hash.
	base, _ := FromGGUF(spm)
	for name, change := range map[string]func(v *GGUFVocab){
		"score":        func(v *GGUFVocab) { v.Scores[len(v.Scores)-2] = -7 },
		"type":         func(v *GGUFVocab) { v.Types[len(v.Types)-2] = int32(TypeUnused) },
		"space prefix": func(v *GGUFVocab) { off := false; v.AddSpacePrefix = &off },
	} {
		v := spmVocab()
		change(&v)
		tok, err := FromGGUF(v)
		if err != nil || tok.Hash() == base.Hash() {
			t.Errorf("changing the %s: %v, same hash %v", name, err, err == nil && tok.Hash() == base.Hash())
		}
	}
}

func TestParseRefuses(t *testing.T) {
	spm, _ := FromGGUF(spmVocab())
	gpt, _ := FromGGUF(byteVocab(PreLlama3, []string{"bc"}, "b c"))
	own, _ := New([]Pair{{'a', 'b'}})
	for name, c := range map[string]struct {
		raw  string
		want string
	}{
		"old own":       {"delphi-bpe v1\n97 98\n", "Chunks"},
		"old vocab":     {"delphi-bpe-vocab v1\n256\n", "Chunks"},
		"unicode":       {strings.Replace(string(own.MarshalText()), "unicode 15", "unicode 14", 1), "Unicode"},
		"own spaces":    {strings.Replace(string(own.MarshalText()), "97 98", "97  98", 1), "decimal"},
		"own zero":      {strings.Replace(string(own.MarshalText()), "97 98", "097 98", 1), "canonical"},
		"score form":    {strings.Replace(string(spm.MarshalText()), " -100\n", " -100.0\n", 1), "canonical"},
		"hex case":      {strings.Replace(string(spm.MarshalText()), "3c756e6b3e", "3C756E6B3E", 1), "canonical"},
		"nan":           {strings.Replace(string(spm.MarshalText()), " -100\n", " NaN\n", 1), "score"},
		"trailing":      {string(gpt.MarshalText()) + "1 2\n", "after the last line"},
		"short":         {strings.TrimSuffix(string(gpt.MarshalText()), "98 99\n"), "merge line 1"},
		"count":         {strings.Replace(string(gpt.MarshalText()), "tokens 260", "tokens 99999999", 1), "not a count"},
		"merge outside": {strings.Replace(string(gpt.MarshalText()), "98 99", "98 9999", 1), "outside"},
		"model":         {strings.Replace(string(gpt.MarshalText()), "model gpt2", "model bert", 1), "model"},
		"empty":         {"", "not a"},
	} {
		_, err := Parse([]byte(c.raw))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want an error about %q", name, err, c.want)
		}
	}
}

// TestFromGGUFRefusesHostileMetadata: every bound gives a clear error,
// never a panic.
func TestFromGGUFRefusesHostileMetadata(t *testing.T) {
	bv := func() GGUFVocab { return byteVocab(PreLlama3, []string{"bc"}, "b c") }
	huge := make([]string, MaxTokens+1)
	for name, c := range map[string]struct {
		v    GGUFVocab
		want string
	}{
		"model":            {func() GGUFVocab { v := bv(); v.Model = "bert"; return v }(), "tokenizer model"},
		"pre misspelt":     {func() GGUFVocab { v := bv(); v.Pre = "gpt2"; return v }(), `"gpt-2"`},
		"pre missing":      {func() GGUFVocab { v := bv(); v.Pre = ""; return v }(), "pre-tokenizer"},
		"no tokens":        {GGUFVocab{Model: "gpt2", Pre: "gpt-2"}, "0 tokens"},
		"huge array":       {GGUFVocab{Model: "gpt2", Pre: "gpt-2", Tokens: huge}, "tokens (1 to"},
		"huge merges":      {func() GGUFVocab { v := bv(); v.Merges = make([]string, MaxMerges+1); return v }(), "merges, at most"},
		"types length":     {func() GGUFVocab { v := bv(); v.Types = v.Types[1:]; return v }(), "token types for"},
		"type 0":           {func() GGUFVocab { v := bv(); v.Types[5] = 0; return v }(), "has type 0"},
		"type 7":           {func() GGUFVocab { v := bv(); v.Types[5] = 7; return v }(), "has type 7"},
		"duplicate":        {func() GGUFVocab { v := bv(); v.Tokens[5] = v.Tokens[6]; return v }(), "repeats token"},
		"empty token":      {func() GGUFVocab { v := bv(); v.Tokens[300-42] = ""; return v }(), "has 0 bytes"},
		"long token":       {func() GGUFVocab { v := bv(); v.Tokens[256] = strings.Repeat("a", 2000); return v }(), "2000 bytes"},
		"outside byte map": {func() GGUFVocab { v := bv(); v.Tokens[256] = "b c"; return v }(), "outside the byte map"},
		"missing byte":     {func() GGUFVocab { v := bv(); v.Types[65] = int32(TypeUnused); return v }(), "no one-byte token"},
		"byte type":        {func() GGUFVocab { v := bv(); v.Types[65] = int32(TypeByte); return v }(), "belong to llama"},
		"merge unknown":    {func() GGUFVocab { v := bv(); v.Merges = []string{"b zz"}; return v }(), `"zz" is not a normal token`},
		"merge control":    {func() GGUFVocab { v := bv(); v.Merges = []string{"b <|end|>"}; return v }(), "not a normal token"},
		"merge non-token":  {func() GGUFVocab { v := bv(); v.Merges = []string{"c d"}; return v }(), "makes"},
		"merge twice":      {func() GGUFVocab { v := bv(); v.Merges = []string{"b c", "b c"}; return v }(), "repeats merge 0"},
		"merge no space":   {func() GGUFVocab { v := bv(); v.Merges = []string{"bc"}; return v }(), "separated by a space"},
		"user bytes": {func() GGUFVocab {
			v := bv()
			for i := range 20000 { // 57 bytes each, 1.14 MB in all
				v.Tokens = append(v.Tokens, fmt.Sprintf("<%05d%s>", i, strings.Repeat("u", 50)))
				v.Types = append(v.Types, int32(TypeUserDefined))
			}
			return v
		}(), "user-defined tokens of more than"},
		"llama types":   {func() GGUFVocab { v := spmVocab(); v.Types = nil; return v }(), "needs token types"},
		"llama scores":  {func() GGUFVocab { v := spmVocab(); v.Scores = v.Scores[1:]; return v }(), "scores for"},
		"NaN score":     {func() GGUFVocab { v := spmVocab(); v.Scores[270] = float32(math.NaN()); return v }(), "score NaN"},
		"Inf score":     {func() GGUFVocab { v := spmVocab(); v.Scores[270] = float32(math.Inf(1)); return v }(), "score +Inf"},
		"bad byte":      {func() GGUFVocab { v := spmVocab(); v.Tokens[3+0x41] = "<0xZZ>"; return v }(), "not <0xXX>"},
		"lower byte":    {func() GGUFVocab { v := spmVocab(); v.Tokens[3+0x4a] = "<0x4a>"; return v }(), "not <0xXX>"},
		"missing <0x>":  {func() GGUFVocab { v := spmVocab(); v.Types[3+0x41] = int32(TypeNormal); return v }(), "no <0x41> byte token"},
		"byte as other": {func() GGUFVocab { v := spmVocab(); v.Tokens[3+0x41] = "A"; return v }(), "not <0xXX>"},
	} {
		tok, err := FromGGUF(c.v)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want an error about %q", name, err, c.want)
		}
		if tok != nil {
			t.Errorf("%s: a tokenizer with the error", name)
		}
	}
}

// FuzzParse: any bytes parse or fail cleanly; what parses encodes any text
// and marshals back to the same bytes.
func FuzzParse(f *testing.F) {
	own, _ := Train([]byte(strings.Repeat("the cat sat on the mat. ", 10)), 264)
	spm, _ := FromGGUF(spmVocab())
	gpt, _ := FromGGUF(byteVocab(PreQwen2, []string{"bc"}, "b c"))
	for _, tok := range []*BPE{own, spm, gpt} {
		f.Add(tok.MarshalText(), []byte("the cat <x>y\xff 123"))
	}
	f.Fuzz(func(t *testing.T, raw, text []byte) {
		tok, err := Parse(raw)
		if err != nil {
			return
		}
		if !bytes.Equal(tok.MarshalText(), raw) {
			t.Fatal("parsed a non-canonical encoding")
		}
		if _, err := tok.Decode(tok.Encode(text)); err != nil {
			t.Fatal(err)
		}
	})
}
