// Package llm is Delphi's decoder-only transformer ("llama" architecture):
// its configuration and weights, the runtime graph that evaluates it (so
// every operator output is a trace leaf Verde can referee), GGUF files in
// and out, and a deterministic reference forward pass.
package llm

import "fmt"

// Config is a llama-architecture model's shape.
type Config struct {
	Vocab     int     // tokens
	Dim       int     // embedding width
	Layers    int     // transformer blocks
	Heads     int     // attention heads
	KVHeads   int     `json:",omitempty"` // key/value heads for grouped-query attention (0: one per head)
	Hidden    int     // feed-forward width (SwiGLU)
	Context   int     // longest sequence the model was trained for
	RopeTheta float32 // rotary base frequency
	NormEps   float32 // RMSNorm epsilon
}

// HeadDim is Dim / Heads.
func (c Config) HeadDim() int { return c.Dim / c.Heads }

// KV is the number of key/value heads: query head h reads key/value head
// h / (Heads / KV).
func (c Config) KV() int {
	if c.KVHeads == 0 {
		return c.Heads
	}
	return c.KVHeads
}

// KVDim is the width of the key and value projections.
func (c Config) KVDim() int { return c.KV() * c.HeadDim() }

// Validate bounds every field so that a hostile file cannot ask for an
// absurd allocation before the runtime's own limits apply.
func (c Config) Validate() error {
	switch {
	case c.Vocab < 2 || c.Vocab > 1<<18:
		return fmt.Errorf("vocabulary %d outside [2, 262144]", c.Vocab)
	case c.Dim < 2 || c.Dim > 1<<14:
		return fmt.Errorf("width %d outside [2, 16384]", c.Dim)
	case c.Layers < 1 || c.Layers > 256:
		return fmt.Errorf("%d layers outside [1, 256]", c.Layers)
	case c.Heads < 1 || c.Dim%c.Heads != 0 || c.HeadDim()%2 != 0:
		return fmt.Errorf("%d heads must divide the width %d into even head sizes", c.Heads, c.Dim)
	case c.KVHeads < 0 || c.KVHeads > c.Heads || c.Heads%c.KV() != 0:
		return fmt.Errorf("%d key/value heads must divide the %d heads", c.KVHeads, c.Heads)
	case c.Hidden < 1 || c.Hidden > 1<<16:
		return fmt.Errorf("feed-forward width %d outside [1, 65536]", c.Hidden)
	case c.Context < 1 || c.Context > 1<<16:
		return fmt.Errorf("context %d outside [1, 65536]", c.Context)
	case !(c.RopeTheta > 1) || !(c.NormEps > 0) || c.NormEps > 1:
		return fmt.Errorf("rope theta %v must exceed 1 and the norm epsilon %v lie in (0, 1]", c.RopeTheta, c.NormEps)
	}
	return nil
}

// Params counts the weights.
func (c Config) Params() int {
	perLayer := 2*c.Dim + 2*c.Dim*c.Dim + 2*c.Dim*c.KVDim() + 3*c.Dim*c.Hidden
	return 2*c.Vocab*c.Dim + c.Layers*perLayer + c.Dim
}
