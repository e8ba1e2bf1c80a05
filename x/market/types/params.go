package types

import (
	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"
	"slices"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/delphi-network/delphi/x/market/lmsr"
)

// BasisPoints is 100%.
const BasisPoints = 10_000

// Hard ceilings that params may not exceed.
const (
	// CeilingFeeBps: no market charges more than 10% per trade.
	CeilingFeeBps = 1_000
	// CeilingHistoryPoints bounds the price history kept per market.
	CeilingHistoryPoints = 100_000
	// CeilingSettleBlocks bounds the settle params (heights cannot overflow).
	CeilingSettleBlocks = 100_000_000
	// MaxTitleLength bounds a market's title in bytes.
	MaxTitleLength = 200
)

// DefaultParams are the params of a new chain: markets in uusdc with b from
// 1 to 10^9 USDC, fees up to 5%, a tenth of every fee to the community pool.
func DefaultParams() Params {
	return Params{
		MaxOutcomes:           16,
		MaxFeeBps:             500,
		ProtocolFeeShareBps:   1_000,
		MaxCreatorFeeShareBps: 5_000,
		MinLiquidity:          math.NewInt(1_000_000),
		MaxLiquidity:          math.NewInt(1_000_000_000_000_000),
		MinTradeShares:        math.NewInt(1_000),
		CollateralDenoms:      []string{"uusdc"},
		MaxHistoryPoints:      10_000,
		ReporterShareBps:      5_000,
		// A bisection of a billion-leaf trace (30 steps of two moves, 20
		// blocks each) and a redraw fit several times over.
		SettleGraceBlocks: 5_000,
		MaxSettleBlocks:   2_000_000,
	}
}

// Validate checks the params against the hard ceilings and the LMSR range.
func (p Params) Validate() error {
	bad := ErrInvalidParams
	switch {
	case p.SettleGraceBlocks < 1 || p.SettleGraceBlocks > CeilingSettleBlocks:
		return errorsmod.Wrapf(bad, "settle_grace_blocks %d not in [1, %d]", p.SettleGraceBlocks, CeilingSettleBlocks)
	case p.MaxSettleBlocks < p.SettleGraceBlocks || p.MaxSettleBlocks > CeilingSettleBlocks:
		return errorsmod.Wrapf(bad, "max_settle_blocks %d not in [settle_grace_blocks %d, %d]", p.MaxSettleBlocks, p.SettleGraceBlocks, CeilingSettleBlocks)
	case p.MaxOutcomes < lmsr.MinOutcomes || p.MaxOutcomes > lmsr.MaxOutcomes:
		return errorsmod.Wrapf(bad, "max_outcomes %d not in [%d, %d]", p.MaxOutcomes, lmsr.MinOutcomes, lmsr.MaxOutcomes)
	case p.MaxFeeBps > CeilingFeeBps:
		return errorsmod.Wrapf(bad, "max_fee_bps %d above %d", p.MaxFeeBps, CeilingFeeBps)
	case p.ProtocolFeeShareBps > BasisPoints:
		return errorsmod.Wrapf(bad, "protocol_fee_share_bps %d above %d", p.ProtocolFeeShareBps, BasisPoints)
	case p.MaxCreatorFeeShareBps+p.ProtocolFeeShareBps > BasisPoints:
		return errorsmod.Wrapf(bad, "max_creator_fee_share_bps %d plus protocol_fee_share_bps %d exceed %d",
			p.MaxCreatorFeeShareBps, p.ProtocolFeeShareBps, BasisPoints)
	case p.MinLiquidity.IsNil() || p.MaxLiquidity.IsNil() || p.MinTradeShares.IsNil():
		return errorsmod.Wrap(bad, "min_liquidity, max_liquidity and min_trade_shares are required")
	case p.MinLiquidity.LT(lmsr.MinLiquidity) || p.MaxLiquidity.GT(lmsr.MaxLiquidity) || p.MinLiquidity.GT(p.MaxLiquidity):
		return errorsmod.Wrapf(bad, "liquidity range [%s, %s] not within [%s, %s]", p.MinLiquidity, p.MaxLiquidity, lmsr.MinLiquidity, lmsr.MaxLiquidity)
	case !p.MinTradeShares.IsPositive() || p.MinTradeShares.GT(lmsr.MaxAmount):
		return errorsmod.Wrapf(bad, "min_trade_shares %s not in [1, %s]", p.MinTradeShares, lmsr.MaxAmount)
	case len(p.CollateralDenoms) == 0:
		return errorsmod.Wrap(bad, "collateral_denoms is empty")
	case p.ReporterShareBps > BasisPoints:
		return errorsmod.Wrapf(bad, "reporter_share_bps %d above %d", p.ReporterShareBps, BasisPoints)
	case p.MaxHistoryPoints < 1 || p.MaxHistoryPoints > CeilingHistoryPoints:
		return errorsmod.Wrapf(bad, "max_history_points %d not in [1, %d]", p.MaxHistoryPoints, CeilingHistoryPoints)
	}
	seen := make(map[string]bool, len(p.CollateralDenoms))
	for _, d := range p.CollateralDenoms {
		if err := sdk.ValidateDenom(d); err != nil {
			return errorsmod.Wrapf(bad, "collateral denom %q: %v", d, err)
		}
		if seen[d] {
			return errorsmod.Wrapf(bad, "collateral denom %q listed twice", d)
		}
		seen[d] = true
	}
	return nil
}

// AllowsDenom reports whether markets may be collateralized in denom.
func (p Params) AllowsDenom(denom string) bool { return slices.Contains(p.CollateralDenoms, denom) }
