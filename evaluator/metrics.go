package evaluator

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"time"
)

// metrics counts the sidecar's work for /healthz and /metrics (Prometheus
// text format).
type metrics struct {
	mu             sync.Mutex
	results        uint64
	abstentions    uint64
	items          uint64
	seconds        float64
	failures       uint64
	chainErrors    uint64
	lastFailures   []string // most recent first, bounded
	lastChainErr   string
	moves          uint64
	disputeErrors  uint64
	lastDisputeErr string
}

const keepFailures = 20

func newMetrics() *metrics { return &metrics{} }

func (m *metrics) done(j job, d time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.results++
	m.items += uint64(j.evaluation.ItemsPerRound)
	m.seconds += d.Seconds()
}

func (m *metrics) abstained() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.abstentions++
}

func (m *metrics) failure(j job, err error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.failures++
	msg := fmt.Sprintf("evaluation %d round %d model %d: %v", j.evaluation.Id, j.round.Round, j.model.Id, err)
	m.lastFailures = append([]string{msg}, m.lastFailures...)
	if len(m.lastFailures) > keepFailures {
		m.lastFailures = m.lastFailures[:keepFailures]
	}
}

func (m *metrics) chainError(err error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.chainErrors++
	m.lastChainErr = err.Error()
}

func (m *metrics) disputeMove() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.moves++
}

func (m *metrics) disputeError(err error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.disputeErrors++
	m.lastDisputeErr = err.Error()
}

// disputeFailures is how many dispute transactions failed, and the last
// error.
func (m *metrics) disputeFailures() (uint64, string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.disputeErrors, m.lastDisputeErr
}

// Health is what /healthz reports.
type Health struct {
	Results        uint64   `json:"results"`
	Abstentions    uint64   `json:"abstentions"`
	Stored         int      `json:"stored"`
	Failures       uint64   `json:"failures"`
	RecentFailures []string `json:"recent_failures"`
	ChainErrors    uint64   `json:"chain_errors"`
	LastChainError string   `json:"last_chain_error,omitempty"`
	// DisputeMoves counts challenges and dispute moves sent for the validator.
	DisputeMoves     uint64 `json:"dispute_moves"`
	DisputeErrors    uint64 `json:"dispute_errors"`
	LastDisputeError string `json:"last_dispute_error,omitempty"`
}

func (s *Sidecar) health() Health {
	m := s.metrics
	m.mu.Lock()
	defer m.mu.Unlock()
	return Health{Results: m.results, Abstentions: m.abstentions, Stored: s.store.Len(), Failures: m.failures,
		RecentFailures: append([]string{}, m.lastFailures...), ChainErrors: m.chainErrors, LastChainError: m.lastChainErr,
		DisputeMoves: m.moves, DisputeErrors: m.disputeErrors, LastDisputeError: m.lastDisputeErr}
}

func (s *Sidecar) healthHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(s.health())
	})
	mux.HandleFunc("/metrics", func(w http.ResponseWriter, _ *http.Request) {
		m := s.metrics
		m.mu.Lock()
		defer m.mu.Unlock()
		w.Header().Set("Content-Type", "text/plain; version=0.0.4")
		fmt.Fprintf(w, "# HELP delphi_evaluator_results_total Results computed.\n# TYPE delphi_evaluator_results_total counter\ndelphi_evaluator_results_total %d\n", m.results)
		fmt.Fprintf(w, "# HELP delphi_evaluator_items_total Benchmark items evaluated.\n# TYPE delphi_evaluator_items_total counter\ndelphi_evaluator_items_total %d\n", m.items)
		fmt.Fprintf(w, "# HELP delphi_evaluator_seconds_total Seconds spent evaluating.\n# TYPE delphi_evaluator_seconds_total counter\ndelphi_evaluator_seconds_total %g\n", m.seconds)
		fmt.Fprintf(w, "# HELP delphi_evaluator_failures_total Evaluations this machine could not run (data, artifact or hash problems).\n# TYPE delphi_evaluator_failures_total counter\ndelphi_evaluator_failures_total %d\n", m.failures)
		fmt.Fprintf(w, "# HELP delphi_evaluator_chain_errors_total Failed reads of the chain.\n# TYPE delphi_evaluator_chain_errors_total counter\ndelphi_evaluator_chain_errors_total %d\n", m.chainErrors)
		fmt.Fprintf(w, "# HELP delphi_evaluator_dispute_moves_total Challenges and dispute moves sent.\n# TYPE delphi_evaluator_dispute_moves_total counter\ndelphi_evaluator_dispute_moves_total %d\n", m.moves)
		fmt.Fprintf(w, "# HELP delphi_evaluator_dispute_errors_total Dispute moves that could not be built or were refused.\n# TYPE delphi_evaluator_dispute_errors_total counter\ndelphi_evaluator_dispute_errors_total %d\n", m.disputeErrors)
	})
	return mux
}
