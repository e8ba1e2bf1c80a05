package network_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/delphi-network/delphi/testutil/network"
)

// BenchmarkBlockTimeVoteExtensions measures, in one run on the same
// machine, the mean block time of a 4-validator network without vote
// extensions and of one with vote extensions, 4 evaluator sidecars and an
// evaluation running rounds throughout the measured blocks, and reports
// both and the overhead. Run it once: go test -run XXX -bench
// BlockTimeVoteExtensions -benchtime 1x ./testutil/network/
func BenchmarkBlockTimeVoteExtensions(b *testing.B) {
	const blocks = 20
	measure := func(net *network.Network, from int64) float64 {
		require.NoError(b, net.WaitForHeight(from, 60*time.Second))
		start := time.Now()
		require.NoError(b, net.WaitForHeight(from+blocks, 120*time.Second))
		return float64(time.Since(start).Milliseconds()) / blocks
	}
	var without, with float64
	for i := 0; i < b.N; i++ {
		plain := network.Start(b, network.Setup{Validators: 4, NoVoteExtensions: true})
		without = measure(plain, 5)
		plain.Stop()

		// Rounds every 3 blocks across the measured window.
		net, _ := startEvaluationSpec(b, network.Setup{Validators: 4, Sidecars: 4}, true, 8, 30)
		with = measure(net, net.Height()+3)
		var ev evaluationView
		getJSON(b, net.Nodes[0].API()+"/delphi/evaluation/v1/evaluations/1", &ev)
		require.Equal(b, "EVALUATION_STATUS_RUNNING", ev.Evaluation.Status, "the evaluation ran through the window")
		var rounds struct {
			Rounds []struct {
				Status string `json:"status"`
			} `json:"rounds"`
		}
		getJSON(b, net.Nodes[0].API()+"/delphi/evaluation/v1/evaluations/1/rounds", &rounds)
		final := 0
		for _, r := range rounds.Rounds {
			if r.Status == "ROUND_STATUS_FINAL" {
				final++
			}
		}
		require.GreaterOrEqual(b, final, 2, "rounds went through commit and reveal within the window")
		net.Stop()
	}
	b.ReportMetric(without, "ms/block-without-ve")
	b.ReportMetric(with, "ms/block-with-ve-sidecars")
	b.ReportMetric((with/without-1)*100, "%overhead")
}
