package cmd

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/client/flags"

	"github.com/delphi-network/delphi/evaluator"
	"github.com/delphi-network/delphi/runtime"
)

// verifyCmd re-runs a chain's final results from public data.
func verifyCmd() *cobra.Command {
	// http(s) only by default: a file:// URI names a path on this machine,
	// which a registrant chooses (--schemes file,http,https for a local
	// network whose artifacts are files).
	cfg := evaluator.VerifyConfig{Schemes: []string{"http", "https"}, FetchTimeout: 60 * time.Second, Limits: runtime.DefaultLimits()}
	var asJSON, challenge bool
	var from, backend, chainID string
	var wait time.Duration
	var traces string
	cmd := &cobra.Command{
		Use:   "verify",
		Short: "Check a round, an evaluation or a market against the models themselves, from public data only",
		Long: `verify reads from a node the benchmark, the round's seed and items, each model's registered artifact
(URIs, SHA-256, weight root, format, system prompt, judge) and the final results; it fetches every
artifact with the evaluator's rules (scheme allow-list, size cap, hash checked before parsing), re-runs
each model on exactly the round's items with the same deterministic runtime as a validator's sidecar,
and compares score, trace root and leaves with the chain's result. It prints match or MISMATCH per
(round, model), the standings the local run implies against the chain's and, for a market, whether
its settlement follows. It exits 0 only when everything final matches; rounds not final yet are
listed as pending. A mismatch in an evaluation still running prints the challenge command that
disputes it; with --challenge --from KEY, verify sends those challenges (escrowing the challenger
bond unless KEY is a bonded validator's) and plays the disputes to their end as a sidecar does — it
holds the traces of its own runs. The node is --node, or the client config of --home; every query
reads one height (--height, or the node's latest block), printed with the report.

Exit status: 0 every final result matches and the standings and settlement follow; 1 verify could
not run (bad arguments, an unknown id, the node unreachable); 2 nothing wrong found, but not
everything could be checked (an artifact unavailable or not the registered bytes, no final round);
3 a mismatch: the chain's results, standings or settlement do not follow from the models.`,
	}
	run := func(c *cobra.Command, verify func(ctx context.Context, v *evaluator.Verifier, progress evaluator.Progress) (evaluator.Report, error)) error {
		cctx, err := client.GetClientQueryContext(c)
		if err != nil {
			return err
		}
		cfg.NodeRPC, cfg.Height = cctx.NodeURI, cctx.Height
		if cfg.NodeRPC == "" {
			return errors.New("no node: give --node or a --home whose client config names one")
		}
		v, err := evaluator.NewVerifier(cfg)
		if err != nil {
			return err
		}
		if chainID == "" {
			chainID = cctx.ChainID
		}
		if !c.Flags().Changed("keyring-backend") && cctx.Keyring != nil {
			backend = cctx.Keyring.Backend()
		}
		signer := evaluator.SignerConfig{KeyName: from, KeyringDir: cctx.HomeDir, KeyringBackend: backend, ChainID: chainID}
		if challenge {
			if from == "" {
				return errors.New("--challenge needs --from: the key that signs the challenge and the dispute moves")
			}
			if cfg.Height != 0 {
				return errors.New("--challenge disputes the chain's current state: leave out --height")
			}
			if err := v.PrepareChallenge(signer); err != nil {
				return err
			}
			dir, err := os.MkdirTemp("", "delphi-verify-traces-")
			if err != nil {
				return err
			}
			traces = dir
			if err := v.KeepTraces(dir); err != nil {
				return err
			}
		}
		var progress evaluator.Progress
		if fi, err := os.Stderr.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 && !asJSON {
			var items uint64
			progress = func(done, total int, f evaluator.Finding) {
				items += uint64(f.Items)
				fmt.Fprintf(os.Stderr, "\r%d/%d results, %d items (round %d, %s: %s)   ", done, total, items, f.Round, f.ModelName, f.Verdict)
				if done == total {
					fmt.Fprintln(os.Stderr)
				}
			}
		}
		rep, err := verify(c.Context(), v, progress)
		if err != nil {
			return err
		}
		out := c.OutOrStdout()
		if asJSON {
			if err := writeJSON(out, rep); err != nil {
				return err
			}
		} else {
			bond, _ := v.ChallengeBond(c.Context())
			printReport(out, rep, bond)
		}
		if rep.Disputable() && challenge {
			ctx, cancel := context.WithTimeout(c.Context(), wait)
			defer cancel()
			fmt.Fprintf(c.ErrOrStderr(), "challenging with %s and playing the disputes (at most %s)\n", from, wait)
			if err := v.Challenge(ctx, rep, signer, c.ErrOrStderr()); err != nil {
				return &ExitError{Code: exitMismatch, Err: fmt.Errorf("%w; a dispute may still be open and need your moves: the traces are kept in %s", err, traces)}
			}
			os.RemoveAll(traces)
		} else if challenge {
			os.RemoveAll(traces)
			if rep.Mismatched() {
				fmt.Fprintln(c.ErrOrStderr(), "nothing to challenge: no mismatching result is inside its challenge window")
			}
		}
		switch {
		case rep.Mismatched():
			return &ExitError{Code: exitMismatch, Err: errors.New("verification failed: the chain's results do not all follow from the models (see above)")}
		case !rep.OK:
			return &ExitError{Code: exitUnverified, Err: errors.New("not verified: some results could not be re-run and compared (see above)")}
		}
		return nil
	}
	flagsOf := func(c *cobra.Command) {
		f := c.Flags()
		flags.AddQueryFlagsToCmd(c)
		f.BoolVar(&asJSON, "json", false, "print the report as JSON")
		f.StringVar(&cfg.ArtifactDir, "artifact-dir", defaultArtifactDir(), "cache of artifacts by SHA-256 (empty: memory only)")
		f.StringSliceVar(&cfg.Schemes, "schemes", cfg.Schemes, "artifact URI schemes to fetch (file only for local networks)")
		f.BoolVar(&cfg.AllowPrivateHosts, "allow-private-hosts", false, "fetch http(s) artifacts from loopback or private addresses (local networks only)")
		f.DurationVar(&cfg.FetchTimeout, "fetch-timeout", cfg.FetchTimeout, "bound on one artifact's download")
		f.BoolVar(&challenge, "challenge", false, "dispute every mismatching result still open to a challenge, and play the disputes")
		f.StringVar(&from, "from", "", "key (in --home's keyring) that signs the challenges and dispute moves")
		f.StringVar(&backend, "keyring-backend", "test", "keyring backend of --from")
		f.StringVar(&chainID, "chain-id", "", "chain id for signing (default: the client config's)")
		f.DurationVar(&wait, "challenge-timeout", 10*time.Minute, "how long to play the disputes before giving up")
	}
	round := &cobra.Command{
		Use: "round [evaluation-id] [round]", Short: "Verify every model's result in one round", Args: cobra.ExactArgs(2),
		RunE: func(c *cobra.Command, args []string) error {
			id, r, err := parseIDs(args[0], args[1])
			if err != nil {
				return err
			}
			return run(c, func(ctx context.Context, v *evaluator.Verifier, p evaluator.Progress) (evaluator.Report, error) {
				return v.VerifyEvaluation(ctx, id, int64(r), p)
			})
		},
	}
	evaluation := &cobra.Command{
		Use: "evaluation [evaluation-id]", Short: "Verify every final round of an evaluation and its standings", Args: cobra.ExactArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			id, _, err := parseIDs(args[0], "0")
			if err != nil {
				return err
			}
			return run(c, func(ctx context.Context, v *evaluator.Verifier, p evaluator.Progress) (evaluator.Report, error) {
				return v.VerifyEvaluation(ctx, id, -1, p)
			})
		},
	}
	market := &cobra.Command{
		Use: "market [market-id]", Short: "Verify a market's evaluation and whether its settlement follows", Args: cobra.ExactArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			id, _, err := parseIDs(args[0], "0")
			if err != nil {
				return err
			}
			return run(c, func(ctx context.Context, v *evaluator.Verifier, p evaluator.Progress) (evaluator.Report, error) {
				return v.VerifyMarket(ctx, id, p)
			})
		},
	}
	for _, c := range []*cobra.Command{round, evaluation, market} {
		flagsOf(c)
		cmd.AddCommand(c)
	}
	cmd.AddCommand(verifyModelCmd())
	return cmd
}

// verifyModelCmd checks a model's training record and retrains from it.
func verifyModelCmd() *cobra.Command {
	var record string
	var asJSON bool
	c := &cobra.Command{
		Use:   "model [model-id] --record FILE",
		Short: "Check a model's training record against its registration and retrain from it: same artifact, same weight root",
		Long: `verify model reads the registered model from a node, checks that the record file hashes to its
training_record_hash, trains again exactly as the record says (the classifiers and the llama models
` + "`delphid model train`" + ` makes, deterministic on every CPU), and compares the artifact's SHA-256 and its
weight root with the registered ones. It exits 0 when all three match, 3 when one does not (a record
that is not the registered one is not retrained), 1 when it cannot run.`,
		Args: cobra.ExactArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			id, _, err := parseIDs(args[0], "0")
			if err != nil {
				return err
			}
			if record == "" {
				return errors.New("give the training record: --record FILE")
			}
			raw, err := os.ReadFile(record)
			if err != nil {
				return err
			}
			cctx, err := client.GetClientQueryContext(c)
			if err != nil {
				return err
			}
			v, err := evaluator.NewVerifier(evaluator.VerifyConfig{NodeRPC: cctx.NodeURI, Limits: runtime.DefaultLimits()})
			if err != nil {
				return err
			}
			m, err := v.Model(c.Context(), id)
			if err != nil {
				return err
			}
			rep, err := evaluator.VerifyRecord(m, raw, func(s string) { fmt.Fprintln(c.ErrOrStderr(), s) })
			if err != nil {
				return err
			}
			out := c.OutOrStdout()
			if asJSON {
				if err := writeJSON(out, rep); err != nil {
					return err
				}
			} else {
				for _, ch := range rep.Checks {
					verdict := "match"
					if !ch.OK {
						verdict = "MISMATCH"
					}
					fmt.Fprintf(out, "model %d %s: %s (chain %s, local %s)\n", id, ch.What, verdict, ch.Chain, ch.Local)
				}
			}
			if !rep.OK {
				return &ExitError{Code: exitMismatch, Err: fmt.Errorf("model %d (%s): the record does not produce the registered artifact", id, m.Name)}
			}
			fmt.Fprintf(out, "verified: model %d (%s) is what its training record trains\n", id, m.Name)
			return nil
		},
	}
	flags.AddQueryFlagsToCmd(c)
	c.Flags().StringVar(&record, "record", "", "the model's training record (JSON, as `delphid model train --record` writes it)")
	c.Flags().BoolVar(&asJSON, "json", false, "print the report as JSON")
	return c
}

// defaultArtifactDir is the user's own cache (not a shared temp folder
// another user could plant files in).
func defaultArtifactDir() string {
	dir, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(dir, "delphi-verify")
}

func parseIDs(a, b string) (uint64, uint32, error) {
	id, err := strconv.ParseUint(a, 10, 64)
	if err != nil {
		return 0, 0, fmt.Errorf("id %q: want a whole number", a)
	}
	r, err := strconv.ParseUint(b, 10, 32)
	if err != nil {
		return 0, 0, fmt.Errorf("round %q: want a whole number", b)
	}
	return id, uint32(r), nil
}

// verify's exit statuses besides 0.
const (
	exitUnverified = 2
	exitMismatch   = 3
)

// printReport writes the report for a person.
func printReport(w io.Writer, rep evaluator.Report, bond string) {
	if rep.Height > 0 {
		fmt.Fprintf(w, "evaluation %d (%s) as of height %d\n", rep.Evaluation, rep.Status, rep.Height)
	}
	for _, f := range rep.Findings {
		switch f.Verdict {
		case evaluator.Match:
			fmt.Fprintf(w, "evaluation %d round %d model %d (%s): match (correct %d, root %.12s…, %d leaves)\n",
				f.Evaluation, f.Round, f.Model, f.ModelName, f.Correct, f.TraceRoot, f.Leaves)
		case evaluator.Pending, evaluator.NeverFinal:
			fmt.Fprintf(w, "evaluation %d round %d model %d (%s): %s (%s)\n", f.Evaluation, f.Round, f.Model, f.ModelName, f.Verdict, f.Field)
		default:
			fmt.Fprintf(w, "evaluation %d round %d model %d (%s): %s %s: chain %s, local %s\n",
				f.Evaluation, f.Round, f.Model, f.ModelName, f.Verdict, f.Field, f.Chain, f.Local)
			if f.Challenge != "" {
				fmt.Fprintf(w, "  dispute it by height %d (escrows %s, at today's params, unless you are a bonded validator): %s\n", f.ChallengeUntil, bond, f.Challenge)
			}
		}
	}
	if len(rep.LocalStandings) > 0 {
		verdict := "match"
		if !rep.StandingsMatch {
			verdict = "MISMATCH"
		}
		fmt.Fprintf(w, "standings: %s (chain %s; local %s)\n", verdict, standingsLine(rep.ChainStandings), standingsLine(rep.LocalStandings))
	}
	switch {
	case rep.Market == 0:
	case !rep.SettlementChecked:
		fmt.Fprintf(w, "market %d: %s\n", rep.Market, rep.Settlement)
	case rep.SettledOK:
		fmt.Fprintf(w, "market %d settlement follows: %s\n", rep.Market, rep.Settlement)
	default:
		fmt.Fprintf(w, "market %d settlement does NOT follow: %s\n", rep.Market, rep.Settlement)
	}
	switch {
	case rep.OK:
		fmt.Fprintf(w, "verified: every final result of evaluation %d follows from the registered models (%d checked)\n", rep.Evaluation, rep.Checked)
	case rep.Checked == 0:
		fmt.Fprintf(w, "nothing verified: no result of evaluation %d could be re-run and compared yet\n", rep.Evaluation)
	}
}

func standingsLine(s []evaluator.Standing) string {
	out := ""
	for i, x := range s {
		if i > 0 {
			out += ", "
		}
		out += fmt.Sprintf("%d. model %d %d", x.Rank, x.ModelId, x.Correct)
	}
	return out
}

// writeJSON writes a report as indented JSON (--json).
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
