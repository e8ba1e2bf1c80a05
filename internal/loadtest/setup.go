package loadtest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/query"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"

	"github.com/delphi-network/delphi/app"
	"github.com/delphi-network/delphi/internal/txsend"
	"github.com/delphi-network/delphi/runtime"
	"github.com/delphi-network/delphi/runtime/zoo"
	evaluationtypes "github.com/delphi-network/delphi/x/evaluation/types"
	markettypes "github.com/delphi-network/delphi/x/market/types"
)

// Amounts the run gives its accounts and markets.
const (
	loadFunds    = 100_000_000    // uusdc and udelphi per load or holder account
	setupFunds   = 10_000_000_000 // uusdc for the markets' escrows
	liquidity    = 10_000_000     // b of each market, in uusdc
	tradeShares  = 100_000        // shares per buy, sold back by the next trade
	maxTradeCost = 10_000_000
	msgsPerTx    = 25
	outputsPerTx = 200
)

// prepare funds the accounts and, for market load, creates the markets and
// seeds the positions.
func (r *runner) prepare(ctx context.Context) error {
	holders := r.holders()
	all := append(append([]*account{r.setup}, r.load...), holders...)
	if err := r.fund(ctx, all); err != nil {
		return err
	}
	for _, a := range all {
		if err := a.sync(r.cctx); err != nil {
			return err
		}
	}
	if r.cfg.Kind != KindMarket {
		return nil
	}
	if err := r.createMarkets(ctx); err != nil {
		return err
	}
	return r.seedPositions(ctx, holders)
}

// holders are the accounts that hold the seeded positions: each buys into
// every market (one position per market), so Positions/Markets of them.
func (r *runner) holders() []*account {
	if r.cfg.Kind != KindMarket || r.cfg.Positions == 0 {
		return nil
	}
	n := (r.cfg.Positions + r.cfg.Markets - 1) / r.cfg.Markets
	out := make([]*account, n)
	for i := range out {
		out[i] = newAccount(r.cfg.Seed+"/holder", i)
	}
	return out
}

// fund pays every account from the keyring account in multi-send batches
// and waits until the last batch is in a block.
func (r *runner) fund(ctx context.Context, accts []*account) error {
	rec, err := r.cctx.Keyring.Key(r.cfg.From)
	if err != nil {
		return fmt.Errorf("funder key %q in %s: %w", r.cfg.From, r.cfg.Home, err)
	}
	from, err := rec.GetAddress()
	if err != nil {
		return err
	}
	sender := txsend.New(r.cctx, func(sdk.Msg) uint64 { return 20_000_000 })
	holders := map[string]bool{}
	for _, h := range r.holders() {
		holders[h.addr.String()] = true
	}
	var firsts []*account
	for lo := 0; lo < len(accts); lo += outputsPerTx {
		batch := accts[lo:min(lo+outputsPerTx, len(accts))]
		firsts = append(firsts, batch[0])
		total := sdk.NewCoins()
		outs := make([]banktypes.Output, len(batch))
		for i, a := range batch {
			coins := sdk.NewCoins(sdk.NewInt64Coin(app.BondDenom, loadFunds), sdk.NewInt64Coin(app.CollateralDenom, loadFunds))
			switch {
			case a == r.setup && r.cfg.Kind == KindMarket:
				coins = coins.Add(sdk.NewInt64Coin(app.CollateralDenom, setupFunds))
			case holders[a.addr.String()]:
				// A holder only pays for one small buy per market (gas is free
				// on a localnet): 10^5 per market and some to spare.
				coins = sdk.NewCoins(sdk.NewInt64Coin(app.CollateralDenom, 100_000*int64(r.cfg.Markets)+1_000_000))
			}
			outs[i] = banktypes.Output{Address: a.addr.String(), Coins: coins}
			total = total.Add(coins...)
		}
		msg := &banktypes.MsgMultiSend{Inputs: []banktypes.Input{{Address: from.String(), Coins: total}}, Outputs: outs}
		if err := sender.Send(ctx, r.cfg.From, msg); err != nil {
			return fmt.Errorf("fund accounts: %w", err)
		}
	}
	r.logf("funded %d accounts from %s\n", len(accts), r.cfg.From)
	last := accts[len(accts)-1]
	if err := poll(ctx, 60*time.Second, func() bool { return last.sync(r.cctx) == nil }); err != nil {
		return fmt.Errorf("the funding of %s never arrived (does %s hold enough?): %w", last.addr, r.cfg.From, err)
	}
	for i, a := range firsts {
		if err := a.sync(r.cctx); err != nil {
			return fmt.Errorf("funding batch %d of %d failed (does %s hold enough?): %w", i+1, len(firsts), r.cfg.From, err)
		}
	}
	return nil
}

// submit signs msgs as one transaction from a, broadcasts it and advances
// a's sequence once the mempool took it.
func (r *runner) submit(ctx context.Context, a *account, gas uint64, msgs ...sdk.Msg) error {
	_, err := r.broadcast(ctx, a, gas, msgs...)
	return err
}

func (r *runner) broadcast(ctx context.Context, a *account, gas uint64, msgs ...sdk.Msg) ([]byte, error) {
	raw, err := a.sign(r.cctx, gas, msgs...)
	if err != nil {
		return nil, err
	}
	res, err := r.rpc.BroadcastTxSync(ctx, raw)
	if err != nil {
		return nil, err
	}
	if res.Code != 0 {
		return nil, fmt.Errorf("refused (code %d): %s", res.Code, res.Log)
	}
	a.seq++
	return res.Hash, nil
}

// setupTxs broadcasts setup transactions and checks each one committed
// successfully, so a setup failure names its cause.
type setupTxs struct {
	r      *runner
	hashes [][]byte
	what   []string
}

func (s *setupTxs) send(ctx context.Context, what string, a *account, gas uint64, msgs ...sdk.Msg) error {
	hash, err := s.r.broadcast(ctx, a, gas, msgs...)
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	s.hashes, s.what = append(s.hashes, hash), append(s.what, what)
	return nil
}

func (s *setupTxs) confirm(ctx context.Context) error {
	for i, h := range s.hashes {
		var code uint32
		var log string
		if err := poll(ctx, 120*time.Second, func() bool {
			res, err := s.r.rpc.Tx(ctx, h, false)
			if err != nil {
				return false
			}
			code, log = res.TxResult.Code, res.TxResult.Log
			return true
		}); err != nil {
			return fmt.Errorf("%s: tx %X never committed", s.what[i], h)
		}
		if code != 0 {
			return fmt.Errorf("%s: tx %X failed (code %d): %s", s.what[i], h, code, log)
		}
	}
	s.hashes, s.what = nil, nil
	return nil
}

// createMarkets registers two models (the zoo MNIST CNN's real hashes) and
// opens the configured number of markets over them from the setup account.
// The markets' evaluations start a million blocks out, so the markets stay
// open and unsettled for the whole run.
func (r *runner) createMarkets(ctx context.Context) error {
	raw, err := zoo.MNIST()
	if err != nil {
		return err
	}
	m, err := runtime.LoadModel(raw, runtime.DefaultLimits())
	if err != nil {
		return err
	}
	sum, root := sha256.Sum256(raw), m.Weights().Root()
	step, err := m.RefereeStep()
	if err != nil {
		return err
	}
	// The evaluations never start during a run, but the registry entries
	// point at the real artifact all the same.
	path := filepath.Join(os.TempDir(), "delphi-loadtest-mnist-cnn.onnx")
	if err := os.WriteFile(path, raw, 0o644); err != nil {
		return err
	}
	stamp := time.Now().UnixNano()
	names := []string{fmt.Sprintf("loadtest-%d-a", stamp), fmt.Sprintf("loadtest-%d-b", stamp)}
	var regs []sdk.Msg
	for _, n := range names {
		regs = append(regs, &evaluationtypes.MsgRegisterModel{Owner: r.setup.addr.String(), Name: n, Format: "onnx",
			WeightsSha256: hex.EncodeToString(sum[:]), WeightsRoot: hex.EncodeToString(root[:]),
			ArtifactUris: []string{"file://" + path}, RefereeStepBytes: uint64(step.Bytes), RefereeStepFlops: uint64(step.FLOPs)})
	}
	txs := &setupTxs{r: r}
	if err := txs.send(ctx, "register models", r.setup, 2_000_000, regs...); err != nil {
		return err
	}
	if err := txs.confirm(ctx); err != nil {
		return err
	}
	models, err := r.modelIDs(ctx, names)
	if err != nil {
		return err
	}
	for lo := 0; lo < r.cfg.Markets; lo += msgsPerTx {
		var msgs []sdk.Msg
		for i := lo; i < min(lo+msgsPerTx, r.cfg.Markets); i++ {
			msgs = append(msgs, &markettypes.MsgCreateMarket{Creator: r.setup.addr.String(),
				Title: fmt.Sprintf("loadtest %d market %d", stamp, i), CollateralDenom: app.CollateralDenom,
				Liquidity: math.NewInt(liquidity), FeeBps: 100,
				Spec: &markettypes.EvaluationSpec{BenchmarkId: 1, ModelIds: models, Rounds: 1, ItemsPerRound: 10,
					BlocksBetweenRounds: 2, StartDelay: 1_000_000, DeadlineBlocks: 100}})
		}
		if err := txs.send(ctx, "create markets", r.setup, 40_000_000, msgs...); err != nil {
			return err
		}
	}
	if err := txs.confirm(ctx); err != nil {
		return err
	}
	if err := r.marketIDs(ctx, fmt.Sprintf("loadtest %d market ", stamp)); err != nil {
		return err
	}
	if len(r.ids) != r.cfg.Markets {
		return fmt.Errorf("created %d markets, found %d open", r.cfg.Markets, len(r.ids))
	}
	r.logf("opened %d markets over models %v\n", len(r.ids), models)
	return nil
}

func (r *runner) modelIDs(ctx context.Context, names []string) ([]uint64, error) {
	ids := make([]uint64, len(names))
	var key []byte
	for {
		res, err := r.eval.Models(ctx, &evaluationtypes.QueryModelsRequest{Pagination: &query.PageRequest{Key: key, Limit: 500}})
		if err != nil {
			return nil, err
		}
		for _, m := range res.Models {
			for i, n := range names {
				if m.Name == n {
					ids[i] = m.Id
				}
			}
		}
		if res.Pagination == nil || len(res.Pagination.NextKey) == 0 {
			break
		}
		key = res.Pagination.NextKey
	}
	for i, id := range ids {
		if id == 0 {
			return nil, fmt.Errorf("model %s was not registered", names[i])
		}
	}
	return ids, nil
}

// marketIDs collects the open markets this run's setup created (the setup
// account is the same on every run with the same seed; titles carry the
// run's stamp).
func (r *runner) marketIDs(ctx context.Context, titlePrefix string) error {
	r.ids = nil
	var key []byte
	for {
		res, err := r.market.Markets(ctx, &markettypes.QueryMarketsRequest{Status: markettypes.MARKET_STATUS_OPEN,
			Pagination: &query.PageRequest{Key: key, Limit: 1000}})
		if err != nil {
			return err
		}
		for _, m := range res.Markets {
			if m.Creator == r.setup.addr.String() && strings.HasPrefix(m.Title, titlePrefix) {
				r.ids = append(r.ids, m.Id)
			}
		}
		if res.Pagination == nil || len(res.Pagination.NextKey) == 0 {
			return nil
		}
		key = res.Pagination.NextKey
	}
}

// seedPositions has every holder buy into every market until Positions
// positions exist, and checks the markets count them.
func (r *runner) seedPositions(ctx context.Context, holders []*account) error {
	if len(holders) == 0 {
		return nil
	}
	left := r.cfg.Positions
	txs := &setupTxs{r: r}
	for hi, h := range holders {
		var msgs []sdk.Msg
		flush := func() error {
			if len(msgs) == 0 {
				return nil
			}
			err := txs.send(ctx, "seed positions", h, uint64(len(msgs))*400_000, msgs...)
			msgs = msgs[:0]
			return err
		}
		for _, id := range r.ids {
			if left == 0 {
				break
			}
			msgs = append(msgs, &markettypes.MsgBuyShares{Trader: h.addr.String(), MarketId: id, Outcome: uint32(hi % 2),
				Shares: math.NewInt(tradeShares), MaxCost: math.NewInt(maxTradeCost)})
			left--
			if len(msgs) == msgsPerTx {
				if err := flush(); err != nil {
					return err
				}
			}
		}
		if err := flush(); err != nil {
			return err
		}
	}
	if err := txs.confirm(ctx); err != nil {
		return err
	}
	held := uint64(0)
	for _, id := range r.ids {
		res, err := r.market.Market(ctx, &markettypes.QueryMarketRequest{MarketId: id})
		if err != nil {
			return err
		}
		held += res.Market.Holders
	}
	if held < uint64(r.cfg.Positions) {
		return fmt.Errorf("seeded %d positions, the markets count %d", r.cfg.Positions, held)
	}
	r.logf("seeded %d positions from %d holders\n", held, len(holders))
	return nil
}

// waitIdle waits until the mempool is empty and one more block committed.
func (r *runner) waitIdle(ctx context.Context) error {
	if err := poll(ctx, 120*time.Second, func() bool {
		res, err := r.rpc.NumUnconfirmedTxs(ctx)
		return err == nil && res.Total == 0
	}); err != nil {
		return errors.New("the mempool did not drain")
	}
	st, err := r.rpc.Status(ctx)
	if err != nil {
		return err
	}
	h := st.SyncInfo.LatestBlockHeight
	return poll(ctx, 30*time.Second, func() bool {
		st, err := r.rpc.Status(ctx)
		return err == nil && st.SyncInfo.LatestBlockHeight > h
	})
}

// poll checks cond every 200 ms until it holds, the timeout passes or ctx ends.
func poll(ctx context.Context, timeout time.Duration, cond func() bool) error {
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			return errors.New("timed out")
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
	return nil
}
