package types

import (
	"sort"

	errorsmod "cosmossdk.io/errors"
)

// TraceRootLen is the length of a trace Merkle root (SHA-256).
const TraceRootLen = 32

// Limits are the extension bounds of these params, for extensions made at
// height.
func (p Params) Limits(height int64) ExtensionLimits {
	return ExtensionLimits{Height: height, MaxVoteExtensionBytes: p.MaxVoteExtensionBytes,
		MaxResultsPerExtension: p.MaxResultsPerExtension}
}

// DecodeVoteExtension parses and checks a vote extension against the limits
// it was made under: at most MaxVoteExtensionBytes and
// MaxResultsPerExtension, 32-byte trace roots, results in strictly
// increasing (evaluation, round, model) order. An empty extension is valid
// and means "nothing finished". The checks are stateless on purpose:
// VerifyVoteExtension must not depend on a node's local view.
func DecodeVoteExtension(bz []byte, p ExtensionLimits) (VoteExtension, error) {
	var ve VoteExtension
	if len(bz) == 0 {
		return ve, nil
	}
	if len(bz) > int(p.MaxVoteExtensionBytes) {
		return ve, errorsmod.Wrapf(ErrInvalidVoteExtension, "%d bytes, max %d", len(bz), p.MaxVoteExtensionBytes)
	}
	if err := ve.Unmarshal(bz); err != nil {
		return VoteExtension{}, errorsmod.Wrapf(ErrInvalidVoteExtension, "undecodable: %v", err)
	}
	if len(ve.Results) > int(p.MaxResultsPerExtension) {
		return VoteExtension{}, errorsmod.Wrapf(ErrInvalidVoteExtension, "%d results, max %d", len(ve.Results), p.MaxResultsPerExtension)
	}
	for i, r := range ve.Results {
		if len(r.TraceRoot) != TraceRootLen {
			return VoteExtension{}, errorsmod.Wrapf(ErrInvalidVoteExtension, "result %d: trace_root of %d bytes, want %d", i, len(r.TraceRoot), TraceRootLen)
		}
		if r.EvaluationId == 0 || r.ModelId == 0 {
			return VoteExtension{}, errorsmod.Wrapf(ErrInvalidVoteExtension, "result %d: zero evaluation or model id", i)
		}
		if i > 0 && !resultLess(ve.Results[i-1], r) {
			return VoteExtension{}, errorsmod.Wrapf(ErrInvalidVoteExtension, "result %d: not in strictly increasing (evaluation, round, model) order", i)
		}
	}
	return ve, nil
}

func resultLess(a, b *RoundResult) bool {
	if a.EvaluationId != b.EvaluationId {
		return a.EvaluationId < b.EvaluationId
	}
	if a.Round != b.Round {
		return a.Round < b.Round
	}
	return a.ModelId < b.ModelId
}

// EncodeVoteExtension builds the extension a validator attaches from its
// sidecar's results: it drops malformed or duplicate results, sorts them, and
// keeps as many as params allow (count, then bytes), so the output always
// passes DecodeVoteExtension whatever the sidecar sent.
func EncodeVoteExtension(results []*RoundResult, p ExtensionLimits) ([]byte, error) {
	clean := make([]*RoundResult, 0, len(results))
	for _, r := range results {
		if r != nil && len(r.TraceRoot) == TraceRootLen && r.EvaluationId != 0 && r.ModelId != 0 {
			clean = append(clean, r)
		}
	}
	sort.SliceStable(clean, func(i, j int) bool { return resultLess(clean[i], clean[j]) })
	dedup := clean[:0]
	for i, r := range clean {
		if i > 0 && !resultLess(clean[i-1], r) {
			continue
		}
		dedup = append(dedup, r)
	}
	if len(dedup) > int(p.MaxResultsPerExtension) {
		dedup = dedup[:p.MaxResultsPerExtension]
	}
	for {
		if len(dedup) == 0 {
			return []byte{}, nil
		}
		bz, err := (&VoteExtension{Results: dedup}).Marshal()
		if err != nil {
			return nil, err
		}
		if len(bz) <= int(p.MaxVoteExtensionBytes) {
			return bz, nil
		}
		// Over the byte bound: keep the earliest results, which belong to
		// the oldest rounds and so are the most urgent.
		dedup = dedup[:len(dedup)/2]
	}
}
