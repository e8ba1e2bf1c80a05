// Package keeper holds x/evaluation's state and its message and query servers.
package keeper

import (
	"context"
	"errors"
	"fmt"

	"cosmossdk.io/collections"
	"cosmossdk.io/core/store"

	"github.com/cosmos/cosmos-sdk/codec"
	sdk "github.com/cosmos/cosmos-sdk/types"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"

	"github.com/delphi-network/delphi/x/evaluation/types"
)

// Keeper stores the registries and evaluations.
type Keeper struct {
	cdc        codec.BinaryCodec
	bank       types.BankKeeper
	staking    types.StakingKeeper
	slashing   types.SlashingKeeper
	distr      types.DistributionKeeper
	authority  string
	moduleAddr sdk.AccAddress

	Schema          collections.Schema
	Params          collections.Item[types.Params]
	BenchmarkSeq    collections.Sequence
	Benchmarks      collections.Map[uint64, types.Benchmark]
	BenchmarkByName collections.Map[string, uint64]
	ModelSeq        collections.Sequence
	Models          collections.Map[uint64, types.Model]
	EvaluationSeq   collections.Sequence
	Evaluations     collections.Map[uint64, types.Evaluation]
	// Rounds holds every started round by (evaluation, round).
	Rounds collections.Map[collections.Pair[uint64, uint32], types.Round]
	// Draws are the rounds waiting to be drawn, by the height of the seed
	// they wait for: each live evaluation's next round, and timed-out
	// rounds awaiting their redraw.
	Draws collections.KeySet[collections.Triple[int64, uint64, uint32]]
	// DrawLoad counts the draws waiting at each height, so a new
	// evaluation reserves its rounds' draws at heights with room (derived
	// from Draws; rebuilt on genesis import).
	DrawLoad collections.Map[int64, uint32]
	// Results holds final results by (evaluation, round, model).
	Results collections.Map[collections.Triple[uint64, uint32, uint64], types.Result]
	// Disagreements holds every claim that differed from a final result.
	DisagreementSeq collections.Sequence
	Disagreements   collections.Map[uint64, types.Disagreement]
	// RoundTimeouts indexes open rounds by the height they time out at.
	RoundTimeouts collections.KeySet[collections.Triple[int64, uint64, uint32]]
	// Index accumulates finalized results by (model, benchmark).
	Index collections.Map[collections.Pair[uint64, uint64], types.IndexEntry]
	// AwaitingFinal holds the evaluations whose rounds are all final and
	// that wait for their challenge window and open disputes.
	AwaitingFinal collections.KeySet[uint64]
	// ExtLimits are the extension bounds validators vote under, by height
	// (this one and the next; see ExtensionLimits).
	ExtLimits collections.Map[int64, types.ExtensionLimits]
	// Seeds are the seeds of the heights draws happen at.
	Seeds collections.Map[int64, types.Seed]
	// SeedEntries are validators' contributions by (height, address).
	SeedEntries collections.Map[collections.Pair[int64, []byte], types.SeedEntry]
	// PendingSeeds indexes the seeds not yet fixed or failed.
	PendingSeeds collections.KeySet[int64]
	// Commitments are validators' commitments to results (and what they
	// revealed) by (evaluation, round, model, address), for the current
	// attempt of open and recently closed rounds.
	Commitments collections.Map[collections.Quad[uint64, uint32, uint64, []byte], types.Commitment]
	// CommitDeadlines indexes rounds taking commitments by the height whose
	// block closes their window.
	CommitDeadlines collections.KeySet[collections.Triple[int64, uint64, uint32]]
	// RevealEnds indexes rounds taking reveals by their last such height.
	RevealEnds collections.KeySet[collections.Triple[int64, uint64, uint32]]
	// Deadlines indexes live evaluations by deadline height, so a block
	// reads only the evaluations due, however many ever existed.
	Deadlines collections.KeySet[collections.Pair[int64, uint64]]
	// Participations are validators' records as reporters, by address.
	Participations collections.Map[[]byte, types.Participation]
	// RewardPools are what markets paid an evaluation's reporters.
	RewardPools collections.Map[uint64, types.RewardPool]

	hooks    types.EvaluationHooks
	disputes types.DisputeKeeper
}

// NewKeeper builds the keeper and its collections schema. authority is the
// address allowed to change params and register benchmarks without deposit.
func NewKeeper(cdc codec.BinaryCodec, storeService store.KVStoreService, deps types.Dependencies, authority string) Keeper {
	sb := collections.NewSchemaBuilder(storeService)
	triple := collections.TripleKeyCodec(collections.Int64Key, collections.Uint64Key, collections.Uint32Key)
	k := Keeper{
		cdc:             cdc,
		bank:            deps.Bank,
		staking:         deps.Staking,
		slashing:        deps.Slashing,
		distr:           deps.Distribution,
		authority:       authority,
		moduleAddr:      authtypes.NewModuleAddress(types.ModuleName),
		Params:          collections.NewItem(sb, types.ParamsKey, "params", codec.CollValue[types.Params](cdc)),
		BenchmarkSeq:    collections.NewSequence(sb, types.BenchmarkSeqKey, "benchmark_seq"),
		Benchmarks:      collections.NewMap(sb, types.BenchmarksKey, "benchmarks", collections.Uint64Key, codec.CollValue[types.Benchmark](cdc)),
		BenchmarkByName: collections.NewMap(sb, types.BenchmarkByNameKey, "benchmark_by_name", collections.StringKey, collections.Uint64Value),
		ModelSeq:        collections.NewSequence(sb, types.ModelSeqKey, "model_seq"),
		Models:          collections.NewMap(sb, types.ModelsKey, "models", collections.Uint64Key, codec.CollValue[types.Model](cdc)),
		EvaluationSeq:   collections.NewSequence(sb, types.EvaluationSeqKey, "evaluation_seq"),
		Evaluations:     collections.NewMap(sb, types.EvaluationsKey, "evaluations", collections.Uint64Key, codec.CollValue[types.Evaluation](cdc)),
		Rounds: collections.NewMap(sb, types.RoundsKey, "rounds",
			collections.PairKeyCodec(collections.Uint64Key, collections.Uint32Key), codec.CollValue[types.Round](cdc)),
		Draws:    collections.NewKeySet(sb, types.DrawsKey, "draws", triple),
		DrawLoad: collections.NewMap(sb, types.DrawLoadKey, "draw_load", collections.Int64Key, collections.Uint32Value),
		Results: collections.NewMap(sb, types.ResultsKey, "results",
			collections.TripleKeyCodec(collections.Uint64Key, collections.Uint32Key, collections.Uint64Key),
			codec.CollValue[types.Result](cdc)),
		DisagreementSeq: collections.NewSequence(sb, types.DisagreementSeqKey, "disagreement_seq"),
		Disagreements: collections.NewMap(sb, types.DisagreementsKey, "disagreements", collections.Uint64Key,
			codec.CollValue[types.Disagreement](cdc)),
		RoundTimeouts: collections.NewKeySet(sb, types.RoundTimeoutsKey, "round_timeouts",
			collections.TripleKeyCodec(collections.Int64Key, collections.Uint64Key, collections.Uint32Key)),
		Index: collections.NewMap(sb, types.IndexKey, "index",
			collections.PairKeyCodec(collections.Uint64Key, collections.Uint64Key), codec.CollValue[types.IndexEntry](cdc)),
		AwaitingFinal: collections.NewKeySet(sb, types.AwaitingFinalKey, "awaiting_final", collections.Uint64Key),
		ExtLimits: collections.NewMap(sb, types.ExtLimitsKey, "ext_limits", collections.Int64Key,
			codec.CollValue[types.ExtensionLimits](cdc)),
		Seeds: collections.NewMap(sb, types.SeedsKey, "seeds", collections.Int64Key, codec.CollValue[types.Seed](cdc)),
		SeedEntries: collections.NewMap(sb, types.SeedEntriesKey, "seed_entries",
			collections.PairKeyCodec(collections.Int64Key, collections.BytesKey), codec.CollValue[types.SeedEntry](cdc)),
		PendingSeeds: collections.NewKeySet(sb, types.PendingSeedsKey, "pending_seeds", collections.Int64Key),
		Commitments: collections.NewMap(sb, types.CommitmentsKey, "commitments",
			collections.QuadKeyCodec(collections.Uint64Key, collections.Uint32Key, collections.Uint64Key, collections.BytesKey),
			codec.CollValue[types.Commitment](cdc)),
		CommitDeadlines: collections.NewKeySet(sb, types.CommitDeadlinesKey, "commit_deadlines", triple),
		RevealEnds:      collections.NewKeySet(sb, types.RevealEndsKey, "reveal_ends", triple),
		Deadlines: collections.NewKeySet(sb, types.DeadlinesKey, "deadlines",
			collections.PairKeyCodec(collections.Int64Key, collections.Uint64Key)),
		Participations: collections.NewMap(sb, types.ParticipationsKey, "participations", collections.BytesKey,
			codec.CollValue[types.Participation](cdc)),
		RewardPools: collections.NewMap(sb, types.RewardPoolsKey, "reward_pools", collections.Uint64Key,
			codec.CollValue[types.RewardPool](cdc)),
	}
	schema, err := sb.Build()
	if err != nil {
		panic(fmt.Errorf("evaluation schema: %w", err))
	}
	k.Schema = schema
	return k
}

// SetHooks registers the module that reacts to finalized and failed
// evaluations (x/market). It may be called once, during app wiring.
func (k *Keeper) SetHooks(h types.EvaluationHooks) {
	if k.hooks != nil {
		panic("evaluation hooks already set")
	}
	k.hooks = h
}

// SetDisputeKeeper registers x/verde, which contests results and holds
// evaluations open while disputes last. It may be called once.
func (k *Keeper) SetDisputeKeeper(d types.DisputeKeeper) {
	if k.disputes != nil {
		panic("dispute keeper already set")
	}
	k.disputes = d
}

// HasOpenDisputes reports whether a dispute about one of the evaluation's
// results is open (false when no dispute keeper is registered): x/market
// keeps trading closed while one may replace a published result.
func (k Keeper) HasOpenDisputes(ctx context.Context, evaluationID uint64) (bool, error) {
	if k.disputes == nil {
		return false, nil
	}
	return k.disputes.HasOpenDisputes(ctx, evaluationID)
}

// Authority is the module's governance address.
func (k Keeper) Authority() string { return k.authority }

func isNotFound(err error) bool { return errors.Is(err, collections.ErrNotFound) }
