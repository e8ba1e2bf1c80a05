// Package chaininfo serves delphi.chain.v1.Query: facts about the chain that a
// client needs before it talks to any module.
package chaininfo

import (
	"context"

	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/version"
	consensustypes "github.com/cosmos/cosmos-sdk/x/consensus/types"
)

// BondDenomSource reads the staking denomination from state.
type BondDenomSource interface {
	BondDenom(ctx context.Context) (string, error)
}

// ConsensusParamsSource reads the consensus params committed in state.
type ConsensusParamsSource interface {
	Params(ctx context.Context, req *consensustypes.QueryParamsRequest) (*consensustypes.QueryParamsResponse, error)
}

// Server implements QueryServer.
type Server struct {
	staking         BondDenomSource
	consensus       ConsensusParamsSource
	bech32Prefix    string
	collateralDenom string
}

var _ QueryServer = Server{}

// NewServer returns a query server reading the bond denom from staking.
func NewServer(staking BondDenomSource, consensus ConsensusParamsSource, bech32Prefix, collateralDenom string) Server {
	return Server{staking: staking, consensus: consensus, bech32Prefix: bech32Prefix, collateralDenom: collateralDenom}
}

// ChainInfo implements QueryServer.
func (s Server) ChainInfo(goCtx context.Context, _ *QueryChainInfoRequest) (*QueryChainInfoResponse, error) {
	ctx := sdk.UnwrapSDKContext(goCtx)
	bond, err := s.staking.BondDenom(ctx)
	if err != nil {
		return nil, err
	}
	// The query context carries no consensus params; read the committed ones.
	cp, err := s.consensus.Params(ctx, &consensustypes.QueryParamsRequest{})
	if err != nil {
		return nil, err
	}
	var veHeight int64
	if cp.Params != nil && cp.Params.Abci != nil {
		veHeight = cp.Params.Abci.VoteExtensionsEnableHeight
	}
	return &QueryChainInfoResponse{
		ChainId:                    ctx.ChainID(),
		AppVersion:                 version.Version,
		Bech32Prefix:               s.bech32Prefix,
		BondDenom:                  bond,
		CollateralDenom:            s.collateralDenom,
		VoteExtensionsEnableHeight: veHeight,
		Height:                     ctx.BlockHeight(),
	}, nil
}
