package runtime

// Exp64 and Log64 expose the float64 cores of Exp/Log/Tanh/Sigmoid so that
// another implementation of them (the CUDA port in cuda/kernels/detmath.cuh)
// can be compared at full float64 precision: a port that is off in a last
// float64 bit usually still rounds to the same float32, so comparing only the
// float32 results would hide it, yet on some input it would not.

// Exp64 is e^x in float64 for x in [-200, 200] (outside, the float32 callers clamp first).
func Exp64(x float64) float64 { return exp64(x) }

// Log64 is ln x in float64 for finite x > 0.
func Log64(x float64) float64 { return log64(x) }
