package keeper_test

import (
	"math/rand"
	"testing"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/delphi-network/delphi/x/market/types"
)

// TestRandomOperations runs long random sequences of every market message
// (and settlement) from several seeds, checking the invariants after each
// operation and, at the end, that collateral was neither created nor lost
// and that every settled market paid out completely.
func TestRandomOperations(t *testing.T) {
	for seed := int64(1); seed <= 4; seed++ {
		f := newFixture(t)
		rng := rand.New(rand.NewSource(seed))
		total := f.total()
		traders := []sdk.AccAddress{f.alice, f.bob, f.carol}
		var markets []uint64
		ok, refused := 0, 0
		for step := 0; step < 400; step++ {
			who := traders[rng.Intn(len(traders))]
			var err error
			switch op := rng.Intn(100); {
			case op < 6 || len(markets) == 0:
				var res *types.MsgCreateMarketResponse
				res, err = exec(f, func(ctx sdk.Context) (*types.MsgCreateMarketResponse, error) {
					msg := f.createMsg(2 + rng.Intn(3))
					msg.Creator = who.String()
					msg.Liquidity = math.NewInt(int64(1_000_000 + rng.Intn(50_000_000)))
					msg.FeeBps = uint32(rng.Intn(501))
					return f.msg.CreateMarket(ctx, msg)
				})
				if err == nil {
					markets = append(markets, res.MarketId)
				}
			case op < 45:
				_, err = exec(f, func(ctx sdk.Context) (*types.MsgBuySharesResponse, error) {
					return f.msg.BuyShares(ctx, &types.MsgBuyShares{Trader: who.String(), MarketId: pick(rng, markets),
						Outcome: uint32(rng.Intn(4)), Shares: math.NewInt(rng.Int63n(30_000_000)), MaxCost: math.NewInt(rng.Int63n(40_000_000))})
				})
			case op < 60:
				_, err = exec(f, func(ctx sdk.Context) (*types.MsgBuyForAmountResponse, error) {
					return f.msg.BuyForAmount(ctx, &types.MsgBuyForAmount{Trader: who.String(), MarketId: pick(rng, markets),
						Outcome: uint32(rng.Intn(4)), Amount: math.NewInt(rng.Int63n(10_000_000)), MinShares: math.ZeroInt()})
				})
			case op < 85:
				_, err = exec(f, func(ctx sdk.Context) (*types.MsgSellSharesResponse, error) {
					return f.msg.SellShares(ctx, &types.MsgSellShares{Trader: who.String(), MarketId: pick(rng, markets),
						Outcome: uint32(rng.Intn(4)), Shares: math.NewInt(rng.Int63n(20_000_000)), MinProceeds: math.ZeroInt()})
				})
			case op < 90:
				m, gerr := f.k.GetMarket(f.ctx, pick(rng, markets))
				require.NoError(t, gerr)
				if m.Status == types.MARKET_STATUS_OPEN {
					correct := make([]uint64, len(m.ModelIds))
					for i := range correct {
						correct[i] = uint64(rng.Intn(4)) // ties are common
					}
					f.finalize(t, m, correct...)
				}
			case op < 92:
				_, err = exec(f, func(ctx sdk.Context) (*types.MsgCancelMarketResponse, error) {
					return f.msg.CancelMarket(ctx, &types.MsgCancelMarket{Signer: f.authority, MarketId: pick(rng, markets)})
				})
			default:
				_, err = exec(f, func(ctx sdk.Context) (*types.MsgRedeemResponse, error) {
					return f.msg.Redeem(ctx, &types.MsgRedeem{Owner: who.String(), MarketId: pick(rng, markets)})
				})
			}
			if err == nil {
				ok++
			} else {
				refused++
			}
			f.checkInvariants(t)
			require.Equal(t, total, f.total(), "seed %d step %d", seed, step)
			if step%10 == 0 {
				f.ctx = f.ctx.WithBlockHeight(f.ctx.BlockHeight() + 1)
				require.NoError(t, f.k.EndBlocker(f.ctx))
			}
		}
		// Settle what is left, redeem everything: each settled market's
		// escrow is then empty and the module account holds only the
		// escrow of cancelled-and-refunded (zero) markets.
		for _, id := range markets {
			if m := f.market(t, id); m.Status == types.MARKET_STATUS_OPEN {
				f.finalize(t, m, make([]uint64, len(m.ModelIds))...)
			}
			for _, who := range traders {
				_, _ = exec(f, func(ctx sdk.Context) (*types.MsgRedeemResponse, error) {
					return f.msg.Redeem(ctx, &types.MsgRedeem{Owner: who.String(), MarketId: id})
				})
			}
			require.True(t, f.market(t, id).Escrow.IsZero(), "seed %d market %d", seed, id)
		}
		f.checkInvariants(t)
		f.endBlock(t)
		require.True(t, f.balance(f.k.ModuleAddress()).IsZero())
		require.Equal(t, total, f.total())
		require.Greater(t, ok, 100, "seed %d: too few operations succeeded to mean anything", seed)
		t.Logf("seed %d: %d operations applied, %d refused", seed, ok, refused)
	}
}

func pick(rng *rand.Rand, ids []uint64) uint64 { return ids[rng.Intn(len(ids))] }
