package types_test

import (
	"testing"

	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/stretchr/testify/require"

	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/delphi-network/delphi/x/market/types"
)

// TestTradeEventMatchesTypedEvent: the hand-written rendering of the trade
// event is byte for byte what EmitTypedEvent would emit, and parses back.
func TestTradeEventMatchesTypedEvent(t *testing.T) {
	for _, ev := range []*types.EventTrade{
		{MarketId: 7, Trader: "delphi1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5lzv7xu", Side: types.SIDE_BUY, Outcome: 3,
			Shares: math.NewInt(1_000_000), Amount: math.NewInt(512_345), Fee: math.NewInt(5_124),
			Prices: []string{"0.250000000000000000", "0.750000000000000000"}},
		{MarketId: 0, Trader: "", Side: types.SIDE_SELL, Outcome: 0, Shares: math.ZeroInt(), Amount: math.ZeroInt(),
			Fee: math.ZeroInt(), Prices: []string{}},
		{MarketId: 1<<64 - 1, Trader: "odd \"trader\" <&>\n", Side: types.SIDE_UNSPECIFIED, Outcome: 1<<32 - 1,
			Shares: math.NewIntFromUint64(1 << 63).MulRaw(1 << 40), Amount: math.NewInt(1), Fee: math.NewInt(2),
			Prices: []string{"1", "é"}},
	} {
		want, err := sdk.TypedEventToEvent(ev)
		require.NoError(t, err)
		got := ev.ToEvent()
		require.Equal(t, want, got)
		back, err := sdk.ParseTypedEvent(abci.Event(got))
		require.NoError(t, err)
		require.Equal(t, ev.String(), back.String())
	}
}
