package keeper

import (
	"context"
	"encoding/hex"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"cosmossdk.io/collections"

	"github.com/delphi-network/delphi/x/evaluation/types"
)

// Commitments implements types.QueryServer.
func (q queryServer) Commitments(ctx context.Context, req *types.QueryCommitmentsRequest) (*types.QueryCommitmentsResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	if _, err := q.k.Rounds.Get(ctx, collections.Join(req.Id, req.Round)); err != nil {
		return nil, status.Errorf(codes.NotFound, "evaluation %d has no round %d", req.Id, req.Round)
	}
	out := &types.QueryCommitmentsResponse{}
	err := q.k.Commitments.Walk(ctx, collections.NewSuperPrefixedQuadRange[uint64, uint32, uint64, []byte](req.Id, req.Round),
		func(_ collections.Quad[uint64, uint32, uint64, []byte], c types.Commitment) (bool, error) {
			out.Commitments = append(out.Commitments, c)
			return false, nil
		})
	return out, err
}

// Seed implements types.QueryServer.
func (q queryServer) Seed(ctx context.Context, req *types.QuerySeedRequest) (*types.QuerySeedResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	seed, err := q.k.Seeds.Get(ctx, req.Height)
	if err != nil {
		return nil, status.Errorf(codes.NotFound, "no seed at height %d", req.Height)
	}
	out := &types.QuerySeedResponse{Seed: seed}
	err = q.k.SeedEntries.Walk(ctx, collections.NewPrefixedPairRange[int64, []byte](req.Height),
		func(key collections.Pair[int64, []byte], e types.SeedEntry) (bool, error) {
			out.Contributions = append(out.Contributions, types.SeedContribution{Validator: hex.EncodeToString(key.K2()),
				Commitment: hex.EncodeToString(e.Commitment), Value: hex.EncodeToString(e.Value)})
			return false, nil
		})
	return out, err
}

// Participations implements types.QueryServer.
func (q queryServer) Participations(ctx context.Context, req *types.QueryParticipationsRequest) (*types.QueryParticipationsResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	out := &types.QueryParticipationsResponse{}
	err := q.k.Participations.Walk(ctx, nil, func(_ []byte, p types.Participation) (bool, error) {
		out.Participations = append(out.Participations, p)
		return false, nil
	})
	return out, err
}

// RewardPool implements types.QueryServer.
func (q queryServer) RewardPool(ctx context.Context, req *types.QueryRewardPoolRequest) (*types.QueryRewardPoolResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	if has, err := q.k.Evaluations.Has(ctx, req.Id); err != nil || !has {
		return nil, status.Errorf(codes.NotFound, "evaluation %d not found", req.Id)
	}
	pool, err := q.k.RewardPools.Get(ctx, req.Id)
	if err != nil && !isNotFound(err) {
		return nil, err
	}
	pool.EvaluationId = req.Id
	return &types.QueryRewardPoolResponse{Pool: pool}, nil
}
