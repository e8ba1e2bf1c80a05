package tokenizer

import (
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Pre is a pre-tokenizer: the rule that splits text into the pieces merges
// stay within, named as GGUF's tokenizer.ggml.pre names it (llama.cpp's
// spelling).
type Pre string

// The pre-tokenizers, each a regular expression of its published
// tokenizer.json applied exactly (by hand, over runes: Go's regexp has no
// lookahead).
const (
	// PreGPT2 is GPT-2's rule, the one Delphi's own tokenizers use:
	//   's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
	PreGPT2 Pre = "gpt-2"
	// PreLlama3 is Llama 3's rule (contractions in any ASCII case, one
	// non-letter may lead a word, numbers in threes):
	//   (?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}|
	//   ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+
	PreLlama3 Pre = "llama-bpe"
	// PreQwen2 is Qwen 2's and Qwen 3's: Llama 3's rule with single digits
	// (\p{N} for \p{N}{1,3}), applied to the text's NFC form (their
	// tokenizer.json normalizes to NFC first).
	PreQwen2 Pre = "qwen2"
)

// Pres lists the pre-tokenizers.
var Pres = []Pre{PreGPT2, PreLlama3, PreQwen2}

func (p Pre) valid() bool { return p == PreGPT2 || p == PreLlama3 || p == PreQwen2 }

// Split applies the rule: the pieces, in order, join to the text (for
// PreQwen2, to the text's NFC form). Character classes are Go's unicode
// tables (unicode.Version): \p{L} is unicode.L, \p{N} unicode.N and \s the
// White_Space property (unicode.IsSpace). A byte that does not begin a
// valid UTF-8 sequence is one character of its own, of neither class and
// not a space, like U+FFFD; it never panics. Split of a Pre other than
// the three constants returns nil.
func (p Pre) Split(text []byte) [][]byte {
	if !p.valid() {
		return nil
	}
	var out [][]byte
	p.split(p.normalize(text), func(piece []byte) { out = append(out, piece) })
	return out
}

// normalize is the normalization the rule's tokenizer applies first.
func (p Pre) normalize(text []byte) []byte {
	if p == PreQwen2 && !norm.NFC.IsNormal(text) {
		return norm.NFC.Bytes(text)
	}
	return text
}

// Character classes of the regular expressions.
const (
	clOther  = iota // [^\s\p{L}\p{N}]
	clLetter        // \p{L}
	clNumber        // \p{N}
	clSpace         // \s
)

func classOf(r rune, size int) uint8 {
	switch {
	case r == utf8.RuneError && size <= 1:
		return clOther
	case r < utf8.RuneSelf:
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z':
			return clLetter
		case r >= '0' && r <= '9':
			return clNumber
		case r == ' ', r >= '\t' && r <= '\r':
			return clSpace
		}
		return clOther
	case unicode.IsLetter(r):
		return clLetter
	case unicode.IsNumber(r):
		return clNumber
	case unicode.IsSpace(r):
		return clSpace
	}
	return clOther
}

// runes is text decoded once: each character's rune, class and byte offset.
type runes struct {
	r   []rune
	cl  []uint8
	off []int // len(r)+1 offsets
}

func decode(text []byte) runes {
	n := utf8.RuneCount(text)
	d := runes{r: make([]rune, 0, n), cl: make([]uint8, 0, n), off: make([]int, 0, n+1)}
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRune(text[i:])
		d.r = append(d.r, r)
		d.cl = append(d.cl, classOf(r, size))
		d.off = append(d.off, i)
		i += size
	}
	d.off = append(d.off, len(text))
	return d
}

// run is the end of the run of class c starting at i.
func (d *runes) run(i int, c uint8) int {
	for i < len(d.r) && d.cl[i] == c {
		i++
	}
	return i
}

// split calls emit with each piece of text, in order.
func (p Pre) split(text []byte, emit func([]byte)) {
	d := decode(text)
	for i := 0; i < len(d.r); {
		var end int
		if p == PreGPT2 {
			end = d.gpt2(i)
		} else {
			end = d.llama3(i, p == PreLlama3)
		}
		emit(text[d.off[i]:d.off[end]])
		i = end
	}
}

// contraction is the end of 's|'t|'re|'ve|'m|'ll|'d at i, or 0. With fold,
// the letters match in either ASCII case, as llama.cpp and transformers.js
// apply Llama 3's (?i:…) (Unicode case folding would also take ſ for s).
func (d *runes) contraction(i int, fold bool) int {
	if d.r[i] != '\'' || i+1 >= len(d.r) {
		return 0
	}
	lower := func(r rune) rune {
		if fold && r >= 'A' && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}
	switch lower(d.r[i+1]) {
	case 's', 't', 'm', 'd':
		return i + 2
	}
	if i+2 < len(d.r) {
		switch a, b := lower(d.r[i+1]), lower(d.r[i+2]); {
		case a == 'r' && b == 'e', a == 'v' && b == 'e', a == 'l' && b == 'l':
			return i + 3
		}
	}
	return 0
}

// spaces is the end of the whitespace run at i and the end of the match of
// \s+(?!\S) there (0 when it fails): the run to the end of the text, or
// the run less its last character when at least two precede a non-space.
func (d *runes) spaces(i int) (run, lookahead int) {
	run = d.run(i, clSpace)
	switch {
	case run == len(d.r):
		return run, run
	case run-i >= 2:
		return run, run - 1
	}
	return run, 0
}

// gpt2 is the end of GPT-2's match at i.
func (d *runes) gpt2(i int) int {
	if e := d.contraction(i, false); e > 0 {
		return e
	}
	// ' ?\p{L}+', ' ?\p{N}+' and ' ?[^\s\p{L}\p{N}]+' are exclusive by
	// class: a space joins the run of the class after it.
	if d.r[i] == ' ' && i+1 < len(d.r) && d.cl[i+1] != clSpace {
		return d.run(i+1, d.cl[i+1])
	}
	if c := d.cl[i]; c != clSpace {
		return d.run(i, c)
	}
	run, look := d.spaces(i)
	if look > 0 {
		return look // \s+(?!\S)
	}
	return run // \s+
}

// llama3 is the end of Llama 3's match at i (Qwen 2's with !triples).
func (d *runes) llama3(i int, triples bool) int {
	if e := d.contraction(i, true); e > 0 {
		return e
	}
	r, c := d.r[i], d.cl[i]
	// [^\r\n\p{L}\p{N}]?\p{L}+
	if c == clLetter {
		return d.run(i, clLetter)
	}
	if r != '\r' && r != '\n' && c != clNumber && i+1 < len(d.r) && d.cl[i+1] == clLetter {
		return d.run(i+1, clLetter)
	}
	// \p{N}{1,3} or \p{N}
	if c == clNumber {
		max := 1
		if triples {
			max = 3
		}
		e := i + 1
		for e < len(d.r) && e-i < max && d.cl[e] == clNumber {
			e++
		}
		return e
	}
	// ' ?[^\s\p{L}\p{N}]+[\r\n]*'
	start := -1
	if r == ' ' && i+1 < len(d.r) && d.cl[i+1] == clOther {
		start = i + 1
	} else if c == clOther {
		start = i
	}
	if start >= 0 {
		e := d.run(start, clOther)
		for e < len(d.r) && (d.r[e] == '\r' || d.r[e] == '\n') {
			e++
		}
		return e
	}
	// c is a space. \s*[\r\n]+ backtracks to the run's last \r or \n.
	run, look := d.spaces(i)
	for k := run - 1; k >= i; k-- {
		if d.r[k] == '\r' || d.r[k] == '\n' {
			return k + 1
		}
	}
	if look > 0 {
		return look // \s+(?!\S)
	}
	return run // \s+
}
