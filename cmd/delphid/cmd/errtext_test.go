package cmd

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestErrorText: what the CLI prints for errors as the SDK and cobra make
// them — the chain's message without source paths, gRPC wrapping or gas
// figures; negative numbers and amounts with a denomination in plain words.
func TestErrorText(t *testing.T) {
	for in, want := range map[string]string{
		"rpc error: code = Unknown desc = rpc error: code = Unknown desc = failed to execute message; message index: 0: " +
			"market 99: market not found [github.com/delphi-network/delphi/x/market/keeper/trade.go:43] with gas used: '31000': unknown request": "market 99: market not found",
		"unknown shorthand flag: '5' in -5":  "-5: negative numbers are not accepted (ids, outcomes, shares and amounts are all zero or more)",
		"unknown shorthand flag: '1' in -10": "-10: negative numbers are not accepted (ids, outcomes, shares and amounts are all zero or more)",
		`math/big: cannot unmarshal "5usdc" into a *big.Int: tx parse error: tx parse error`: `"5usdc" is not a whole number: shares and ` +
			`amounts are integers in base units (5000000 for 5 USDC or 5 shares), without a denomination`,
		"evaluation 7:\n  not found": "evaluation 7: not found",
	} {
		require.Equal(t, want, ErrorText(errors.New(in)), in)
	}
}
