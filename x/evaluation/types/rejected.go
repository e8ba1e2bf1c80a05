package types

import (
	"crypto/sha256"
	"encoding/hex"
)

// rejectDomain names the deterministic result of a model the runtime
// refuses (an unsupported operator, broken bounds): every validator
// refuses it alike, so every honest one reports the same claim, the
// rejection of that model.
const rejectDomain = "delphi/evaluator/rejected-model/v1"

// RejectedRoot is the trace root reported for a model the runtime refuses:
// SHA-256(domain ‖ the model's weights SHA-256, hex). The claim is 0
// correct and 1 leaf. It is no Merkle root of any leaf, so it cannot be
// bisected: a dispute about it could not be played by either side.
func RejectedRoot(modelSHA256 string) []byte {
	sum := sha256.Sum256([]byte(rejectDomain + modelSHA256))
	return sum[:]
}

// IsRejection says whether a claim's trace root (hex) is the rejection of
// the model with that weights SHA-256.
func IsRejection(traceRoot, modelSHA256 string) bool {
	return traceRoot == hex.EncodeToString(RejectedRoot(modelSHA256))
}
