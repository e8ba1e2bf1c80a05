package keeper

import (
	"context"

	"google.golang.org/grpc/codes"

	"cosmossdk.io/collections"
	"google.golang.org/grpc/status"

	"github.com/cosmos/cosmos-sdk/types/query"

	"github.com/delphi-network/delphi/x/evaluation/types"
)

type queryServer struct{ k Keeper }

var _ types.QueryServer = queryServer{}

// NewQueryServerImpl returns the module's Query service.
func NewQueryServerImpl(k Keeper) types.QueryServer { return queryServer{k} }

// Params implements types.QueryServer.
func (q queryServer) Params(ctx context.Context, _ *types.QueryParamsRequest) (*types.QueryParamsResponse, error) {
	p, err := q.k.Params.Get(ctx)
	if err != nil {
		return nil, err
	}
	return &types.QueryParamsResponse{Params: p}, nil
}

// Benchmarks implements types.QueryServer.
func (q queryServer) Benchmarks(ctx context.Context, req *types.QueryBenchmarksRequest) (*types.QueryBenchmarksResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	items, page, err := query.CollectionPaginate(ctx, q.k.Benchmarks, req.Pagination,
		func(_ uint64, b types.Benchmark) (types.Benchmark, error) { return b, nil })
	if err != nil {
		return nil, status.Error(codes.InvalidArgument, err.Error())
	}
	return &types.QueryBenchmarksResponse{Benchmarks: items, Pagination: page}, nil
}

// Benchmark implements types.QueryServer.
func (q queryServer) Benchmark(ctx context.Context, req *types.QueryBenchmarkRequest) (*types.QueryBenchmarkResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	b, err := q.k.Benchmarks.Get(ctx, req.Id)
	if err != nil {
		return nil, status.Errorf(codes.NotFound, "benchmark %d not found", req.Id)
	}
	return &types.QueryBenchmarkResponse{Benchmark: b}, nil
}

// Models implements types.QueryServer.
func (q queryServer) Models(ctx context.Context, req *types.QueryModelsRequest) (*types.QueryModelsResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	items, page, err := query.CollectionPaginate(ctx, q.k.Models, req.Pagination,
		func(_ uint64, m types.Model) (types.Model, error) { return m, nil })
	if err != nil {
		return nil, status.Error(codes.InvalidArgument, err.Error())
	}
	return &types.QueryModelsResponse{Models: items, Pagination: page}, nil
}

// Model implements types.QueryServer.
func (q queryServer) Model(ctx context.Context, req *types.QueryModelRequest) (*types.QueryModelResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	m, err := q.k.Models.Get(ctx, req.Id)
	if err != nil {
		return nil, status.Errorf(codes.NotFound, "model %d not found", req.Id)
	}
	return &types.QueryModelResponse{Model: m}, nil
}

// Evaluations implements types.QueryServer.
func (q queryServer) Evaluations(ctx context.Context, req *types.QueryEvaluationsRequest) (*types.QueryEvaluationsResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	items, page, err := query.CollectionPaginate(ctx, q.k.Evaluations, req.Pagination,
		func(_ uint64, e types.Evaluation) (types.Evaluation, error) { return e, nil })
	if err != nil {
		return nil, status.Error(codes.InvalidArgument, err.Error())
	}
	return &types.QueryEvaluationsResponse{Evaluations: items, Pagination: page}, nil
}

// Evaluation implements types.QueryServer.
func (q queryServer) Evaluation(ctx context.Context, req *types.QueryEvaluationRequest) (*types.QueryEvaluationResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	e, err := q.k.Evaluations.Get(ctx, req.Id)
	if err != nil {
		return nil, status.Errorf(codes.NotFound, "evaluation %d not found", req.Id)
	}
	return &types.QueryEvaluationResponse{Evaluation: e}, nil
}

// Rounds implements types.QueryServer.
func (q queryServer) Rounds(ctx context.Context, req *types.QueryRoundsRequest) (*types.QueryRoundsResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	if has, err := q.k.Evaluations.Has(ctx, req.Id); err != nil {
		return nil, err
	} else if !has {
		return nil, status.Errorf(codes.NotFound, "evaluation %d not found", req.Id)
	}
	res := &types.QueryRoundsResponse{}
	err := q.k.Rounds.Walk(ctx, collections.NewPrefixedPairRange[uint64, uint32](req.Id),
		func(_ collections.Pair[uint64, uint32], r types.Round) (bool, error) {
			res.Rounds = append(res.Rounds, r)
			return false, nil
		})
	return res, err
}

// Results implements types.QueryServer. An evaluation has at most
// max_rounds × max_models results, so the list is bounded by params.
func (q queryServer) Results(ctx context.Context, req *types.QueryResultsRequest) (*types.QueryResultsResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	if has, err := q.k.Evaluations.Has(ctx, req.Id); err != nil {
		return nil, err
	} else if !has {
		return nil, status.Errorf(codes.NotFound, "evaluation %d not found", req.Id)
	}
	res := &types.QueryResultsResponse{}
	err := q.k.Results.Walk(ctx, collections.NewPrefixedTripleRange[uint64, uint32, uint64](req.Id),
		func(_ collections.Triple[uint64, uint32, uint64], r types.Result) (bool, error) {
			res.Results = append(res.Results, r)
			return false, nil
		})
	return res, err
}
