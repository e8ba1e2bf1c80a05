package vault

import (
	autocliv1 "cosmossdk.io/api/cosmos/autocli/v1"

	vaultv1 "github.com/delphi-network/delphi/api/delphi/vault/v1"
)

func pos(fields ...string) []*autocliv1.PositionalArgDescriptor {
	out := make([]*autocliv1.PositionalArgDescriptor, len(fields))
	for i, f := range fields {
		out[i] = &autocliv1.PositionalArgDescriptor{ProtoField: f}
	}
	return out
}

// AutoCLIOptions gives `delphid q vault ...` and `delphid tx vault ...`.
func (AppModule) AutoCLIOptions() *autocliv1.ModuleOptions {
	return &autocliv1.ModuleOptions{
		Query: &autocliv1.ServiceCommandDescriptor{
			Service: vaultv1.Query_ServiceDesc.ServiceName,
			RpcCommandOptions: []*autocliv1.RpcCommandOptions{
				{RpcMethod: "Params", Use: "params", Short: "Show the module params"},
				{RpcMethod: "Vaults", Use: "vaults", Short: "List vaults"},
				{RpcMethod: "Vault", Use: "vault [vault-id]", Short: "Show a vault and its share price", PositionalArgs: pos("vault_id")},
				{RpcMethod: "VaultMarkets", Use: "markets [vault-id]", Short: "The markets a vault funded, with their P&L", PositionalArgs: pos("vault_id")},
				{RpcMethod: "Depositor", Use: "depositor [vault-id] [address]", Short: "An address's shares in a vault and their value", PositionalArgs: pos("vault_id", "address")},
				{RpcMethod: "Withdrawals", Use: "withdrawals [address]", Short: "An address's queued withdrawals", PositionalArgs: pos("address")},
			},
		},
		Tx: &autocliv1.ServiceCommandDescriptor{
			Service: vaultv1.Msg_ServiceDesc.ServiceName,
			RpcCommandOptions: []*autocliv1.RpcCommandOptions{
				{RpcMethod: "CreateVault", Use: "create-vault [name] [collateral-denom] [subsidy-cap] --category 1,2 --rule category|manager --min-fee-bps N",
					Short: "Create a vault that funds markets on the category's benchmarks", PositionalArgs: pos("name", "collateral_denom", "subsidy_cap")},
				{RpcMethod: "UpdateVaultRules", Use: "update-vault-rules [vault-id] [subsidy-cap] --category 1,2 --rule category|manager [--allowed-models 1,2] [--max-locked N] [--max-schedule-blocks N] [--min-fee-bps N]",
					Short: "Replace a vault's funding rules (its manager only; every rule is given again)", PositionalArgs: pos("vault_id", "subsidy_cap")},
				{RpcMethod: "Deposit", Use: "deposit [vault-id] [amount]", Short: "Deposit collateral for vault shares (refused while a funded market has a round drawn)", PositionalArgs: pos("vault_id", "amount")},
				{RpcMethod: "Withdraw", Use: "withdraw [vault-id] [shares]", Short: "Redeem vault shares (queued while collateral is locked or a funded market has a round drawn; paid by the chain once it settles)", PositionalArgs: pos("vault_id", "shares")},
				{RpcMethod: "BuyBasket", Use: "buy-basket [amount-per-leg] [max-cost] --model-ids 1,2 [--category 1]",
					Short: "Buy a group of models across open markets, all or nothing", PositionalArgs: pos("amount_per_leg", "max_cost")},
				{RpcMethod: "SellBasket", Use: "sell-basket [min-proceeds] --model-ids 1,2 [--category 1]",
					Short: "Sell your shares of a group of models across open markets", PositionalArgs: pos("min_proceeds")},
				{RpcMethod: "UpdateParams", Skip: true},
			},
		},
	}
}
