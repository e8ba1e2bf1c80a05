//go:build !amd64

package runtime

// reluVec is reluSlice (no vector ReLU on this architecture yet).
func reluVec(dst, src []float32) { reluSlice(dst, src) }
