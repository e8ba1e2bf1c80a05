package keeper

import (
	"context"
	"slices"
	"strings"

	errorsmod "cosmossdk.io/errors"

	"github.com/delphi-network/delphi/internal/modkit"
	"github.com/delphi-network/delphi/x/evaluation/types"
)

// RegisterBenchmark implements types.MsgServer. The authority registers for
// free; anyone else only when params allow it, and pays the deposit into the
// module account.
func (k msgServer) RegisterBenchmark(ctx context.Context, msg *types.MsgRegisterBenchmark) (*types.MsgRegisterBenchmarkResponse, error) {
	registrant, err := modkit.Signer("registrant", msg.Registrant, types.ErrInvalidAddress)
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
	dataset := msg.Dataset
	if dataset == "" {
		dataset = msg.Name
	}
	if err := types.ValidateName(class, "dataset", dataset); err != nil {
		return nil, err
	}
	if err := k.checkJudge(ctx, dataset, msg.JudgeModelId, msg.JudgePrompt); err != nil {
		return nil, err
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

	id, err := modkit.NextID(ctx, k.BenchmarkSeq)
	if err != nil {
		return nil, err
	}
	b := types.Benchmark{
		Id: id, Name: msg.Name, Task: msg.Task, Metric: msg.Metric, DatasetSha256: msg.DatasetSha256,
		DatasetUris: msg.DatasetUris, ItemCount: msg.ItemCount, Registrant: msg.Registrant, ItemRoot: msg.ItemRoot,
		Dataset: msg.Dataset, PointsPerItem: types.DatasetPoints(dataset), JudgeModelId: msg.JudgeModelId, JudgePrompt: msg.JudgePrompt,
	}
	if err := k.Benchmarks.Set(ctx, id, b); err != nil {
		return nil, err
	}
	if err := k.BenchmarkByName.Set(ctx, b.Name, id); err != nil {
		return nil, err
	}
	if err := modkit.Emit(ctx, &types.EventBenchmarkRegistered{Id: id, Name: b.Name, Registrant: b.Registrant}); err != nil {
		return nil, err
	}
	return &types.MsgRegisterBenchmarkResponse{Id: id}, nil
}

// checkJudge accepts a judge only on a dataset of generated answers, as a
// registered model of a language-model format, with a prompt that shows it
// the answer.
func (k Keeper) checkJudge(ctx context.Context, dataset string, judge uint64, prompt string) error {
	class := types.ErrInvalidBenchmark
	if judge == 0 {
		if prompt != "" {
			return errorsmod.Wrap(class, "judge_prompt without judge_model_id")
		}
		return nil
	}
	if !types.JudgedKind(dataset) {
		return errorsmod.Wrapf(class, "dataset %q has no generated answers for a judge to decide", dataset)
	}
	m, err := k.Models.Get(ctx, judge)
	if err != nil {
		return errorsmod.Wrapf(types.ErrModelNotFound, "judge model %d", judge)
	}
	if !slices.Contains(types.Formats, m.Format) {
		return errorsmod.Wrapf(class, "judge model %d has format %q", judge, m.Format)
	}
	if len(prompt) > types.MaxSystemPromptLen {
		return errorsmod.Wrapf(class, "judge_prompt is %d bytes, max %d", len(prompt), types.MaxSystemPromptLen)
	}
	if prompt != "" && !strings.Contains(prompt, "{answer}") {
		return errorsmod.Wrap(class, "judge_prompt must contain {answer}")
	}
	return nil
}
