package runtime

import "math"

// The element-wise unary family: one output element from one input
// element, so no order to fix, only each formula's own rounding, written
// out with float32(...) around every product so no compiler fuses a
// multiply-add. Transcendentals are detmath's (Exp, Log, Tanh): the same
// bits on every CPU. Every one keeps the CPU reference kernel on every
// backend (elementwiseCPU: no backend parameters). The formulas, with
// ONNX's attribute defaults:
//
//	Neg −x · Abs |x| · Floor, Ceil, Round (half to even) exact · Sign −1, +0, 1 (NaN stays NaN)
//	Reciprocal 1/x · Sqrt correctly rounded · Exp, Log detmath
//	Sin, Cos, Tan, Asin, Acos, Atan, Sinh, Cosh, Asinh, Acosh, Atanh detmath_trig.go
//	Softplus float32(log(1 + e^x)) in float64 (x for x > 20, e^x for x < −20)
//	Softsign x / float32(1 + |x|)
//	LeakyRelu(α=0.01) x < 0 ? float32(α·x) : x
//	ThresholdedRelu(α=1) x > α ? x : 0
//	Elu(α=1) x < 0 ? float32(α·float32(Exp(x) − 1)) : x
//	Selu(α=1.67326319217681884765625, γ=1.05070102214813232421875)
//	  x ≤ 0 ? float32(γ·float32(float32(α·Exp(x)) − α)) : float32(γ·x)
//	Celu(α=1) max(0, x) + min(0, float32(α·float32(Exp(x/α) − 1)))
//	HardSigmoid(α=0.2, β=0.5) min(1, max(0, float32(float32(α·x) + β)))
//	HardSwish x · HardSigmoid(α=1/6, β=0.5) as float32(x·h)
//	Mish float32(x·Tanh(Softplus(x)))
func init() {
	fixed := func(f func(float32) float32) builder {
		return elementwiseCPU(func(*Node) (func(float32) float32, error) { return f, nil })
	}
	register("Neg", byType(fixed(func(x float32) float32 { return -x }), intUnary(intNeg, true)))
	register("Abs", byType(fixed(abs32), intUnary(intAbs, false)))
	register("Floor", fixed(func(x float32) float32 { return float32(math.Floor(float64(x))) }))
	register("Ceil", fixed(func(x float32) float32 { return float32(math.Ceil(float64(x))) }))
	register("Round", fixed(func(x float32) float32 { return float32(math.RoundToEven(float64(x))) }))
	register("Sign", byType(fixed(sign), intUnary(intSign, false)))
	register("Reciprocal", fixed(func(x float32) float32 { return 1 / x }))
	register("Sqrt", fixed(Sqrt))
	register("Exp", fixed(Exp))
	register("Log", fixed(Log))
	for op, f := range map[string]func(float32) float32{"Sin": Sin, "Cos": Cos, "Tan": Tan, "Asin": Asin, "Acos": Acos,
		"Atan": Atan, "Sinh": Sinh, "Cosh": Cosh, "Asinh": Asinh, "Acosh": Acosh, "Atanh": Atanh} {
		// ×4: Sin/Cos/Tan of |x| ≥ 2^18 reduce in 400-bit math/big
		register(op, costly(fixed(f), 4))
	}
	register("Softplus", fixed(Softplus))
	register("Softsign", fixed(func(x float32) float32 { return x / float32(1+abs32(x)) }))
	register("Mish", fixed(func(x float32) float32 { return float32(x * Tanh(Softplus(x))) }))
	register("LeakyRelu", withAlpha(0.01, func(a float32) func(float32) float32 {
		return func(x float32) float32 {
			if x < 0 {
				return float32(a * x)
			}
			return x
		}
	}))
	register("ThresholdedRelu", withAlpha(1, func(a float32) func(float32) float32 {
		return func(x float32) float32 {
			if x > a {
				return x
			}
			return 0
		}
	}))
	register("Elu", withAlpha(1, func(a float32) func(float32) float32 {
		return func(x float32) float32 {
			if x < 0 {
				return float32(a * float32(Exp(x)-1))
			}
			return x
		}
	}))
	register("Celu", withAlpha(1, func(a float32) func(float32) float32 {
		return func(x float32) float32 {
			return max(0, x) + min(0, float32(a*float32(Exp(x/a)-1)))
		}
	}))
	register("Selu", elementwiseCPU(func(n *Node) (func(float32) float32, error) {
		a, err := n.attrFloat("alpha", 1.67326319217681884765625)
		if err != nil {
			return nil, err
		}
		g, err := n.attrFloat("gamma", 1.05070102214813232421875)
		if err != nil {
			return nil, err
		}
		return func(x float32) float32 {
			if x <= 0 {
				return float32(g * float32(float32(a*Exp(x))-a))
			}
			return float32(g * x)
		}, nil
	}))
	register("HardSigmoid", elementwiseCPU(func(n *Node) (func(float32) float32, error) {
		a, err := n.attrFloat("alpha", 0.2)
		if err != nil {
			return nil, err
		}
		b, err := n.attrFloat("beta", 0.5)
		if err != nil {
			return nil, err
		}
		return func(x float32) float32 { return hardSigmoid(x, a, b) }, nil
	}))
	register("HardSwish", fixed(func(x float32) float32 { return float32(x * hardSigmoid(x, 1.0/6, 0.5)) }))
}

// withAlpha builds an op whose function takes the alpha attribute.
func withAlpha(def float32, f func(alpha float32) func(float32) float32) builder {
	return elementwiseCPU(func(n *Node) (func(float32) float32, error) {
		a, err := n.attrFloat("alpha", def)
		if err != nil {
			return nil, err
		}
		return f(a), nil
	})
}

func abs32(x float32) float32 { return math.Float32frombits(math.Float32bits(x) &^ (1 << 31)) }

// sign is −1, 0 or 1 (−0 and +0 give +0; NaN stays NaN).
func sign(x float32) float32 {
	switch {
	case x > 0:
		return 1
	case x < 0:
		return -1
	case x == 0:
		return 0
	}
	return x
}

func hardSigmoid(x, a, b float32) float32 {
	return min(1, max(0, float32(float32(a*x)+b)))
}

// Softplus is ln(1 + e^x) rounded to float32: computed in float64 with
// detmath's exp64 and log64 (one rounding), e^x below −20 (where 1 + e^x
// rounds to 1) and x above 20 (where e^−x vanishes against x).
func Softplus(x float32) float32 {
	switch {
	case x != x:
		return x
	case x > 20:
		return x
	case x < -20:
		return Exp(x)
	}
	return float32(log64(1 + exp64(float64(x))))
}
