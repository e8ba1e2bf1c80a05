package keeper

import (
	"context"

	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/delphi-network/delphi/internal/modkit"
	"github.com/delphi-network/delphi/x/vault/types"
)

// CreateVault implements types.MsgServer: governance creates vaults
// freely; anyone else when params are permissionless, paying the creation
// deposit into the community pool.
func (k msgServer) CreateVault(ctx context.Context, msg *types.MsgCreateVault) (*types.MsgCreateVaultResponse, error) {
	manager, err := modkit.Signer("manager", msg.Manager, types.ErrInvalidAddress)
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
	}
	r := rules{category: msg.Category, allowedModels: msg.AllowedModels, subsidyCap: msg.SubsidyCap, maxLocked: msg.MaxLocked,
		minFeeBps: msg.MinFeeBps, rule: msg.Rule, maxScheduleBlocks: msg.MaxScheduleBlocks}
	if err := r.check(p); err != nil {
		return nil, err
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
	id, err := modkit.NextID(ctx, k.VaultSeq)
	if err != nil {
		return nil, err
	}
	v := types.Vault{Id: id, Name: msg.Name, Manager: msg.Manager, CollateralDenom: msg.CollateralDenom,
		TotalShares: math.ZeroInt(), Idle: math.ZeroInt(), Locked: math.ZeroInt(), Returned: math.ZeroInt(), Funded: math.ZeroInt(),
		QueuedShares: math.ZeroInt()}
	r.apply(&v)
	if err := k.Vaults.Set(ctx, id, v); err != nil {
		return nil, err
	}
	if err := modkit.Emit(ctx, &types.EventVaultCreated{VaultId: id, Manager: msg.Manager, Name: msg.Name}); err != nil {
		return nil, err
	}
	return &types.MsgCreateVaultResponse{VaultId: id}, nil
}
