package types

import "cosmossdk.io/collections"

const (
	// ModuleName is the module's name, store key and module account (which
	// holds challenger bonds).
	ModuleName = "verde"
	// StoreKey is the module's KV store key.
	StoreKey = ModuleName
)

// Store prefixes, numbered once and never reused.
var (
	ParamsKey           = collections.NewPrefix(0)
	DisputeSeqKey       = collections.NewPrefix(1)
	DisputesKey         = collections.NewPrefix(2)
	OpenByEvaluationKey = collections.NewPrefix(3)
	DeadlinesKey        = collections.NewPrefix(4)
)
