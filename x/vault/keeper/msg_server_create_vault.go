package keeper

import (
	"context"

	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/delphi-network/delphi/x/vault/types"
)

// CreateVault implements types.MsgServer: governance creates vaults
// freely; anyone else when params are permissionless, paying the creation
// deposit into the community pool.
func (k msgServer) CreateVault(ctx context.Context, msg *types.MsgCreateVault) (*types.MsgCreateVaultResponse, error) {
	manager, err := signer("manager", msg.Manager)
	if err != nil {
		return nil, err
	}
	p, err := k.Params.Get(ctx)
	if err != nil {
		return nil, err
	}
	bad := types.ErrInvalidVault
	switch {
	case len(msg.Name) == 0 || len(msg.Name) > 100:
		return nil, errorsmod.Wrap(bad, "name must be 1 to 100 bytes")
	case sdk.ValidateDenom(msg.CollateralDenom) != nil:
		return nil, errorsmod.Wrapf(bad, "collateral denom %q", msg.CollateralDenom)
	case len(msg.Category) == 0 || len(msg.Category) > int(p.MaxCategory):
		return nil, errorsmod.Wrapf(bad, "category of %d benchmarks: want 1 to %d", len(msg.Category), p.MaxCategory)
	case msg.SubsidyCap.IsNil() || !msg.SubsidyCap.IsPositive():
		return nil, errorsmod.Wrap(bad, "subsidy_cap must be positive")
	case msg.MinFeeBps > 10_000:
		return nil, errorsmod.Wrap(bad, "min_fee_bps above 10000")
	case msg.Rule != types.FUND_RULE_MANAGER && msg.Rule != types.FUND_RULE_CATEGORY:
		return nil, errorsmod.Wrapf(bad, "rule %d", msg.Rule)
	}
	seen := map[uint64]bool{}
	for _, b := range msg.Category {
		if seen[b] {
			return nil, errorsmod.Wrapf(bad, "benchmark %d listed twice", b)
		}
		seen[b] = true
	}
	if msg.Manager != k.authority {
		if !p.Permissionless {
			return nil, errorsmod.Wrapf(types.ErrUnauthorized, "only %s creates vaults", k.authority)
		}
		if !p.CreationDeposit.IsZero() {
			if err := k.distr.FundCommunityPool(ctx, p.CreationDeposit, manager); err != nil {
				return nil, fundsError(err, msg.Manager, p.CreationDeposit)
			}
		}
	}
	id, err := k.VaultSeq.Next(ctx)
	if err != nil {
		return nil, err
	}
	id++
	v := types.Vault{Id: id, Name: msg.Name, Manager: msg.Manager, CollateralDenom: msg.CollateralDenom,
		Category: msg.Category, SubsidyCap: msg.SubsidyCap, MinFeeBps: msg.MinFeeBps, Rule: msg.Rule,
		TotalShares: math.ZeroInt(), Idle: math.ZeroInt(), Locked: math.ZeroInt(), Returned: math.ZeroInt(), Funded: math.ZeroInt()}
	if err := k.Vaults.Set(ctx, id, v); err != nil {
		return nil, err
	}
	if err := emit(ctx, &types.EventVaultCreated{VaultId: id, Manager: msg.Manager, Name: msg.Name}); err != nil {
		return nil, err
	}
	return &types.MsgCreateVaultResponse{VaultId: id}, nil
}
