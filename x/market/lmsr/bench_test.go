package lmsr

import (
	"fmt"
	"math/big"
	"math/rand"
	"testing"

	sdkmath "cosmossdk.io/math"
)

// benchState returns a traded n-outcome state with b = 10^12 (a million
// tokens of a 6-decimal collateral) and quantities spread over ~3·b.
func benchState(n int) ([]sdkmath.Int, sdkmath.Int) {
	rng := rand.New(rand.NewSource(int64(n)))
	b := sdkmath.NewInt(1_000_000_000_000)
	q := make([]sdkmath.Int, n)
	for j := range q {
		q[j] = sdkmath.NewInt(rng.Int63n(3_000_000_000_000))
	}
	return q, b
}

var benchSizes = []int{2, 8, 20, 32, 64}

func BenchmarkCost(bm *testing.B) {
	for _, n := range benchSizes {
		q, b := benchState(n)
		bm.Run(fmt.Sprintf("n=%d", n), func(bm *testing.B) {
			for bm.Loop() {
				if _, err := Cost(q, b); err != nil {
					bm.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkBuyCost(bm *testing.B) {
	shares := sdkmath.NewInt(123_456_789)
	for _, n := range benchSizes {
		q, b := benchState(n)
		bm.Run(fmt.Sprintf("n=%d", n), func(bm *testing.B) {
			for bm.Loop() {
				if _, err := BuyCost(q, b, 1, shares); err != nil {
					bm.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkSellProceeds(bm *testing.B) {
	shares := sdkmath.NewInt(123_456_789)
	for _, n := range benchSizes {
		q, b := benchState(n)
		bm.Run(fmt.Sprintf("n=%d", n), func(bm *testing.B) {
			for bm.Loop() {
				if _, err := SellProceeds(q, b, 1, shares); err != nil {
					bm.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkSharesForAmount(bm *testing.B) {
	amount := sdkmath.NewInt(50_000_000_000)
	for _, n := range benchSizes {
		q, b := benchState(n)
		bm.Run(fmt.Sprintf("n=%d", n), func(bm *testing.B) {
			for bm.Loop() {
				if _, err := SharesForAmount(q, b, 1, amount); err != nil {
					bm.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkPrices(bm *testing.B) {
	for _, n := range benchSizes {
		q, b := benchState(n)
		bm.Run(fmt.Sprintf("n=%d", n), func(bm *testing.B) {
			for bm.Loop() {
				if _, err := Prices(q, b); err != nil {
					bm.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkExpNeg(bm *testing.B) {
	y := new(big.Int).Mul(big.NewInt(3), fixedOne)
	y.Quo(y, big.NewInt(7))
	for bm.Loop() {
		expNeg(y)
	}
}

func BenchmarkLn(bm *testing.B) {
	x := new(big.Int).Mul(big.NewInt(17), fixedOne)
	x.Quo(x, big.NewInt(7))
	for bm.Loop() {
		ln(x)
	}
}
