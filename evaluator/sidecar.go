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
	"github.com/delphi-network/delphi/runtime/llm"
	evaluationtypes "github.com/delphi-network/delphi/x/evaluation/types"
)

// Sidecar is a running evaluator.
type Sidecar struct {
	cfg     Config
	store   *Store
	chain   *chain
	compute *computer
	metrics *metrics
	signer  *signer
	// sent remembers dispute moves accepted into the mempool (poll loop only).
	sent map[string]bool

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
	var sg *signer
	if cfg.Signer != nil {
		if sg, err = newSigner(*cfg.Signer, ch.rpc); err != nil {
			return nil, err
		}
	}
	return &Sidecar{
		cfg: cfg, store: store, chain: ch, signer: sg, sent: map[string]bool{},
		compute: &computer{
			artifacts: newArtifacts(Fetcher{Schemes: cfg.Schemes, AllowPrivate: cfg.AllowPrivateHosts, Timeout: cfg.FetchTimeout}, cfg.ArtifactDir),
			limits:    cfg.Limits, texts: map[string]*llm.TextBench{}, fault: cfg.Fault,
		},
		metrics: newMetrics(),
		max:     -1,
	}, nil
}

// Run serves the node and follows the chain until ctx ends.
func (s *Sidecar) Run(ctx context.Context) error {
	if s.cfg.Fault != nil {
		if err := s.checkTestChain(ctx); err != nil {
			return err
		}
	}
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
		if s.poll(ctx) {
			continue // it evaluated something: read the chain again at once
		}
		select {
		case <-ctx.Done():
			return nil
		case <-ticker.C:
		}
	}
}

// poll reads the open rounds, plays its disputes and evaluates at most one
// job that is not stored yet, and says whether it did: the runtime already
// uses every core for one evaluation, and after one (which may take long)
// the chain is read again, so the next job and the decision to abstain
// see the current height. Artifacts are fetched beside the loop
// (artifacts.go): a job whose artifact is not here yet is passed over.
func (s *Sidecar) poll(ctx context.Context) bool {
	w, err := s.chain.work(ctx)
	if err != nil {
		s.metrics.chainError(err)
		return false
	}
	s.mu.Lock()
	s.open, s.max = w.open, int(w.params.MaxResultsPerExtension)
	s.mu.Unlock()
	s.defend(ctx, w.running)
	return s.evaluate(ctx, w.jobs, w.height)
}

// evaluate runs the first job of jobs that is not stored and whose
// artifacts are here, at chain height `height`, and says whether it ran
// one. It starts the downloads of every job first, so they run while it
// evaluates. On the way it abstains from the jobs whose artifacts are
// unavailable (failed, or still being fetched) when their commit window is
// about to close.
func (s *Sidecar) evaluate(ctx context.Context, jobs []job, height int64) bool {
	for _, j := range jobs {
		if !s.store.Has(j.evaluation.Id, j.round.Round, j.round.Attempt, j.model.Id) {
			s.compute.prefetch(ctx, j)
		}
	}
	for _, j := range jobs {
		if ctx.Err() != nil {
			return false
		}
		if s.store.Has(j.evaluation.Id, j.round.Round, j.round.Attempt, j.model.Id) {
			continue
		}
		start := time.Now()
		res, tr, err := s.compute.run(ctx, j)
		if err != nil {
			if !errors.Is(err, errFetching) {
				s.metrics.failure(j, err)
			}
			if abstain(err, j.round, height) {
				if err := s.store.Put(evaluationtypes.Abstention(j.evaluation.Id, j.round.Round, j.round.Attempt, j.model.Id)); err != nil {
					s.metrics.failure(j, err)
					continue
				}
				s.metrics.abstained()
			}
			continue
		}
		// A store that fails is this machine's trouble: wait for the next
		// tick rather than evaluate again at once.
		if tr != nil {
			if err := s.store.PutTrace(res, tr); err != nil {
				s.metrics.failure(j, err)
				return false
			}
		}
		if err := s.store.Put(res); err != nil {
			s.metrics.failure(j, err)
			return false
		}
		s.metrics.done(j, time.Since(start))
		return true
	}
	return false
}

// abstain says whether to give up on a model and report an abstention:
// its artifact was unavailable to this validator (errUnavailable: failed,
// or still being fetched) and the
// round's commit window is about to close (the node's next two extensions
// are the last that can commit). An abstention is a report, so the validator
// is not counted as missing the round for a failure that is not its own;
// it is no claim and earns nothing. A failure of its own (its benchmark
// data missing or wrong) gets no abstention.
func abstain(err error, r evaluationtypes.Round, height int64) bool {
	return errors.Is(err, errUnavailable) && r.Phase == evaluationtypes.ROUND_PHASE_COMMIT && height+3 >= r.CommitDeadline
}

// checkTestChain refuses the fault option on anything but a local test
// chain, waiting for the node to answer.
func (s *Sidecar) checkTestChain(ctx context.Context) error {
	for {
		st, err := s.chain.rpc.Status(ctx)
		if err == nil {
			if id := st.NodeInfo.Network; !IsTestChain(id) {
				return fmt.Errorf("the fault option is for local test chains only; the node runs %q", id)
			}
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(s.cfg.PollInterval):
		}
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
