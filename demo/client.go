package demo

import (
	"context"
	"fmt"
	"time"

	rpchttp "github.com/cometbft/cometbft/rpc/client/http"

	"cosmossdk.io/math"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/crypto/keyring"
	sdk "github.com/cosmos/cosmos-sdk/types"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"
	stakingtypes "github.com/cosmos/cosmos-sdk/x/staking/types"

	"github.com/delphi-network/delphi/app"
	"github.com/delphi-network/delphi/internal/txsend"
	evaluationtypes "github.com/delphi-network/delphi/x/evaluation/types"
	markettypes "github.com/delphi-network/delphi/x/market/types"
	vaulttypes "github.com/delphi-network/delphi/x/vault/types"
	verdetypes "github.com/delphi-network/delphi/x/verde/types"
)

// chain is the demo's view of node0: queries over CometBFT RPC (ABCI
// queries) and transactions signed with node0's test keyring.
type chain struct {
	rpc     *rpchttp.HTTP
	cctx    client.Context
	eval    evaluationtypes.QueryClient
	market  markettypes.QueryClient
	verde   verdetypes.QueryClient
	bank    banktypes.QueryClient
	staking stakingtypes.QueryClient
	vault   vaulttypes.QueryClient
	sender  *txsend.Sender
}

func dial(cfg Config) (*chain, error) {
	rpc, err := rpchttp.New(cfg.RPC, "/websocket")
	if err != nil {
		return nil, err
	}
	cctx, err := txsend.ClientContext(rpc, cfg.Home, keyring.BackendTest, cfg.ChainID,
		banktypes.RegisterInterfaces, stakingtypes.RegisterInterfaces, evaluationtypes.RegisterInterfaces,
		markettypes.RegisterInterfaces, verdetypes.RegisterInterfaces, vaulttypes.RegisterInterfaces)
	if err != nil {
		return nil, err
	}
	return &chain{rpc: rpc, cctx: cctx,
		eval: evaluationtypes.NewQueryClient(cctx), market: markettypes.NewQueryClient(cctx),
		verde: verdetypes.NewQueryClient(cctx), bank: banktypes.NewQueryClient(cctx),
		staking: stakingtypes.NewQueryClient(cctx), vault: vaulttypes.NewQueryClient(cctx),
		sender: txsend.New(cctx, func(sdk.Msg) uint64 { return 2_000_000 })}, nil
}

// address is a keyring account's address.
func (c *chain) address(name string) (sdk.AccAddress, error) {
	rec, err := c.cctx.Keyring.Key(name)
	if err != nil {
		return nil, fmt.Errorf("key %q in node0's keyring: %w", name, err)
	}
	return rec.GetAddress()
}

// height is the latest committed height.
func (c *chain) height(ctx context.Context) (int64, error) {
	st, err := c.rpc.Status(ctx)
	if err != nil {
		return 0, err
	}
	return st.SyncInfo.LatestBlockHeight, nil
}

// waitHeight blocks until height h is committed.
func (c *chain) waitHeight(ctx context.Context, h int64) error {
	for {
		got, err := c.height(ctx)
		if err == nil && got >= h {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(150 * time.Millisecond):
		}
	}
}

// send signs msg with the named key and broadcasts it; it returns once the
// mempool accepted it (the block's result is read from state afterwards).
func (c *chain) send(ctx context.Context, from string, msg sdk.Msg) error {
	return c.sender.Send(ctx, from, msg)
}

// balance is an address's collateral balance.
func (c *chain) balance(ctx context.Context, addr sdk.AccAddress) (math.Int, error) {
	res, err := c.bank.Balance(ctx, &banktypes.QueryBalanceRequest{Address: addr.String(), Denom: app.CollateralDenom})
	if err != nil {
		return math.Int{}, err
	}
	return res.Balance.Amount, nil
}
