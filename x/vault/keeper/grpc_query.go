package keeper

import (
	"context"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"cosmossdk.io/collections"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/query"

	"github.com/delphi-network/delphi/x/vault/types"
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

// Vaults implements types.QueryServer.
func (q queryServer) Vaults(ctx context.Context, req *types.QueryVaultsRequest) (*types.QueryVaultsResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	items, page, err := query.CollectionPaginate(ctx, q.Keeper.Vaults, req.Pagination,
		func(_ uint64, v types.Vault) (types.Vault, error) { return v, nil })
	if err != nil {
		return nil, status.Error(codes.InvalidArgument, err.Error())
	}
	return &types.QueryVaultsResponse{Vaults: items, Pagination: page}, nil
}

// Vault implements types.QueryServer.
func (q queryServer) Vault(ctx context.Context, req *types.QueryVaultRequest) (*types.QueryVaultResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	v, err := q.Keeper.GetVault(ctx, req.VaultId)
	if err != nil {
		return nil, status.Errorf(codes.NotFound, "vault %d not found", req.VaultId)
	}
	p, err := q.Keeper.Params.Get(ctx)
	if err != nil {
		return nil, err
	}
	val, err := q.Keeper.value(ctx, v)
	if err != nil {
		return nil, err
	}
	paused, err := q.Keeper.DepositsPaused(ctx, v)
	if err != nil {
		return nil, err
	}
	per := func(assets math.Int) string {
		return math.LegacyNewDecFromInt(assets.AddRaw(1)).Quo(math.LegacyNewDecFromInt(v.TotalShares.Add(p.VirtualShares))).String()
	}
	return &types.QueryVaultResponse{Vault: v, SharePrice: per(val.withdraw), DepositPrice: per(val.deposit), DepositsPaused: paused}, nil
}

// VaultMarkets implements types.QueryServer.
func (q queryServer) VaultMarkets(ctx context.Context, req *types.QueryVaultMarketsRequest) (*types.QueryVaultMarketsResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	if has, err := q.Keeper.Vaults.Has(ctx, req.VaultId); err != nil || !has {
		return nil, status.Errorf(codes.NotFound, "vault %d not found", req.VaultId)
	}
	res := &types.QueryVaultMarketsResponse{}
	err := q.Keeper.VaultMarkets.Walk(ctx, collections.NewPrefixedPairRange[uint64, uint64](req.VaultId),
		func(_ collections.Pair[uint64, uint64], m types.VaultMarket) (bool, error) {
			res.Markets = append(res.Markets, m)
			return false, nil
		})
	return res, err
}

// Depositor implements types.QueryServer.
func (q queryServer) Depositor(ctx context.Context, req *types.QueryDepositorRequest) (*types.QueryDepositorResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	addr, err := sdk.AccAddressFromBech32(req.Address)
	if err != nil {
		return nil, status.Errorf(codes.InvalidArgument, "address %q: %v", req.Address, err)
	}
	v, err := q.Keeper.GetVault(ctx, req.VaultId)
	if err != nil {
		return nil, status.Errorf(codes.NotFound, "vault %d not found", req.VaultId)
	}
	p, err := q.Keeper.Params.Get(ctx)
	if err != nil {
		return nil, err
	}
	val, err := q.Keeper.value(ctx, v)
	if err != nil {
		return nil, err
	}
	shares := math.ZeroInt()
	if d, err := q.Keeper.Deposits.Get(ctx, collections.Join(req.VaultId, addr)); err == nil {
		shares = d.Shares
	}
	return &types.QueryDepositorResponse{Shares: shares, Value: v.AssetsFor(shares, val.withdraw, p.VirtualShares)}, nil
}

// Withdrawals implements types.QueryServer: the address's queued
// withdrawals, oldest first. The queue is short-lived (paid as markets
// settle), so it is scanned.
func (q queryServer) Withdrawals(ctx context.Context, req *types.QueryWithdrawalsRequest) (*types.QueryWithdrawalsResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	if _, err := sdk.AccAddressFromBech32(req.Address); err != nil {
		return nil, status.Errorf(codes.InvalidArgument, "address %q: %v", req.Address, err)
	}
	res := &types.QueryWithdrawalsResponse{}
	err := q.Keeper.Withdrawals.Walk(ctx, nil, func(_ uint64, w types.Withdrawal) (bool, error) {
		if w.Depositor == req.Address {
			res.Withdrawals = append(res.Withdrawals, w)
		}
		return false, nil
	})
	return res, err
}
