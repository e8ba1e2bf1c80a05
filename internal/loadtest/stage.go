package loadtest

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"

	"github.com/delphi-network/delphi/app"
	"github.com/delphi-network/delphi/app/abci/commit"
	markettypes "github.com/delphi-network/delphi/x/market/types"
)

// gas limits per load transaction: what each kind needs with room to spare.
const (
	bankGas   = 200_000
	marketGas = 600_000
)

// trader is one load account's state across stages: trades counts its
// accepted trades, which fixes its next one (see nextMsg).
type trader struct {
	*account
	index  int
	trades int
}

// drain waits for the previous stage's transactions to leave the mempool
// and reads every account's sequence back from the chain.
func (r *runner) drain(ctx context.Context) error {
	if err := r.waitIdle(ctx); err != nil {
		return err
	}
	for _, t := range r.traders() {
		if err := t.sync(r.cctx); err != nil {
			return err
		}
	}
	return nil
}

// stage offers rate tx/s for the stage's length (at most budget
// transactions) and reads back what the blocks of that window committed.
// The transactions are signed before the clock starts, so the generator's
// own work during the window is one RPC call per transaction.
func (r *runner) stage(ctx context.Context, rate, budget int) (Stage, error) {
	st := Stage{Offered: rate}
	traders := r.traders()
	total := min(int(r.cfg.Stage.Seconds()*float64(rate)), budget)
	// Tokens go to whichever account is free, so each gets three times its
	// share signed ahead; what is left unsent is dropped with its sequence.
	per := 3*((total+len(traders)-1)/len(traders)) + 2
	signed := make([][][]byte, len(traders))
	for i, t := range traders {
		for k := 0; k < per; k++ {
			raw, err := t.sign(r.cctx, r.gas(), r.nextMsg(t, t.trades+k))
			if err != nil {
				return st, err
			}
			signed[i] = append(signed[i], raw)
			t.seq++
		}
	}

	start, err := r.rpc.Status(ctx)
	if err != nil {
		return st, err
	}
	h0 := start.SyncInfo.LatestBlockHeight
	tokens := make(chan struct{}, rate)
	var (
		mu       sync.Mutex
		wg       sync.WaitGroup
		mempool  bool
		firstErr string
	)
	for i, t := range traders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// An account stops at its first refusal (its later
			// transactions would fail on their sequence) or when its
			// signed transactions run out; the others take the tokens.
			for _, raw := range signed[i] {
				if _, ok := <-tokens; !ok {
					return
				}
				err := r.broadcastSigned(ctx, raw)
				mu.Lock()
				if err == nil {
					st.Sent++
					t.trades++
				} else {
					st.Refused++
					mempool = mempool || strings.Contains(err.Error(), "mempool is full")
					if firstErr == "" {
						firstErr = err.Error()
					}
				}
				mu.Unlock()
				if err != nil {
					return
				}
			}
		}()
	}
	begin := time.Now()
	interval := time.Second / time.Duration(rate)
	for i := 0; i < total && ctx.Err() == nil; i++ {
		time.Sleep(time.Until(begin.Add(time.Duration(i) * interval)))
		select {
		case tokens <- struct{}{}:
		default:
			mu.Lock()
			st.Dropped++ // every account is waiting on the node
			mu.Unlock()
		}
	}
	close(tokens)
	wg.Wait()
	st.Dropped += len(tokens) // offered, but no account was left to send them
	if firstErr != "" {
		r.logf("  first refusal: %s\n", firstErr)
	}

	end, err := r.rpc.Status(ctx)
	if err != nil {
		return st, err
	}
	h1 := end.SyncInfo.LatestBlockHeight
	if err := r.count(ctx, h0, h1, &st); err != nil {
		return st, err
	}
	unconf, err := r.rpc.NumUnconfirmedTxs(ctx)
	if err != nil {
		return st, err
	}
	st.Backlog = unconf.Total
	st.BackedUp = mempool || float64(st.Backlog) > r.cfg.BacklogRatio*float64(rate) ||
		st.Refused+st.Dropped > total/10
	return st, nil
}

// sequenceMismatch is the SDK's ErrWrongSequence code.
const sequenceMismatch = 32

// broadcastSigned sends one signed transaction. A node rechecking its
// mempool after a block (asynchronously, in CometBFT) can meet an account's
// next transaction before it has re-admitted the earlier ones, and refuses
// it for its sequence although they are still pending; such a refusal is
// retried a few times before it counts.
func (r *runner) broadcastSigned(ctx context.Context, raw []byte) error {
	for attempt := 0; ; attempt++ {
		res, err := r.rpc.BroadcastTxSync(ctx, raw)
		if err != nil {
			return err
		}
		if res.Code == 0 {
			return nil
		}
		if res.Code != sequenceMismatch || attempt == 4 {
			return fmt.Errorf("refused (code %d): %s", res.Code, res.Log)
		}
		time.Sleep(time.Duration(20*(attempt+1)) * time.Millisecond)
	}
}

// traders wraps the load accounts; their trade counts live across stages.
func (r *runner) traders() []*trader {
	if r.state == nil {
		for i, a := range r.load {
			r.state = append(r.state, &trader{account: a, index: i})
		}
	}
	return r.state
}

func (r *runner) gas() uint64 {
	if r.cfg.Kind == KindMarket {
		return marketGas
	}
	return bankGas
}

// nextMsg is trader t's k-th transaction: a 1uusdc send to the next
// account; or on a market, an even k buys into market (index + k/2) and the
// odd k after it sells that buy back, so t cycles over the markets holding
// at most one position at a time.
func (r *runner) nextMsg(t *trader, k int) sdk.Msg {
	if r.cfg.Kind == KindBank {
		to := r.load[(t.index+1)%len(r.load)].addr
		return banktypes.NewMsgSend(t.addr, to, sdk.NewCoins(sdk.NewInt64Coin(app.CollateralDenom, 1)))
	}
	id := r.ids[(t.index+k/2)%len(r.ids)]
	outcome := uint32(t.index % 2)
	if k%2 == 1 {
		return &markettypes.MsgSellShares{Trader: t.addr.String(), MarketId: id, Outcome: outcome,
			Shares: math.NewInt(tradeShares), MinProceeds: math.ZeroInt()}
	}
	return &markettypes.MsgBuyShares{Trader: t.addr.String(), MarketId: id, Outcome: outcome,
		Shares: math.NewInt(tradeShares), MaxCost: math.NewInt(maxTradeCost)}
}

// count reads blocks (h0, h1]: successful and failed transactions (the
// injected extended commit is not a transaction and is skipped), gas, and
// the time between the blocks' headers.
func (r *runner) count(ctx context.Context, h0, h1 int64, st *Stage) error {
	st.Blocks = h1 - h0
	if st.Blocks <= 0 {
		return fmt.Errorf("no block committed during the stage (height %d)", h0)
	}
	gas := int64(0)
	for h := h0 + 1; h <= h1; h++ {
		res, err := r.rpc.BlockResults(ctx, &h)
		if err != nil {
			return err
		}
		blk, err := r.rpc.Block(ctx, &h)
		if err != nil {
			return err
		}
		for i, tx := range res.TxsResults {
			if i < len(blk.Block.Txs) && commit.IsInjected(blk.Block.Txs[i]) {
				continue
			}
			if tx.Code == 0 {
				st.Committed++
				gas += tx.GasUsed
			} else {
				st.Failed++
			}
		}
	}
	first, err := r.rpc.Block(ctx, &h0)
	if err != nil {
		return err
	}
	last, err := r.rpc.Block(ctx, &h1)
	if err != nil {
		return err
	}
	st.Seconds = last.Block.Time.Sub(first.Block.Time).Seconds()
	if st.Seconds > 0 {
		st.CommittedTPS = float64(st.Committed) / st.Seconds
	}
	if st.Committed > 0 {
		st.GasPerTx = float64(gas) / float64(st.Committed)
	}
	return nil
}
