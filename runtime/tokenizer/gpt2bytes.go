package tokenizer

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// GGUF's "gpt2" tokenizers store token bytes as printable text: GPT-2's
// byte-to-unicode map sends the visible bytes !..~, ¡..¬ and ®..ÿ to
// themselves and every other byte, in order, to U+0100 onwards (space
// becomes "Ġ").
var byteRune, runeByte = func() ([256]rune, map[rune]byte) {
	var br [256]rune
	rb := map[rune]byte{}
	next := rune(256)
	for b := 0; b < 256; b++ {
		r := rune(b)
		if !(b >= '!' && b <= '~' || b >= 0xa1 && b <= 0xac || b >= 0xae && b <= 0xff) {
			r = next
			next++
		}
		br[b] = r
		rb[r] = byte(b)
	}
	return br, rb
}()

// BytesToGPT2 renders token bytes in the byte-to-unicode form.
func BytesToGPT2(b []byte) string {
	var s strings.Builder
	for _, c := range b {
		s.WriteRune(byteRune[c])
	}
	return s.String()
}

// GPT2ToBytes inverts BytesToGPT2; a rune outside the map is an error.
func GPT2ToBytes(s string) ([]byte, error) {
	out := make([]byte, 0, len(s))
	for _, r := range s {
		if r == utf8.RuneError {
			return nil, fmt.Errorf("token %q is not valid UTF-8", s)
		}
		b, ok := runeByte[r]
		if !ok {
			return nil, fmt.Errorf("token %q has %q outside the byte map", s, r)
		}
		out = append(out, b)
	}
	return out, nil
}
