package types

import "cosmossdk.io/collections"

const (
	// ModuleName is the module's name, store key and module account.
	ModuleName = "evaluation"
	// StoreKey is the module's KV store key.
	StoreKey = ModuleName
)

// Store prefixes, numbered once and never reused.
var (
	ParamsKey          = collections.NewPrefix(0)
	BenchmarkSeqKey    = collections.NewPrefix(1)
	BenchmarksKey      = collections.NewPrefix(2)
	BenchmarkByNameKey = collections.NewPrefix(3)
	ModelSeqKey        = collections.NewPrefix(4)
	ModelsKey          = collections.NewPrefix(5)
	EvaluationSeqKey   = collections.NewPrefix(6)
	EvaluationsKey     = collections.NewPrefix(7)
	RoundsKey          = collections.NewPrefix(8)
	// 9 held RoundsDue by (height, evaluation) before draws waited for
	// seeds; retired.
	ResultsKey         = collections.NewPrefix(10)
	DisagreementSeqKey = collections.NewPrefix(11)
	DisagreementsKey   = collections.NewPrefix(12)
	IndexKey           = collections.NewPrefix(13)
	RoundTimeoutsKey   = collections.NewPrefix(14)
	AwaitingFinalKey   = collections.NewPrefix(15)
	// 16 held the last height's extension limits alone; retired.
	SeedsKey           = collections.NewPrefix(17)
	SeedEntriesKey     = collections.NewPrefix(18)
	PendingSeedsKey    = collections.NewPrefix(19)
	CommitmentsKey     = collections.NewPrefix(20)
	CommitDeadlinesKey = collections.NewPrefix(21)
	RevealEndsKey      = collections.NewPrefix(22)
	DeadlinesKey       = collections.NewPrefix(23)
	ParticipationsKey  = collections.NewPrefix(24)
	RewardPoolsKey     = collections.NewPrefix(25)
	DrawsKey           = collections.NewPrefix(26)
	ExtLimitsKey       = collections.NewPrefix(27)
	DrawLoadKey        = collections.NewPrefix(28)
)
