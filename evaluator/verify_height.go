package evaluator

import (
	"context"
	"fmt"
	"strconv"

	"google.golang.org/grpc/metadata"

	grpctypes "github.com/cosmos/cosmos-sdk/types/grpc"
)

// Every query of one verification reads one height, passed as gRPC
// metadata (the SDK client's x-cosmos-block-height header), so that a
// block landing mid-verification cannot pair one block's round status with
// another block's results.

// pin makes every query of ctx read one height: the one already pinned,
// the configured one, or the node's latest block.
func (v *Verifier) pin(ctx context.Context) (context.Context, int64, error) {
	if h, ok := pinned(ctx); ok {
		return ctx, h, nil
	}
	h := v.height
	if h == 0 && v.chain.rpc != nil {
		st, err := v.chain.rpc.Status(ctx)
		if err != nil {
			return ctx, 0, fmt.Errorf("node %s: %w", v.chain.rpc.Remote(), err)
		}
		h = st.SyncInfo.LatestBlockHeight
	}
	if h <= 0 {
		return ctx, 0, nil
	}
	return metadata.AppendToOutgoingContext(ctx, grpctypes.GRPCBlockHeightHeader, strconv.FormatInt(h, 10)), h, nil
}

// pinned is the height the queries of ctx read (pin), if any.
func pinned(ctx context.Context) (int64, bool) {
	md, ok := metadata.FromOutgoingContext(ctx)
	if !ok {
		return 0, false
	}
	hs := md.Get(grpctypes.GRPCBlockHeightHeader)
	if len(hs) == 0 {
		return 0, false
	}
	h, err := strconv.ParseInt(hs[0], 10, 64)
	return h, err == nil
}
