// Package keeper holds x/vault's state: vaults, their depositors and
// withdrawal queues, and the markets they fund.
package keeper

import (
	"context"
	"fmt"

	"cosmossdk.io/collections"
	"cosmossdk.io/core/store"
	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"

	"github.com/cosmos/cosmos-sdk/codec"
	sdk "github.com/cosmos/cosmos-sdk/types"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"

	markettypes "github.com/delphi-network/delphi/x/market/types"
	"github.com/delphi-network/delphi/x/vault/types"
)

// Keeper stores vaults. It moves funds only through x/bank and x/market's
// keeper methods (types.MarketKeeper).
type Keeper struct {
	cdc        codec.BinaryCodec
	bank       types.BankKeeper
	distr      types.DistributionKeeper
	eval       types.EvaluationKeeper
	market     types.MarketKeeper
	authority  string
	moduleAddr sdk.AccAddress

	Schema   collections.Schema
	Params   collections.Item[types.Params]
	VaultSeq collections.Sequence
	Vaults   collections.Map[uint64, types.Vault]
	// VaultMarkets by (vault, market): what each funded market cost and
	// returned.
	VaultMarkets collections.Map[collections.Pair[uint64, uint64], types.VaultMarket]
	// Deposits by (vault, depositor).
	Deposits      collections.Map[collections.Pair[uint64, sdk.AccAddress], types.Deposit]
	WithdrawalSeq collections.Sequence
	Withdrawals   collections.Map[uint64, types.Withdrawal]
	// Queue orders each vault's pending withdrawals: (vault, withdrawal id).
	Queue collections.KeySet[collections.Pair[uint64, uint64]]
	// OpenMarkets indexes each vault's unsettled markets (vault, market):
	// what its share price values and its withdrawals may wait for.
	// InitGenesis rebuilds it from VaultMarkets.
	OpenMarkets collections.KeySet[collections.Pair[uint64, uint64]]
	// PayDue lists the vaults whose queue the EndBlocker should try to pay:
	// marked when idle collateral grows or a market settles, cleared when
	// the queue's head cannot be paid.
	PayDue collections.KeySet[uint64]
	// PayCursor is the vault the EndBlocker served last: due queues are
	// served round-robin from the next one.
	PayCursor collections.Item[uint64]
}

// NewKeeper builds the keeper and its collections schema. market is
// x/market (baskets trade through its message handlers).
func NewKeeper(cdc codec.BinaryCodec, storeService store.KVStoreService, bank types.BankKeeper,
	distr types.DistributionKeeper, eval types.EvaluationKeeper, market types.MarketKeeper, authority string,
) Keeper {
	sb := collections.NewSchemaBuilder(storeService)
	k := Keeper{
		cdc: cdc, bank: bank, distr: distr, eval: eval, market: market, authority: authority,
		moduleAddr: authtypes.NewModuleAddress(types.ModuleName),
		Params:     collections.NewItem(sb, types.ParamsKey, "params", codec.CollValue[types.Params](cdc)),
		VaultSeq:   collections.NewSequence(sb, types.VaultSeqKey, "vault_seq"),
		Vaults:     collections.NewMap(sb, types.VaultsKey, "vaults", collections.Uint64Key, codec.CollValue[types.Vault](cdc)),
		VaultMarkets: collections.NewMap(sb, types.VaultMarketsKey, "vault_markets",
			collections.PairKeyCodec(collections.Uint64Key, collections.Uint64Key), codec.CollValue[types.VaultMarket](cdc)),
		Deposits: collections.NewMap(sb, types.DepositsKey, "deposits",
			collections.PairKeyCodec(collections.Uint64Key, sdk.AccAddressKey), codec.CollValue[types.Deposit](cdc)),
		WithdrawalSeq: collections.NewSequence(sb, types.WithdrawalSeqKey, "withdrawal_seq"),
		Withdrawals: collections.NewMap(sb, types.WithdrawalsKey, "withdrawals", collections.Uint64Key,
			codec.CollValue[types.Withdrawal](cdc)),
		Queue: collections.NewKeySet(sb, types.QueueKey, "queue",
			collections.PairKeyCodec(collections.Uint64Key, collections.Uint64Key)),
		OpenMarkets: collections.NewKeySet(sb, types.OpenMarketsKey, "open_markets",
			collections.PairKeyCodec(collections.Uint64Key, collections.Uint64Key)),
		PayDue:    collections.NewKeySet(sb, types.PayDueKey, "pay_due", collections.Uint64Key),
		PayCursor: collections.NewItem(sb, types.PayCursorKey, "pay_cursor", collections.Uint64Value),
	}
	schema, err := sb.Build()
	if err != nil {
		panic(fmt.Errorf("vault schema: %w", err))
	}
	k.Schema = schema
	return k
}

// Authority is the module's governance address.
func (k Keeper) Authority() string { return k.authority }

// ModuleName is the module account market payouts to vaults go to.
func (k Keeper) ModuleName() string { return types.ModuleName }

// GetVault returns a vault or ErrVaultNotFound.
func (k Keeper) GetVault(ctx context.Context, id uint64) (types.Vault, error) {
	v, err := k.Vaults.Get(ctx, id)
	if err != nil {
		return v, errorsmod.Wrapf(types.ErrVaultNotFound, "vault %d", id)
	}
	// Vaults stored before these fields existed.
	if v.QueuedShares.IsNil() {
		v.QueuedShares = math.ZeroInt()
	}
	if v.MaxLocked.IsNil() {
		v.MaxLocked = math.ZeroInt()
	}
	return v, nil
}

// MarketTrading is whether market m trades now (x/market's TradingState).
func (k Keeper) MarketTrading(ctx context.Context, m markettypes.Market) (markettypes.TradingState, error) {
	return k.market.TradingState(ctx, m)
}

// MarketsWalk calls fn for every market in id order (simulation and
// baskets read markets through it).
func (k Keeper) MarketsWalk(ctx context.Context, fn func(markettypes.Market)) error {
	return k.market.WalkMarkets(ctx, func(m markettypes.Market) (bool, error) {
		fn(m)
		return false, nil
	})
}
