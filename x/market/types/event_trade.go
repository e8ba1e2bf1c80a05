package types

import (
	"encoding/json"
	"strconv"
	"strings"

	abci "github.com/cometbft/cometbft/abci/types"

	sdk "github.com/cosmos/cosmos-sdk/types"
)

// ToEvent renders the trade event exactly as sdk.TypedEventToEvent would
// (same type, same sorted attribute keys, the same JSON values), so clients
// parse it with sdk.ParseTypedEvent like every other typed event. It is
// written out because the generic path (jsonpb marshal, then JSON decode
// into a map) costs a sixth of a trade's execution, and every trade emits
// one. TestTradeEventMatchesTypedEvent holds the two equal.
func (e *EventTrade) ToEvent() sdk.Event {
	prices := make([]string, len(e.Prices))
	for i, p := range e.Prices {
		prices[i] = jsonString(p)
	}
	return sdk.Event{Type: "delphi.market.v1.EventTrade", Attributes: []abci.EventAttribute{
		{Key: "amount", Value: jsonString(e.Amount.String())},
		{Key: "fee", Value: jsonString(e.Fee.String())},
		{Key: "market_id", Value: jsonString(strconv.FormatUint(e.MarketId, 10))},
		{Key: "outcome", Value: strconv.FormatUint(uint64(e.Outcome), 10)},
		{Key: "prices", Value: "[" + strings.Join(prices, ",") + "]"},
		{Key: "shares", Value: jsonString(e.Shares.String())},
		{Key: "side", Value: jsonString(e.Side.String())},
		{Key: "trader", Value: jsonString(e.Trader)},
	}}
}

// jsonString is s as a JSON string. Amounts, decimals, enum names and
// bech32 addresses need no escaping; anything else takes encoding/json's
// path, which escapes as jsonpb does.
func jsonString(s string) string {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '.' || c == '_' || c == '-') {
			raw, _ := json.Marshal(s)
			return string(raw)
		}
	}
	return `"` + s + `"`
}
