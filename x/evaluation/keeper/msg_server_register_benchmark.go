package keeper

import (
	"context"

	errorsmod "cosmossdk.io/errors"

	"github.com/delphi-network/delphi/x/evaluation/types"
)

// RegisterBenchmark implements types.MsgServer. The authority registers for
// free; anyone else only when params allow it, and pays the deposit into the
// module account.
func (k msgServer) RegisterBenchmark(ctx context.Context, msg *types.MsgRegisterBenchmark) (*types.MsgRegisterBenchmarkResponse, error) {
	registrant, err := signer("registrant", msg.Registrant)
	if err != nil {
		return nil, err
	}
	params, err := k.Params.Get(ctx)
	if err != nil {
		return nil, err
	}
	class := types.ErrInvalidBenchmark
	if err := types.ValidateName(class, "name", msg.Name); err != nil {
		return nil, err
	}
	if err := types.ValidateText(class, "task", msg.Task, true); err != nil {
		return nil, err
	}
	if err := types.ValidateText(class, "metric", msg.Metric, true); err != nil {
		return nil, err
	}
	if err := types.ValidateSHA256(class, "dataset_sha256", msg.DatasetSha256, true); err != nil {
		return nil, err
	}
	if err := types.ValidateSHA256(class, "item_root", msg.ItemRoot, true); err != nil {
		return nil, err
	}
	if err := types.ValidateURIs("dataset_uris", msg.DatasetUris, params.MaxUris); err != nil {
		return nil, err
	}
	if msg.ItemCount == 0 {
		return nil, errorsmod.Wrap(class, "item_count must be positive")
	}
	if has, err := k.BenchmarkByName.Has(ctx, msg.Name); err != nil {
		return nil, err
	} else if has {
		return nil, errorsmod.Wrapf(types.ErrBenchmarkExists, "%q", msg.Name)
	}

	if msg.Registrant != k.authority {
		if !params.PermissionlessBenchmarks {
			return nil, errorsmod.Wrapf(types.ErrUnauthorized, "only %s registers benchmarks (permissionless_benchmarks is off)", k.authority)
		}
		if !params.BenchmarkDeposit.IsZero() {
			if err := k.bank.SendCoinsFromAccountToModule(ctx, registrant, types.ModuleName, params.BenchmarkDeposit); err != nil {
				return nil, errorsmod.Wrapf(err, "benchmark deposit %s", params.BenchmarkDeposit)
			}
		}
	}

	id, err := nextID(ctx, k.BenchmarkSeq)
	if err != nil {
		return nil, err
	}
	b := types.Benchmark{
		Id: id, Name: msg.Name, Task: msg.Task, Metric: msg.Metric, DatasetSha256: msg.DatasetSha256,
		DatasetUris: msg.DatasetUris, ItemCount: msg.ItemCount, Registrant: msg.Registrant, ItemRoot: msg.ItemRoot,
	}
	if err := k.Benchmarks.Set(ctx, id, b); err != nil {
		return nil, err
	}
	if err := k.BenchmarkByName.Set(ctx, b.Name, id); err != nil {
		return nil, err
	}
	if err := emit(ctx, &types.EventBenchmarkRegistered{Id: id, Name: b.Name, Registrant: b.Registrant}); err != nil {
		return nil, err
	}
	return &types.MsgRegisterBenchmarkResponse{Id: id}, nil
}
