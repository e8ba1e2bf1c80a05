package app_test

import (
	"os"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestSimulationLong: 24,000 operations of x/evaluation, x/market and
// x/vault tried as signed transactions over 800 blocks — registrations,
// evaluations failing at their deadlines, markets created, traded,
// invalidated and redeemed, vaults funding markets, deposits, queued
// withdrawals, baskets — at least 10,000 of them applied (21,358 for seed
// 7; the rest find nothing to act on, such as no open market or a position
// already sold). Every invariant is checked after every
// block; at the end the state is exported and imported into a fresh app
// byte for byte. `make sim` runs it (CI does); DELPHI_SIM_SEED picks the
// seed.
func TestSimulationLong(t *testing.T) {
	if os.Getenv("DELPHI_SIM") == "" {
		t.Skip("the long simulation: make sim")
	}
	seed := int64(7)
	if s := os.Getenv("DELPHI_SIM_SEED"); s != "" {
		v, err := strconv.ParseInt(s, 10, 64)
		require.NoError(t, err)
		seed = v
	}
	a := simulateMarket(t, seed, 800, 30)
	require.GreaterOrEqual(t, simApplied, 10_000, "operations applied")
	requireReimportsByteForByte(t, a)
}
