package llm

import (
	"strings"
	"testing"

	"github.com/delphi-network/delphi/runtime/text"
	"github.com/delphi-network/delphi/runtime/tokenizer"
)

var someVerses = []text.Verse{
	{Ref: "a", Text: "And God said, Let there be light: and there was light."},
	{Ref: "b", Text: "In the beginning God created the heaven and the earth."},
	{Ref: "c", Text: "Jesus wept."},
	{Ref: "d", Text: "And the evening and the morning were the first day."},
	{Ref: "e", Text: "The LORD is my shepherd; I shall not want."},
	{Ref: "f", Text: "For God so loved the world, that he gave his only begotten Son."},
}

func TestTextBenchItems(t *testing.T) {
	if got := splitHalf("ab cd ef gh"); got != [2]string{"ab cd", " ef gh\n"} {
		t.Fatalf("splitHalf %q", got)
	}
	if p, w := lastWord("and there was light."); p != "and there was" || w != "light" {
		t.Fatalf("lastWord %q %q", p, w)
	}
	cloze, err := BuildTextBench("kjv-cloze", someVerses)
	if err != nil {
		t.Fatal(err)
	}
	for i, it := range cloze.Items {
		if len(it.Options) != 4 || it.Answer != i%4 || !strings.HasPrefix(someVerses[i].Text, it.Context) ||
			it.Context+strings.TrimSuffix(it.Options[it.Answer], "\n") != someVerses[i].Text {
			t.Fatalf("item %d: %+v", i, it)
		}
		for j, o := range it.Options {
			if j != it.Answer && o == it.Options[it.Answer] {
				t.Fatalf("item %d: a distractor equals the answer", i)
			}
		}
	}
	complete, _ := BuildTextBench("kjv-complete", someVerses)
	if complete.Items[2].Context != "Jesus" || complete.Items[2].Target != "wept" {
		t.Fatalf("complete item %+v", complete.Items[2])
	}
	again, _ := BuildTextBench("kjv-cloze", someVerses)
	if again.Hash() != cloze.Hash() {
		t.Fatal("the benchmark hash is not stable")
	}
	cloze.Items[0].Answer = 3
	if again.Hash() == cloze.Hash() {
		t.Fatal("the hash ignores the answer")
	}
	if _, err := BuildTextBench("kjv-other", someVerses); err == nil {
		t.Fatal("an unknown benchmark was built")
	}
}

func TestEvaluatorScoresOnlyTheItem(t *testing.T) {
	tok, _ := tokenizer.Train([]byte(strings.Repeat("and the light was good. ", 30)), 300)
	cfg := tiny
	cfg.Vocab, cfg.Context = tok.VocabSize(), 64
	w, _ := Init(cfg, 4)
	b, _ := BuildTextBench("kjv-next", someVerses[:2])
	plain, err := NewEvaluator(w, tok, "")
	if err != nil {
		t.Fatal(err)
	}
	prompted, _ := NewEvaluator(w, tok, "Be brief.")
	r1, _ := plain.Evaluate(b, []int{0, 1}, false)
	r2, _ := prompted.Evaluate(b, []int{0, 1}, false)
	body := len(tok.Encode([]byte(someVerses[0].Text+"\n"))) + len(tok.Encode([]byte(someVerses[1].Text+"\n")))
	// Without a prompt the first token of each verse has nothing to be
	// predicted from; with one, every verse token is scored and no prompt token is.
	if r1.Scored != body-2 || r2.Scored != body {
		t.Fatalf("scored %d and %d tokens, verses hold %d", r1.Scored, r2.Scored, body)
	}
	if _, err := plain.Evaluate(b, []int{5}, false); err == nil {
		t.Fatal("an item index past the benchmark was accepted")
	}
	if _, err := NewEvaluator(w, tok, strings.Repeat("long prompt ", 40)); err == nil {
		t.Fatal("a system prompt filling the context was accepted")
	}
}
