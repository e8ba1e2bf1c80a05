// Package keeper holds x/market's state: markets, positions, price history,
// and the message, query and settlement logic over them.
package keeper

import (
	"context"
	"fmt"

	"cosmossdk.io/collections"
	"cosmossdk.io/core/store"
	"cosmossdk.io/math"

	"github.com/cosmos/cosmos-sdk/codec"
	sdk "github.com/cosmos/cosmos-sdk/types"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"

	"github.com/delphi-network/delphi/x/market/types"
)

// Keeper stores markets and positions; its module account holds every
// market's escrow and unpaid fees.
type Keeper struct {
	cdc       codec.BinaryCodec
	bank      types.BankKeeper
	distr     types.DistributionKeeper
	eval      types.EvaluationKeeper
	vault     types.VaultKeeper
	authority string
	// moduleAddr is the module account's address, the market maker's purse.
	moduleAddr sdk.AccAddress

	Schema    collections.Schema
	Params    collections.Item[types.Params]
	MarketSeq collections.Sequence
	Markets   collections.Map[uint64, types.Market]
	// MarketByEvaluation finds the market an evaluation's hook settles.
	MarketByEvaluation collections.Map[uint64, uint64]
	// Positions by (market, owner); PositionsByOwner indexes them by owner.
	Positions        collections.Map[collections.Pair[uint64, sdk.AccAddress], types.Position]
	PositionsByOwner collections.KeySet[collections.Pair[sdk.AccAddress, uint64]]
	// History holds each market's prices after every block with trades, by
	// (market, height).
	History collections.Map[collections.Pair[uint64, int64], types.PricePoint]
	// Traded lists the markets traded in the current block; EndBlock writes
	// their price points and clears it.
	Traded collections.KeySet[uint64]
	// ProtocolFees is the protocol's fee share collected in the current
	// block, by denom. EndBlock deposits it in the community pool in one
	// transfer, so it is empty between blocks.
	ProtocolFees collections.Map[string, math.Int]
	// ReporterFees is the reporters' part of the protocol's fee share
	// collected in the current block, by (evaluation, denom); EndBlock
	// moves it to x/evaluation's reward pools.
	ReporterFees collections.Map[collections.Pair[uint64, string], math.Int]
	// SettleDeadlines indexes open markets by (settle deadline, id): the
	// EndBlocker makes those still open at their deadline invalid.
	// InitGenesis rebuilds it from the markets.
	SettleDeadlines collections.KeySet[collections.Pair[int64, uint64]]
}

// NewKeeper builds the keeper and its collections schema.
func NewKeeper(cdc codec.BinaryCodec, storeService store.KVStoreService, bank types.BankKeeper,
	distr types.DistributionKeeper, eval types.EvaluationKeeper, authority string,
) Keeper {
	sb := collections.NewSchemaBuilder(storeService)
	k := Keeper{
		cdc:        cdc,
		bank:       bank,
		distr:      distr,
		eval:       eval,
		authority:  authority,
		moduleAddr: authtypes.NewModuleAddress(types.ModuleName),
		Params:     collections.NewItem(sb, types.ParamsKey, "params", codec.CollValue[types.Params](cdc)),
		MarketSeq:  collections.NewSequence(sb, types.MarketSeqKey, "market_seq"),
		Markets:    collections.NewMap(sb, types.MarketsKey, "markets", collections.Uint64Key, codec.CollValue[types.Market](cdc)),
		MarketByEvaluation: collections.NewMap(sb, types.MarketByEvalKey, "market_by_evaluation",
			collections.Uint64Key, collections.Uint64Value),
		Positions: collections.NewMap(sb, types.PositionsKey, "positions",
			collections.PairKeyCodec(collections.Uint64Key, sdk.AccAddressKey), codec.CollValue[types.Position](cdc)),
		PositionsByOwner: collections.NewKeySet(sb, types.PositionsByOwnerKey, "positions_by_owner",
			collections.PairKeyCodec(sdk.AccAddressKey, collections.Uint64Key)),
		History: collections.NewMap(sb, types.HistoryKey, "history",
			collections.PairKeyCodec(collections.Uint64Key, collections.Int64Key), codec.CollValue[types.PricePoint](cdc)),
		Traded: collections.NewKeySet(sb, types.TradedKey, "traded", collections.Uint64Key),
		SettleDeadlines: collections.NewKeySet(sb, types.SettleDeadlinesKey, "settle_deadlines",
			collections.PairKeyCodec(collections.Int64Key, collections.Uint64Key)),
		ProtocolFees: collections.NewMap(sb, types.ProtocolFeesKey, "protocol_fees", collections.StringKey, sdk.IntValue),
		ReporterFees: collections.NewMap(sb, types.ReporterFeesKey, "reporter_fees",
			collections.PairKeyCodec(collections.Uint64Key, collections.StringKey), sdk.IntValue),
	}
	schema, err := sb.Build()
	if err != nil {
		panic(fmt.Errorf("market schema: %w", err))
	}
	k.Schema = schema
	return k
}

// SetVaultKeeper lets vaults fund markets. Call it once during app
// wiring, before the keeper is copied anywhere.
func (k *Keeper) SetVaultKeeper(v types.VaultKeeper) {
	if k.vault != nil {
		panic("vault keeper already set")
	}
	k.vault = v
}

// Authority is the module's governance address.
func (k Keeper) Authority() string { return k.authority }

// ModuleAddress is the module account that holds escrows and unpaid fees.
func (k Keeper) ModuleAddress() sdk.AccAddress { return k.moduleAddr }

// GetMarket returns a market or ErrMarketNotFound.
func (k Keeper) GetMarket(ctx context.Context, id uint64) (types.Market, error) {
	m, err := k.Markets.Get(ctx, id)
	if err != nil {
		return m, wrapNotFound(err, id)
	}
	return m, nil
}
