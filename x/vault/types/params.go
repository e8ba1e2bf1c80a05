package types

import (
	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"
)

// DefaultParams: vaults by governance, or by anyone for 1000 DELPHI; a
// million virtual shares per unit of virtual assets against the inflation
// attack; categories of up to 16 benchmarks.
func DefaultParams() Params {
	return Params{
		Permissionless:  true,
		CreationDeposit: sdk.NewCoins(sdk.NewCoin("udelphi", math.NewInt(1_000_000_000))),
		VirtualShares:   math.NewInt(1_000_000),
		MaxCategory:     16,
		// Each payment values the vault's open markets once per vault and
		// block; 32 payments over up to 16 markets stay well inside a block.
		MaxQueuePaymentsPerBlock: 32,
		MaxOpenMarkets:           16,
		// A day at 5 s blocks: a stranger's market (schedule and the
		// settle grace) cannot hold a category vault's depositors longer.
		CategoryScheduleBlocks: 20_000,
	}
}

// Validate checks the params.
func (p Params) Validate() error {
	if err := p.CreationDeposit.Validate(); err != nil {
		return errorsmod.Wrapf(ErrInvalidParams, "creation_deposit: %v", err)
	}
	switch {
	case p.VirtualShares.IsNil() || !p.VirtualShares.IsPositive() || p.VirtualShares.GT(math.NewInt(1_000_000_000_000)):
		return errorsmod.Wrap(ErrInvalidParams, "virtual_shares must be in [1, 10^12]")
	case p.MaxCategory < 1 || p.MaxCategory > 256:
		return errorsmod.Wrap(ErrInvalidParams, "max_category must be in [1, 256]")
	case p.MaxQueuePaymentsPerBlock < 1 || p.MaxQueuePaymentsPerBlock > 1_000:
		return errorsmod.Wrap(ErrInvalidParams, "max_queue_payments_per_block must be in [1, 1000]")
	case p.MaxOpenMarkets < 1 || p.MaxOpenMarkets > 256:
		return errorsmod.Wrap(ErrInvalidParams, "max_open_markets must be in [1, 256]")
	case p.CategoryScheduleBlocks < 1 || p.CategoryScheduleBlocks > 100_000_000:
		return errorsmod.Wrap(ErrInvalidParams, "category_schedule_blocks must be in [1, 10^8]")
	}
	return nil
}
