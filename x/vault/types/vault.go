package types

import (
	"slices"

	"cosmossdk.io/math"
)

// SharesFor is what depositing amount mints when the vault's assets are
// worth assets, rounded down (in the vault's favour): amount · (supply + V)
// / (assets + 1). The virtual V shares and 1 unit of assets make a
// donation before the first deposit worthless to the donor.
func (v Vault) SharesFor(amount, assets, virtual math.Int) math.Int {
	return amount.Mul(v.TotalShares.Add(virtual)).Quo(assets.AddRaw(1))
}

// AssetsFor is what burning shares pays when the vault's assets are worth
// assets, rounded down (in the vault's favour): shares · (assets + 1) /
// (supply + V).
func (v Vault) AssetsFor(shares, assets, virtual math.Int) math.Int {
	return shares.Mul(assets.AddRaw(1)).Quo(v.TotalShares.Add(virtual))
}

// InCategory reports whether the vault funds markets on benchmark id.
func (v Vault) InCategory(id uint64) bool { return slices.Contains(v.Category, id) }

// AllowsModel reports whether the vault's rules let anyone fund a market
// listing model id (an empty allowed_models allows every model).
func (v Vault) AllowsModel(id uint64) bool {
	return len(v.AllowedModels) == 0 || slices.Contains(v.AllowedModels, id)
}
