package llm

import (
	"bytes"
	"reflect"
	"slices"
	"testing"

	"github.com/delphi-network/delphi/runtime"
	"github.com/delphi-network/delphi/runtime/tokenizer"
)

// Every config — plain llama (version 1), the published layouts and chat
// templates (version 2) — encodes to bytes that decode to the same config
// and re-encode to the same bytes; anything else is refused.
func TestConfigEncodingRoundTrips(t *testing.T) {
	chat := tiny
	chat.Template = tokenizer.TemplateChatML
	l3 := publishedLayouts(tiny)[0]
	l3.Template = tokenizer.TemplateLlama3
	for _, cfg := range append([]Config{tiny, chat, l3}, publishedLayouts(tiny)...) {
		b := EncodeConfig(cfg)
		back, err := DecodeConfig(b)
		if err != nil {
			t.Fatalf("%+v: %v", cfg, err)
		}
		if !reflect.DeepEqual(back, cfg) || !bytes.Equal(EncodeConfig(back), b) {
			t.Fatalf("round trip: %+v became %+v", cfg, back)
		}
		for _, cut := range []int{1, 4, len(b) - 1} {
			if _, err := DecodeConfig(b[:len(b)-cut]); err == nil {
				t.Fatalf("%+v cut by %d bytes decodes", cfg, cut)
			}
		}
	}
	// A plain config spelled as version 2 is not canonical.
	v2 := EncodeConfig(chat)
	v2[len(configTagV2)+4] = 0 // template index: plain
	if _, err := DecodeConfig(v2); err == nil {
		t.Fatal("a plain llama config encoded as version 2 decodes")
	}
	// An index past the lists.
	for _, at := range []int{0, 4} {
		bad := EncodeConfig(chat)
		bad[len(configTagV2)+at] = 9
		if _, err := DecodeConfig(bad); err == nil {
			t.Fatalf("index 9 at %d decodes", at)
		}
	}
}

// A model whose file carries a chat template renders its registered
// system prompt with it, on the sidecar's program and the referee's
// skeleton alike (both read the template from the proven config), and the
// file round-trips the template.
func TestSystemPromptUsesTheModelsTemplate(t *testing.T) {
	tokens := make([]string, 0, 260)
	types := make([]int32, 0, 260)
	for b := 0; b < 256; b++ {
		tokens = append(tokens, tokenizer.BytesToGPT2([]byte{byte(b)}))
		types = append(types, int32(tokenizer.TypeNormal))
	}
	for _, s := range []string{"<|im_start|>", "<|im_end|>", "<|endoftext|>", "<|pad|>"} {
		tokens = append(tokens, s)
		types = append(types, int32(tokenizer.TypeControl))
	}
	tok, err := tokenizer.FromGGUF(tokenizer.GGUFVocab{Model: "gpt2", Pre: string(tokenizer.PreQwen2), Tokens: tokens, Types: types})
	if err != nil {
		t.Fatal(err)
	}
	cfg := Config{Arch: ArchQwen2, Template: tokenizer.TemplateChatML, Vocab: tok.VocabSize(), Dim: 16, Layers: 1, Heads: 2, Hidden: 24,
		Context: 96, RopeTheta: 1e6, NormEps: 1e-6}
	w, err := Init(cfg, 2)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := Save(w, tok, "chat", false)
	if err != nil {
		t.Fatal(err)
	}
	m, err := Open("gguf", raw, runtime.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	if m.Config.Template != tokenizer.TemplateChatML {
		t.Fatalf("template %q after a file round trip", m.Config.Template)
	}
	const prompt = "You are a scribe."
	s, err := m.Subject(prompt)
	if err != nil {
		t.Fatal(err)
	}
	want := []int{256}
	want = append(want, tok.Encode([]byte("system\n"+prompt))...)
	want = append(want, 257)
	want = append(want, tok.Encode([]byte("\n"))...)
	want = append(want, 256)
	want = append(want, tok.Encode([]byte("assistant\n"))...)
	if !slices.Equal(s.System, want) {
		t.Fatalf("system tokens %v, want %v", s.System, want)
	}
	skel, err := SkeletonSubject(m.Config, tok, prompt, runtime.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(skel.System, want) {
		t.Fatalf("the referee's skeleton renders %v, the sidecar %v", skel.System, want)
	}
	// The same weights with an unrendered template take no system prompt.
	other := m.Config
	other.Template = tokenizer.TemplateOther
	if _, err := SkeletonSubject(other, tok, prompt, runtime.DefaultLimits()); err == nil {
		t.Fatal("a system prompt was rendered with an unknown template")
	}
	if _, err := SkeletonSubject(other, tok, "", runtime.DefaultLimits()); err != nil {
		t.Fatalf("no system prompt: %v", err)
	}
}

// The tree's leaf sizes are the proven leaves' lengths, every part.
func TestTreeLeafSizes(t *testing.T) {
	tok, err := tokenizer.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	cfg := publishedLayouts(Config{Vocab: tok.VocabSize(), Dim: 16, Layers: 2, Heads: 2, Hidden: 24, Context: 12, RopeTheta: 10000, NormEps: 1e-5})[2]
	w, err := Init(cfg, 4)
	if err != nil {
		t.Fatal(err)
	}
	tree := NewTree(w, tok)
	for _, name := range append([]string{PartConfig, PartTokenizer}, Names(cfg)...) {
		_, data, _, err := tree.Prove(name)
		if err != nil {
			t.Fatal(err)
		}
		if got := tree.LeafSize(name); got != len(data) {
			t.Fatalf("%s: LeafSize %d, leaf %d bytes", name, got, len(data))
		}
	}
	if tree.LeafSize("nope") != 0 {
		t.Fatal("an unknown part has a size")
	}
}
