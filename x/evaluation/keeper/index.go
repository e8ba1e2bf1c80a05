package keeper

import (
	"context"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"cosmossdk.io/collections"

	"github.com/delphi-network/delphi/x/evaluation/types"
)

// addToIndex adds a finalized evaluation's standings to each model's index
// entry for the evaluation's benchmark.
func (k Keeper) addToIndex(ctx context.Context, e types.Evaluation, standings []types.Standing) error {
	b, err := k.Benchmarks.Get(ctx, e.BenchmarkId)
	if err != nil {
		return err
	}
	for _, s := range standings {
		key := collections.Join(s.ModelId, e.BenchmarkId)
		entry, err := k.Index.Get(ctx, key)
		if err != nil {
			entry = types.IndexEntry{ModelId: s.ModelId, BenchmarkId: e.BenchmarkId, PointsPerItem: uint32(b.Points())}
		}
		entry.Evaluations++
		entry.Rounds += uint64(e.Rounds)
		entry.Items += s.Items
		entry.Correct += s.Correct
		if err := k.Index.Set(ctx, key, entry); err != nil {
			return err
		}
	}
	return nil
}

// modelIndex reads one model's entries in benchmark order.
func (k Keeper) modelIndex(ctx context.Context, modelID uint64) (types.ModelIndex, error) {
	var entries []types.IndexEntry
	err := k.Index.Walk(ctx, collections.NewPrefixedPairRange[uint64, uint64](modelID),
		func(_ collections.Pair[uint64, uint64], e types.IndexEntry) (bool, error) {
			entries = append(entries, e)
			return false, nil
		})
	return types.NewModelIndex(modelID, entries), err
}

// Index implements types.QueryServer: every model with an index entry.
func (q queryServer) Index(ctx context.Context, _ *types.QueryIndexRequest) (*types.QueryIndexResponse, error) {
	res := &types.QueryIndexResponse{}
	var models []uint64
	if err := q.k.Index.Walk(ctx, nil, func(key collections.Pair[uint64, uint64], _ types.IndexEntry) (bool, error) {
		if n := len(models); n == 0 || models[n-1] != key.K1() {
			models = append(models, key.K1())
		}
		return false, nil
	}); err != nil {
		return nil, err
	}
	for _, m := range models {
		idx, err := q.k.modelIndex(ctx, m)
		if err != nil {
			return nil, err
		}
		res.Models = append(res.Models, idx)
	}
	return res, nil
}

// ModelIndex implements types.QueryServer.
func (q queryServer) ModelIndex(ctx context.Context, req *types.QueryModelIndexRequest) (*types.QueryModelIndexResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	if has, err := q.k.Models.Has(ctx, req.ModelId); err != nil {
		return nil, err
	} else if !has {
		return nil, status.Errorf(codes.NotFound, "model %d not found", req.ModelId)
	}
	idx, err := q.k.modelIndex(ctx, req.ModelId)
	if err != nil {
		return nil, err
	}
	return &types.QueryModelIndexResponse{Index: idx}, nil
}
