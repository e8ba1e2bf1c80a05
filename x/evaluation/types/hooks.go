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

// Claim is one set of values a group of validators reported for a result.
type Claim struct {
	Correct   uint64
	TraceRoot string // hex
	Leaves    uint64
	// Validators are the consensus addresses (hex) that reported it.
	Validators []string
}

// DisputeKeeper is x/verde as x/evaluation sees it: a final result that
// other validators contradicted is contested, and an evaluation does not
// finalize while a dispute about it is open.
type DisputeKeeper interface {
	// ContestResult opens a dispute between the final result and a
	// dissenting claim.
	ContestResult(ctx context.Context, res Result, dissent Claim) error
	// HasOpenDisputes reports whether a dispute about the evaluation is open.
	HasOpenDisputes(ctx context.Context, evaluationID uint64) (bool, error)
}
