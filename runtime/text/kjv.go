// Package text holds the public-domain English text Delphi's language
// models train and are evaluated on: the King James Version of the Bible as
// Debian's bible-kjv prints it (one verse per line), checked against a
// pinned SHA-256, and its deterministic train / held-out split.
package text

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"

	"github.com/delphi-network/delphi/runtime/bench"
	"github.com/delphi-network/delphi/runtime/fetch"
)

// KJVSHA256 pins `bible -f Gen1:1-Rev22:21` from Debian's bible-kjv 4.38
// (bible-kjv-text 4.38): 31102 verses, 4404412 bytes.
const KJVSHA256 = "cd45f0c9cedab8e4439bd6486c8952c77cc8b0ecc5d1f6ae3513f2039f47229d"

// KJVVerses is the number of verses in the file.
const KJVVerses = 31102

// KJVPath is where scripts/fetch-data.sh writes the text.
func KJVPath() string { return filepath.Join(bench.DataDir(), "bible-kjv", "kjv.txt") }

// Verse is one line of the text: its reference ("Ge1:1") and its words.
type Verse struct {
	Ref  string
	Text string
}

// LoadKJV reads and checks the text and splits it into verses.
func LoadKJV() ([]Verse, error) {
	raw, err := os.ReadFile(KJVPath())
	if err != nil {
		return nil, fmt.Errorf("the KJV text is missing (run make data: apt-get install bible-kjv): %w", err)
	}
	if err := fetch.Check("kjv.txt", raw, KJVSHA256); err != nil {
		return nil, err
	}
	return ParseVerses(raw)
}

// ParseVerses splits "Ref text" lines into verses.
func ParseVerses(raw []byte) ([]Verse, error) {
	var out []Verse
	for i, line := range bytes.Split(bytes.TrimRight(raw, "\n"), []byte("\n")) {
		sp := bytes.IndexByte(line, ' ')
		if sp <= 0 || sp == len(line)-1 {
			return nil, fmt.Errorf("line %d is not \"REF TEXT\": %q", i+1, line)
		}
		out = append(out, Verse{Ref: string(line[:sp]), Text: string(line[sp+1:])})
	}
	return out, nil
}

// HeldOutEvery puts every 20th verse (index ≡ 19 mod 20) in the held-out
// split: 5% of the text, spread over every book, never seen in training.
const HeldOutEvery = 20

// Split returns the training and held-out verses, in text order.
func Split(verses []Verse) (train, heldOut []Verse) {
	for i, v := range verses {
		if i%HeldOutEvery == HeldOutEvery-1 {
			heldOut = append(heldOut, v)
		} else {
			train = append(train, v)
		}
	}
	return train, heldOut
}

// Join is the byte stream a model sees: verse texts separated by "\n".
func Join(verses []Verse) []byte {
	var b bytes.Buffer
	for _, v := range verses {
		b.WriteString(v.Text)
		b.WriteByte('\n')
	}
	return b.Bytes()
}
