package app_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/delphi-network/delphi/app"
)

func TestValidateChainID(t *testing.T) {
	for id, ok := range map[string]bool{
		"delphi-1":       true,
		"delphi_local.2": true,
		"":               false,
		"has space":      false,
		"-leading-dash":  false,
		"emoji-🙂":        false,
		"a-very-long-chain-id-that-is-over-fifty-bytes-long-x": false,
	} {
		err := app.ValidateChainID(id)
		if ok {
			require.NoError(t, err, id)
		} else {
			require.ErrorContains(t, err, "invalid chain id", id)
		}
	}
}

func TestValidateGenesisRejectsUnknownDenoms(t *testing.T) {
	a := newApp(t, "delphi-denoms")
	for name, tc := range map[string]struct {
		module, from, to, where string
	}{
		"bond denom": {"staking", `"udelphi"`, `"stake"`, "staking.params.bond_denom"},
		"mint denom": {"mint", `"mint_denom":"udelphi"`, `"mint_denom":"uatom"`, "mint.params.mint_denom"},
		"gov deposit": {"gov", `"min_deposit":[{"denom":"udelphi"`, `"min_deposit":[{"denom":"ufoo"`,
			"gov.params.min_deposit"},
	} {
		t.Run(name, func(t *testing.T) {
			gen := a.DefaultGenesis()
			raw := string(gen[tc.module])
			require.Contains(t, raw, tc.from)
			// Every occurrence, so the module's own checks (fee denom equals bond
			// denom) still pass and only the unknown denomination is wrong.
			gen[tc.module] = json.RawMessage(strings.ReplaceAll(raw, tc.from, tc.to))
			err := a.ValidateGenesis(mustJSON(t, gen))
			require.ErrorContains(t, err, "unknown denom")
			require.ErrorContains(t, err, tc.where)
		})
	}
	require.ErrorContains(t, a.ValidateGenesis([]byte("{not json")), "not valid JSON")
}
