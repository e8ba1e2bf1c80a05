package llm

import (
	"fmt"
	"strings"
)

// input is what one step's run reads: its token ids (at most the window)
// and the first position whose token is scored (row p−1 of the logits
// predicts ids[p]).
type input struct {
	ids  []int
	from int
}

// input assembles a step's tokens from the item, the subject's system
// prompt and, for generation and verdict steps, the tokens picked by the
// generation steps before it. It is the one definition of what a run is
// fed: the evaluation and the referee both call it.
func (t *Task) input(it TextItem, s Stage, picks []int) (input, error) {
	if it.Kind != t.Kind {
		return input{}, fmt.Errorf("a %q item in a %q task", it.Kind, t.Kind)
	}
	m := t.subject(s)
	if m == nil {
		return input{}, fmt.Errorf("step %d/%d has no model", s.Kind, s.Index)
	}
	W, sys := m.Window, m.System
	var in input
	switch s.Kind {
	case StageScore:
		// The verse's first `room` tokens; its first token is never scored,
		// with or without a system prompt, so every model is scored on the
		// same text.
		body := m.Tok.Encode([]byte(it.Context))
		if room := W - len(sys); len(body) > room {
			body = body[:room]
		}
		in = input{ids: cat(sys, body), from: len(sys) + 1}
	case StageOption, StagePrior:
		if len(it.Options) != ChoiceOptions || s.Index < 0 || s.Index >= ChoiceOptions {
			return input{}, fmt.Errorf("a choice item has %d options, want %d", len(it.Options), ChoiceOptions)
		}
		// Options longer than the window less one context token are scored
		// on their first tokens; every option follows the same context, the
		// verse's tail that leaves room for the longest option.
		opts := make([][]int, ChoiceOptions)
		longest := 0
		for o, opt := range it.Options {
			opts[o] = m.Tok.Encode([]byte(opt))
			if maxOpt := W - len(sys) - 1; len(opts[o]) > maxOpt {
				opts[o] = opts[o][:maxOpt]
			}
			longest = max(longest, len(opts[o]))
		}
		opt := opts[s.Index]
		var ctx []int
		if s.Kind == StageOption {
			ctx = fitTail(m.Tok.Encode([]byte(it.Context)), W-len(sys)-longest)
		} else {
			ctx = fitTail(m.Tok.Encode([]byte("\n")), W-len(sys)-len(opt))
		}
		if len(sys)+len(ctx) == 0 {
			return input{}, fmt.Errorf("a choice item has no context to score its options after")
		}
		in = input{ids: cat(sys, ctx, opt), from: len(sys) + len(ctx)}
	case StageGenerate:
		if s.Index != len(picks) {
			return input{}, fmt.Errorf("generation step %d after %d picks", s.Index, len(picks))
		}
		prompt := cat(sys, fitTail(m.Tok.Encode([]byte(it.Context)), W-len(sys)-GenerateTokens))
		if len(prompt) == 0 {
			return input{}, fmt.Errorf("a generation item has no prompt to continue")
		}
		ids := cat(prompt, picks)
		in = input{ids: ids, from: len(ids)}
	case StageVerdict:
		if len(picks) != GenerateTokens {
			return input{}, fmt.Errorf("a verdict after %d of %d picks", len(picks), GenerateTokens)
		}
		answer, err := t.answer(picks)
		if err != nil {
			return input{}, err
		}
		tmpl := t.JudgePrompt
		if tmpl == "" {
			tmpl = DefaultJudgePrompt
		}
		prompt := strings.NewReplacer("{prompt}", it.Context, "{answer}", answer, "{reference}", it.Target).Replace(tmpl)
		verdicts := [2][]int{m.Tok.Encode([]byte(" yes")), m.Tok.Encode([]byte(" no"))}
		if s.Index < 0 || s.Index > 1 {
			return input{}, fmt.Errorf("verdict %d", s.Index)
		}
		// Both verdicts follow the same context: the prompt's tail that
		// leaves room for the longer one.
		ctx := fitTail(m.Tok.Encode([]byte(prompt)), W-len(sys)-max(len(verdicts[0]), len(verdicts[1])))
		if len(sys)+len(ctx) == 0 {
			return input{}, fmt.Errorf("the judge's prompt is empty")
		}
		in = input{ids: cat(sys, ctx, verdicts[s.Index]), from: len(sys) + len(ctx)}
	default:
		return input{}, fmt.Errorf("unknown step kind %d", s.Kind)
	}
	if len(in.ids) > W {
		return input{}, fmt.Errorf("a step of %d tokens exceeds the %d-token window", len(in.ids), W)
	}
	return in, nil
}

// answer is the candidate's generated word: the first run of letters of
// the picked tokens' text.
func (t *Task) answer(picks []int) (string, error) {
	b, err := t.Cand.Tok.Decode(picks)
	if err != nil {
		return "", fmt.Errorf("picked tokens: %w", err)
	}
	return firstWord(string(b)), nil
}

// fitTail keeps the last tokens of body that fit in room positions (at
// least one).
func fitTail(body []int, room int) []int {
	room = max(room, 1)
	if len(body) > room {
		body = body[len(body)-room:]
	}
	return body
}

// cat concatenates token lists into a new slice.
func cat(parts ...[]int) []int {
	n := 0
	for _, p := range parts {
		n += len(p)
	}
	out := make([]int, 0, n)
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// firstWord returns the first run of letters after optional spaces.
func firstWord(s string) string {
	i := 0
	for i < len(s) && s[i] == ' ' {
		i++
	}
	j := i
	for j < len(s) && isLetter(s[j]) {
		j++
	}
	return s[i:j]
}
