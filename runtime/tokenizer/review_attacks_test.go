package tokenizer

// Found by a review that attacked the published-tokenizer change; each
// test failed on the code before its fix.

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"unicode"
)

// Matching user-defined tokens walks the trie from each position of a
// text for at most the longest token's length: one user-defined token of
// MaxTokenBytes ("aaa…ab") made Encode of a run of "a" ~250x slower, paid
// by every sidecar and, on the system prompt, by the chain's referee. A
// user-defined token is at most MaxUserTokenBytes now.
func TestUserDefinedTokensAreShort(t *testing.T) {
	for _, n := range []int{MaxUserTokenBytes + 1, MaxTokenBytes} {
		v := byteVocab(PreGPT2, nil)
		v.Tokens = append(v.Tokens, strings.Repeat("a", n-1)+"b")
		v.Types = append(v.Types, int32(TypeUserDefined))
		if _, err := FromGGUF(v); err == nil || !strings.Contains(err.Error(), "user-defined token") {
			t.Fatalf("a user-defined token of %d bytes: %v", n, err)
		}
	}
	v := byteVocab(PreGPT2, nil)
	v.Tokens = append(v.Tokens, strings.Repeat("a", MaxUserTokenBytes-1)+"b")
	v.Types = append(v.Types, int32(TypeUserDefined))
	tok, err := FromGGUF(v)
	if err != nil {
		t.Fatal(err)
	}
	if ids := tok.Encode([]byte(strings.Repeat("a", MaxUserTokenBytes-1) + "b")); len(ids) != 1 || ids[0] != len(v.Tokens)-1 {
		t.Fatalf("the longest allowed user-defined token is not matched: %v", ids)
	}
}

// parseGGUF reads token lines without MaxTokenBytes (a line may hold up to
// 1 MiB of hex) and builds every merge line "A B" into the string
// tokens[A]+" "+tokens[B] before FromGGUF checks anything. One token of
// H/2 bytes and M lines "0 0" make Parse allocate M*H bytes from H+4M
// bytes of input: about size^2/16. A 64 KiB encoding allocates ~256 MiB;
// the 640 KiB tokenizer part a Verde referee parses inside a transaction
// (llm.VerifyPart), ~25 GiB; an ONNX artifact's delphi tokenizer metadata
// (llm.LoadONNX, run by every sidecar on a registered model and by the
// referee on an ONNX artifact), up to 1M merges of 1 MiB. The length
// bound belongs before the merge strings are built.
func TestParseAllocationIsBounded(t *testing.T) {
	const size = 64 << 10
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s\nmodel gpt2\npre gpt-2\nunicode %s\ntokens 1\n", generalHeader, unicode.Version)
	tok := hex.EncodeToString(bytes.Repeat([]byte{'a'}, size/4))
	fmt.Fprintf(&b, "1 %s\n", tok)
	m := (size - b.Len()) / 4
	fmt.Fprintf(&b, "merges %d\n", m)
	for range m {
		b.WriteString("0 0\n")
	}
	raw := b.Bytes()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := Parse(raw)
	runtime.ReadMemStats(&after)
	alloc := after.TotalAlloc - before.TotalAlloc
	t.Logf("Parse of %d bytes: %v; allocated %d bytes (%.0fx)", len(raw), err, alloc, float64(alloc)/float64(len(raw)))
	if err == nil {
		t.Fatal("a hostile encoding parses")
	}
	if alloc > 64*uint64(len(raw)) {
		t.Fatalf("Parse of %d bytes allocated %d bytes (%.0fx) before refusing it", len(raw), alloc, float64(alloc)/float64(len(raw)))
	}
}

// The same attack within the token length bound: tokens of MaxTokenBytes
// and thousands of merges "0 0" would spell 2 KiB per 4-byte line. Parse
// reads merges by id and never builds their strings, so it allocates in
// proportion to the encoding.
func TestParseMergesAreReadByID(t *testing.T) {
	const size = 256 << 10
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s\nmodel gpt2\npre gpt-2\nunicode %s\ntokens 1\n", generalHeader, unicode.Version)
	fmt.Fprintf(&b, "1 %s\n", hex.EncodeToString(bytes.Repeat([]byte{'a'}, MaxTokenBytes)))
	m := (size - b.Len()) / 4
	fmt.Fprintf(&b, "merges %d\n", m)
	for range m {
		b.WriteString("0 0\n")
	}
	raw := b.Bytes()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := Parse(raw)
	runtime.ReadMemStats(&after)
	if err == nil {
		t.Fatal("a hostile encoding parses")
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 64*uint64(len(raw)) {
		t.Fatalf("Parse of %d bytes allocated %d bytes before refusing it", len(raw), alloc)
	}
}

// Found by the second review: every tokenizer FromGGUF accepts survives
// its canonical encoding — Parse(MarshalText()) is what the chain's
// referee runs on the proven tokenizer part, so a bound Parse alone
// applied (merge strings at most 16x the encoding) let a registrant enter
// a model whose every dispute the referee could not read: tokens a^2..a^300
// and merges (a^i, a^j), 200 <= i+j <= 300, encode in ~290 KB but spell
// ~5.9 MB of merges.
func TestFromGGUFTokenizersRoundTripThroughParse(t *testing.T) {
	v := GGUFVocab{Model: string(ModelGPT2), Pre: string(PreGPT2)}
	for b := range 256 {
		v.Tokens = append(v.Tokens, BytesToGPT2([]byte{byte(b)}))
	}
	for k := 2; k <= 300; k++ {
		v.Tokens = append(v.Tokens, strings.Repeat("a", k))
	}
	for s := 300; s >= 200; s-- {
		for i := 1; i < s; i++ {
			v.Merges = append(v.Merges, strings.Repeat("a", i)+" "+strings.Repeat("a", s-i))
		}
	}
	tok, err := FromGGUF(v)
	if err != nil {
		t.Fatalf("FromGGUF: %v", err)
	}
	back, err := Parse(tok.MarshalText())
	if err != nil {
		t.Fatalf("FromGGUF accepted a tokenizer whose canonical encoding Parse refuses: %v", err)
	}
	if back.Hash() != tok.Hash() {
		t.Fatal("the round trip changed the tokenizer")
	}
}
