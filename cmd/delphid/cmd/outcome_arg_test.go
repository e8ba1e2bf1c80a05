package cmd

import (
	"testing"

	"github.com/stretchr/testify/require"

	markettypes "github.com/delphi-network/delphi/x/market/types"
)

// TestOutcomeArgumentsMeanOneModel: a name, model:ID or an index each name
// one outcome; a number that is one outcome's index and another's
// registered name is refused instead of trading either.
func TestOutcomeArgumentsMeanOneModel(t *testing.T) {
	res := &markettypes.QueryMarketResponse{
		Market:     markettypes.Market{Id: 5, ModelIds: []uint64{7, 9, 11}},
		ModelNames: []string{"1", "0", "zoo-cnn"},
	}
	for arg, want := range map[string]int{"zoo-cnn": 2, "model:9": 1, "model:7": 0, "2": 2} {
		got, err := outcomeIndex(res, arg)
		require.NoError(t, err, arg)
		require.Equal(t, want, got, arg)
	}
	for arg, msg := range map[string]string{
		"0":        `outcome "0" of market 5 is ambiguous: outcome 1 is the model named "0"`,
		"1":        `outcome "1" of market 5 is ambiguous: outcome 0 is the model named "1"`,
		"zoo-gpt":  `market 5 has no model named "zoo-gpt"; its outcomes: 0 = 1 (model:7), 1 = 0 (model:9), 2 = zoo-cnn (model:11)`,
		"model:8":  "model 8 is not an outcome of market 5",
		"model:x1": "a model id is a whole number",
	} {
		_, err := outcomeIndex(res, arg)
		require.ErrorContains(t, err, msg, arg)
	}
	twice := &markettypes.QueryMarketResponse{Market: markettypes.Market{Id: 6, ModelIds: []uint64{1, 2}}, ModelNames: []string{"mlp", "mlp"}}
	_, err := outcomeIndex(twice, "mlp")
	require.ErrorContains(t, err, "two outcomes of market 6 are models named")
}
