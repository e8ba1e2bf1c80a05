package types

import (
	"slices"

	"cosmossdk.io/math"
)

// Assets are what the vault owns: idle collateral plus subsidies escrowed
// in open markets.
func (v Vault) Assets() math.Int { return v.Idle.Add(v.Locked) }

// SharesFor is what depositing amount mints, rounded down (in the vault's
// favour): amount · (supply + V) / (assets + 1). The virtual V shares and
// 1 unit of assets make a donation before the first deposit worthless to
// the donor.
func (v Vault) SharesFor(amount, virtual math.Int) math.Int {
	return amount.Mul(v.TotalShares.Add(virtual)).Quo(v.Assets().AddRaw(1))
}

// AssetsFor is what burning shares pays, rounded down (in the vault's
// favour): shares · (assets + 1) / (supply + V).
func (v Vault) AssetsFor(shares, virtual math.Int) math.Int {
	return shares.Mul(v.Assets().AddRaw(1)).Quo(v.TotalShares.Add(virtual))
}

// InCategory reports whether the vault funds markets on benchmark id.
func (v Vault) InCategory(id uint64) bool { return slices.Contains(v.Category, id) }
