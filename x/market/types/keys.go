package types

import "cosmossdk.io/collections"

const (
	// ModuleName is the module's name, store key and module account, which
	// holds every market's escrow and unpaid fees.
	ModuleName = "market"
	// StoreKey is the module's KV store key.
	StoreKey = ModuleName
)

// Store prefixes, numbered once and never reused.
var (
	ParamsKey           = collections.NewPrefix(0)
	MarketSeqKey        = collections.NewPrefix(1)
	MarketsKey          = collections.NewPrefix(2)
	MarketByEvalKey     = collections.NewPrefix(3)
	PositionsKey        = collections.NewPrefix(4)
	PositionsByOwnerKey = collections.NewPrefix(5)
	HistoryKey          = collections.NewPrefix(6)
	TradedKey           = collections.NewPrefix(7)
	ProtocolFeesKey     = collections.NewPrefix(8)
	ReporterFeesKey     = collections.NewPrefix(9)
	SettleDeadlinesKey  = collections.NewPrefix(10)
)
