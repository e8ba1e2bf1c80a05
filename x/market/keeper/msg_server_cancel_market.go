package keeper

import (
	"context"
	"fmt"

	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"

	"github.com/delphi-network/delphi/internal/modkit"
	evaluationtypes "github.com/delphi-network/delphi/x/evaluation/types"
	"github.com/delphi-network/delphi/x/market/types"
)

// CancelMarket implements types.MsgServer. Before the first trade, the
// creator or governance may cancel: the escrow returns to the funder. After
// trades only governance may, and the market becomes invalid (1/N per
// share). Either way the evaluation is cancelled too, if still live, so
// validators stop computing it.
func (k msgServer) CancelMarket(ctx context.Context, msg *types.MsgCancelMarket) (*types.MsgCancelMarketResponse, error) {
	if _, err := modkit.Signer("signer", msg.Signer, types.ErrInvalidAddress); err != nil {
		return nil, err
	}
	m, err := k.GetMarket(ctx, msg.MarketId)
	if err != nil {
		return nil, err
	}
	if m.Status != types.MARKET_STATUS_OPEN {
		return nil, errorsmod.Wrapf(types.ErrNotCancellable, "market %d is %s", m.Id, m.Status)
	}
	gov := msg.Signer == k.authority
	if !gov && msg.Signer != m.Creator {
		return nil, errorsmod.Wrapf(types.ErrUnauthorized, "only the creator or governance may cancel market %d", m.Id)
	}
	if !gov && m.TradeCount > 0 {
		return nil, errorsmod.Wrapf(types.ErrNotCancellable, "market %d has %d trades; only governance may cancel it now", m.Id, m.TradeCount)
	}

	if m.TradeCount == 0 {
		m.Status = types.MARKET_STATUS_CANCELLED
		if err := k.payFunder(ctx, &m, m.Escrow); err != nil {
			return nil, err
		}
		m.Escrow = math.ZeroInt()
		if err := k.unindexDeadline(ctx, m); err != nil {
			return nil, err
		}
		if err := k.Markets.Set(ctx, m.Id, m); err != nil {
			return nil, err
		}
	} else if err := k.invalidate(ctx, m); err != nil {
		return nil, err
	}
	// The market is no longer open, so the evaluation's failure hook leaves
	// it alone.
	if err := k.cancelEvaluation(ctx, m, msg.Signer); err != nil {
		return nil, err
	}
	status := types.MARKET_STATUS_CANCELLED
	if m.TradeCount > 0 {
		status = types.MARKET_STATUS_INVALID
	}
	if err := modkit.Emit(ctx, &types.EventMarketCancelled{MarketId: m.Id, Signer: msg.Signer, Status: status}); err != nil {
		return nil, err
	}
	return &types.MsgCancelMarketResponse{Status: status}, nil
}

func (k msgServer) cancelEvaluation(ctx context.Context, m types.Market, by string) error {
	e, err := k.eval.GetEvaluation(ctx, m.EvaluationId)
	if err != nil {
		return err
	}
	if e.Status != evaluationtypes.EVALUATION_STATUS_SCHEDULED && e.Status != evaluationtypes.EVALUATION_STATUS_RUNNING {
		return nil
	}
	// Only an evaluation the market's creator made goes with the market: a
	// market listed on someone else's evaluation cannot cancel it.
	if e.Creator != m.Creator {
		return nil
	}
	// Its creator forfeits the evaluation's deposit if validators already
	// started on it; a cancellation by governance returns it.
	return k.eval.CancelEvaluation(ctx, e.Id, fmt.Sprintf("market %d cancelled by %s", m.Id, by), by == m.Creator)
}
