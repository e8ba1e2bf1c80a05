package main

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseBenchTakesMediansPerMetric(t *testing.T) {
	dir := t.TempDir()
	raw := `goos: linux
BenchmarkBuyCost/n=2-2   	  300000	      3300 ns/op
BenchmarkBuyCost/n=2-2   	  300000	      3500 ns/op
BenchmarkBuyCost/n=2-2   	  300000	      3100 ns/op
BenchmarkDeliverTx/bank-2         	      20	     49245 gas/tx	       203.6 µs/tx
BenchmarkDeliverTx/bank-2         	      20	     49245 gas/tx	       201.6 µs/tx
PASS
`
	p := filepath.Join(dir, "x.txt")
	if err := os.WriteFile(p, []byte(raw), 0o644); err != nil {
		t.Fatal(err)
	}
	b := bench{}
	if err := parseBench(p, b); err != nil {
		t.Fatal(err)
	}
	if got := b.get("BenchmarkBuyCost/n=2", "ns/op"); got != 3300 {
		t.Fatalf("median ns/op = %v, want 3300", got)
	}
	if got := b.get("BenchmarkDeliverTx/bank", "µs/tx"); got != 202.6 {
		t.Fatalf("median of two = %v, want 202.6", got)
	}
	if got := b.runs("BenchmarkBuyCost/n=2", "ns/op"); got != 3 {
		t.Fatalf("runs = %d", got)
	}
	if !math.IsNaN(b.get("BenchmarkMissing", "ns/op")) || f(math.NaN()) != "—" {
		t.Fatal("a benchmark that did not run must show as missing")
	}
}

func TestReportNamesTheTargetVerdict(t *testing.T) {
	r := &results{b: bench{}, loads: map[string]*loadReport{
		"load-1-bank":   {Kind: "bank", Validators: 1, MaxTPS: 1000},
		"load-1-market": {Kind: "market", Validators: 1, MaxTPS: 790},
	}, meta: map[string]string{}}
	var s strings.Builder
	r.write(&s)
	if !strings.Contains(s.String(), "| 1 validator(s) | 1000 | 790 | 79% | no |") {
		t.Fatalf("throughput row missing or wrong:\n%s", s.String())
	}
}
