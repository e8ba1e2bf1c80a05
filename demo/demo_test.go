package demo

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	sdkmath "cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	evaluationtypes "github.com/delphi-network/delphi/x/evaluation/types"
	markettypes "github.com/delphi-network/delphi/x/market/types"
	verdetypes "github.com/delphi-network/delphi/x/verde/types"
)

func testSnapshot() *snapshot {
	return &snapshot{
		height:      42,
		market:      markettypes.Market{Id: 1, Title: "MNIST", Status: markettypes.MARKET_STATUS_OPEN, ModelIds: []uint64{1, 2}},
		trading:     markettypes.TradingState{Open: true, ClosesAt: 50},
		evaluation:  evaluationtypes.Evaluation{Id: 1, Rounds: 3, ItemsPerRound: 40, Status: evaluationtypes.EVALUATION_STATUS_RUNNING},
		names:       []string{"zoo-cnn", "delphi-mlp"},
		prices:      []float64{0.7, 0.3},
		rounds:      [][]uint64{{39, 37}},
		cumulative:  []uint64{39, 37},
		roundsFinal: 1,
		disputes: []verdetypes.Dispute{{Id: 1, Round: 0, Status: verdetypes.DISPUTE_STATUS_OPEN, Phase: verdetypes.PHASE_BISECT, Lo: 3, Hi: 9},
			{Id: 2, Status: verdetypes.DISPUTE_STATUS_CLAIMANT_WON}},
		jailed:    []string{"node3"},
		positions: map[string][]sdkmath.Int{},
		index:     []string{"0.912345", "0.88"},
	}
}

// TestLiveViewDrawsEveryModel: the redrawn screen has each model's price,
// sparkline, round scores and index, and the disputes line.
func TestLiveViewDrawsEveryModel(t *testing.T) {
	var out bytes.Buffer
	v := newView(&out, true)
	s := testSnapshot()
	v.event("bob   round results: backs the leader zoo-cnn")
	v.update(s)
	s.prices = []float64{0.8, 0.2}
	v.update(s)
	screen := out.String()[strings.LastIndex(out.String(), "\x1b[2J"):]
	require.Contains(t, screen, "zoo-cnn          80.0%  ▆▇")
	require.Contains(t, screen, "delphi-mlp       20.0%  ▃▂")
	require.Contains(t, screen, "0.912")
	require.Contains(t, screen, "1 open (latest: round 0, BISECT, interval [3, 9]) · 1 CLAIMANT_WON · jailed: node3")
	require.Contains(t, screen, "backs the leader zoo-cnn")
}

// TestPlainViewPrintsChangesOnly: without a terminal, state lines are
// printed when they change and events as they happen.
func TestPlainViewPrintsChangesOnly(t *testing.T) {
	var out bytes.Buffer
	v := newView(&out, false)
	s := testSnapshot()
	v.update(s)
	v.update(s)
	v.event("round 1 final")
	require.Equal(t, 4, strings.Count(out.String(), "\n"), out.String()) // round, disputes, trading, the event
	require.Contains(t, out.String(), "trading: open until block 50 (the next round's draw)")
	require.NotContains(t, out.String(), "\x1b[")
}

// TestStrategies: the follower buys the leader once per new round (not
// when it is priced near certainty); the estimator buys what it thinks is
// underpriced; noise trades on even blocks.
func TestStrategies(t *testing.T) {
	addr := sdk.AccAddress("trader______________")
	s := testSnapshot()
	bob := &trader{name: "bob", addr: addr}
	act := follower(bob)
	msg, why := act(s)
	require.IsType(t, &markettypes.MsgBuyForAmount{}, msg)
	require.Equal(t, uint32(0), msg.(*markettypes.MsgBuyForAmount).Outcome)
	require.Contains(t, why, "zoo-cnn")
	msg, _ = act(s)
	require.Nil(t, msg, "once per round")
	s.roundsFinal, s.prices = 2, []float64{0.9, 0.1}
	msg, _ = act(s)
	require.Nil(t, msg, "the leader is priced near certainty")

	carol := &trader{name: "carol", addr: addr}
	s.height, s.prices = 42, []float64{0.5, 0.5}
	msg, _ = estimator(carol, beliefs([]float64{0.99, 0.95}))(s)
	require.Equal(t, uint32(0), msg.(*markettypes.MsgBuyForAmount).Outcome)

	dave := &trader{name: "dave", addr: addr}
	s.height = 43
	msg, _ = noise(dave, 1)(s)
	require.Nil(t, msg, "noise trades on even blocks")
}

// TestScenarios: each market's benchmark and the points one item can
// score (as the chain sets them); an unknown market is refused.
func TestScenarios(t *testing.T) {
	mnist, err := scenarioFor("mnist")
	require.NoError(t, err)
	require.Equal(t, "mnist", mnist.benchmark)
	require.Equal(t, uint64(1), mnist.points())
	lm, err := scenarioFor("lm")
	require.NoError(t, err)
	require.Equal(t, "kjv-next", lm.benchmark)
	require.Equal(t, uint64(1000), lm.points())
	_, err = scenarioFor("chess")
	require.ErrorContains(t, err, `unknown market "chess"`)
}
