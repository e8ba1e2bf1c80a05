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
	// Each verse's first token is never scored, with or without a prompt,
	// and no prompt token is: both score the same tokens, differently.
	if r1.Scored != body-2 || r2.Scored != body-2 {
		t.Fatalf("scored %d and %d tokens, verses hold %d", r1.Scored, r2.Scored, body)
	}
	if r1.BitsPerByte == r2.BitsPerByte {
		t.Fatal("the system prompt changed nothing")
	}
	if _, err := plain.Evaluate(b, []int{5}, false); err == nil {
		t.Fatal("an item index past the benchmark was accepted")
	}
	if _, err := NewEvaluator(w, tok, strings.Repeat("long prompt ", 40)); err == nil {
		t.Fatal("a system prompt filling the context was accepted")
	}
}

// A judge decides generation items from the log-likelihood of " yes"
// against " no"; its runs join the candidate's trace.
func TestJudgeVerdictsAreTraced(t *testing.T) {
	tok, _ := tokenizer.Train([]byte(strings.Repeat("yes no and the light was good. ", 30)), 300)
	cfg := tiny
	cfg.Vocab, cfg.Context = tok.VocabSize(), 64
	cand, _ := Init(cfg, 4)
	judgeW, _ := Init(cfg, 5)
	b, _ := BuildTextBench("kjv-complete", someVerses)
	items := []int{0, 1, 2, 3}
	plain, _ := NewEvaluator(cand, tok, "")
	judged, _ := NewEvaluator(cand, tok, "")
	judged.Judge, _ = NewEvaluator(judgeW, tok, "")
	r1, err := plain.Evaluate(b, items, true)
	if err != nil {
		t.Fatal(err)
	}
	r2, err := judged.Evaluate(b, items, true)
	if err != nil {
		t.Fatal(err)
	}
	if r1.Runs != len(items)*GenerateTokens || r2.Runs != len(items)*(GenerateTokens+2) {
		t.Fatalf("runs %d and %d", r1.Runs, r2.Runs)
	}
	if r2.Leaves <= r1.Leaves || r2.TraceRoot == r1.TraceRoot {
		t.Fatal("the judge's runs are not in the trace")
	}
	// The verdict is the judge's own log-likelihood comparison, recomputed
	// here with the KV-cache session.
	wantCorrect := 0
	for _, i := range items {
		it := b.Items[i]
		gen, _ := NewSession(cand).Generate(tok.Encode([]byte(it.Context)), GenerateTokens, -1)
		text, _ := tok.Decode(gen)
		prompt := strings.NewReplacer("{prompt}", it.Context, "{answer}", firstWord(string(text)), "{reference}", it.Target).Replace(DefaultJudgePrompt)
		var lp [2]float64
		for k, v := range []string{" yes", " no"} {
			s := NewSession(judgeW)
			ctx, vt := tok.Encode([]byte(prompt)), tok.Encode([]byte(v))
			if room := cfg.Context - len(vt); len(ctx) > room {
				ctx = ctx[len(ctx)-room:] // the evaluator keeps the prompt's tail
			}
			ids := append(append([]int{}, ctx...), vt...)
			start := len(ctx)
			for p := 0; p < len(ids)-1; p++ {
				row, _ := s.Step(ids[p])
				if p+1 >= start {
					lp[k] += float64(logProb(row, ids[p+1]))
				}
			}
		}
		if lp[0] > lp[1] {
			wantCorrect++
		}
	}
	if r2.Correct != wantCorrect {
		t.Fatalf("judge said yes %d times, the recomputation %d", r2.Correct, wantCorrect)
	}
	// Judges rigged to favour one verdict decide every item that way.
	for _, yes := range []bool{true, false} {
		rigged, _ := Init(cfg, 5)
		out := rigged.Tensors["output.weight"].F
		favour, against := tok.Encode([]byte(" yes")), tok.Encode([]byte(" no"))
		if !yes {
			favour, against = against, favour
		}
		for d := 0; d < cfg.Dim; d++ {
			for _, id := range favour {
				out[d*cfg.Vocab+id] += 50
			}
			for _, id := range against {
				out[d*cfg.Vocab+id] -= 50
			}
		}
		ev, _ := NewEvaluator(cand, tok, "")
		ev.Judge, _ = NewEvaluator(rigged, tok, "")
		r, err := ev.Evaluate(b, items, false)
		if err != nil {
			t.Fatal(err)
		}
		if want := map[bool]int{true: len(items), false: 0}[yes]; r.Correct != want {
			t.Fatalf("a judge rigged to say yes=%v gave %d of %d", yes, r.Correct, len(items))
		}
	}
}

func TestEvaluatorRefusesShortWindows(t *testing.T) {
	tok, _ := tokenizer.Train([]byte(strings.Repeat("and the light was good. ", 30)), 300)
	cfg := tiny
	cfg.Vocab, cfg.Context = tok.VocabSize(), 8
	w, _ := Init(cfg, 4)
	if _, err := NewEvaluator(w, tok, ""); err == nil || !strings.Contains(err.Error(), "too short") {
		t.Fatalf("an 8-token window: %v", err)
	}
}
