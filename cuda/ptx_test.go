package cuda

import (
	"math"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// kernelsUsed are the launches plan can produce.
var kernelsUsed = []string{"det_conv2d", "det_pool2d", "det_gemm", "det_matmul", "det_binary", "det_unary", "det_softmax", "det_batchnorm"}

// TestPTXHasEveryKernel: each kernel plan launches is an entry point of
// exactly one embedded module.
func TestPTXHasEveryKernel(t *testing.T) {
	names, mods, err := ptxModules()
	if err != nil || len(names) == 0 {
		t.Fatalf("embedded PTX: %v (%d modules)", err, len(names))
	}
	for _, k := range kernelsUsed {
		found := 0
		for _, n := range names {
			if strings.Contains(string(mods[n]), ".entry "+k+"(") {
				found++
			}
		}
		if found != 1 {
			t.Errorf("kernel %s is an entry of %d modules, want 1", k, found)
		}
	}
}

// TestPTXArithmeticIsExact: the embedded PTX has no fused multiply-add, no
// flush-to-zero, no approximate instruction, and every float add, sub, mul,
// div and sqrt rounds to nearest (.rn), the one rounding the CPU uses.
func TestPTXArithmeticIsExact(t *testing.T) {
	bad := regexp.MustCompile(`\b(fma|mad)\.[a-z0-9.]*f(32|64)|\.ftz|\.approx|\b(add|sub|mul|div|sqrt)\.f(32|64)\b`)
	rounded := regexp.MustCompile(`\b(add|sub|mul|div|sqrt)\.rn\.f(32|64)\b`)
	names, mods, err := ptxModules()
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, n := range names {
		for i, line := range strings.Split(string(mods[n]), "\n") {
			if bad.MatchString(line) {
				t.Errorf("%s:%d: %s", n, i+1, strings.TrimSpace(line))
			}
			if rounded.MatchString(line) {
				total++
			}
		}
	}
	if total == 0 {
		t.Fatal("no rounded float arithmetic found: the check is not reading PTX")
	}
}

// TestDetmathConstants: the bit patterns in kernels/detmath.cuh are the
// float64 values of runtime/detmath.go's constants and constant expressions.
func TestDetmathConstants(t *testing.T) {
	src, err := os.ReadFile("kernels/detmath.cuh")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]float64{
		"LN2_HI": 6.93147180369123816490e-01, "LN2_LO": 1.90821492927058770002e-10,
		"LN2": 0.693147180559945309417232121458176568, "LOG2E": 1.44269504088896340735992468100189214,
		"SQRT2": 1.41421356237309504880168872420969808, "INV_23": 1.0 / 23,
		"INV_FACT13": 1.0 / 6227020800, "INV_FACT12": 1.0 / 479001600, "INV_FACT11": 1.0 / 39916800,
		"INV_FACT10": 1.0 / 3628800, "INV_FACT9": 1.0 / 362880, "INV_FACT8": 1.0 / 40320,
		"INV_FACT7": 1.0 / 5040, "INV_FACT6": 1.0 / 720, "INV_FACT5": 1.0 / 120,
		"INV_FACT4": 1.0 / 24, "INV_FACT3": 1.0 / 6, "TANH_SMALL": 1.0 / 4096,
	}
	re := regexp.MustCompile(`#define DET_(\w+) DET_D\((0x[0-9a-f]{16})\)`)
	seen := map[string]bool{}
	for _, m := range re.FindAllStringSubmatch(string(src), -1) {
		bits, err := strconv.ParseUint(m[2][2:], 16, 64)
		if err != nil {
			t.Fatal(err)
		}
		w, ok := want[m[1]]
		if !ok {
			t.Errorf("DET_%s has no Go counterpart in this test", m[1])
			continue
		}
		if math.Float64bits(w) != bits {
			t.Errorf("DET_%s = %#016x, Go's value is %#016x", m[1], bits, math.Float64bits(w))
		}
		seen[m[1]] = true
	}
	for name := range want {
		if !seen[name] {
			t.Errorf("DET_%s missing from detmath.cuh", name)
		}
	}
}
