// Package demo runs Delphi's end-to-end demo against a running localnet:
// real models on MNIST, a market over their live evaluation, traders with
// different strategies, a byzantine evaluator disputed and slashed,
// settlement and payouts, shown live (`delphid demo`, `make demo`).
package demo

import (
	"context"
	"fmt"
	"io"
	"time"

	sdkmath "cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/delphi-network/delphi/evaluator"
	"github.com/delphi-network/delphi/runtime"
	evaluationtypes "github.com/delphi-network/delphi/x/evaluation/types"
	markettypes "github.com/delphi-network/delphi/x/market/types"
	vaulttypes "github.com/delphi-network/delphi/x/vault/types"
	verdetypes "github.com/delphi-network/delphi/x/verde/types"
)

func mustAddr(c *chain, name string) string {
	a, err := c.address(name)
	if err != nil {
		return ""
	}
	return a.String()
}

// newestVault is the id of the last vault created.
func (c *chain) newestVault(ctx context.Context) (uint64, error) {
	res, err := c.vault.Vaults(ctx, &vaulttypes.QueryVaultsRequest{})
	if err != nil {
		return 0, err
	}
	if len(res.Vaults) == 0 {
		return 0, fmt.Errorf("the vault was not created")
	}
	return res.Vaults[len(res.Vaults)-1].Id, nil
}

// Config is where the localnet is and how big the market is.
type Config struct {
	RPC     string // node0's CometBFT RPC
	Home    string // node0's home: its test keyring holds alice, bob, carol, dave
	ChainID string
	// ModelsDir caches the trained artifacts (the sidecars read them from
	// there through file:// URIs).
	ModelsDir string
	// Market is what the market is about: "mnist" (four classifiers) or
	// "lm" (four language-model entries on kjv-next).
	Market string
	Rounds uint32
	// Items per round; 0 takes the market's default (40 MNIST images, 16
	// verses).
	Items uint32
	// Liquidity of the market, in whole USDC.
	Liquidity int64
	Out       io.Writer
	Live      bool
	Timeout   time.Duration
}

// DefaultConfig is what `make demo` runs.
func DefaultConfig() Config {
	return Config{ChainID: "delphi-demo", Market: "mnist", Rounds: 6, Liquidity: 200, Timeout: 8 * time.Minute}
}

// Run plays the whole story and prints a summary.
func Run(ctx context.Context, cfg Config) error {
	ctx, cancel := context.WithTimeout(ctx, cfg.Timeout)
	defer cancel()
	sc, err := scenarioFor(cfg.Market)
	if err != nil {
		return err
	}
	if cfg.Items == 0 {
		cfg.Items = sc.items
	}
	v := newView(cfg.Out, cfg.Live)
	say := func(format string, args ...any) { fmt.Fprintf(cfg.Out, "== "+format+"\n", args...) }
	c, err := dial(cfg)
	if err != nil {
		return err
	}
	start, err := c.height(ctx)
	if err != nil {
		return fmt.Errorf("node0 at %s: %w", cfg.RPC, err)
	}

	benchID, err := c.benchmarkID(ctx, sc.benchmark)
	if err != nil {
		return err
	}
	say("Preparing %s (deterministic training, cached in %s)", sc.about, cfg.ModelsDir)
	models, err := sc.prepare(cfg.ModelsDir, func(f string, a ...any) { fmt.Fprintf(cfg.Out, "   "+f+"\n", a...) })
	if err != nil {
		return err
	}
	names := make([]string, len(models))
	for i, m := range models {
		names[i] = m.Name
	}

	traders, err := newTraders(c, models, sc)
	if err != nil {
		return err
	}
	alice, err := c.address("alice")
	if err != nil {
		return err
	}
	startBal := map[string]sdkmath.Int{}
	for _, who := range append([]*trader{{name: "alice", addr: alice}}, traders...) {
		if startBal[who.name], err = c.balance(ctx, who.addr); err != nil {
			return err
		}
	}

	say("A vault for %s markets (alice manages it); bob and dave deposit", sc.benchmark)
	if err := c.send(ctx, "alice", &vaulttypes.MsgCreateVault{Manager: alice.String(), Name: sc.vault,
		CollateralDenom: "uusdc", Category: []uint64{benchID}, SubsidyCap: sdkmath.NewInt(5 * cfg.Liquidity * usdc),
		MinFeeBps: 50, Rule: vaulttypes.FUND_RULE_CATEGORY}); err != nil {
		return err
	}
	h0, _ := c.height(ctx)
	if err := c.waitHeight(ctx, h0+2); err != nil {
		return err
	}
	vaultID, err := c.newestVault(ctx)
	if err != nil {
		return err
	}
	for _, d := range []struct {
		who    string
		amount int64
	}{{"bob", 250}, {"dave", 150}} {
		if err := c.send(ctx, d.who, &vaulttypes.MsgDeposit{Depositor: mustAddr(c, d.who), VaultId: vaultID,
			Amount: sdkmath.NewInt(d.amount * usdc)}); err != nil {
			return err
		}
	}

	say("Registering the models (alice) and creating the market, funded by the vault")
	for _, m := range models {
		if err := c.send(ctx, "alice", &evaluationtypes.MsgRegisterModel{Owner: alice.String(), Name: m.Name, Format: m.Format,
			WeightsSha256: m.SHA256, WeightsRoot: m.WeightsRoot, ArtifactUris: []string{"file://" + m.Path},
			TrainingRecordHash: m.RecordHash, SystemPrompt: m.SystemPrompt,
			RefereeStepBytes: uint64(m.Step.Bytes), RefereeStepFlops: uint64(m.Step.FLOPs)}); err != nil {
			return err
		}
	}
	h, _ := c.height(ctx)
	if err := c.waitHeight(ctx, h+2); err != nil {
		return err
	}
	ids, err := c.modelIDs(ctx, models)
	if err != nil {
		return err
	}
	if err := c.send(ctx, "alice", &markettypes.MsgCreateMarket{Creator: alice.String(),
		Title: sc.title, CollateralDenom: "uusdc",
		Liquidity: sdkmath.NewInt(cfg.Liquidity * usdc), FeeBps: 100, CreatorFeeShareBps: 2_000, VaultId: vaultID,
		// Trading stops at each round's draw and resumes a block after its
		// results are final and undisputed: rounds 24 blocks apart leave a
		// few blocks of trading on each round's published scores.
		ReopenBlocks: 1,
		Spec: &markettypes.EvaluationSpec{BenchmarkId: benchID, ModelIds: ids, Rounds: cfg.Rounds, ItemsPerRound: cfg.Items,
			BlocksBetweenRounds: blocksBetweenRounds, StartDelay: 8, DeadlineBlocks: 40}}); err != nil {
		return err
	}
	marketID, err := c.waitMarket(ctx)
	if err != nil {
		return err
	}
	say("Market %d open: %d outcomes, b = %d USDC; rounds of %d %s every %d blocks, trading paused from each draw until its results are final",
		marketID, len(ids), cfg.Liquidity, cfg.Items, sc.item, blocksBetweenRounds)
	priceBefore, err := c.sharePrice(ctx, vaultID)
	if err != nil {
		return err
	}

	// Trade and watch until the market settles.
	seenRounds, seenDisputes := 0, map[uint64]verdetypes.DisputeStatus{}
	var s *snapshot
	for {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("the demo did not finish in %s: %w", cfg.Timeout, err)
		}
		h, err := c.height(ctx)
		if err != nil {
			return err
		}
		if s, err = c.snapshot(ctx, marketID, names, traders); err != nil {
			return err
		}
		for r := seenRounds; r < s.roundsFinal; r++ {
			v.event("round %d final: %v of %d", r, s.rounds[r], uint64(cfg.Items)*sc.points())
		}
		seenRounds = s.roundsFinal
		for _, d := range s.disputes {
			if seenDisputes[d.Id] != d.Status {
				seenDisputes[d.Id] = d.Status
				name := fmt.Sprintf("model %d", d.ModelId)
				if i := s.market.Outcome(d.ModelId); i >= 0 {
					name = names[i]
				}
				v.event("dispute %d (round %d, %s): %s %s", d.Id, d.Round, name, d.Status, d.Reason)
			}
		}
		if s.market.Status != markettypes.MARKET_STATUS_OPEN {
			v.update(s)
			break
		}
		for _, t := range traders {
			if !s.trading.Open {
				break // nobody trades while a round's items are known and its results are not
			}
			msg, why := t.act(s)
			if msg == nil {
				continue
			}
			if err := c.send(ctx, t.key, msg); err != nil {
				v.event("%s: refused: %v", t.name, err)
				continue
			}
			v.event("%-5s %s", t.name, why)
		}
		v.update(s)
		if err := c.waitHeight(ctx, h+1); err != nil {
			return err
		}
	}

	say("Market %s: winners redeem", s.market.Status)
	for _, t := range traders {
		if len(s.positions[t.name]) == 0 {
			continue
		}
		if err := c.send(ctx, t.key, &markettypes.MsgRedeem{Owner: t.addr.String(), MarketId: marketID}); err != nil {
			return err
		}
	}
	h, _ = c.height(ctx)
	if err := c.waitHeight(ctx, h+2); err != nil {
		return err
	}
	priceAfter, err := c.sharePrice(ctx, vaultID)
	if err != nil {
		return err
	}
	say("The depositors withdraw what the vault is worth")
	for _, who := range []string{"bob", "dave"} {
		res, err := c.vault.Depositor(ctx, &vaulttypes.QueryDepositorRequest{VaultId: vaultID, Address: mustAddr(c, who)})
		if err != nil {
			return err
		}
		if res.Shares.IsPositive() {
			if err := c.send(ctx, who, &vaulttypes.MsgWithdraw{Depositor: mustAddr(c, who), VaultId: vaultID, Shares: res.Shares}); err != nil {
				return err
			}
		}
	}
	h, _ = c.height(ctx)
	if err := c.waitHeight(ctx, h+2); err != nil {
		return err
	}
	fmt.Fprintf(cfg.Out, "vault %d share price (uusdc per 10^6 shares, 1.000000 at par): %s when the market opened, %s after settlement\n",
		vaultID, priceBefore, priceAfter)
	if err := c.summary(ctx, cfg, sc, s, start, startBal, vaultID,
		append([]*trader{{name: "alice", addr: alice, strategy: "market creator (20% of fees), vault manager"}}, traders...)); err != nil {
		return err
	}
	return c.verifyMarket(ctx, cfg, marketID)
}

// verifyMarket does what `delphid verify market` does: re-runs every model
// on every round's items from the chain and the artifacts alone, and says
// whether the chain's results, standings and settlement follow.
func (c *chain) verifyMarket(ctx context.Context, cfg Config, marketID uint64) error {
	fmt.Fprintf(cfg.Out, "\n== delphid verify market %d (every result re-run from the chain and the artifacts alone)\n", marketID)
	v, err := evaluator.NewVerifier(evaluator.VerifyConfig{NodeRPC: cfg.RPC, Schemes: []string{"file", "http", "https"},
		AllowPrivateHosts: true, FetchTimeout: time.Minute, Limits: runtime.DefaultLimits()})
	if err != nil {
		return err
	}
	t0 := time.Now()
	rep, err := v.VerifyMarket(ctx, marketID, nil)
	if err != nil {
		return err
	}
	matched, items := 0, uint64(0)
	ev, err := c.eval.Evaluation(ctx, &evaluationtypes.QueryEvaluationRequest{Id: rep.Evaluation})
	if err != nil {
		return err
	}
	for _, f := range rep.Findings {
		items += uint64(ev.Evaluation.ItemsPerRound)
		if f.Verdict == evaluator.Match {
			matched++
		} else {
			fmt.Fprintf(cfg.Out, "round %d %s: %s %s (chain %s, local %s)\n", f.Round, f.ModelName, f.Verdict, f.Field, f.Chain, f.Local)
		}
	}
	secs := time.Since(t0).Seconds()
	fmt.Fprintf(cfg.Out, "%d of %d results match; standings match: %v; settlement: %s (%d items re-run in %.1f s: %.0f items/s)\n",
		matched, len(rep.Findings), rep.StandingsMatch, rep.Settlement, items, secs, float64(items)/secs)
	if !rep.OK {
		return fmt.Errorf("verify market %d: the chain's results do not all follow from the models", marketID)
	}
	fmt.Fprintf(cfg.Out, "verified: every final result of evaluation %d follows from the registered models\n", rep.Evaluation)
	return nil
}

// newTraders sets up bob (follows round results), carol (trades on her own
// offline estimate, which she computes here) and dave (noise).
func newTraders(c *chain, models []*model, sc scenario) ([]*trader, error) {
	acc, err := sc.estimate(models)
	if err != nil {
		return nil, err
	}
	var out []*trader
	for _, spec := range []struct{ name, strategy string }{
		{"bob", "follows the round results; vault depositor"}, {"carol", fmt.Sprintf("trades on her own estimate (offline scores %.3f)", acc)},
		{"dave", "noise; vault depositor"},
	} {
		addr, err := c.address(spec.name)
		if err != nil {
			return nil, err
		}
		out = append(out, &trader{name: spec.name, key: spec.name, strategy: spec.strategy, addr: addr})
	}
	out[0].act = follower(out[0])
	out[1].act = estimator(out[1], beliefs(acc))
	out[2].act = noise(out[2], 11)
	return out, nil
}

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
