package types

import (
	"fmt"

	"cosmossdk.io/math"
)

// DefaultGenesis has no vaults.
func DefaultGenesis() *GenesisState {
	return &GenesisState{Params: DefaultParams(), NextVaultId: 1, NextWithdrawalId: 1}
}

// Validate checks params, ids, and that every vault's shares are held by
// its depositors and queued withdrawals.
func (gs GenesisState) Validate() error {
	if err := gs.Params.Validate(); err != nil {
		return err
	}
	held, queued := map[uint64]math.Int{}, map[uint64]math.Int{}
	for _, v := range gs.Vaults {
		if v.Id == 0 || v.Id >= gs.NextVaultId {
			return fmt.Errorf("vault id %d not below next_vault_id %d", v.Id, gs.NextVaultId)
		}
		if _, dup := held[v.Id]; dup {
			return fmt.Errorf("vault %d listed twice", v.Id)
		}
		held[v.Id], queued[v.Id] = math.ZeroInt(), math.ZeroInt()
	}
	for _, d := range gs.Deposits {
		if _, ok := held[d.VaultId]; !ok {
			return fmt.Errorf("deposit in unknown vault %d", d.VaultId)
		}
		held[d.VaultId] = held[d.VaultId].Add(d.Shares)
	}
	for _, w := range gs.Withdrawals {
		if _, ok := held[w.VaultId]; !ok || w.Id == 0 || w.Id >= gs.NextWithdrawalId {
			return fmt.Errorf("withdrawal %d: unknown vault %d or bad id", w.Id, w.VaultId)
		}
		held[w.VaultId] = held[w.VaultId].Add(w.Shares)
		queued[w.VaultId] = queued[w.VaultId].Add(w.Shares)
	}
	for _, v := range gs.Vaults {
		if !v.TotalShares.Equal(held[v.Id]) {
			return fmt.Errorf("vault %d: %s shares, depositors and queue hold %s", v.Id, v.TotalShares, held[v.Id])
		}
		if q := v.QueuedShares; (q.IsNil() && !queued[v.Id].IsZero()) || (!q.IsNil() && !q.Equal(queued[v.Id])) {
			return fmt.Errorf("vault %d: queued_shares %s, its queue holds %s", v.Id, q, queued[v.Id])
		}
	}
	for _, id := range gs.PayDue {
		if _, ok := held[id]; !ok {
			return fmt.Errorf("pay_due names unknown vault %d", id)
		}
	}
	return nil
}
