package tokenizer

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/delphi-network/delphi/runtime/bench"
)

// A system prompt rendered by System is, token for token, what the
// published tokenizer's own chat template renders (apply_chat_template,
// one system message, generation prompt added): Llama 3's header tokens,
// Qwen 3's ChatML.
func TestSystemPromptsMatchPublishedTemplates(t *testing.T) {
	dir := lenmlDir(t)
	prompts := []string{
		"You are a scribe.",
		"  Answer in the words of the King James Bible.\n",
		"Réponds en français, s'il te plaît. 答えは日本語で。",
		"Line one\nLine two\n\nDON'T shout 1234567",
	}
	for _, c := range []struct {
		p    published
		want Template
	}{{publishedTokenizers[0], TemplateLlama3}, {publishedTokenizers[1], TemplateChatML}} {
		t.Run(c.p.pkg, func(t *testing.T) {
			cfg, err := os.ReadFile(filepath.Join(dir, c.p.pkg, "models", "tokenizer_config.json"))
			if err != nil {
				t.Fatal(err)
			}
			var tc struct {
				ChatTemplate string `json:"chat_template"`
			}
			if err := json.Unmarshal(cfg, &tc); err != nil {
				t.Fatal(err)
			}
			if got := TemplateOf(tc.ChatTemplate); got != c.want {
				t.Fatalf("the package's template is recognised as %q, want %q", got, c.want)
			}
			tok, err := FromGGUF(vocabFromHF(t, filepath.Join(dir, c.p.pkg, "models", "tokenizer.json"), c.p))
			if err != nil {
				t.Fatal(err)
			}
			in, _ := json.Marshal(prompts)
			cmd := exec.Command("node", filepath.Join("testdata", "chat.mjs"), bench.DataDir(), c.p.pkg)
			cmd.Stdin = bytes.NewReader(in)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("node chat.mjs: %v\n%s\n(%s)", err, stderr.Bytes(), makeData)
			}
			var want [][]int
			if err := json.Unmarshal(out, &want); err != nil || len(want) != len(prompts) {
				t.Fatalf("node chat.mjs: %d results (%v)", len(want), err)
			}
			for i, p := range prompts {
				got, err := tok.System(c.want, p)
				if err != nil {
					t.Fatal(err)
				}
				if !slices.Equal(got, want[i]) {
					t.Fatalf("prompt %q:\n Delphi    %v\n published %v", p, got, want[i])
				}
			}
		})
	}
}

// A vocabulary without the template's special tokens, an unrendered
// family and an unknown name are refused with the reason.
func TestSystemRefusals(t *testing.T) {
	own, err := New(nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		tm   Template
		want string
	}{
		{TemplateLlama3, `special token "<|begin_of_text|>"`},
		{TemplateChatML, `special token "<|im_start|>"`},
		{TemplateOther, "register it without a system prompt"},
		{"mistral", `chat template "mistral"`},
	} {
		if _, err := own.System(c.tm, "hi"); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: %v, want %q", c.tm, err, c.want)
		}
	}
	ids, err := own.System(TemplatePlain, "hi")
	if err != nil || !slices.Equal(ids, own.Encode([]byte("hi\n"))) {
		t.Fatalf("plain: %v %v", ids, err)
	}
	for _, tm := range []Template{TemplateLlama3, TemplateChatML} {
		if TemplateOf(tm.Jinja()) != tm {
			t.Errorf("%s: Delphi's own Jinja is not recognised as its family", tm)
		}
	}
	if TemplateOf("{{ '[INST] ' + m['content'] + ' [/INST]' }}") != TemplateOther || TemplateOf("") != TemplatePlain {
		t.Error("an unknown template or none is misnamed")
	}
}

// The Llama 3 template trims the prompt as Jinja does (Python's strip):
// the separators U+001C–U+001F go too, which strings.TrimSpace keeps.
func TestJinjaTrim(t *testing.T) {
	for in, want := range map[string]string{
		" \t\nhi \n": "hi", "\x1chi\x1f": "hi", "\u00a0hi\u2003": "hi", "\ufeffhi": "\ufeffhi", "a b": "a b",
	} {
		if got := jinjaTrim(in); got != want {
			t.Errorf("jinjaTrim(%q) = %q, want %q", in, got, want)
		}
	}
}
