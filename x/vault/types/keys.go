package types

import "cosmossdk.io/collections"

const (
	// ModuleName is the module's name, store key and module account (which
	// holds every vault's idle collateral).
	ModuleName = "vault"
	// StoreKey is the module's KV store key.
	StoreKey = ModuleName
)

// Store prefixes, numbered once and never reused.
var (
	ParamsKey        = collections.NewPrefix(0)
	VaultSeqKey      = collections.NewPrefix(1)
	VaultsKey        = collections.NewPrefix(2)
	VaultMarketsKey  = collections.NewPrefix(3)
	DepositsKey      = collections.NewPrefix(4)
	WithdrawalSeqKey = collections.NewPrefix(5)
	WithdrawalsKey   = collections.NewPrefix(6)
	QueueKey         = collections.NewPrefix(7)
	OpenMarketsKey   = collections.NewPrefix(8)
	PayDueKey        = collections.NewPrefix(9)
	PayCursorKey     = collections.NewPrefix(10)
)
