// Package keeper holds x/verde's disputes and plays the game's rules: it
// opens disputes against contested results, checks every reveal against its
// side's trace root, recomputes the diverging operator, and punishes the
// side that lied.
package keeper

import (
	"context"
	"fmt"

	"cosmossdk.io/collections"
	"cosmossdk.io/core/store"

	"github.com/cosmos/cosmos-sdk/codec"
	sdk "github.com/cosmos/cosmos-sdk/types"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"

	"github.com/delphi-network/delphi/x/verde/types"
)

// Keeper stores disputes.
type Keeper struct {
	cdc        codec.BinaryCodec
	eval       types.EvaluationKeeper
	staking    types.StakingKeeper
	slashing   types.SlashingKeeper
	bank       types.BankKeeper
	distr      types.DistributionKeeper
	authority  string
	moduleAddr sdk.AccAddress

	Schema     collections.Schema
	Params     collections.Item[types.Params]
	DisputeSeq collections.Sequence
	Disputes   collections.Map[uint64, types.Dispute]
	// OpenByEvaluation indexes open disputes by (evaluation, dispute).
	OpenByEvaluation collections.KeySet[collections.Pair[uint64, uint64]]
	// Deadlines indexes open disputes by (deadline height, dispute).
	Deadlines collections.KeySet[collections.Pair[int64, uint64]]
}

// NewKeeper builds the keeper and its collections schema.
func NewKeeper(cdc codec.BinaryCodec, storeService store.KVStoreService, eval types.EvaluationKeeper,
	staking types.StakingKeeper, slashing types.SlashingKeeper, bank types.BankKeeper, distr types.DistributionKeeper,
	authority string,
) Keeper {
	sb := collections.NewSchemaBuilder(storeService)
	k := Keeper{
		cdc: cdc, eval: eval, staking: staking, slashing: slashing, bank: bank, distr: distr, authority: authority,
		moduleAddr: authtypes.NewModuleAddress(types.ModuleName),
		Params:     collections.NewItem(sb, types.ParamsKey, "params", codec.CollValue[types.Params](cdc)),
		DisputeSeq: collections.NewSequence(sb, types.DisputeSeqKey, "dispute_seq"),
		Disputes:   collections.NewMap(sb, types.DisputesKey, "disputes", collections.Uint64Key, codec.CollValue[types.Dispute](cdc)),
		OpenByEvaluation: collections.NewKeySet(sb, types.OpenByEvaluationKey, "open_by_evaluation",
			collections.PairKeyCodec(collections.Uint64Key, collections.Uint64Key)),
		Deadlines: collections.NewKeySet(sb, types.DeadlinesKey, "deadlines",
			collections.PairKeyCodec(collections.Int64Key, collections.Uint64Key)),
	}
	schema, err := sb.Build()
	if err != nil {
		panic(fmt.Errorf("verde schema: %w", err))
	}
	k.Schema = schema
	return k
}

// Authority is the module's governance address.
func (k Keeper) Authority() string { return k.authority }

// HasOpenDisputes implements x/evaluation's DisputeKeeper.
func (k Keeper) HasOpenDisputes(ctx context.Context, evaluationID uint64) (bool, error) {
	it, err := k.OpenByEvaluation.Iterate(ctx, collections.NewPrefixedPairRange[uint64, uint64](evaluationID))
	if err != nil {
		return false, err
	}
	defer it.Close()
	return it.Valid(), nil
}

// setDeadline moves an open dispute's deadline index entry.
func (k Keeper) setDeadline(ctx context.Context, d *types.Dispute, height int64) error {
	if d.DeadlineHeight != 0 {
		if err := k.Deadlines.Remove(ctx, collections.Join(d.DeadlineHeight, d.Id)); err != nil {
			return err
		}
	}
	d.DeadlineHeight = height
	return k.Deadlines.Set(ctx, collections.Join(height, d.Id))
}
