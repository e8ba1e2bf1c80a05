package keeper

import (
	"context"
	"fmt"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/delphi-network/delphi/internal/modkit"
	"github.com/delphi-network/delphi/x/market/lmsr"
	"github.com/delphi-network/delphi/x/market/types"
)

// tradable loads a market that is open for trading at this height and
// checks the outcome index.
func (k Keeper) tradable(ctx context.Context, id uint64, outcome uint32) (types.Market, error) {
	m, err := k.GetMarket(ctx, id)
	if err != nil {
		return m, err
	}
	ts, err := k.trading(ctx, m)
	if err != nil {
		return m, err
	}
	if !ts.Open {
		return m, errorsmod.Wrap(types.ErrTradingClosed, ts.Reason)
	}
	if int(outcome) >= len(m.ModelIds) {
		return m, errorsmod.Wrapf(types.ErrUnknownOutcome, "outcome %d of a market with %d outcomes", outcome, len(m.ModelIds))
	}
	return m, nil
}

// TradingState is whether market m trades at this height, and why not.
func (k Keeper) TradingState(ctx context.Context, m types.Market) (types.TradingState, error) {
	return k.trading(ctx, m)
}

// trading is the market's trading state at this height (types.Trading).
func (k Keeper) trading(ctx context.Context, m types.Market) (types.TradingState, error) {
	if m.Status != types.MARKET_STATUS_OPEN {
		return types.TradingState{Reason: fmt.Sprintf("market %d is %s", m.Id, m.Status)}, nil
	}
	e, err := k.eval.GetEvaluation(ctx, m.EvaluationId)
	if err != nil {
		return types.TradingState{}, err
	}
	h := sdk.UnwrapSDKContext(ctx).BlockHeight()
	if m.SettleDeadlineHeight != 0 && h >= m.SettleDeadlineHeight {
		return types.TradingState{Reason: fmt.Sprintf("market %d is past its settle deadline %d: it is being made invalid", m.Id, m.SettleDeadlineHeight)}, nil
	}
	disputed, err := k.eval.HasOpenDisputes(ctx, m.EvaluationId)
	if err != nil {
		return types.TradingState{}, err
	}
	return types.Trading(m, e, h, disputed), nil
}

// checkShares refuses a missing, non-positive or dust share count.
func checkShares(field string, shares math.Int, p types.Params) error {
	if shares.IsNil() {
		return errorsmod.Wrapf(types.ErrDustTrade, "%s is required", field)
	}
	if shares.LT(p.MinTradeShares) {
		return errorsmod.Wrapf(types.ErrDustTrade, "%s %s below the minimum trade of %s", field, shares, p.MinTradeShares)
	}
	if shares.GT(lmsr.MaxAmount) {
		return errorsmod.Wrapf(types.ErrAmountRange, "%s %s above %s", field, shares, lmsr.MaxAmount)
	}
	return nil
}

// limit checks that a trader's bound is given and not negative.
func limit(field string, v math.Int) error {
	if v.IsNil() || v.IsNegative() {
		return errorsmod.Wrapf(types.ErrSlippage, "%s is required and must not be negative", field)
	}
	return nil
}

// trade is one priced fill, ready to be applied.
type trade struct {
	side    types.Side
	outcome int
	shares  math.Int
	// amount is the LMSR cost (buy) or proceeds (sell), before the fee.
	amount math.Int
	fee    feeSplit
}

// paid is what the trader pays (buy) or receives (sell), fee included.
func (t trade) paid() math.Int {
	if t.side == types.SIDE_BUY {
		return t.amount.Add(t.fee.total)
	}
	return t.amount.Sub(t.fee.total)
}

// apply moves the collateral, updates the market and the trader's position,
// marks the market for this block's price point and emits the trade.
func (k Keeper) apply(ctx context.Context, m types.Market, trader sdk.AccAddress, t trade, p types.Params) error {
	coins := func(a math.Int) sdk.Coins { return sdk.NewCoins(sdk.NewCoin(m.CollateralDenom, a)) }
	key := collections.Join(m.Id, trader)
	pos, err := k.Positions.Get(ctx, key)
	isNew := false
	switch {
	case err == nil:
	case errorsmod.IsOf(err, collections.ErrNotFound):
		isNew = true
		pos = types.Position{MarketId: m.Id, Owner: trader.String(), Shares: types.ZeroShares(len(m.ModelIds)), NetSpent: math.ZeroInt()}
	default:
		return err
	}

	i := t.outcome
	if t.side == types.SIDE_BUY {
		if err := k.bank.SendCoinsFromAccountToModule(ctx, trader, types.ModuleName, coins(t.paid())); err != nil {
			return fundsError(err, trader.String(), coins(t.paid()))
		}
		m.Shares[i] = m.Shares[i].Add(t.shares)
		m.Escrow = m.Escrow.Add(t.amount)
		pos.Shares[i] = pos.Shares[i].Add(t.shares)
		pos.NetSpent = pos.NetSpent.Add(t.paid())
	} else {
		if t.paid().IsPositive() {
			if err := k.bank.SendCoinsFromModuleToAccount(ctx, types.ModuleName, trader, coins(t.paid())); err != nil {
				return err
			}
		}
		m.Shares[i] = m.Shares[i].Sub(t.shares)
		m.Escrow = m.Escrow.Sub(t.amount)
		pos.Shares[i] = pos.Shares[i].Sub(t.shares)
		pos.NetSpent = pos.NetSpent.Sub(t.paid())
	}
	if t.fee.protocol.IsPositive() {
		if err := k.accrueProtocolFee(ctx, m, t.fee.protocol); err != nil {
			return err
		}
	}
	m.CreatorFees = m.CreatorFees.Add(t.fee.creator)
	m.LpFees = m.LpFees.Add(t.fee.lp)
	m.Volume = m.Volume.Add(t.amount)
	m.TradeCount++

	if err := k.savePosition(ctx, &m, pos, isNew); err != nil {
		return err
	}
	if err := k.Markets.Set(ctx, m.Id, m); err != nil {
		return err
	}
	if err := k.Traded.Set(ctx, m.Id); err != nil {
		return err
	}
	prices, err := lmsr.Prices(m.Shares, m.Liquidity)
	if err != nil {
		return lmsrError(err)
	}
	ev := &types.EventTrade{
		MarketId: m.Id, Trader: trader.String(), Side: t.side, Outcome: uint32(i),
		Shares: t.shares, Amount: t.amount, Fee: t.fee.total, Prices: types.FormatPrices(prices),
	}
	return modkit.Emit(ctx, ev)
}

// savePosition stores a position, or deletes it once it holds no share,
// keeping the market's holder count and the owner index in step.
func (k Keeper) savePosition(ctx context.Context, m *types.Market, pos types.Position, isNew bool) error {
	owner, err := sdk.AccAddressFromBech32(pos.Owner)
	if err != nil {
		return err
	}
	key := collections.Join(m.Id, owner)
	if isEmpty(pos.Shares) {
		if isNew {
			return nil
		}
		m.Holders--
		if err := k.PositionsByOwner.Remove(ctx, collections.Join(owner, m.Id)); err != nil {
			return err
		}
		return k.Positions.Remove(ctx, key)
	}
	if isNew {
		m.Holders++
		if err := k.PositionsByOwner.Set(ctx, collections.Join(owner, m.Id)); err != nil {
			return err
		}
	}
	return k.Positions.Set(ctx, key, pos)
}

func isEmpty(shares []math.Int) bool {
	for _, s := range shares {
		if !s.IsZero() {
			return false
		}
	}
	return true
}
