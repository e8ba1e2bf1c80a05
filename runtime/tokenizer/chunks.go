package tokenizer

// Chunks splits text into the pieces BPE merges within (merges never cross
// a chunk boundary), like GPT-2's pre-tokenizer but without regular
// expressions: a chunk is an optional single leading space followed by a
// maximal run of one class — letters (ASCII letters, apostrophes and every
// byte ≥ 0x80, so UTF-8 stays whole), digits, or other visible bytes — or a
// run of whitespace.
func Chunks(text []byte) [][]byte {
	var out [][]byte
	i := 0
	for i < len(text) {
		start := i
		// A single space joins the word it precedes.
		if text[i] == ' ' && i+1 < len(text) && class(text[i+1]) != space {
			i++
		}
		c := class(text[i])
		i++
		for i < len(text) && class(text[i]) == c {
			if c == space && text[i] == ' ' && i+1 < len(text) && class(text[i+1]) != space {
				break // this space leads the next word
			}
			i++
		}
		out = append(out, text[start:i])
	}
	return out
}

const (
	letter = iota
	digit
	space
	other
)

func class(b byte) int {
	switch {
	case b >= 'a' && b <= 'z', b >= 'A' && b <= 'Z', b == '\'', b >= 0x80:
		return letter
	case b >= '0' && b <= '9':
		return digit
	case b == ' ', b == '\n', b == '\t', b == '\r':
		return space
	}
	return other
}
