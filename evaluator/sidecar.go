package evaluator

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"

	"google.golang.org/grpc"

	"github.com/delphi-network/delphi/evaluator/types"
)

// Sidecar is a running evaluator.
type Sidecar struct {
	cfg     Config
	store   *Store
	chain   *chain
	compute *computer
	metrics *metrics

	mu   sync.RWMutex
	open map[RoundKey]uint32
	max  int
}

// New opens the sidecar's store and its connection to the node.
func New(cfg Config) (*Sidecar, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	store, err := OpenStore(cfg.DataDir)
	if err != nil {
		return nil, err
	}
	ch, err := newChain(cfg.NodeRPC)
	if err != nil {
		return nil, err
	}
	return &Sidecar{
		cfg: cfg, store: store, chain: ch,
		compute: &computer{fetch: Fetcher{Schemes: cfg.Schemes, AllowPrivate: cfg.AllowPrivateHosts, Timeout: cfg.FetchTimeout},
			limits: cfg.Limits, models: map[string]*loaded{}},
		metrics: newMetrics(),
		max:     -1,
	}, nil
}

// Run serves the node and follows the chain until ctx ends.
func (s *Sidecar) Run(ctx context.Context) error {
	lis, err := net.Listen("tcp", s.cfg.ListenAddr)
	if err != nil {
		return fmt.Errorf("evaluator listen %s: %w", s.cfg.ListenAddr, err)
	}
	srv := grpc.NewServer()
	types.RegisterEvaluatorServer(srv, resultsServer{s})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); _ = srv.Serve(lis) }()
	var health *http.Server
	if s.cfg.HealthAddr != "" {
		health = &http.Server{Addr: s.cfg.HealthAddr, Handler: s.healthHandler(), ReadHeaderTimeout: 5 * time.Second}
		hl, err := net.Listen("tcp", s.cfg.HealthAddr)
		if err != nil {
			srv.Stop()
			return fmt.Errorf("evaluator health listen %s: %w", s.cfg.HealthAddr, err)
		}
		wg.Add(1)
		go func() { defer wg.Done(); _ = health.Serve(hl) }()
	}
	defer func() {
		srv.Stop()
		if health != nil {
			_ = health.Close()
		}
		wg.Wait()
	}()

	ticker := time.NewTicker(s.cfg.PollInterval)
	defer ticker.Stop()
	for {
		s.poll(ctx)
		select {
		case <-ctx.Done():
			return nil
		case <-ticker.C:
		}
	}
}

// poll reads the open rounds and evaluates what is not stored yet, one job
// at a time: the runtime already uses every core for one evaluation.
func (s *Sidecar) poll(ctx context.Context) {
	w, err := s.chain.work(ctx)
	if err != nil {
		s.metrics.chainError(err)
		return
	}
	s.mu.Lock()
	s.open, s.max = w.open, int(w.params.MaxResultsPerExtension)
	s.mu.Unlock()
	for _, j := range w.jobs {
		if ctx.Err() != nil {
			return
		}
		if s.store.Has(j.evaluation.Id, j.round.Round, j.round.Attempt, j.model.Id) {
			continue
		}
		start := time.Now()
		res, err := s.compute.run(ctx, j)
		if err != nil {
			s.metrics.failure(j, err)
			continue
		}
		if err := s.store.Put(res); err != nil {
			s.metrics.failure(j, err)
			continue
		}
		s.metrics.done(j, time.Since(start))
	}
}

type resultsServer struct{ s *Sidecar }

func (r resultsServer) Results(context.Context, *types.ResultsRequest) (*types.ResultsResponse, error) {
	r.s.mu.RLock()
	open, max := r.s.open, r.s.max
	r.s.mu.RUnlock()
	if open == nil {
		return nil, errors.New("not synced with the chain yet")
	}
	return &types.ResultsResponse{Results: r.s.store.Select(open, max)}, nil
}
