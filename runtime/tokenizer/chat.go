package tokenizer

import (
	"fmt"
	"strings"
	"unicode"
)

// Template is a family of chat templates: how a model's authors wrap a
// system prompt (and what follows it) in the tokens the model was tuned
// on. GGUF files carry the template as Jinja source
// (tokenizer.chat_template); Delphi recognises the families below by their
// markers and renders them itself, token for token as the published
// template renders a conversation of one system message with the
// generation prompt added (tested against the published tokenizers'
// apply_chat_template).
type Template string

// The families.
const (
	// TemplatePlain is Delphi's own: the prompt, then a newline, as text.
	TemplatePlain Template = ""
	// TemplateLlama3 is Llama 3's: <|begin_of_text|>
	// <|start_header_id|>system<|end_header_id|>\n\n{prompt, trimmed}<|eot_id|>
	// <|start_header_id|>assistant<|end_header_id|>\n\n
	TemplateLlama3 Template = "llama3"
	// TemplateChatML is ChatML, as Qwen 2 and Qwen 3 use it:
	// <|im_start|>system\n{prompt}<|im_end|>\n<|im_start|>assistant\n
	TemplateChatML Template = "chatml"
	// TemplateOther is any other template: Delphi does not render it, so a
	// model with one cannot take a system prompt.
	TemplateOther Template = "other"
)

// Templates lists the families in their config code order.
var Templates = []Template{TemplatePlain, TemplateLlama3, TemplateChatML, TemplateOther}

// TemplateOf names the family of a Jinja chat template ("" for none).
func TemplateOf(jinja string) Template {
	switch {
	case jinja == "":
		return TemplatePlain
	case strings.Contains(jinja, "<|start_header_id|>") && strings.Contains(jinja, "<|eot_id|>"):
		return TemplateLlama3
	case strings.Contains(jinja, "<|im_start|>") && strings.Contains(jinja, "<|im_end|>"):
		return TemplateChatML
	}
	return TemplateOther
}

// Jinja is a template of the family in Jinja, as a GGUF file carries it
// ("" for TemplatePlain and TemplateOther): written by Delphi, rendering
// what System renders.
func (tm Template) Jinja() string {
	switch tm {
	case TemplateLlama3:
		return "{{ bos_token }}{% for m in messages %}{{ '<|start_header_id|>' + m['role'] + '<|end_header_id|>\n\n' + m['content'] | trim + '<|eot_id|>' }}{% endfor %}" +
			"{% if add_generation_prompt %}{{ '<|start_header_id|>assistant<|end_header_id|>\n\n' }}{% endif %}"
	case TemplateChatML:
		return "{% for m in messages %}{{ '<|im_start|>' + m['role'] + '\n' + m['content'] + '<|im_end|>\n' }}{% endfor %}" +
			"{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}"
	}
	return ""
}

// System returns the tokens a system prompt puts before every text the
// model reads, rendered with the template: the template's special tokens
// by id (never from text), the text between them encoded piece by piece,
// as a chat template's rendering is tokenized.
func (t *BPE) System(tm Template, prompt string) ([]int, error) {
	type part struct {
		special bool
		s       string
	}
	sp := func(s string) part { return part{true, s} }
	tx := func(s string) part { return part{false, s} }
	var parts []part
	switch tm {
	case TemplatePlain:
		parts = []part{tx(prompt + "\n")}
	case TemplateLlama3:
		parts = []part{sp("<|begin_of_text|>"), sp("<|start_header_id|>"), tx("system"), sp("<|end_header_id|>"),
			tx("\n\n" + jinjaTrim(prompt)), sp("<|eot_id|>"),
			sp("<|start_header_id|>"), tx("assistant"), sp("<|end_header_id|>"), tx("\n\n")}
	case TemplateChatML:
		parts = []part{sp("<|im_start|>"), tx("system\n" + prompt), sp("<|im_end|>"), tx("\n"),
			sp("<|im_start|>"), tx("assistant\n")}
	case TemplateOther:
		return nil, fmt.Errorf("the model's chat template is not one Delphi renders (%s, %s): register it without a system prompt", TemplateLlama3, TemplateChatML)
	default:
		return nil, fmt.Errorf("chat template %q: supported are %q, %q and Delphi's plain one", string(tm), TemplateLlama3, TemplateChatML)
	}
	var out []int
	for _, p := range parts {
		if !p.special {
			out = append(out, t.Encode([]byte(p.s))...)
			continue
		}
		id, ok := t.specialID(p.s)
		if !ok {
			return nil, fmt.Errorf("the %s chat template needs the special token %q, which the vocabulary lacks", tm, p.s)
		}
		out = append(out, id)
	}
	return out, nil
}

// specialID is the id of the control or user-defined token s.
func (t *BPE) specialID(s string) (int, bool) {
	for id, b := range t.vocab {
		if string(b) == s && (t.TokenType(id) == TypeControl || t.TokenType(id) == TypeUserDefined) {
			return id, true
		}
	}
	return 0, false
}

// jinjaTrim is Jinja's trim filter: Python's str.strip, which removes what
// str.isspace calls space — Unicode White_Space and the separators
// U+001C–U+001F (strings.TrimSpace keeps those).
func jinjaTrim(s string) string {
	return strings.TrimFunc(s, func(r rune) bool { return unicode.IsSpace(r) || r >= 0x1c && r <= 0x1f })
}
