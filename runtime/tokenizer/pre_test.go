package tokenizer

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/delphi-network/delphi/runtime/bench"
	"golang.org/x/text/unicode/norm"
)

func show(cs [][]byte) string {
	parts := make([]string, len(cs))
	for i, c := range cs {
		parts[i] = "[" + string(c) + "]"
	}
	return strings.Join(parts, "")
}

func TestSplit(t *testing.T) {
	for _, c := range []struct {
		pre       Pre
		in, want  string
		rationale string
	}{
		{PreGPT2, "Hello world", "[Hello][ world]", "a space leads the word"},
		{PreGPT2, "Hello  world", "[Hello][ ][ world]", `\s+(?!\S) gives back the space before the word`},
		{PreGPT2, "a\n\nb", "[a][\n][\n][b]", `\s+(?!\S) backtracks to one newline, \s+ takes the last`},
		{PreGPT2, "a\n\n b", "[a][\n\n][ b]", ""},
		{PreGPT2, "DON'T it's", "[DON]['][T][ it]['s]", "GPT-2's contractions are lower case only"},
		{PreGPT2, "don''t 's'", "[don][''][t][ '][s][']", "an apostrophe run is punctuation; a contraction begins at the apostrophe"},
		{PreGPT2, "x   ", "[x][   ]", "trailing whitespace is one piece"},
		{PreGPT2, "  lead", "[ ][ lead]", ""},
		{PreGPT2, "café 12ab ?!  ...", "[café][ 12][ab][ ?!][ ][ ...]", ""},
		{PreGPT2, "a\tb \tc", "[a][\t][b][ ][\t][c]", "only U+0020 joins a word"},
		{PreGPT2, "a\u00a0b", "[a][\u00a0][b]", "NBSP is whitespace but not a leading space"},
		{PreGPT2, "\xffab \xfe\xfd c\xe4\xb8", "[\xff][ab][ \xfe\xfd][ c][\xe4\xb8]", "invalid bytes are punctuation"},
		{PreGPT2, "", "", ""},
		{PreLlama3, "DON'T it's I'M", "[DON]['T][ it]['s][ I]['M]", "(?i:…) contractions"},
		{PreLlama3, "'hello (hello) \thi", "['hello][ (][hello][)][ ][\thi]", "one non-letter leads a word"},
		{PreLlama3, "\thello\n hi", "[\thello][\n][ hi]", "but not a newline"},
		{PreLlama3, "12345 1234567", "[123][45][ ][123][456][7]", "numbers in threes; a space before a digit stands alone"},
		{PreLlama3, "x \n\n y", "[x][ \n\n][ y]", `\s*[\r\n]+ backtracks to the last newline`},
		{PreLlama3, "a.\r\n\r\nb", "[a][.\r\n\r\n][b]", "newlines follow punctuation"},
		{PreLlama3, "hi   ", "[hi][   ]", ""},
		{PreLlama3, "a \u00a0b", "[a][ ][\u00a0b]", ""},
		{PreLlama3, "3.14", "[3][.][14]", ""},
		{PreLlama3, "\xffab\r\n", "[\xffab][\r\n]", "an invalid byte leads a word"},
		{PreQwen2, "12345 x1", "[1][2][3][4][5][ x][1]", "single digits"},
		{PreQwen2, "cafe\u0301 Ω", "[café][ Ω]", "NFC first (U+2126 becomes Ω)"},
		{Pre("gpt2"), "abc", "", "not a rule"},
	} {
		if got := show(c.pre.Split([]byte(c.in))); got != c.want {
			t.Errorf("%s Split(%q) = %q, want %q (%s)", c.pre, c.in, got, c.want, c.rationale)
		}
	}
}

// FuzzSplit: the pieces are non-empty and join to the (normalized) text,
// for any bytes.
func FuzzSplit(f *testing.F) {
	for _, s := range []string{"Hello  world\n\n x", "DON'T 12345 \r\n\r\n", "\xff\xfe 's \u00a0", "cafe\u0301 \t\t"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, text []byte) {
		for _, p := range Pres {
			pieces := p.Split(text)
			for _, c := range pieces {
				if len(c) == 0 {
					t.Fatalf("%s: an empty piece of %q", p, text)
				}
			}
			if !bytes.Equal(bytes.Join(pieces, nil), p.normalize(text)) {
				t.Fatalf("%s: pieces of %q do not rejoin", p, text)
			}
		}
	})
}

// nodeJSON runs a testdata script with the data directory and args, JSON
// in and out.
func nodeJSON(script string, in, out any, args ...string) error {
	raw, err := json.Marshal(in)
	if err != nil {
		return err
	}
	cmd := exec.Command("node", append([]string{filepath.Join("testdata", script), bench.DataDir()}, args...)...)
	cmd.Stdin = bytes.NewReader(raw)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	res, err := cmd.Output()
	if err != nil {
		return fmt.Errorf("node %s %v: %v\n%s\n(%s)", script, args, err, stderr.Bytes(), makeData)
	}
	return json.Unmarshal(res, out)
}

// TestSplitAgreesWithJS holds the three rules against transformers.js'
// pre-tokenizers (JavaScript's regular expressions, lookahead included)
// on every KJV verse and the multilingual corpus. GPT-2's rule has no
// published tokenizer in the agreement test; this is its reference.
func TestSplitAgreesWithJS(t *testing.T) {
	lenmlDir(t)
	texts, _ := agreementCorpus(t)
	for _, p := range Pres {
		t.Run(string(p), func(t *testing.T) {
			t.Parallel()
			var want [][]string
			if err := nodeJSON("split.mjs", texts, &want, string(p)); err != nil {
				t.Fatal(err)
			}
			if len(want) != len(texts) {
				t.Fatalf("%d results for %d texts", len(want), len(texts))
			}
			differ := 0
			for i, s := range texts {
				var w [][]byte
				for _, piece := range want[i] {
					b, err := GPT2ToBytes(piece)
					if err != nil {
						t.Fatal(err)
					}
					w = append(w, b)
				}
				if got := p.Split([]byte(s)); show(got) != show(w) {
					if differ++; differ <= 5 {
						t.Errorf("%q:\n delphi %q\n     js %q", s, show(got), show(w))
					}
				}
			}
			if differ > 0 {
				t.Fatalf("%d of %d texts split differently", differ, len(texts))
			}
		})
	}
}

// assigned reports whether Go's tables know code point r (unicode.C also
// holds the unassigned ones).
func assigned(r rune) bool {
	for _, cat := range []*unicode.RangeTable{unicode.L, unicode.M, unicode.N, unicode.P, unicode.S, unicode.Z, unicode.Cc, unicode.Cf, unicode.Co, unicode.Cs} {
		if unicode.Is(cat, r) {
			return true
		}
	}
	return false
}

// TestUnicodeClassesAgainstJS compares the classes of every code point
// with JavaScript's \p{L}, \p{N} and \s (Node's ICU tables, the engine the
// npm tokenizers run on) and requires every difference to be one of two
// known kinds. JavaScript's \s is not Unicode's White_Space: it leaves out
// U+0085 (NEXT LINE) and takes U+FEFF (the byte order mark); Go's
// unicode.IsSpace, Oniguruma's \s (Hugging Face's Rust tokenizers), Rust's
// regex (tiktoken) and llama.cpp's tables follow White_Space, so Delphi is
// right for the real tokenizers there. And Node's tables may be of a later
// Unicode version: code points Go's tables (unicode.Version) leave
// unassigned are "other" here and may be letters or digits there.
func TestUnicodeClassesAgainstJS(t *testing.T) {
	lenmlDir(t)
	out, err := exec.Command("node", filepath.Join("testdata", "classes.mjs")).Output()
	if err != nil {
		t.Fatalf("node classes.mjs: %v (%s)", err, makeData)
	}
	version, classes, _ := strings.Cut(string(out), "\n")
	if len(classes) != utf8.MaxRune+1 {
		t.Fatalf("%d classes", len(classes))
	}
	letter := [4]byte{clOther: 'O', clLetter: 'L', clNumber: 'N', clSpace: 'S'}
	var jsSpace, newer []string
	for r := rune(0); r <= utf8.MaxRune; r++ {
		if r >= 0xd800 && r <= 0xdfff {
			continue
		}
		js, goes := classes[r], letter[classOf(r, utf8.RuneLen(r))]
		switch {
		case js == goes:
		case r == 0x85 && goes == 'S' && js == 'O', r == 0xfeff && goes == 'O' && js == 'S':
			jsSpace = append(jsSpace, fmt.Sprintf("U+%04X", r))
		case !assigned(r) && goes == 'O':
			newer = append(newer, fmt.Sprintf("U+%04X %c", r, js))
		default:
			t.Errorf("U+%04X: Go (Unicode %s) says %c, JavaScript (Unicode %s) %c", r, unicode.Version, goes, version, js)
		}
	}
	t.Logf("JavaScript's \\s differs from White_Space at %v; %d code points unassigned in Unicode %s are letters or digits in Node's Unicode %s (first: %v)",
		jsSpace, len(newer), unicode.Version, version, newer[:min(5, len(newer))])
	if len(jsSpace) != 2 {
		t.Errorf("JavaScript's \\s: expected the differences at U+0085 and U+FEFF, got %v", jsSpace)
	}
}

// The NFC of Qwen's rule and the character classes must be of one
// Unicode version, the one the canonical encoding names.
func TestUnicodeVersions(t *testing.T) {
	if norm.Version != unicode.Version {
		t.Fatalf("golang.org/x/text/unicode/norm has Unicode %s, package unicode %s", norm.Version, unicode.Version)
	}
	tok, _ := New(nil)
	if !bytes.Contains(tok.MarshalText(), []byte("\nunicode "+unicode.Version+"\n")) {
		t.Fatalf("the encoding does not name Unicode %s:\n%s", unicode.Version, tok.MarshalText())
	}
}
