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

// awaitVault is the newest vault's id once there is one, waiting at most
// blocks blocks.
func (c *chain) awaitVault(ctx context.Context, blocks int64) (uint64, error) {
	h0, err := c.height(ctx)
	if err != nil {
		return 0, err
	}
	for {
		id, err := c.newestVault(ctx)
		if err == nil {
			return id, nil
		}
		h, herr := c.height(ctx)
		if herr != nil {
			h = h0 // waitHeight below polls until the node answers
		}
		if h >= h0+blocks {
			return 0, fmt.Errorf("%w within %d blocks", err, blocks)
		}
		if err := c.waitHeight(ctx, h+1); err != nil {
			return 0, err
		}
	}
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
	// Broadcast returns once the mempool took the transaction; under load
	// it can land a few blocks later, so the vault is awaited, not assumed
	// after a fixed wait.
	vaultID, err := c.awaitVault(ctx, 10)
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
