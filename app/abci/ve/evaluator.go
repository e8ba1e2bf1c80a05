package ve

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/spf13/cast"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	servertypes "github.com/cosmos/cosmos-sdk/server/types"

	evaluatortypes "github.com/delphi-network/delphi/evaluator/types"
	evaluationtypes "github.com/delphi-network/delphi/x/evaluation/types"
)

// EvaluatorConfig is the node's [evaluator] section in app.toml.
type EvaluatorConfig struct {
	Enabled bool          `mapstructure:"enabled"`
	Address string        `mapstructure:"address"`
	Timeout time.Duration `mapstructure:"timeout"`
}

// DefaultEvaluatorConfig talks to a sidecar on the default port, with a
// timeout short enough never to delay a vote noticeably.
func DefaultEvaluatorConfig() EvaluatorConfig {
	return EvaluatorConfig{Enabled: false, Address: "127.0.0.1:26670", Timeout: 500 * time.Millisecond}
}

// EvaluatorConfigTemplate is appended to app.toml's template.
const EvaluatorConfigTemplate = `
###############################################################################
###                         Evaluator sidecar                               ###
###############################################################################

[evaluator]
# Ask the local evaluator sidecar (delphid evaluator start) for results to put
# in vote extensions. Off: this validator extends its votes with nothing.
enabled = {{ .Evaluator.Enabled }}
# The sidecar's gRPC address, on loopback.
address = "{{ .Evaluator.Address }}"
# How long ExtendVote waits for the sidecar before voting without results.
timeout = "{{ .Evaluator.Timeout }}"
`

// ConfigFrom reads the [evaluator] section of app.toml.
func ConfigFrom(opts servertypes.AppOptions) EvaluatorConfig {
	cfg := DefaultEvaluatorConfig()
	if v := opts.Get("evaluator.enabled"); v != nil {
		cfg.Enabled = cast.ToBool(v)
	}
	if v := cast.ToString(opts.Get("evaluator.address")); v != "" {
		cfg.Address = v
	}
	if v := opts.Get("evaluator.timeout"); v != nil {
		if d := cast.ToDuration(v); d > 0 {
			cfg.Timeout = d
		}
	}
	return cfg
}

// EvaluatorClient is the node's narrow view of its sidecar.
type EvaluatorClient interface {
	Results(ctx context.Context, height int64) ([]*evaluationtypes.RoundResult, error)
}

// noEvaluator is the client of a node that runs no sidecar.
type noEvaluator struct{}

func (noEvaluator) Results(context.Context, int64) ([]*evaluationtypes.RoundResult, error) {
	return nil, nil
}

// grpcEvaluator dials the sidecar lazily, so the node starts whether or not
// the sidecar is up, and reconnects on its own.
type grpcEvaluator struct {
	addr string
	once sync.Once
	cl   evaluatortypes.EvaluatorClient
	err  error
}

func (g *grpcEvaluator) Results(ctx context.Context, height int64) ([]*evaluationtypes.RoundResult, error) {
	g.once.Do(func() {
		conn, err := grpc.NewClient(g.addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
		if err != nil {
			g.err = fmt.Errorf("evaluator %s: %w", g.addr, err)
			return
		}
		g.cl = evaluatortypes.NewEvaluatorClient(conn)
	})
	if g.err != nil {
		return nil, g.err
	}
	res, err := g.cl.Results(ctx, &evaluatortypes.ResultsRequest{Height: height})
	if err != nil {
		return nil, err
	}
	return res.Results, nil
}

func newEvaluatorClient(cfg EvaluatorConfig) EvaluatorClient {
	if !cfg.Enabled {
		return noEvaluator{}
	}
	return &grpcEvaluator{addr: cfg.Address}
}
