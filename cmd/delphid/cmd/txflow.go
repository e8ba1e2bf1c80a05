package cmd

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"sigs.k8s.io/yaml"

	"github.com/spf13/cobra"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/client/flags"
	sdk "github.com/cosmos/cosmos-sdk/types"
	authtx "github.com/cosmos/cosmos-sdk/x/auth/tx"
)

// Flags every transaction command gets (txFlow).
const (
	flagNoWait      = "no-wait"
	flagWaitTimeout = "wait-timeout"
)

// txFlow makes every transaction command under tx tell the truth about
// what the chain did with it:
//   - it simulates first (--gas auto by default, with a 1.5 margin), so a
//     transaction the chain would refuse — an unknown market, a slippage
//     limit, a closed market, funds short — fails before it is signed, with
//     the chain's message;
//   - after broadcasting it waits until the transaction is in a block
//     (--no-wait returns at once) and prints the result from the block;
//   - a non-zero code, at broadcast or in the block, exits non-zero with
//     the chain's log.
//
// Waiting also keeps two quick transactions from the same key apart: the
// second is signed once the first is in a block, with the next sequence.
func txFlow(tx *cobra.Command) {
	walkLeaves(tx, func(c *cobra.Command) {
		if c.RunE == nil || c.Flags().Lookup(flags.FlagBroadcastMode) == nil {
			return
		}
		if gas := c.Flags().Lookup(flags.FlagGas); gas != nil {
			gas.DefValue = flags.GasFlagAuto
			_ = gas.Value.Set(flags.GasFlagAuto)
			gas.Usage = `gas limit; "auto" simulates the transaction first (a transaction the chain would refuse fails here, ` +
				`with its reason) and sets the estimate times --gas-adjustment; a number skips the simulation`
		}
		if adj := c.Flags().Lookup(flags.FlagGasAdjustment); adj != nil {
			adj.DefValue = "1.5"
			_ = adj.Value.Set("1.5")
		}
		c.Flags().Bool(flagNoWait, false, "return once the node accepted the transaction, without waiting for a block")
		c.Flags().Duration(flagWaitTimeout, 60*time.Second, "how long to wait for the transaction to be in a block")
		run := c.RunE
		c.RunE = func(cmd *cobra.Command, args []string) error {
			// Offline there is nothing to simulate with, and an unsigned
			// transaction (--generate-only, for a multisig, say) is built
			// without the node and the signer's key.
			offline, _ := cmd.Flags().GetBool(flags.FlagOffline)
			generate, _ := cmd.Flags().GetBool(flags.FlagGenerateOnly)
			if (offline || generate) && !cmd.Flags().Changed(flags.FlagGas) {
				_ = cmd.Flags().Set(flags.FlagGas, "")
			}
			out := cmd.OutOrStdout()
			held := &holdResponse{out: out}
			cmd.SetOut(held)
			defer cmd.SetOut(out)
			// The context as the pre-run left it: no second keyring (a file
			// keyring would ask for its passphrase again).
			if err := client.SetCmdClientContext(cmd, client.GetClientContextFromCmd(cmd).WithOutput(held)); err != nil {
				return err
			}
			if err := run(cmd, args); err != nil {
				return err
			}
			if held.response == nil {
				return nil
			}
			return settle(cmd, out, held.response)
		}
	})
}

// settle prints the transaction's outcome and fails on a non-zero code:
// the broadcast result, or (unless --no-wait) the one from its block.
func settle(cmd *cobra.Command, out io.Writer, raw []byte) error {
	ctx := client.GetClientContextFromCmd(cmd)
	asJSON := bytes.TrimSpace(raw)
	if len(asJSON) > 0 && asJSON[0] != '{' { // --output text: YAML
		var err error
		if asJSON, err = yaml.YAMLToJSON(asJSON); err != nil {
			asJSON = nil
		}
	}
	printRaw := func() error {
		_, err := out.Write(append(bytes.TrimRight(raw, "\n"), '\n'))
		return err
	}
	var res sdk.TxResponse
	if err := ctx.Codec.UnmarshalJSON(asJSON, &res); err != nil || res.TxHash == "" {
		return printRaw() // not a response this flow knows: as it came
	}
	noWait, _ := cmd.Flags().GetBool(flagNoWait)
	// Async broadcasting asked not to wait even for CheckTx.
	if mode, _ := cmd.Flags().GetString(flags.FlagBroadcastMode); mode == flags.BroadcastAsync {
		noWait = true
	}
	if res.Code != 0 || noWait {
		if err := printRaw(); err != nil {
			return err
		}
		if res.Code != 0 {
			return fmt.Errorf("the node refused transaction %s (code %d): %s", res.TxHash, res.Code, res.RawLog)
		}
		return nil
	}
	timeout, _ := cmd.Flags().GetDuration(flagWaitTimeout)
	final, err := waitForBlock(cmd.Context(), ctx, res.TxHash, timeout)
	if err != nil {
		return err
	}
	if err := ctx.WithOutput(out).PrintProto(final); err != nil {
		return err
	}
	if final.Code != 0 {
		return fmt.Errorf("transaction %s failed in block %d (code %d): %s", final.TxHash, final.Height, final.Code, final.RawLog)
	}
	return nil
}

// waitForBlock polls the node until the transaction is in a block.
func waitForBlock(parent context.Context, ctx client.Context, hash string, timeout time.Duration) (*sdk.TxResponse, error) {
	if parent == nil {
		parent = context.Background()
	}
	wait, cancel := context.WithTimeout(parent, timeout)
	defer cancel()
	tick := time.NewTicker(300 * time.Millisecond)
	defer tick.Stop()
	for {
		res, err := authtx.QueryTx(ctx, hash)
		if err == nil {
			return res, nil
		}
		// Only "not found" means not yet; the node may not index
		// transactions at all, or be gone.
		if !strings.Contains(err.Error(), "not found") {
			return nil, fmt.Errorf("transaction %s was accepted, but the node cannot say whether it is in a block: %w", hash, err)
		}
		select {
		case <-wait.Done():
			return nil, fmt.Errorf("transaction %s is not in a block after %s (it may still be: delphid q tx %s): %w",
				hash, timeout, hash, err)
		case <-tick.C:
		}
	}
}

// holdResponse passes a command's output through, except a transaction
// response (one write with a txhash, as JSON or as --output text's YAML),
// which it keeps for settle.
type holdResponse struct {
	out      io.Writer
	response []byte
}

func (h *holdResponse) Write(p []byte) (int, error) {
	t := bytes.TrimSpace(p)
	json := len(t) > 0 && t[0] == '{' && bytes.Contains(t, []byte(`"txhash"`))
	text := bytes.HasPrefix(t, []byte("txhash: ")) || bytes.Contains(t, []byte("\ntxhash: "))
	if json || text {
		h.response = append([]byte(nil), p...)
		return len(p), nil
	}
	if h.response != nil && len(t) == 0 {
		return len(p), nil // the newline after the held response
	}
	return h.out.Write(p)
}

// walkLeaves calls f on every runnable command under c.
func walkLeaves(c *cobra.Command, f func(*cobra.Command)) {
	for _, sub := range c.Commands() {
		walkLeaves(sub, f)
	}
	if !c.HasSubCommands() {
		f(c)
	}
}
