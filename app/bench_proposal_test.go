package app_test

import (
	"bytes"
	"fmt"
	"testing"

	abci "github.com/cometbft/cometbft/abci/types"
	cmttypes "github.com/cometbft/cometbft/types"
	simtestutil "github.com/cosmos/cosmos-sdk/testutil/sims"
	"github.com/stretchr/testify/require"

	"github.com/delphi-network/delphi/app/abci/commit"
	"github.com/delphi-network/delphi/testutil/chaintest"
	evaluationtypes "github.com/delphi-network/delphi/x/evaluation/types"
)

// BenchmarkProcessProposal measures a validator's check of a proposal's
// injected commit with commit-reveal on: `validators` signed votes, each
// extension revealing `models` results of one round (the largest
// extensions of a reveal block) and a seed contribution. The check decodes
// the commit, matches it against the block's last commit, verifies every
// ed25519 extension signature against x/staking's keys and decodes every
// extension under its limits.
func BenchmarkProcessProposal(b *testing.B) {
	for _, tc := range []struct{ validators, models int }{{4, 16}, {100, 16}} {
		b.Run(fmt.Sprintf("validators=%d/models=%d", tc.validators, tc.models), func(b *testing.B) {
			// CometBFT's default block size (what `delphid init` writes):
			// the SDK's test params (200 kB) cannot hold the commit
			// CometBFT reserves room for with 100 validators.
			params := *simtestutil.DefaultConsensusParams
			block := *params.Block
			block.MaxBytes = cmttypes.DefaultBlockParams().MaxBytes
			params.Block = &block
			c := chaintest.New(b, chaintest.Options{Validators: tc.validators, ConsensusParams: &params})
			for c.Height < 3 {
				c.NextBlock()
			}
			exts := make([][]byte, tc.validators)
			for i := range exts {
				me := c.Reporter(i)
				ve := evaluationtypes.VoteExtension{SeedReveals: []*evaluationtypes.SeedReveal{{Height: c.Height + 1, Value: me.SeedContribution(c.Height + 1)}}}
				for m := 1; m <= tc.models; m++ {
					ve.Reveals = append(ve.Reveals, me.Reveal(&evaluationtypes.RoundResult{EvaluationId: 1, ModelId: uint64(m), Correct: 40,
						TraceRoot: bytes.Repeat([]byte{byte(m)}, 32), Leaves: 1200}))
				}
				bz, err := ve.Marshal()
				require.NoError(b, err)
				exts[i] = bz
			}
			info := c.ExtendedCommit(c.Height, exts)
			tx, err := commit.Encode(info)
			require.NoError(b, err)
			last := chaintest.LastCommit(info)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if c.Process([][]byte{tx}, last) != abci.ResponseProcessProposal_ACCEPT {
					b.Fatal("rejected")
				}
			}
			b.ReportMetric(float64(len(tx)), "bytes/commit")
		})
	}
}
