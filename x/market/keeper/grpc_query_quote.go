package keeper

import (
	"context"
	"strings"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"cosmossdk.io/math"

	"github.com/delphi-network/delphi/x/market/lmsr"
	"github.com/delphi-network/delphi/x/market/types"
)

// Quote implements types.QueryServer: it prices a trade exactly as the
// message would in the current state, without making it.
func (q queryServer) Quote(ctx context.Context, req *types.QueryQuoteRequest) (*types.QueryQuoteResponse, error) {
	if req == nil {
		return nil, status.Error(codes.InvalidArgument, "empty request")
	}
	p, err := q.Keeper.Params.Get(ctx)
	if err != nil {
		return nil, err
	}
	m, err := q.tradable(ctx, req.MarketId, req.Outcome)
	if err != nil {
		return nil, err
	}
	shares, err := optionalInt("shares", req.Shares)
	if err != nil {
		return nil, err
	}
	amount, err := optionalInt("amount", req.Amount)
	if err != nil {
		return nil, err
	}
	var t trade
	switch side := strings.ToLower(req.Side); {
	case side == "buy" && !shares.IsNil() && amount.IsNil():
		t, err = priceBuy(m, p, int(req.Outcome), shares)
	case side == "buy" && shares.IsNil() && !amount.IsNil():
		t, err = priceBuyForAmount(m, p, int(req.Outcome), amount)
	case side == "sell" && !shares.IsNil() && amount.IsNil():
		t, err = priceSell(m, p, int(req.Outcome), shares)
	case side != "buy" && side != "sell":
		return nil, status.Errorf(codes.InvalidArgument, "side %q: want buy or sell", req.Side)
	default:
		return nil, status.Error(codes.InvalidArgument, "give shares (buy or sell) or amount (buy), not both")
	}
	if err != nil {
		return nil, err
	}
	after := make([]math.Int, len(m.Shares))
	copy(after, m.Shares)
	if t.side == types.SIDE_BUY {
		after[t.outcome] = after[t.outcome].Add(t.shares)
	} else {
		after[t.outcome] = after[t.outcome].Sub(t.shares)
	}
	prices, err := lmsr.Prices(after, m.Liquidity)
	if err != nil {
		return nil, lmsrError(err)
	}
	return &types.QueryQuoteResponse{Shares: t.shares, Amount: t.amount, Fee: t.fee.total, Total: t.paid(), PricesAfter: types.FormatPrices(prices)}, nil
}

// optionalInt parses a decimal integer field; empty means not given.
func optionalInt(field, s string) (math.Int, error) {
	if s == "" {
		return math.Int{}, nil
	}
	v, ok := math.NewIntFromString(s)
	if !ok {
		return math.Int{}, status.Errorf(codes.InvalidArgument, "%s %q is not an integer", field, s)
	}
	return v, nil
}
