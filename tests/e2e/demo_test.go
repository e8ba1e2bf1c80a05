//go:build e2e

package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestDemoSettles runs the quick start's scripts/demo.sh (what `make demo`
// and `make demo-lm` run) on both markets with fewer rounds: the market
// resolves with a winner, the byzantine sidecar's runs are disputed and
// lost, its validator is jailed, and every process the demo started is
// stopped when it exits.
func TestDemoSettles(t *testing.T) {
	bin := os.Getenv("DELPHID")
	require.NotEmpty(t, bin, "set DELPHID to a built delphid (make test-e2e does)")
	root := repoRoot(t)
	for _, market := range []string{"mnist", "lm"} {
		t.Run(market, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "demo")
			cmd := exec.Command("bash", filepath.Join(root, "scripts", "demo.sh"))
			cmd.Dir = root
			// The trained models are cached in build/demo-models like
			// `make demo` does; their training records are checked on reuse.
			cmd.Env = append(os.Environ(), "DELPHID="+bin, "DEMO_DIR="+dir, "DEMO_MARKET="+market,
				"DEMO_BASE_PORT="+strconv.Itoa(basePort(t)), "DEMO_ARGS=--rounds 3 --live off")
			raw, err := cmd.CombinedOutput()
			out := string(raw)
			require.NoError(t, err, out)

			require.Contains(t, out, "market 1 MARKET_STATUS_RESOLVED; winners [")
			require.NotContains(t, out, "winners []")
			require.Contains(t, out, "DISPUTE_STATUS_CLAIMANT_WON")
			require.Contains(t, out, "jailed validators: [node3]")
			require.Contains(t, out, "verified: every final result of evaluation 1 follows from the registered models")
			require.Regexp(t, `vault 1 share price \(uusdc per 10\^6 shares, 1\.000000 at par\): [01]\.\d+ when the market opened, \d\.\d+ after settlement`, out)
			// Open before the first draw, and again between rounds.
			require.GreaterOrEqual(t, strings.Count(out, "trading: open until block"), 2, "trading reopens between rounds")
			require.Contains(t, out, "trading: closed: round 0's items are known")
			require.Contains(t, out, "== Stopped every process the demo started")
			if market == "lm" {
				for _, name := range []string{"kjv-micro", "kjv-micro-scribe", "kjv-nano", "kjv-nano-onnx"} {
					require.Contains(t, out, name+" ")
				}
				require.Contains(t, out, "of 48000") // 3 rounds × 16 verses × 1000 points
			}

			pids, _ := filepath.Glob(filepath.Join(dir, "*.pid"))
			require.Empty(t, pids, "the demo removes its pid files when it stops its processes")
			logs, _ := filepath.Glob(filepath.Join(dir, "node*.log"))
			require.Len(t, logs, 4)
			for _, l := range logs {
				b, err := os.ReadFile(l)
				require.NoError(t, err)
				require.False(t, strings.Contains(string(b), "CONSENSUS FAILURE"), "%s: %s", l, b)
			}
		})
	}
}
