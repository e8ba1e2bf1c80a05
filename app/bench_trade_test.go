package app_test

import (
	"fmt"
	"math/rand"
	"testing"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"
	"github.com/stretchr/testify/require"

	"cosmossdk.io/math"

	simtestutil "github.com/cosmos/cosmos-sdk/testutil/sims"
	sdk "github.com/cosmos/cosmos-sdk/types"
	simtypes "github.com/cosmos/cosmos-sdk/types/simulation"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"

	"github.com/delphi-network/delphi/app"
	markettypes "github.com/delphi-network/delphi/x/market/types"
)

// tradeChain is an app with funded accounts, driven block by block with
// signed transactions the way CometBFT drives it.
type tradeChain struct {
	tb     testing.TB
	a      *app.App
	accs   []simtypes.Account
	nums   []uint64
	seqs   []uint64
	height int64
	start  time.Time
	r      *rand.Rand
}

const benchChainID = "delphi-bench"

func newTradeChain(tb testing.TB, accounts int) *tradeChain {
	app.SetSDKConfig()
	r := rand.New(rand.NewSource(1))
	c := &tradeChain{tb: tb, accs: simtypes.RandomAccounts(r, accounts), height: 1, start: time.Unix(1_700_000_000, 0), r: r}
	c.a = newApp(tb, benchChainID)
	initAndCommit(tb, c.a, simGenesis(tb, c.a, c.accs, []uint64{1, 2}), benchChainID)
	ctx := c.a.NewUncachedContext(false, cmtproto.Header{ChainID: benchChainID, Height: c.height})
	for _, acc := range c.accs {
		c.nums = append(c.nums, c.a.AccountKeeper.GetAccount(ctx, acc.Address).GetAccountNumber())
	}
	c.seqs = make([]uint64, accounts)
	return c
}

func (c *tradeChain) header() abci.RequestFinalizeBlock {
	return abci.RequestFinalizeBlock{Height: c.height, Time: c.start.Add(time.Duration(c.height) * time.Second)}
}

// tx signs msgs from account i at its next sequence.
func (c *tradeChain) tx(i int, gas uint64, msgs ...sdk.Msg) []byte {
	tx, err := simtestutil.GenSignedMockTx(c.r, c.a.TxConfig(), msgs, sdk.NewCoins(), gas, benchChainID,
		[]uint64{c.nums[i]}, []uint64{c.seqs[i]}, c.accs[i].PrivKey)
	require.NoError(c.tb, err)
	raw, err := c.a.TxConfig().TxEncoder()(tx)
	require.NoError(c.tb, err)
	c.seqs[i]++
	return raw
}

// block delivers txs as the next block, commits it, and returns the total
// gas used; every transaction must succeed.
func (c *tradeChain) block(txs [][]byte) int64 {
	c.height++
	req := c.header()
	req.Txs = txs
	res, err := c.a.FinalizeBlock(&req)
	require.NoError(c.tb, err)
	gas := int64(0)
	for i, r := range res.TxResults {
		require.Zero(c.tb, r.Code, "height %d tx %d: %s", c.height, i, r.Log)
		gas += r.GasUsed
	}
	_, err = c.a.Commit()
	require.NoError(c.tb, err)
	return gas
}

// openMarkets creates n open markets over models 1 and 2 whose
// evaluations start far beyond the run, from account 0.
func (c *tradeChain) openMarkets(n int) []uint64 {
	var txs [][]byte
	for lo := 0; lo < n; lo += 25 {
		var msgs []sdk.Msg
		for i := lo; i < min(lo+25, n); i++ {
			msgs = append(msgs, &markettypes.MsgCreateMarket{Creator: c.accs[0].Address.String(), Title: fmt.Sprintf("m%d", i),
				CollateralDenom: app.CollateralDenom, Liquidity: math.NewInt(1_000_000), FeeBps: 100,
				Spec: &markettypes.EvaluationSpec{BenchmarkId: 1, ModelIds: []uint64{1, 2}, Rounds: 1, ItemsPerRound: 10,
					BlocksBetweenRounds: 2, StartDelay: 1_000_000, DeadlineBlocks: 100}})
		}
		txs = append(txs, c.tx(0, 100_000_000, msgs...))
	}
	c.block(txs)
	ids := make([]uint64, n)
	for i := range ids {
		ids[i] = uint64(i + 1)
	}
	return ids
}

// seedPositions makes positions holders: accounts from first on, each
// buying a little in every market, until that many positions exist.
func (c *tradeChain) seedPositions(ids []uint64, positions, first int) {
	var txs [][]byte
	for h := first; positions > 0; h++ {
		var msgs []sdk.Msg
		for _, id := range ids {
			if positions == 0 {
				break
			}
			msgs = append(msgs, &markettypes.MsgBuyShares{Trader: c.accs[h].Address.String(), MarketId: id,
				Outcome: uint32(h % 2), Shares: math.NewInt(1000), MaxCost: math.NewInt(1_000_000)})
			positions--
			if len(msgs) == 50 {
				txs = append(txs, c.tx(h, 50*300_000, msgs...))
				msgs = nil
			}
		}
		if len(msgs) > 0 {
			txs = append(txs, c.tx(h, uint64(len(msgs))*300_000, msgs...))
		}
		if len(txs) >= 100 {
			c.block(txs)
			txs = nil
		}
	}
	if len(txs) > 0 {
		c.block(txs)
	}
}

// BenchmarkDeliverTx is the chain-side cost of one committed transaction:
// blocks of 200 signed transactions through FinalizeBlock and Commit (ante
// handler with signature check, the message, end blockers, the IAVL
// commit), for bank sends and for market trades with 1, 10, 100 and 1000
// open markets and 10,000 positions. Trades alternate buy and sell-back per
// trader, cycling over the markets, as `delphid loadtest` does.
func BenchmarkDeliverTx(b *testing.B) {
	const traders, perBlock = 64, 200
	for _, tc := range []struct {
		kind               string
		markets, positions int
	}{
		{"bank", 0, 0}, {"market", 1, 0}, {"market", 10, 10_000}, {"market", 100, 10_000}, {"market", 1000, 10_000},
	} {
		name := tc.kind
		if tc.kind == "market" {
			name = fmt.Sprintf("market/markets=%d/positions=%d", tc.markets, tc.positions)
		}
		b.Run(name, func(b *testing.B) {
			holders := 0
			if tc.markets > 0 {
				holders = (tc.positions + tc.markets - 1) / tc.markets
			}
			c := newTradeChain(b, 1+traders+holders)
			var ids []uint64
			if tc.kind == "market" {
				ids = c.openMarkets(tc.markets)
				c.seedPositions(ids, tc.positions, 1+traders)
			}
			trades := make([]int, traders)
			next := func(t int) sdk.Msg {
				acc := c.accs[1+t].Address
				if tc.kind == "bank" {
					return banktypes.NewMsgSend(acc, c.accs[1+(t+1)%traders].Address, sdk.NewCoins(sdk.NewInt64Coin(app.CollateralDenom, 1)))
				}
				k := trades[t]
				id := ids[(t+k/2)%len(ids)]
				if k%2 == 1 {
					return &markettypes.MsgSellShares{Trader: acc.String(), MarketId: id, Outcome: uint32(t % 2),
						Shares: math.NewInt(100_000), MinProceeds: math.ZeroInt()}
				}
				return &markettypes.MsgBuyShares{Trader: acc.String(), MarketId: id, Outcome: uint32(t % 2),
					Shares: math.NewInt(100_000), MaxCost: math.NewInt(10_000_000)}
			}
			gas, txs, spent := int64(0), 0, time.Duration(0)
			b.ResetTimer()
			for b.Loop() {
				block := make([][]byte, perBlock)
				for i := range block {
					t := i % traders
					block[i] = c.tx(1+t, 600_000, next(t))
					trades[t]++
				}
				// Signing is the client's work: only the block is timed.
				began := time.Now()
				gas += c.block(block)
				spent += time.Since(began)
				txs += perBlock
			}
			b.ReportMetric(float64(spent.Microseconds())/float64(txs), "µs/tx")
			b.ReportMetric(float64(gas)/float64(txs), "gas/tx")
			b.ReportMetric(0, "ns/op")
		})
	}
}
