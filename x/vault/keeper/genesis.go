package keeper

import (
	"context"
	"errors"

	"cosmossdk.io/collections"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/delphi-network/delphi/internal/modkit"
	"github.com/delphi-network/delphi/x/vault/types"
)

// InitGenesis loads a validated genesis.
func (k Keeper) InitGenesis(ctx context.Context, gs types.GenesisState) error {
	if err := k.Params.Set(ctx, gs.Params); err != nil {
		return err
	}
	if err := modkit.ImportNext(ctx, k.VaultSeq, gs.NextVaultId); err != nil {
		return err
	}
	if err := modkit.ImportNext(ctx, k.WithdrawalSeq, gs.NextWithdrawalId); err != nil {
		return err
	}
	for _, v := range gs.Vaults {
		if err := k.Vaults.Set(ctx, v.Id, v); err != nil {
			return err
		}
	}
	for _, m := range gs.Markets {
		if err := k.VaultMarkets.Set(ctx, collections.Join(m.VaultId, m.MarketId), m); err != nil {
			return err
		}
		// The open-market index, rebuilt from the markets themselves.
		if !m.Settled {
			if err := k.OpenMarkets.Set(ctx, collections.Join(m.VaultId, m.MarketId)); err != nil {
				return err
			}
		}
	}
	for _, d := range gs.Deposits {
		addr, err := sdk.AccAddressFromBech32(d.Depositor)
		if err != nil {
			return err
		}
		if err := k.Deposits.Set(ctx, collections.Join(d.VaultId, addr), d); err != nil {
			return err
		}
	}
	for _, w := range gs.Withdrawals {
		if err := k.Withdrawals.Set(ctx, w.Id, w); err != nil {
			return err
		}
		if err := k.Queue.Set(ctx, collections.Join(w.VaultId, w.Id)); err != nil {
			return err
		}
	}
	for _, id := range gs.PayDue {
		if err := k.PayDue.Set(ctx, id); err != nil {
			return err
		}
	}
	if gs.PayCursor != 0 {
		return k.PayCursor.Set(ctx, gs.PayCursor)
	}
	return nil
}

// ExportGenesis exports the module state in key order.
func (k Keeper) ExportGenesis(ctx context.Context) (*types.GenesisState, error) {
	p, err := k.Params.Get(ctx)
	if err != nil {
		return nil, err
	}
	gs := &types.GenesisState{Params: p}
	if gs.NextVaultId, err = modkit.ExportNext(ctx, k.VaultSeq); err != nil {
		return nil, err
	}
	if gs.NextWithdrawalId, err = modkit.ExportNext(ctx, k.WithdrawalSeq); err != nil {
		return nil, err
	}
	if err := k.Vaults.Walk(ctx, nil, func(_ uint64, v types.Vault) (bool, error) {
		gs.Vaults = append(gs.Vaults, v)
		return false, nil
	}); err != nil {
		return nil, err
	}
	if err := k.VaultMarkets.Walk(ctx, nil, func(_ collections.Pair[uint64, uint64], m types.VaultMarket) (bool, error) {
		gs.Markets = append(gs.Markets, m)
		return false, nil
	}); err != nil {
		return nil, err
	}
	if err := k.Deposits.Walk(ctx, nil, func(_ collections.Pair[uint64, sdk.AccAddress], d types.Deposit) (bool, error) {
		gs.Deposits = append(gs.Deposits, d)
		return false, nil
	}); err != nil {
		return nil, err
	}
	if err := k.Withdrawals.Walk(ctx, nil, func(_ uint64, w types.Withdrawal) (bool, error) {
		gs.Withdrawals = append(gs.Withdrawals, w)
		return false, nil
	}); err != nil {
		return nil, err
	}
	if err := k.PayDue.Walk(ctx, nil, func(id uint64) (bool, error) {
		gs.PayDue = append(gs.PayDue, id)
		return false, nil
	}); err != nil {
		return nil, err
	}
	if gs.PayCursor, err = k.PayCursor.Get(ctx); errors.Is(err, collections.ErrNotFound) {
		err = nil
	}
	return gs, err
}
