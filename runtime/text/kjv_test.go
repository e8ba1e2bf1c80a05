package text

import (
	"strings"
	"testing"
)

func TestKJVSplit(t *testing.T) {
	verses, err := LoadKJV()
	if err != nil {
		t.Fatal(err)
	}
	if len(verses) != KJVVerses || verses[0].Ref != "Ge1:1" || verses[len(verses)-1].Ref != "Rev22:21" {
		t.Fatalf("%d verses from %s to %s", len(verses), verses[0].Ref, verses[len(verses)-1].Ref)
	}
	train, held := Split(verses)
	if len(train)+len(held) != KJVVerses || len(held) != KJVVerses/HeldOutEvery {
		t.Fatalf("split %d + %d", len(train), len(held))
	}
	if held[0].Ref != "Ge1:20" || !strings.HasPrefix(held[0].Text, "And God said, Let the waters") {
		t.Fatalf("first held-out verse %+v", held[0])
	}
	seen := map[string]bool{}
	for _, v := range train {
		seen[v.Ref] = true
	}
	for _, v := range held {
		if seen[v.Ref] {
			t.Fatalf("%s is in both splits", v.Ref)
		}
	}
}

func TestParseVersesRefusesGarbage(t *testing.T) {
	for _, bad := range []string{"Ge1:1", " text", "Ge1:1 ", "ok line\n\nnext"} {
		if _, err := ParseVerses([]byte(bad)); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
}
