package demo

import (
	"context"
	"strconv"

	sdkmath "cosmossdk.io/math"

	stakingtypes "github.com/cosmos/cosmos-sdk/x/staking/types"

	evaluationtypes "github.com/delphi-network/delphi/x/evaluation/types"
	markettypes "github.com/delphi-network/delphi/x/market/types"
	verdetypes "github.com/delphi-network/delphi/x/verde/types"
)

// snapshot is what the demo reads from the chain once per block: enough
// for the traders' decisions and the live view. Prices are parsed to
// float64 for display and strategy only; the chain's numbers stay exact.
type snapshot struct {
	height      int64
	market      markettypes.Market
	trading     markettypes.TradingState
	evaluation  evaluationtypes.Evaluation
	names       []string
	prices      []float64
	rounds      [][]uint64 // per final round, correct answers per outcome
	cumulative  []uint64
	roundsFinal int
	disputes    []verdetypes.Dispute
	jailed      []string // monikers of jailed validators
	positions   map[string][]sdkmath.Int
	index       []string // per outcome: aggregate intelligence index (Wilson lower bound)
}

func (c *chain) snapshot(ctx context.Context, marketID uint64, names []string, traders []*trader) (*snapshot, error) {
	s := &snapshot{names: names, positions: map[string][]sdkmath.Int{}}
	var err error
	if s.height, err = c.height(ctx); err != nil {
		return nil, err
	}
	m, err := c.market.Market(ctx, &markettypes.QueryMarketRequest{MarketId: marketID})
	if err != nil {
		return nil, err
	}
	s.market, s.trading = m.Market, m.Trading
	for _, p := range m.Prices {
		f, _ := strconv.ParseFloat(p, 64)
		s.prices = append(s.prices, f)
	}
	e, err := c.eval.Evaluation(ctx, &evaluationtypes.QueryEvaluationRequest{Id: s.market.EvaluationId})
	if err != nil {
		return nil, err
	}
	s.evaluation = e.Evaluation
	res, err := c.eval.Results(ctx, &evaluationtypes.QueryResultsRequest{Id: s.market.EvaluationId})
	if err != nil {
		return nil, err
	}
	n := len(s.market.ModelIds)
	s.cumulative = make([]uint64, n)
	byRound := map[uint32][]uint64{}
	count := map[uint32]int{}
	for _, r := range res.Results {
		i := s.market.Outcome(r.ModelId)
		if i < 0 {
			continue
		}
		if byRound[r.Round] == nil {
			byRound[r.Round] = make([]uint64, n)
		}
		byRound[r.Round][i] = r.Correct
		count[r.Round]++
	}
	for r := uint32(0); ; r++ {
		if count[r] != n {
			break
		}
		s.rounds = append(s.rounds, byRound[r])
		for i, v := range byRound[r] {
			s.cumulative[i] += v
		}
	}
	s.roundsFinal = len(s.rounds)
	d, err := c.verde.Disputes(ctx, &verdetypes.QueryDisputesRequest{})
	if err != nil {
		return nil, err
	}
	s.disputes = d.Disputes
	vals, err := c.staking.Validators(ctx, &stakingtypes.QueryValidatorsRequest{})
	if err != nil {
		return nil, err
	}
	for _, v := range vals.Validators {
		if v.Jailed {
			s.jailed = append(s.jailed, v.Description.Moniker)
		}
	}
	for _, t := range traders {
		pos, err := c.market.Positions(ctx, &markettypes.QueryPositionsRequest{Owner: t.addr.String()})
		if err != nil {
			return nil, err
		}
		for _, p := range pos.Positions {
			if p.MarketId == marketID {
				s.positions[t.name] = p.Shares
			}
		}
	}
	for _, id := range s.market.ModelIds {
		idx, err := c.eval.ModelIndex(ctx, &evaluationtypes.QueryModelIndexRequest{ModelId: id})
		if err != nil {
			s.index = append(s.index, "-")
			continue
		}
		s.index = append(s.index, idx.Index.Aggregate)
	}
	return s, nil
}
