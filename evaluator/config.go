// Package evaluator is the sidecar every validator runs beside its node
// (`delphid evaluator start`): it follows the chain's open rounds, evaluates
// every model on the round's items with the deterministic runtime, keeps the
// results on disk and serves them to its node over gRPC for vote extensions.
package evaluator

import (
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/delphi-network/delphi/runtime"
)

// Config configures a sidecar.
type Config struct {
	// NodeRPC is the CometBFT RPC address of the validator's node.
	NodeRPC string
	// ListenAddr is where the Evaluator gRPC service listens (loopback).
	ListenAddr string
	// HealthAddr serves /healthz and /metrics over HTTP (loopback); empty: off.
	HealthAddr string
	// DataDir keeps results across restarts.
	DataDir string
	// PollInterval is how often the chain is read.
	PollInterval time.Duration
	// Schemes are the artifact URI schemes the sidecar fetches.
	Schemes []string
	// AllowPrivateHosts lets http(s) artifacts live on loopback or private
	// addresses: only for local networks.
	AllowPrivateHosts bool
	// FetchTimeout bounds one artifact's download, all its URIs together.
	FetchTimeout time.Duration
	// ArtifactDir, when set, holds artifacts named by their SHA-256 (hex):
	// read before the registered URIs and filled after each download. An
	// operator whose sidecar is refused an artifact the rest of the chain
	// gets can place the file there; a restart downloads nothing again.
	ArtifactDir string
	// Limits bound what a model may ask of this machine.
	Limits runtime.Limits
	// Signer, when set, lets the sidecar play Verde disputes for its
	// validator: challenge results that contradict its own, reveal leaves,
	// justify operators. Without it the sidecar only reports results.
	Signer *SignerConfig
	// Fault, when set, makes the sidecar byzantine on purpose (tests and
	// demos): it is refused unless the node's chain is a local test chain.
	Fault *Fault
}

// Fault falsifies every run, of every model or only of model Model: the
// hash of trace leaf Leaf (or the last leaf, if the trace is shorter), or
// with WrongScore the reported score (one less, or 1 for 0) over the honest
// trace.
type Fault struct {
	Leaf       int
	Model      uint64
	WrongScore bool
}

// IsTestChain reports whether a chain id names a local test chain, the
// only kind a faulty sidecar may join.
func IsTestChain(chainID string) bool {
	for _, p := range []string{"delphi-test", "delphi-localnet", "delphi-demo", "delphi-cli", "delphi-e2e"} {
		if strings.HasPrefix(chainID, p) {
			return true
		}
	}
	return false
}

// DefaultConfig is a sidecar for a node on the default local ports.
func DefaultConfig() Config {
	return Config{
		NodeRPC:      "tcp://127.0.0.1:26657",
		ListenAddr:   "127.0.0.1:26670",
		HealthAddr:   "127.0.0.1:26671",
		DataDir:      "evaluator",
		PollInterval: 500 * time.Millisecond,
		Schemes:      []string{"file", "http", "https"},
		FetchTimeout: 60 * time.Second,
		Limits:       runtime.DefaultLimits(),
	}
}

// Validate checks the config; both listeners must be on loopback.
func (c Config) Validate() error {
	for name, addr := range map[string]string{"listen address": c.ListenAddr, "health address": c.HealthAddr} {
		if addr == "" && name == "health address" {
			continue
		}
		host, _, err := net.SplitHostPort(addr)
		if err != nil {
			return fmt.Errorf("%s %q: %w", name, addr, err)
		}
		if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
			return fmt.Errorf("%s %q: the sidecar serves only its own node, on a loopback address", name, addr)
		}
	}
	if c.DataDir == "" {
		return fmt.Errorf("data dir is required")
	}
	if c.PollInterval <= 0 {
		return fmt.Errorf("poll interval must be positive")
	}
	return nil
}
