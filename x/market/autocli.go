package market

import (
	autocliv1 "cosmossdk.io/api/cosmos/autocli/v1"

	marketv1 "github.com/delphi-network/delphi/api/delphi/market/v1"
)

func pos(fields ...string) []*autocliv1.PositionalArgDescriptor {
	out := make([]*autocliv1.PositionalArgDescriptor, len(fields))
	for i, f := range fields {
		out[i] = &autocliv1.PositionalArgDescriptor{ProtoField: f}
	}
	return out
}

// AutoCLIOptions gives `delphid q market ...` and `delphid tx market ...`.
func (AppModule) AutoCLIOptions() *autocliv1.ModuleOptions {
	return &autocliv1.ModuleOptions{
		Query: &autocliv1.ServiceCommandDescriptor{
			Service: marketv1.Query_ServiceDesc.ServiceName,
			RpcCommandOptions: []*autocliv1.RpcCommandOptions{
				{RpcMethod: "Params", Use: "params", Short: "Show the module params"},
				{RpcMethod: "Markets", Use: "markets", Short: "List markets (--status open|resolved|invalid|cancelled to filter)"},
				{RpcMethod: "Market", Use: "market [market-id]", Short: "Show a market with its current prices and whether it trades now (when it closes or reopens, and why)",
					PositionalArgs: pos("market_id")},
				{RpcMethod: "Prices", Use: "prices [market-id]", Short: "Current price of every outcome",
					PositionalArgs: pos("market_id")},
				{RpcMethod: "History", Use: "history [market-id]", Short: "Prices after each block with trades",
					PositionalArgs: pos("market_id")},
				{RpcMethod: "Quote", Use: "quote [market-id] [buy|sell] [outcome] [shares]", Short: "Price a trade without making it (--amount instead of shares for a buy)",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{
						{ProtoField: "market_id"}, {ProtoField: "side"}, {ProtoField: "outcome"}, {ProtoField: "shares", Optional: true},
					}},
				{RpcMethod: "Positions", Use: "positions [owner]", Short: "An address's positions",
					PositionalArgs: pos("owner")},
			},
		},
		Tx: &autocliv1.ServiceCommandDescriptor{
			Service: marketv1.Msg_ServiceDesc.ServiceName,
			RpcCommandOptions: []*autocliv1.RpcCommandOptions{
				{
					RpcMethod: "CreateMarket",
					Use:       "create-market [title] [collateral-denom] [liquidity] --spec '{...}' | --evaluation-id N",
					Short:     "Create a market over a new evaluation (--spec JSON) or one not yet started, escrowing MaxLoss(n, b)",
					Long: "Create a market over a new evaluation (--spec JSON) or one not yet started (--evaluation-id), escrowing " +
						"MaxLoss(n, b) from you or from a vault (--vault-id) whose rules accept it. Trading stops whenever a round's " +
						"items can be known and its results are not yet final: by default (--reopen-blocks 0) the market trades only " +
						"before its evaluation's first round is drawn; with --reopen-blocks N it also trades between rounds, from N blocks " +
						"after a round's results are final until the next round's draw (N below blocks_between_rounds). Trading ends for " +
						"good at the last round's draw; the market settles on the final results, or is made invalid at its settle deadline.",
					Example: `delphid tx market create-market "Iris: which model?" uusdc 10000000 --fee-bps 100 --reopen-blocks 2 ` +
						`--spec '{"benchmark_id":1,"model_ids":[1,2],"rounds":3,"items_per_round":16,"blocks_between_rounds":12,"start_delay":3,"deadline_blocks":40}' --from alice`,
					PositionalArgs: pos("title", "collateral_denom", "liquidity"),
				},
				{RpcMethod: "BuyShares", Use: "buy [market-id] [outcome] [shares] [max-cost]",
					Short: "Buy shares of an outcome, paying at most max-cost (fee included)", PositionalArgs: pos("market_id", "outcome", "shares", "max_cost")},
				{RpcMethod: "BuyForAmount", Use: "buy-for [market-id] [outcome] [amount] [min-shares]",
					Short: "Spend at most amount (fee included) on an outcome, for at least min-shares", PositionalArgs: pos("market_id", "outcome", "amount", "min_shares")},
				{RpcMethod: "SellShares", Use: "sell [market-id] [outcome] [shares] [min-proceeds]",
					Short: "Sell shares of an outcome for at least min-proceeds (after the fee)", PositionalArgs: pos("market_id", "outcome", "shares", "min_proceeds")},
				{RpcMethod: "Redeem", Use: "redeem [market-id]", Short: "Redeem your position in a settled market", PositionalArgs: pos("market_id")},
				{RpcMethod: "CancelMarket", Use: "cancel-market [market-id]",
					Short: "Cancel a market (creator before the first trade; governance any time)", PositionalArgs: pos("market_id")},
				{RpcMethod: "UpdateParams", Skip: true},
			},
		},
	}
}
