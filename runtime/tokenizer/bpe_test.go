package tokenizer

import (
	"bytes"
	"strings"
	"testing"

	"github.com/delphi-network/delphi/runtime/text"
)

func show(cs [][]byte) string {
	parts := make([]string, len(cs))
	for i, c := range cs {
		parts[i] = "[" + string(c) + "]"
	}
	return strings.Join(parts, "")
}

func TestChunks(t *testing.T) {
	for in, want := range map[string]string{
		"In the beginning God":  "[In][ the][ beginning][ God]",
		"light: and there was.": "[light][:][ and][ there][ was][.]",
		"Ge1:20 it's  two\n\nx": "[Ge][1][:][20][ it's][ ][ two][\n\n][x]",
		"  lead":                "[ ][ lead]",
		"end ":                  "[end][ ]",
		"café 12ab":             "[café][ 12][ab]",
	} {
		if got := show(Chunks([]byte(in))); got != want {
			t.Errorf("Chunks(%q) = %s, want %s", in, got, want)
		}
	}
	// Chunks partition the text exactly.
	s := []byte("And God said, Let there be light: and there was light.\n  x\ty 3.14 ")
	if !bytes.Equal(bytes.Join(Chunks(s), nil), s) {
		t.Fatal("chunks do not rejoin to the text")
	}
}

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

func TestNewRefusesExplodingMerges(t *testing.T) {
	// Each merge doubles the last token: 40 lines would ask for 2^41 bytes.
	m := []Pair{{'a', 'a'}}
	for k := 1; k < 40; k++ {
		m = append(m, Pair{NumBytes + k - 1, NumBytes + k - 1})
	}
	if _, err := New(m); err == nil || !strings.Contains(err.Error(), "bytes") {
		t.Fatalf("exploding merges: %v", err)
	}
	if _, err := Parse([]byte(header + "\n97 97\n 97 97\n")); err == nil {
		t.Fatal("a non-canonical merge line parsed")
	}
}

func TestNewRefusesBadMerges(t *testing.T) {
	for _, m := range [][]Pair{{{256, 1}}, {{1, 2}, {1, 2}}, {{-1, 2}}} {
		if _, err := New(m); err == nil {
			t.Errorf("%v accepted", m)
		}
	}
	for _, raw := range []string{"", "nope\n", header + "\n1 x\n"} {
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
	const want = "7bbf64a828c4502b0b708ad3674751336919d7f6ea8a9591efe783ff8935bf72"
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
