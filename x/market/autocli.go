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

// tradeUnits is what every trade command's help says about its numbers.
const tradeUnits = " The outcome is a model: its registered name (zoo-cnn), model:ID for its registry id (exact: names need not " +
	"be unique), or its 0-based index in the market's model_ids (`delphid q market market ID` lists model_ids and model_names); " +
	"every form is checked against the market on the node, and offline (--generate-only) only the index works. Shares and amounts are whole numbers in base units: 10^6 shares pay 1 USDC if their model wins, 10^6 uusdc " +
	"is 1 USDC. The transaction is simulated first and the command waits for its block (--no-wait returns at once); " +
	"a refusal exits non-zero with the chain's reason."

// quoteUnits is what quote's help says about its numbers.
const quoteUnits = " The outcome is a model: its registered name, model:ID for its registry id, or its 0-based index in " +
	"the market's model_ids. Shares and amounts are whole base units (10^6 shares pay 1 USDC if their model wins; 10^6 uusdc = 1 USDC)."

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
					Long: "Price a trade without making it: what a buy of shares costs, what a buy for --amount gets, or what a sell returns, " +
						"fee included, and the prices after it." + quoteUnits,
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
					Long: "Create a market with one outcome per model: outcome i is the i-th of the evaluation's model_ids (0-based). " +
						"liquidity is the LMSR parameter b in base units of the collateral (uusdc: 10^6 = 1 USDC); creating it escrows " +
						"the market maker's worst case, b·ln(models), from you or from a vault (--vault-id) whose rules accept it. " +
						"A share pays 1 base unit if its model wins; shares are counted in base units too (10^6 shares pay 1 USDC).\n\n" +
						"--spec creates the evaluation, as JSON: benchmark_id and model_ids (registered ids, 2 or more), rounds (at " +
						"least 1), items_per_round (benchmark items scored per round), blocks_between_rounds (blocks from one round's " +
						"draw to the next), start_delay (blocks from now to the first round's draw), deadline_blocks (blocks from the " +
						"first draw by which every round must be final, or the evaluation fails and the market is made invalid).\n\n" +
						"Trading stops whenever a round's items can be known and its results are not yet final: by default " +
						"(--reopen-blocks 0) the market trades only before the first round is drawn; with --reopen-blocks N it also " +
						"trades between rounds, from N blocks after a round's results are final until the next round's draw. Trading " +
						"ends for good at the last round's draw; the market settles on the final results, or is made invalid at its " +
						"settle deadline. With --home of a node's directory (build/demo/node0 in the demo) the node, chain id and " +
						"keyring come from its client.toml.",
					Example: `delphid tx market create-market "Iris: which model?" uusdc 10000000 --fee-bps 100 --reopen-blocks 2 ` +
						`--spec '{"benchmark_id":1,"model_ids":[1,2],"rounds":3,"items_per_round":16,"blocks_between_rounds":12,"start_delay":3,"deadline_blocks":40}' --from alice --home build/demo/node0`,
					PositionalArgs: pos("title", "collateral_denom", "liquidity"),
					FlagOptions: map[string]*autocliv1.FlagOptions{
						"fee_bps": {Usage: "trading fee in basis points of each trade's cost (100 = 1%), at most the params' max_fee_bps; " +
							"it goes to the liquidity provider, the creator (--creator-fee-share-bps of it) and the community pool"},
						"creator_fee_share_bps": {Usage: "the creator's share of the fee in basis points (2000 = 20% of the fee)"},
						"trading_blocks":        {Usage: "blocks from creation after which trading ends (0: at the last round's draw, the latest allowed)"},
						"reopen_blocks":         {Usage: "blocks after a round's results are final before trading reopens (0: trade only before the first draw); below blocks_between_rounds"},
						"evaluation_id":         {Usage: "an existing evaluation that has not started, instead of --spec"},
						"vault_id":              {Usage: "a vault that funds the escrow and becomes the liquidity provider (its rules must accept the market)"},
						"spec": {Usage: `the new evaluation, JSON: {"benchmark_id":1,"model_ids":[1,2],"rounds":3,"items_per_round":16,` +
							`"blocks_between_rounds":12,"start_delay":3,"deadline_blocks":40} (blocks; see the long help)`},
					},
				},
				{RpcMethod: "BuyShares", Use: "buy [market-id] [outcome] [shares] [max-cost]",
					Short: "Buy shares of an outcome, paying at most max-cost (fee included)", PositionalArgs: pos("market_id", "outcome", "shares", "max_cost"),
					Long:    "Buy shares of an outcome, paying at most max-cost uusdc, fee included (q market quote prices it)." + tradeUnits,
					Example: "delphid tx market buy 1 zoo-cnn 5000000 3100000 --from alice   # 5 shares (10^6 each) of the model zoo-cnn for at most 3.1 USDC"},
				{RpcMethod: "BuyForAmount", Use: "buy-for [market-id] [outcome] [amount] [min-shares]",
					Short: "Spend at most amount (fee included) on an outcome, for at least min-shares", PositionalArgs: pos("market_id", "outcome", "amount", "min_shares"),
					Long: "Spend at most amount uusdc, fee included, on as many shares of an outcome as it buys, and at least min-shares." + tradeUnits},
				{RpcMethod: "SellShares", Use: "sell [market-id] [outcome] [shares] [min-proceeds]",
					Short: "Sell shares of an outcome for at least min-proceeds (after the fee)", PositionalArgs: pos("market_id", "outcome", "shares", "min_proceeds"),
					Long: "Sell shares of an outcome you hold for at least min-proceeds uusdc after the fee." + tradeUnits},
				{RpcMethod: "Redeem", Use: "redeem [market-id]", Short: "Redeem your position in a settled market", PositionalArgs: pos("market_id")},
				{RpcMethod: "CancelMarket", Use: "cancel-market [market-id]",
					Short: "Cancel a market (creator before the first trade; governance any time)", PositionalArgs: pos("market_id")},
				{RpcMethod: "UpdateParams", Skip: true},
			},
		},
	}
}
