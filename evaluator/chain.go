package evaluator

import (
	"context"
	"fmt"

	rpchttp "github.com/cometbft/cometbft/rpc/client/http"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/codec"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	"github.com/cosmos/cosmos-sdk/types/query"

	evaluationtypes "github.com/delphi-network/delphi/x/evaluation/types"
	verdetypes "github.com/delphi-network/delphi/x/verde/types"
)

// chain reads x/evaluation and x/verde through the node's CometBFT RPC
// (ABCI queries).
type chain struct {
	rpc  *rpchttp.HTTP
	cctx client.Context
	q    evaluationtypes.QueryClient
	v    verdetypes.QueryClient
}

// nodeTimeoutSeconds bounds one request to the node.
const nodeTimeoutSeconds = 60

func newChain(nodeRPC string) (*chain, error) {
	// Bounded: a node that never answers is an error, not a hang.
	rpc, err := rpchttp.NewWithTimeout(nodeRPC, "/websocket", nodeTimeoutSeconds)
	if err != nil {
		return nil, fmt.Errorf("node RPC %s: %w", nodeRPC, err)
	}
	reg := codectypes.NewInterfaceRegistry()
	evaluationtypes.RegisterInterfaces(reg)
	verdetypes.RegisterInterfaces(reg)
	cctx := client.Context{}.WithClient(rpc).WithCodec(codec.NewProtoCodec(reg)).WithInterfaceRegistry(reg)
	return &chain{rpc: rpc, cctx: cctx, q: evaluationtypes.NewQueryClient(cctx), v: verdetypes.NewQueryClient(cctx)}, nil
}

// openWork is the state of the chain the sidecar acts on.
type openWork struct {
	// height is the node's latest block.
	height int64
	params evaluationtypes.Params
	jobs   []job
	open   map[RoundKey]uint32 // every open round and its current attempt
	// running are the running evaluations, whose final results the
	// sidecar checks against its own.
	running []evaluationtypes.Evaluation
}

// work lists the (evaluation, open round, model) triples to evaluate.
func (c *chain) work(ctx context.Context) (openWork, error) {
	out := openWork{open: map[RoundKey]uint32{}}
	st, err := c.rpc.Status(ctx)
	if err != nil {
		return out, err
	}
	out.height = st.SyncInfo.LatestBlockHeight
	p, err := c.q.Params(ctx, &evaluationtypes.QueryParamsRequest{})
	if err != nil {
		return out, err
	}
	out.params = p.Params
	var key []byte
	for {
		page, err := c.q.Evaluations(ctx, &evaluationtypes.QueryEvaluationsRequest{Pagination: &query.PageRequest{Key: key, Limit: 100}})
		if err != nil {
			return out, err
		}
		for _, e := range page.Evaluations {
			if e.Status != evaluationtypes.EVALUATION_STATUS_RUNNING {
				continue
			}
			out.running = append(out.running, e)
			if err := c.evaluationJobs(ctx, e, &out); err != nil {
				return out, err
			}
		}
		if page.Pagination == nil || len(page.Pagination.NextKey) == 0 {
			return out, nil
		}
		key = page.Pagination.NextKey
	}
}

func (c *chain) evaluationJobs(ctx context.Context, e evaluationtypes.Evaluation, out *openWork) error {
	rounds, err := c.q.Rounds(ctx, &evaluationtypes.QueryRoundsRequest{Id: e.Id})
	if err != nil {
		return err
	}
	var b *evaluationtypes.Benchmark
	var judge *evaluationtypes.Model
	for _, r := range rounds.Rounds {
		// A final round still takes reveals until its participation is
		// accounted: a validator whose reveal missed the block that made
		// the results final still reports (and is credited).
		if r.Status == evaluationtypes.ROUND_STATUS_FINAL && !r.Accounted {
			out.open[RoundKey{e.Id, r.Round}] = r.Attempt
		}
		if r.Status != evaluationtypes.ROUND_STATUS_OPEN {
			continue
		}
		out.open[RoundKey{e.Id, r.Round}] = r.Attempt
		if b == nil {
			res, err := c.q.Benchmark(ctx, &evaluationtypes.QueryBenchmarkRequest{Id: e.BenchmarkId})
			if err != nil {
				return err
			}
			b = &res.Benchmark
			if b.JudgeModelId != 0 {
				m, err := c.q.Model(ctx, &evaluationtypes.QueryModelRequest{Id: b.JudgeModelId})
				if err != nil {
					return err
				}
				judge = &m.Model
			}
		}
		for _, id := range e.ModelIds {
			m, err := c.q.Model(ctx, &evaluationtypes.QueryModelRequest{Id: id})
			if err != nil {
				return err
			}
			out.jobs = append(out.jobs, job{evaluation: e, round: r, benchmark: *b, model: m.Model, judge: judge,
				maxBytes: int64(out.params.MaxArtifactBytes)})
		}
	}
	return nil
}
