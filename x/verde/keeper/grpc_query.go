package keeper

import (
	"context"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/cosmos/cosmos-sdk/types/query"

	"github.com/delphi-network/delphi/x/verde/types"
)

type queryServer struct{ Keeper }

var _ types.QueryServer = queryServer{}

// NewQueryServerImpl returns the module's Query service.
func NewQueryServerImpl(k Keeper) types.QueryServer { return queryServer{k} }

// Params implements types.QueryServer.
func (q queryServer) Params(ctx context.Context, _ *types.QueryParamsRequest) (*types.QueryParamsResponse, error) {
	p, err := q.Keeper.Params.Get(ctx)
	if err != nil {
		return nil, err
	}
	return &types.QueryParamsResponse{Params: p}, nil
}

// Disputes implements types.QueryServer.
func (q queryServer) Disputes(ctx context.Context, req *types.QueryDisputesRequest) (*types.QueryDisputesResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	items, page, err := query.CollectionFilteredPaginate(ctx, q.Keeper.Disputes, req.Pagination,
		func(_ uint64, d types.Dispute) (bool, error) {
			return !req.OpenOnly || d.Status == types.DISPUTE_STATUS_OPEN, nil
		},
		func(_ uint64, d types.Dispute) (types.Dispute, error) { return d, nil })
	if err != nil {
		return nil, status.Error(codes.InvalidArgument, err.Error())
	}
	return &types.QueryDisputesResponse{Disputes: items, Pagination: page}, nil
}

// Dispute implements types.QueryServer.
func (q queryServer) Dispute(ctx context.Context, req *types.QueryDisputeRequest) (*types.QueryDisputeResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	d, err := q.Keeper.Disputes.Get(ctx, req.Id)
	if err != nil {
		return nil, status.Errorf(codes.NotFound, "dispute %d not found", req.Id)
	}
	return &types.QueryDisputeResponse{Dispute: d, WaitingFor: types.WaitingFor(d)}, nil
}
