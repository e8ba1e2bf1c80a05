package cmd

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/client/flags"

	markettypes "github.com/delphi-network/delphi/x/market/types"
)

// outcomeArgs are the commands that take an outcome, with the position of
// the market id and of the outcome among their arguments.
var outcomeArgs = map[string][2]int{
	"tx market buy":      {0, 1},
	"tx market buy-for":  {0, 1},
	"tx market sell":     {0, 1},
	"query market quote": {0, 2},
}

// outcomeNames lets the trade commands take an outcome the way a trader
// knows it: the model's registered name ("zoo-cnn"), "model:ID" for its
// registry id (exact: names need not be unique), or (as the chain stores
// it) the 0-based index into the market's model_ids. Every form is checked
// against the market on the node and becomes the index the message
// carries; offline (--offline, --generate-only) only the index works.
func outcomeNames(root *cobra.Command) {
	walkLeaves(root, func(c *cobra.Command) {
		path := strings.TrimPrefix(c.CommandPath(), root.Name()+" ")
		at, ok := outcomeArgs[path]
		if !ok || c.RunE == nil {
			return
		}
		run := c.RunE
		c.RunE = func(cmd *cobra.Command, args []string) error {
			if len(args) <= at[1] {
				return run(cmd, args)
			}
			offline, _ := cmd.Flags().GetBool(flags.FlagOffline)
			generate, _ := cmd.Flags().GetBool(flags.FlagGenerateOnly)
			if isIndex(args[at[1]]) && (offline || generate) {
				return run(cmd, args) // an index needs no node
			}
			marketID, err := strconv.ParseUint(args[at[0]], 10, 64)
			if err != nil {
				return fmt.Errorf("market id %q is not a whole number", args[at[0]])
			}
			ctx, err := client.GetClientQueryContext(cmd)
			if err != nil {
				return err
			}
			res, err := markettypes.NewQueryClient(ctx).Market(cmd.Context(), &markettypes.QueryMarketRequest{MarketId: marketID})
			if err != nil {
				if isIndex(args[at[1]]) {
					return run(cmd, args) // the command reports the node's error itself
				}
				return fmt.Errorf("an outcome by name needs the node (use the 0-based index offline): %w", err)
			}
			index, err := outcomeIndex(res, args[at[1]])
			if err != nil {
				return err
			}
			args = append([]string(nil), args...)
			args[at[1]] = strconv.Itoa(index)
			return run(cmd, args)
		}
	})
}

// isIndex reports whether an outcome argument is a bare index.
func isIndex(s string) bool {
	_, err := strconv.ParseUint(s, 10, 32)
	return err == nil
}

// outcomeIndex finds the outcome an index, a name or "model:ID" means in
// a market. Registered names may be digits: a number that is one outcome's
// index and another's name is refused, or a market built to confuse the
// two would trade the wrong model.
func outcomeIndex(res *markettypes.QueryMarketResponse, arg string) (int, error) {
	m := res.Market
	if isIndex(arg) {
		i, _ := strconv.Atoi(arg)
		for j, name := range res.ModelNames {
			if name == arg && j != i {
				return 0, fmt.Errorf("outcome %q of market %d is ambiguous: outcome %d is the model named %q; name it by model:ID: %s",
					arg, m.Id, j, arg, listOutcomes(res))
			}
		}
		return i, nil
	}
	if idText, ok := strings.CutPrefix(arg, "model:"); ok {
		id, err := strconv.ParseUint(idText, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("outcome %q: a model id is a whole number", arg)
		}
		for i, mid := range m.ModelIds {
			if mid == id {
				return i, nil
			}
		}
		return 0, fmt.Errorf("model %d is not an outcome of market %d; its outcomes: %s", id, m.Id, listOutcomes(res))
	}
	found := -1
	for i, name := range res.ModelNames {
		if name != arg {
			continue
		}
		if found >= 0 {
			return 0, fmt.Errorf("two outcomes of market %d are models named %q; name one by model:ID or its index: %s",
				m.Id, arg, listOutcomes(res))
		}
		found = i
	}
	if found < 0 {
		return 0, fmt.Errorf("market %d has no model named %q; its outcomes: %s", m.Id, arg, listOutcomes(res))
	}
	return found, nil
}

// listOutcomes lists a market's outcomes as "0 = name (model:ID)".
func listOutcomes(res *markettypes.QueryMarketResponse) string {
	parts := make([]string, len(res.Market.ModelIds))
	for i, id := range res.Market.ModelIds {
		name := ""
		if i < len(res.ModelNames) {
			name = res.ModelNames[i]
		}
		parts[i] = fmt.Sprintf("%d = %s (model:%d)", i, name, id)
	}
	return strings.Join(parts, ", ")
}
