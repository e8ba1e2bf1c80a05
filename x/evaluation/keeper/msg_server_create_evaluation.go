package keeper

import (
	"context"
	"math"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/delphi-network/delphi/internal/modkit"
	"github.com/delphi-network/delphi/x/evaluation/types"
)

// MaxScheduleBlocks bounds how far ahead an evaluation may be scheduled, so
// heights never overflow int64 however large the requested numbers are.
const MaxScheduleBlocks = 10_000_000

// CreateEvaluation implements types.MsgServer.
func (k msgServer) CreateEvaluation(ctx context.Context, msg *types.MsgCreateEvaluation) (*types.MsgCreateEvaluationResponse, error) {
	if _, err := modkit.Signer("creator", msg.Creator, types.ErrInvalidAddress); err != nil {
		return nil, err
	}
	e, err := k.Keeper.CreateEvaluation(ctx, msg)
	if err != nil {
		return nil, err
	}
	return &types.MsgCreateEvaluationResponse{Id: e.Id, StartHeight: e.StartHeight}, nil
}

// CreateEvaluation checks the benchmark, the models and the schedule against
// params, takes the creator's deposit (sized to the work: models × rounds ×
// items per round) and schedules round 0 at start_delay blocks from now or
// later (its seed needs seed_lead_blocks). x/market calls it to create the
// evaluation a market trades on; the caller has checked msg.Creator.
func (k Keeper) CreateEvaluation(ctx context.Context, msg *types.MsgCreateEvaluation) (types.Evaluation, error) {
	var none types.Evaluation
	params, err := k.Params.Get(ctx)
	if err != nil {
		return none, err
	}
	bad := types.ErrInvalidEvaluation
	bench, err := k.Benchmarks.Get(ctx, msg.BenchmarkId)
	if err != nil {
		return none, errorsmod.Wrapf(types.ErrBenchmarkNotFound, "benchmark %d", msg.BenchmarkId)
	}
	n := len(msg.ModelIds)
	if n < 2 || n > int(params.MaxModels) {
		return none, errorsmod.Wrapf(bad, "%d models: want 2 to %d", n, params.MaxModels)
	}
	var judge *types.Model
	if bench.JudgeModelId != 0 {
		j, err := k.Models.Get(ctx, bench.JudgeModelId)
		if err != nil {
			return none, errorsmod.Wrapf(types.ErrModelNotFound, "the benchmark's judge, model %d", bench.JudgeModelId)
		}
		judge = &j
	}
	seen := make(map[uint64]bool, n)
	for _, id := range msg.ModelIds {
		if seen[id] {
			return none, errorsmod.Wrapf(bad, "model %d listed twice", id)
		}
		seen[id] = true
		m, err := k.Models.Get(ctx, id)
		if err != nil {
			return none, errorsmod.Wrapf(types.ErrModelNotFound, "model %d", id)
		}
		if !types.FormatRuns(m.Format, bench) {
			return none, errorsmod.Wrapf(bad, "model %d (%s) cannot run on benchmark %q", id, m.Format, bench.Name)
		}
		// A model registered before referee steps were declared (or
		// imported in a genesis) is not let into an evaluation the chain
		// could not referee.
		if err := types.ValidateRefereeStep(bad, m.Format, m.RefereeStepBytes, m.RefereeStepFlops); err != nil {
			return none, errorsmod.Wrapf(err, "model %d", id)
		}
		if judge != nil {
			if err := types.ValidateJudgedStep(bad, m, *judge); err != nil {
				return none, err
			}
		}
	}
	switch {
	case msg.Rounds < 1 || msg.Rounds > params.MaxRounds:
		return none, errorsmod.Wrapf(bad, "rounds %d: want 1 to %d", msg.Rounds, params.MaxRounds)
	case msg.ItemsPerRound < 1 || msg.ItemsPerRound > params.MaxItemsPerRound:
		return none, errorsmod.Wrapf(bad, "items_per_round %d: want 1 to %d", msg.ItemsPerRound, params.MaxItemsPerRound)
	case uint64(msg.ItemsPerRound) > bench.ItemCount:
		return none, errorsmod.Wrapf(bad, "items_per_round %d exceeds the benchmark's %d items", msg.ItemsPerRound, bench.ItemCount)
	case msg.BlocksBetweenRounds < params.MinBlocksBetweenRounds:
		return none, errorsmod.Wrapf(bad, "blocks_between_rounds %d below the minimum %d", msg.BlocksBetweenRounds, params.MinBlocksBetweenRounds)
	case msg.StartDelay < 1:
		return none, errorsmod.Wrap(bad, "start_delay must be at least 1 block")
	case msg.DeadlineBlocks < params.CommitWindowBlocks+params.RevealWindowBlocks:
		// The last round must be able to finish when a validator is
		// down: its commit window runs to its end, then the reveals.
		return none, errorsmod.Wrapf(bad, "deadline_blocks %d is shorter than a round's commit and reveal windows (%d)",
			msg.DeadlineBlocks, params.CommitWindowBlocks+params.RevealWindowBlocks)
	}
	// Checked in uint64 before any conversion: each term is bounded, so the
	// sum cannot wrap.
	if msg.StartDelay > MaxScheduleBlocks || msg.BlocksBetweenRounds > MaxScheduleBlocks || msg.DeadlineBlocks > MaxScheduleBlocks {
		return none, errorsmod.Wrapf(bad, "start_delay, blocks_between_rounds and deadline_blocks must each be at most %d", MaxScheduleBlocks)
	}
	// The reservations may each land up to the seed lead plus
	// slotSearchBlocks later than wanted.
	span := msg.StartDelay + uint64(msg.Rounds-1)*msg.BlocksBetweenRounds + msg.DeadlineBlocks +
		uint64(msg.Rounds)*(params.SeedLeadBlocks+uint64(slotSearchBlocks))
	height := sdk.UnwrapSDKContext(ctx).BlockHeight()
	if span > uint64(math.MaxInt64-height) {
		return none, errorsmod.Wrap(bad, "schedule overflows the block height")
	}
	if err := msg.Deposit.Validate(); err != nil {
		return none, errorsmod.Wrapf(bad, "deposit: %v", err)
	}
	deposit, err := k.takeDeposit(ctx, msg.Creator, msg.Deposit, types.RequiredDeposit(params, n, msg.Rounds, msg.ItemsPerRound))
	if err != nil {
		return none, err
	}

	id, err := modkit.NextID(ctx, k.EvaluationSeq)
	if err != nil {
		return none, err
	}
	// Every round's draw is reserved now (see schedule.go): round 0 at the
	// first height start_delay blocks away or more whose seed validators
	// have time to commit to, each next one blocks_between_rounds after
	// the last, each at the first such height with room.
	draws := make([]int64, msg.Rounds)
	want := height + int64(msg.StartDelay)
	for r := range draws {
		if draws[r], err = k.reserveDraw(ctx, id, uint32(r), want, true); err != nil {
			return none, err
		}
		// Bounded: each step by the checks above and slotSearchBlocks.
		want = draws[r] + int64(msg.BlocksBetweenRounds)
	}
	start, deadline := draws[0], draws[len(draws)-1]+int64(msg.DeadlineBlocks)
	e := types.Evaluation{
		Id: id, BenchmarkId: bench.Id, ModelIds: msg.ModelIds, Rounds: msg.Rounds, ItemsPerRound: msg.ItemsPerRound,
		BlocksBetweenRounds: msg.BlocksBetweenRounds, StartHeight: start, DeadlineHeight: deadline,
		Creator: msg.Creator, Status: types.EVALUATION_STATUS_SCHEDULED, Deposit: deposit, DrawHeights: draws,
		OpenedHeights: make([]int64, msg.Rounds), FinalHeights: make([]int64, msg.Rounds),
		RuntimeVersion: params.Runtime(),
	}
	if err := k.Evaluations.Set(ctx, id, e); err != nil {
		return none, err
	}
	if err := k.Deadlines.Set(ctx, collections.Join(deadline, id)); err != nil {
		return none, err
	}
	if err := modkit.Emit(ctx, &types.EventEvaluationCreated{
		Id: id, BenchmarkId: e.BenchmarkId, ModelIds: e.ModelIds, Rounds: e.Rounds, StartHeight: start, Creator: e.Creator,
		DrawHeights: draws, DeadlineHeight: deadline,
	}); err != nil {
		return none, err
	}
	return e, nil
}
