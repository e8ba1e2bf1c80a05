package demo

// The demo's reads of chain state: ids by name, the market it waits
// for, the vault's share price and the closing summary.

import (
	"context"
	"fmt"
	"time"

	sdkmath "cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	evaluationtypes "github.com/delphi-network/delphi/x/evaluation/types"
	markettypes "github.com/delphi-network/delphi/x/market/types"
	vaulttypes "github.com/delphi-network/delphi/x/vault/types"
	verdetypes "github.com/delphi-network/delphi/x/verde/types"
)

// benchmarkID is the id of the registered benchmark called name.
func (c *chain) benchmarkID(ctx context.Context, name string) (uint64, error) {
	res, err := c.eval.Benchmarks(ctx, &evaluationtypes.QueryBenchmarksRequest{})
	if err != nil {
		return 0, err
	}
	for _, b := range res.Benchmarks {
		if b.Name == name {
			return b.Id, nil
		}
	}
	return 0, fmt.Errorf("benchmark %q is not registered on this chain (scripts/demo.sh puts it in genesis)", name)
}

// modelIDs finds the registered ids of the demo's models by weights hash.
func (c *chain) modelIDs(ctx context.Context, models []*model) ([]uint64, error) {
	res, err := c.eval.Models(ctx, &evaluationtypes.QueryModelsRequest{})
	if err != nil {
		return nil, err
	}
	var ids []uint64
	for _, m := range models {
		var id uint64
		for _, r := range res.Models {
			if r.WeightsSha256 == m.SHA256 && r.Name == m.Name {
				id = r.Id
			}
		}
		if id == 0 {
			return nil, fmt.Errorf("model %s was not registered", m.Name)
		}
		ids = append(ids, id)
	}
	return ids, nil
}

// waitMarket waits for the newest market to appear.
func (c *chain) waitMarket(ctx context.Context) (uint64, error) {
	for {
		res, err := c.market.Markets(ctx, &markettypes.QueryMarketsRequest{Status: markettypes.MARKET_STATUS_OPEN})
		if err == nil && len(res.Markets) > 0 {
			return res.Markets[len(res.Markets)-1].Id, nil
		}
		select {
		case <-ctx.Done():
			return 0, ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// summary prints the outcome: winners, each account's collateral P&L, the
// disputes and who was slashed, blocks and transactions.
func (c *chain) summary(ctx context.Context, cfg Config, sc scenario, s *snapshot, start int64, startBal map[string]sdkmath.Int, vaultID uint64, who []*trader) error {
	out := cfg.Out
	fmt.Fprintf(out, "\n== Summary\n")
	var winners []string
	for i, n := range s.market.PayoutNumerators {
		if n > 0 && s.market.Status == markettypes.MARKET_STATUS_RESOLVED {
			winners = append(winners, s.names[i])
		}
	}
	fmt.Fprintf(out, "market %d %s; winners %v (payout %v/%d per share); scores %v of %d\n",
		s.market.Id, s.market.Status, winners, s.market.PayoutNumerators, s.market.PayoutDenominator, s.cumulative,
		uint64(s.evaluation.Rounds)*uint64(s.evaluation.ItemsPerRound)*sc.points())
	for _, t := range who {
		bal, err := c.balance(ctx, t.addr)
		if err != nil {
			return err
		}
		pnl := bal.Sub(startBal[t.name])
		fmt.Fprintf(out, "  %-5s %-55s P&L %+.2f USDC\n", t.name, t.strategy, float64(pnl.Int64())/usdc)
	}
	if vm, err := c.vault.VaultMarkets(ctx, &vaulttypes.QueryVaultMarketsRequest{VaultId: vaultID}); err == nil {
		for _, m := range vm.Markets {
			fmt.Fprintf(out, "vault %d on market %d: subsidy %.2f USDC, returned %.2f USDC (leftover escrow and LP fees): P&L %+.2f USDC\n",
				vaultID, m.MarketId, float64(m.Subsidy.Int64())/usdc, float64(m.Returned.Int64())/usdc,
				float64(m.Returned.Sub(m.Subsidy).Int64())/usdc)
		}
	}
	resolved := map[verdetypes.DisputeStatus]int{}
	for _, d := range s.disputes {
		resolved[d.Status]++
	}
	fmt.Fprintf(out, "disputes: %d (%v); jailed validators: %v\n", len(s.disputes), resolved, s.jailed)
	end, err := c.height(ctx)
	if err != nil {
		return err
	}
	txs := 0
	for h := start + 1; h <= end; h++ {
		b, err := c.rpc.Block(ctx, &h)
		if err == nil {
			txs += len(b.Block.Txs)
		}
	}
	fmt.Fprintf(out, "blocks %d..%d (%d), %d transactions (%d sent by the demo)\n", start, end, end-start, txs, c.sender.Sent())
	if s.market.Status != markettypes.MARKET_STATUS_RESOLVED {
		return fmt.Errorf("the market ended %s", s.market.Status)
	}
	return nil
}

var _ sdk.Msg = (*markettypes.MsgRedeem)(nil)

// blocksBetweenRounds spaces the demo's rounds: a round is final a few
// blocks after its draw, the byzantine sidecar's lie about it is disputed
// and decided about a dozen blocks later (trading stays closed while a
// dispute is open), and the market trades from then until the next draw.
const blocksBetweenRounds = 24

// sharePrice is what 10^6 of the vault's shares withdraw for now, in
// uusdc: 1.000000 at par (a first deposit of one uusdc mints 10^6 shares).
func (c *chain) sharePrice(ctx context.Context, vaultID uint64) (string, error) {
	res, err := c.vault.Vault(ctx, &vaulttypes.QueryVaultRequest{VaultId: vaultID})
	if err != nil {
		return "", err
	}
	p, err := sdkmath.LegacyNewDecFromStr(res.SharePrice)
	if err != nil {
		return "", fmt.Errorf("vault %d share price %q: %w", vaultID, res.SharePrice, err)
	}
	f, err := p.Float64() // display only
	return fmt.Sprintf("%.6f", f*1e6), err
}
