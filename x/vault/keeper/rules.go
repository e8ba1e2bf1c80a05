package keeper

import (
	"context"

	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"

	"github.com/delphi-network/delphi/internal/modkit"
	"github.com/delphi-network/delphi/x/vault/types"
)

// rules are a vault's funding rules, as MsgCreateVault and
// MsgUpdateVaultRules give them.
type rules struct {
	category, allowedModels []uint64
	subsidyCap, maxLocked   math.Int
	minFeeBps               uint32
	rule                    types.FundRule
	maxScheduleBlocks       uint64
}

// maxScheduleCeiling bounds max_schedule_blocks so heights cannot overflow.
const maxScheduleCeiling = 100_000_000

// check refuses rules that are malformed or beyond params.
func (r *rules) check(p types.Params) error {
	bad := types.ErrInvalidVault
	switch {
	case len(r.category) == 0 || len(r.category) > int(p.MaxCategory):
		return errorsmod.Wrapf(bad, "category of %d benchmarks: want 1 to %d", len(r.category), p.MaxCategory)
	case len(r.allowedModels) > int(p.MaxCategory):
		return errorsmod.Wrapf(bad, "allowed_models of %d models: at most %d", len(r.allowedModels), p.MaxCategory)
	case r.subsidyCap.IsNil() || !r.subsidyCap.IsPositive():
		return errorsmod.Wrap(bad, "subsidy_cap must be positive")
	case !r.maxLocked.IsNil() && r.maxLocked.IsNegative():
		return errorsmod.Wrap(bad, "max_locked must not be negative (0: no cap)")
	case r.minFeeBps > 10_000:
		return errorsmod.Wrap(bad, "min_fee_bps above 10000")
	case r.rule != types.FUND_RULE_MANAGER && r.rule != types.FUND_RULE_CATEGORY:
		return errorsmod.Wrapf(bad, "rule %d", r.rule)
	case r.maxScheduleBlocks > maxScheduleCeiling:
		return errorsmod.Wrapf(bad, "max_schedule_blocks %d above %d", r.maxScheduleBlocks, maxScheduleCeiling)
	}
	if r.maxLocked.IsNil() {
		r.maxLocked = math.ZeroInt()
	}
	for name, ids := range map[string][]uint64{"category": r.category, "allowed_models": r.allowedModels} {
		seen := map[uint64]bool{}
		for _, id := range ids {
			if seen[id] {
				return errorsmod.Wrapf(bad, "%s lists %d twice", name, id)
			}
			seen[id] = true
		}
	}
	return nil
}

// apply writes the rules on v.
func (r rules) apply(v *types.Vault) {
	v.Category, v.AllowedModels, v.SubsidyCap, v.MaxLocked = r.category, r.allowedModels, r.subsidyCap, r.maxLocked
	v.MinFeeBps, v.Rule, v.MaxScheduleBlocks = r.minFeeBps, r.rule, r.maxScheduleBlocks
}

// UpdateVaultRules implements types.MsgServer: the manager replaces the
// vault's funding rules. Markets already funded keep their terms; the new
// rules apply to the next market.
func (k msgServer) UpdateVaultRules(ctx context.Context, msg *types.MsgUpdateVaultRules) (*types.MsgUpdateVaultRulesResponse, error) {
	if _, err := modkit.Signer("manager", msg.Manager, types.ErrInvalidAddress); err != nil {
		return nil, err
	}
	v, err := k.GetVault(ctx, msg.VaultId)
	if err != nil {
		return nil, err
	}
	if msg.Manager != v.Manager {
		return nil, errorsmod.Wrapf(types.ErrUnauthorized, "only vault %d's manager %s changes its rules", v.Id, v.Manager)
	}
	p, err := k.Params.Get(ctx)
	if err != nil {
		return nil, err
	}
	r := rules{category: msg.Category, allowedModels: msg.AllowedModels, subsidyCap: msg.SubsidyCap, maxLocked: msg.MaxLocked,
		minFeeBps: msg.MinFeeBps, rule: msg.Rule, maxScheduleBlocks: msg.MaxScheduleBlocks}
	if err := r.check(p); err != nil {
		return nil, err
	}
	r.apply(&v)
	if err := k.Vaults.Set(ctx, v.Id, v); err != nil {
		return nil, err
	}
	if err := modkit.Emit(ctx, &types.EventVaultRulesUpdated{VaultId: v.Id, Manager: msg.Manager}); err != nil {
		return nil, err
	}
	return &types.MsgUpdateVaultRulesResponse{}, nil
}
