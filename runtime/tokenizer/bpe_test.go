package tokenizer

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/delphi-network/delphi/runtime/text"
)

func TestTrainEncodeDecode(t *testing.T) {
	corpus := []byte(strings.Repeat("the cat sat on the mat. the cat ate. ", 50))
	tok, err := Train(corpus, 300)
	if err != nil {
		t.Fatal(err)
	}
	if tok.VocabSize() <= NumBytes || tok.VocabSize() > 300 {
		t.Fatalf("vocabulary %d", tok.VocabSize())
	}
	ids := tok.Encode(corpus[:40])
	if len(ids) >= 40 {
		t.Fatalf("no compression: %d tokens for 40 bytes", len(ids))
	}
	back, err := tok.Decode(ids)
	if err != nil || !bytes.Equal(back, corpus[:40]) {
		t.Fatalf("round trip: %q %v", back, err)
	}
	// Unseen bytes still encode, as bytes.
	odd := []byte("\x00\xff zebra!")
	back, _ = tok.Decode(tok.Encode(odd))
	if !bytes.Equal(back, odd) {
		t.Fatalf("round trip of unseen bytes: %q", back)
	}
	if _, err := tok.Decode([]int{tok.VocabSize()}); err == nil {
		t.Fatal("decoded an id past the vocabulary")
	}
	again, _ := Train(corpus, 300)
	if again.Hash() != tok.Hash() {
		t.Fatal("training is not deterministic")
	}
	parsed, err := Parse(tok.MarshalText())
	if err != nil || parsed.Hash() != tok.Hash() {
		t.Fatalf("parse: %v", err)
	}
}

// TestOwnTokenizerSplitsLikeGPT2: Delphi's own tokenizers learn and
// apply merges within GPT-2's pieces, so a GGUF file declaring
// tokenizer.ggml.pre "gpt-2" tokenizes in llama.cpp as in Delphi.
func TestOwnTokenizerSplitsLikeGPT2(t *testing.T) {
	corpus := []byte(strings.Repeat("we're here. they're  there\n\n it's 12345 and we've 12ab\ttabs,  DON'T ", 40))
	tok, err := Train(corpus, 400)
	if err != nil {
		t.Fatal(err)
	}
	for id := NumBytes; id < tok.VocabSize(); id++ {
		// Delphi's former rule kept "we're" and "12ab" whole and would
		// learn these; GPT-2's splits them.
		b := tok.Token(id)
		if i := bytes.IndexByte(b, '\''); i > 0 || bytes.ContainsAny(b, "0123456789") && bytes.ContainsAny(b, "abt") {
			t.Errorf("token %d %q crosses a GPT-2 piece", id, b)
		}
	}
	text := []byte("we're  here\n\n it's DON'T 12345 12ab\t x  ")
	got := tok.Encode(text)
	var want []int
	boundary := map[int]bool{}
	at := 0
	for _, piece := range PreGPT2.Split(text) {
		// The merges in order over the piece: what the lowest rank first
		// gives for merges that, like Train's, only use earlier tokens.
		w := make([]int, len(piece))
		for i, b := range piece {
			w[i] = int(b)
		}
		for k, p := range tok.Merges() {
			w = replace(w, p, NumBytes+k)
		}
		want = append(want, w...)
		at += len(piece)
		boundary[at] = true
	}
	if !slices.Equal(got, want) {
		t.Fatalf("Encode(%q) = %q, want the merges within GPT-2's pieces, %q", text, pieces(tok, got), pieces(tok, want))
	}
	at = 0
	for _, id := range got {
		at += len(tok.Token(id))
		delete(boundary, at)
	}
	if len(boundary) > 0 {
		t.Fatalf("tokens %q span the piece boundaries at %v", pieces(tok, got), boundary)
	}
	if want := header + "\nunicode " + unicode.Version + "\n"; !bytes.HasPrefix(tok.MarshalText(), []byte(want)) {
		t.Fatalf("encoding begins %q", tok.MarshalText()[:40])
	}
	parsed, err := Parse(tok.MarshalText())
	if err != nil || parsed.Hash() != tok.Hash() || !slices.Equal(parsed.Encode(text), got) {
		t.Fatalf("Parse(MarshalText()): %v", err)
	}
	v := tok.GGUF()
	if v.Model != "gpt2" || v.Pre != "gpt-2" || v.Tokens[' '] != "Ġ" {
		t.Fatalf("GGUF metadata %q %q %q", v.Model, v.Pre, v.Tokens[' '])
	}
	back, err := FromGGUF(v)
	if err != nil || back.Hash() != tok.Hash() {
		t.Fatalf("FromGGUF(GGUF()): %v", err)
	}
}

func TestNewRefusesExplodingMerges(t *testing.T) {
	// Each merge doubles the last token: 40 lines would ask for 2^41 bytes.
	m := []Pair{{'a', 'a'}}
	for k := 1; k < 40; k++ {
		m = append(m, Pair{NumBytes + k - 1, NumBytes + k - 1})
	}
	if _, err := New(m); err == nil || !strings.Contains(err.Error(), "bytes") {
		t.Fatalf("exploding merges: %v", err)
	}
	if _, err := Parse([]byte(header + "\nunicode " + unicode.Version + "\n97 97\n 97 97\n")); err == nil {
		t.Fatal("a non-canonical merge line parsed")
	}
}

func TestNewRefusesBadMerges(t *testing.T) {
	for _, m := range [][]Pair{{{256, 1}}, {{1, 2}, {1, 2}}, {{-1, 2}}} {
		if _, err := New(m); err == nil {
			t.Errorf("%v accepted", m)
		}
	}
	for _, raw := range []string{"", "nope\n", header + "\nunicode " + unicode.Version + "\n1 x\n", header + "\n97 98\n"} {
		if _, err := Parse([]byte(raw)); err == nil {
			t.Errorf("%q parsed", raw)
		}
	}
	if _, err := Train([]byte("x"), 10); err == nil {
		t.Error("a vocabulary below 256 was accepted")
	}
}

// TestKJVTokenizer trains on the KJV training split and pins the result: the
// same merges on every machine (crossarch runs the same training).
func TestKJVTokenizer(t *testing.T) {
	if testing.Short() {
		t.Skip("trains on 4 MB")
	}
	verses, err := text.LoadKJV()
	if err != nil {
		t.Fatal(err)
	}
	train, held := text.Split(verses)
	tok, err := Train(text.Join(train), 512)
	if err != nil {
		t.Fatal(err)
	}
	h := text.Join(held)
	ids := tok.Encode(h)
	back, _ := tok.Decode(ids)
	if !bytes.Equal(back, h) {
		t.Fatal("held-out text does not round-trip")
	}
	const want = "09867a860a1ac3f439568a9fd217fbe9879de98040d1a05b01624a189b3957dc"
	if tok.Hash() != want {
		t.Fatalf("KJV tokenizer hash %s, want %s", tok.Hash(), want)
	}
	t.Logf("512 tokens: held-out %d bytes → %d tokens (%.2f bytes/token), hash %s", len(h), len(ids), float64(len(h))/float64(len(ids)), tok.Hash())
}

func TestGPT2ByteMap(t *testing.T) {
	all := make([]byte, 256)
	for i := range all {
		all[i] = byte(i)
	}
	s := BytesToGPT2(all)
	back, err := GPT2ToBytes(s)
	if err != nil || !bytes.Equal(back, all) {
		t.Fatalf("round trip of every byte: %v", err)
	}
	if BytesToGPT2([]byte(" the\n")) != "ĠtheĊ" {
		t.Fatalf("space and newline render as %q", BytesToGPT2([]byte(" the\n")))
	}
	if _, err := GPT2ToBytes("a€"); err == nil {
		t.Fatal("a rune outside the map was accepted")
	}
}
