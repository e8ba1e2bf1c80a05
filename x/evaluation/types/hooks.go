package types

import "context"

// EvaluationHooks lets another module (x/market) react when an evaluation
// ends. An error aborts the block's state change, so hooks must only fail on
// a broken invariant.
type EvaluationHooks interface {
	// AfterEvaluationFinalized is called once, with the standings best first.
	AfterEvaluationFinalized(ctx context.Context, evaluationID uint64, standings []Standing) error
	// AfterEvaluationFailed is called once when an evaluation fails.
	AfterEvaluationFailed(ctx context.Context, evaluationID uint64) error
}
