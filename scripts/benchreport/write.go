package main

import (
	"fmt"
	"math"
	"runtime"
	"strings"
)

func (r *results) write(b *strings.Builder) {
	p := func(format string, a ...any) { fmt.Fprintf(b, format, a...) }
	p("# Delphi benchmarks\n\n")
	p("Written by `make bench` (scripts/bench.sh, then scripts/benchreport). Every figure below is from one run of it on the machine named here; Go micro-benchmarks are the median of repeated runs (count shown), and every ratio compares figures measured in that same run. Rerun `make bench` to reproduce them on your machine.\n\n")
	p("| | |\n|---|---|\n")
	p("| machine | %s, %d cores, %s/%s |\n", cpuModel(), runtime.NumCPU(), runtime.GOOS, runtime.GOARCH)
	p("| Go | %s |\n", runtime.Version())
	p("| commit | %s |\n", gitCommit())
	if d := r.meta["date"]; d != "" {
		p("| run | %s, %s s |\n", d, r.meta["seconds"])
	}
	p("| command | `make bench` |\n\n")
	r.lmsr(p)
	r.throughput(p)
	r.evaluation(p)
	r.voteExtensions(p)
	r.verde(p)
	r.scale(p)
	r.languageModels(p)
	r.verification(p)
}

type printer func(string, ...any)

func (r *results) lmsr(p printer) {
	p("## 1. LMSR math (`x/market/lmsr`)\n\n")
	p("ns/op of one call on a traded state (liquidity 10^12, quantities up to 3·b); median of %d runs.\n\n", r.b.runs("BenchmarkBuyCost/n=2", "ns/op"))
	p("| outcomes | BuyCost | SellProceeds | SharesForAmount | Prices |\n|---:|---:|---:|---:|---:|\n")
	for _, n := range []int{2, 8, 20, 32, 64} {
		s := fmt.Sprintf("n=%d", n)
		p("| %d | %s | %s | %s | %s |\n", n, f(r.b.get("BenchmarkBuyCost/"+s, "ns/op")), f(r.b.get("BenchmarkSellProceeds/"+s, "ns/op")),
			f(r.b.get("BenchmarkSharesForAmount/"+s, "ns/op")), f(r.b.get("BenchmarkPrices/"+s, "ns/op")))
	}
	p("\nWorst error against the 512-bit big.Float reference over a fixed random set of 200 states (2, 8, 20 and 64 outcomes, liquidity 10^6 to 10^18) and one trade each. Amounts are whole base units rounded toward the market maker (the contract: within 1 unit); the relative error counts trades of at least 10^6 units. A price unit is 10^-18.\n\n")
	p("| function | worst error (units) | worst relative error |\n|---|---:|---:|\n")
	for _, fn := range []string{"BuyCost", "SellProceeds", "SharesForAmount", "Prices"} {
		n := "BenchmarkAccuracy/" + fn
		rel := r.b.get(n, "max-rel-err-ppb")
		p("| %s | %s | %s |\n", fn, f(r.b.get(n, "max-err-units")), relText(rel))
	}
	p("\n")
}

func relText(ppb float64) string {
	if math.IsNaN(ppb) {
		return "—"
	}
	return fmt.Sprintf("%.2g", ppb*1e-9)
}

func (r *results) throughput(p printer) {
	p("## 2. Chain throughput: market trades against bank sends\n\n")
	p("`delphid loadtest` signs transactions ahead (96 accounts, each its own sequence), offers them to node0's RPC at rising rates for 6 s each, and reads the committed rate back from the blocks (successful transactions over the blocks' own timestamps). It stops at the first stage where the mempool backs up or the node refuses, or when the offered rate can no longer be sent. Market trades alternate a buy of 100,000 shares and its sale on one open market. Both kinds run on the same localnet (processes on 127.0.0.1, sidecars running), one run each. The load generator shares the machine's cores with the nodes.\n\n")
	p("| localnet | bank sends/s | market trades/s | market / bank | target ≥ 80%% | gas per bank send | gas per trade |\n|---|---:|---:|---:|---|---:|---:|\n")
	for _, n := range []int{1, 4} {
		bank, mkt := r.loads[fmt.Sprintf("load-%d-bank", n)], r.loads[fmt.Sprintf("load-%d-market", n)]
		if bank == nil || mkt == nil {
			continue
		}
		met := "no"
		if mkt.MaxTPS >= 0.8*bank.MaxTPS {
			met = "yes"
		}
		p("| %d validator(s) | %s | %s | %s | %s | %s | %s |\n", n, f(bank.MaxTPS), f(mkt.MaxTPS), pct(mkt.MaxTPS, bank.MaxTPS), met,
			f(lastGas(bank)), f(lastGas(mkt)))
	}
	p("\nOn the 4-validator localnet, the machine's cores run four nodes (each executing every transaction), four sidecars and the load generator, so both rates are bound by that CPU and the generator runs out of free accounts (\"not sent\") early; the 1-validator figures are the cleaner comparison of what a trade costs against a send. Section 6 gives the chain-side cost per transaction without the generator.\n\nEvery stage:\n\n")
	for _, name := range []string{"load-1-bank", "load-1-market", "load-4-bank", "load-4-market"} {
		if rep := r.loads[name]; rep != nil {
			r.stages(p, name, rep)
		}
	}
}

func lastGas(rep *loadReport) float64 {
	for i := len(rep.Stages) - 1; i >= 0; i-- {
		if rep.Stages[i].GasPerTx > 0 {
			return rep.Stages[i].GasPerTx
		}
	}
	return math.NaN()
}

func (r *results) stages(p printer, name string, rep *loadReport) {
	p("<details><summary>%s: %d validator(s), %s, max %s tx/s, mean block %s ms</summary>\n\n", name, rep.Validators, rep.Kind, f(rep.MaxTPS), f(rep.BlockMs))
	p("| offered/s | sent | refused | not sent | committed | failed | committed/s | backlog |\n|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, s := range rep.Stages {
		p("| %d | %d | %d | %d | %d | %d | %s | %d |\n", s.Offered, s.Sent, s.Refused, s.Dropped, s.Committed, s.Failed, f(s.CommittedTPS), s.Backlog)
	}
	p("\n</details>\n\n")
}

func (r *results) evaluation(p printer) {
	p("## 3. Evaluation runtime against onnxruntime and gorgonia\n\n")
	p("The zoo MNIST CNN on the same 2000 MNIST test images, one image per run as Delphi evaluates them: this runtime (the best vector kernels the CPU runs; its flags: %s), onnxruntime-node 1.30 (npm, CPU, all graph optimizations; only its run calls timed, inside node, after a warm-up pass) and gorgonia through onnx-go's gorgonnx backend (`runtime/compare`, its own module); images/s, median of %d runs. Threads: goroutines for Delphi and gorgonia, intra-op threads for onnxruntime. Traced: the trace at runtime version 3, the default (`runtime/leaves.go`: operators whose only output feeds one other are fused, and only the groups' outputs are hashed), with the model registered at its smallest referee step (version 2's groups: 4 of the CNN's 12 outputs, 18.9 KB of its 131.5 KB per image) and declaring twice it (version 3's room: the whole CNN is one group, its 40-byte logits the one output hashed; a dispute's referee step then carries 46 KB, every weight, and recomputes 1.6 MFLOPs, where at the smallest declaration it carries 34 KB and recomputes 1.25 MFLOPs).\n\n",
		r.simd(), r.b.runs("BenchmarkZooMNIST/delphi/workers=1", "images/s"))
	p("| threads | delphi | delphi, traced | traced, declared 2× | onnxruntime | gorgonia | delphi / onnxruntime | delphi / gorgonia | tracing cost | declared 2× |\n|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, w := range []string{"1", "2"} {
		d := r.b.get("BenchmarkZooMNIST/delphi/workers="+w, "images/s")
		t := r.b.get("BenchmarkZooMNIST/delphi-trace/workers="+w, "images/s")
		tr := r.b.get("BenchmarkZooMNIST/delphi-trace-room/workers="+w, "images/s")
		o := r.b.get("BenchmarkZooMNIST/onnxruntime/workers="+w, "images/s")
		g := r.b.get("BenchmarkZooMNIST/gorgonia/workers="+w, "images/s")
		p("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", w, f(d), f(t), f(tr), f(o), f(g), ratio(d, o), ratio(d, g), tracingCost(d, t), tracingCost(d, tr))
	}
	d1, d2 := r.b.get("BenchmarkZooMNIST/delphi/workers=1", "images/s"), r.b.get("BenchmarkZooMNIST/delphi/workers=2", "images/s")
	p("\nTwo goroutines against one: %s.\n", ratio(d2, d1))
	p("\nThe models `delphid model train` made for the demo (1 epoch on MNIST's training set), one goroutine:\n\n")
	p("| model | images/s | traced | traced, declared 2× | tracing cost | declared 2× |\n|---|---:|---:|---:|---:|---:|\n")
	for _, m := range []string{"delphi-cnn", "delphi-mlp", "delphi-logreg"} {
		d := r.b.get("BenchmarkTrainedMNIST/"+m+"/delphi", "images/s")
		t := r.b.get("BenchmarkTrainedMNIST/"+m+"/delphi-trace", "images/s")
		tr := r.b.get("BenchmarkTrainedMNIST/"+m+"/delphi-trace-room", "images/s")
		p("| %s | %s | %s | %s | %s | %s |\n", m, f(d), f(t), f(tr), tracingCost(d, t), tracingCost(d, tr))
	}
	p("\n")
}

func tracingCost(plain, traced float64) string {
	if math.IsNaN(plain) || math.IsNaN(traced) || traced == 0 {
		return "—"
	}
	return fmt.Sprintf("%+.0f%%", (plain/traced-1)*100)
}

func (r *results) voteExtensions(p printer) {
	p("## 4. Vote extensions\n\n")
	p("Results travel commit-then-reveal: a round takes a block in which every validator's extension commits to every model's result, then one in which every validator reveals them and they become final. x/evaluation's PreBlocker work for each (`BenchmarkProcessCommit`: decode, record, tally, with seed contributions), the size of one extension, and the single plain-results tally that did the same job before commit-reveal (`BenchmarkPreBlockerTally` of commit 75d6e9a, measured in this run from a worktree); median of %d runs.\n\n",
		r.b.runs("BenchmarkProcessCommit/validators=4/models=4/commit", "ns/op"))
	p("| validators | models | commit block | reveal block (results final) | both | before: one plain tally | bytes per extension (commit / reveal) |\n|---:|---:|---:|---:|---:|---:|---:|\n")
	var big float64 // µs of both blocks at 100 validators × 16 models
	for _, c := range [][2]int{{4, 4}, {4, 16}, {100, 16}} {
		n := fmt.Sprintf("BenchmarkProcessCommit/validators=%d/models=%d/", c[0], c[1])
		commit, reveal := r.b.get(n+"commit", "ns/op")/1000, r.b.get(n+"reveal", "ns/op")/1000
		big = commit + reveal
		p("| %d | %d | %s µs | %s µs | %s µs | %s µs | %s / %s |\n", c[0], c[1], f(commit), f(reveal), f(commit+reveal),
			f(r.b.get(fmt.Sprintf("BenchmarkPreBlockerTally/validators=%d/models=%d", c[0], c[1]), "ns/op")/1000), f(r.b.get(n+"commit", "bytes/extension")), f(r.b.get(n+"reveal", "bytes/extension")))
	}
	p("\nCommit-reveal costs more than the plain tally because every validator's commitment to every model is a store entry: at 100 validators × 16 models the commit block writes 1600 of them and the reveal block reads, checks and rewrites each before tallying. The two blocks together take %s%% of one 1 s block.\n",
		f(big/1e6*100))
	p("\nProcessProposal on every validator (`BenchmarkProcessProposal`, through the app over ABCI): decode the injected commit, match it against CometBFT's last commit vote for vote, verify every extension's ed25519 signature against x/staking's key and decode it; every extension reveals 16 results and a seed contribution:\n\n")
	p("| validators | ProcessProposal | bytes of the injected commit |\n|---:|---:|---:|\n")
	for _, v := range []int{4, 100} {
		n := fmt.Sprintf("BenchmarkProcessProposal/validators=%d/models=16", v)
		p("| %d | %s µs | %s |\n", v, f(r.b.get(n, "ns/op")/1000), f(r.b.get(n, "bytes/commit")))
	}
	n := "BenchmarkBlockTimeVoteExtensions"
	p("\nBlock time of a 4-validator network (real CometBFT nodes in one process, 1 s timeout_commit), measured over 20 blocks without vote extensions, then with extensions (seeds, commitments, reveals), 4 evaluator sidecars and an evaluation running rounds through the window:\n\n")
	p("| without | with extensions and sidecars | difference |\n|---:|---:|---:|\n")
	p("| %s ms | %s ms | %s%% |\n\n", f(r.b.get(n, "ms/block-without-ve")), f(r.b.get(n, "ms/block-with-ve-sidecars")), f(r.b.get(n, "%overhead")))
}

func (r *results) verde(p printer) {
	p("## 5. Verde disputes\n\n")
	p("Whole disputes, from the tally that opens one to its resolution: one validator of four lies about the operator output in the middle of its trace (in the deep MLPs, about a hidden layer's Gemm, so the referee step carries a whole layer); both sides play (keeper level, real traces, real referee recomputation from the model's skeleton and the proven weights of one operator, or, from runtime version 2, of one fused group). Blocks are the blocks with moves (both sides move in the same block); gas is every message of the game together. `deep-mlp-25m` is 171 hidden layers of 384 units (25.1M parameters, 100.6 MB of ONNX); `widest-admitted` has the widest square hidden layer whose referee step the bounds admit (`runtime.MaxRefereeStepBytes`, 640 KiB). Median of %d runs.\n\n",
		r.b.runs("BenchmarkDisputeGame/iris-mlp/items=30", "gas"))
	p("| model | trace leaves | blocks | messages | gas, whole game | gas, referee step | bytes, referee step | execution time |\n|---|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, m := range r.b.names("BenchmarkDisputeGame/") {
		n := "BenchmarkDisputeGame/" + m
		p("| %s | %s | %s | %s | %s | %s | %s | %s ms |\n", m, f(r.b.get(n, "leaves")), f(r.b.get(n, "blocks")), f(r.b.get(n, "msgs")),
			f(r.b.get(n, "gas")), f(r.b.get(n, "referee-gas")), f(r.b.get(n, "referee-bytes")), f(r.b.get(n, "ns/op")/1e6))
	}
	p("\nOn a running 4-validator network (1 s blocks) the 25.1M-parameter model's dispute took 11 blocks from opening to verdict (`TestDisputeOverAModelOfRealSizeThroughTheChain`).\n")
	l := "BenchmarkRefereeLimit/conv-64x64x36x36-k3"
	p("\nThe most arithmetic a referee step accepts: `max_referee_flops` and `runtime.MaxRefereeStepFLOPs` bound the one operator it recomputes at 10^8 FLOPs (charged at 1 gas per 100 FLOPs, so at most 10^6 gas of arithmetic). A single operator at that size, a 3×3 convolution 64→64 channels on 36×36 (95.6 MFLOP), recomputes in %s ms on one goroutine (%s GFLOP/s).\n\n",
		f(r.b.get(l, "ns/op")/1e6), f(r.b.get(l, "GFLOP/s")))
}

func (r *results) scale(p printer) {
	p("## 6. Scale: a trade's cost as state grows\n\n")
	p("Chain side, in one process: blocks of 200 signed transactions through FinalizeBlock and Commit (ante handler and signature check, the message, end blockers, the IAVL commit), median of %d runs; the markets hold 10,000 positions besides the traders'.\n\n",
		r.b.runs("BenchmarkDeliverTx/bank", "µs/tx"))
	p("| transactions | µs per tx | gas per tx | rate vs bank sends |\n|---|---:|---:|---:|\n")
	bank := r.b.get("BenchmarkDeliverTx/bank", "µs/tx")
	p("| bank sends | %s | %s | 100%% |\n", f(bank), f(r.b.get("BenchmarkDeliverTx/bank", "gas/tx")))
	for _, c := range []string{"markets=1/positions=0", "markets=10/positions=10000", "markets=100/positions=10000", "markets=1000/positions=10000"} {
		n := "BenchmarkDeliverTx/market/" + c
		v := r.b.get(n, "µs/tx")
		p("| trades, %s | %s | %s | %s |\n", strings.ReplaceAll(c, "/", ", "), f(v), f(r.b.get(n, "gas/tx")), pct(bank, v))
	}
	p("\nThrough a 1-validator localnet, the same trade load as in section 2 over many open markets with 10,000 positions seeded first:\n\n")
	p("| open markets | positions | trades/s | vs 1 market |\n|---:|---:|---:|---:|\n")
	base := math.NaN()
	if one := r.loads["load-1-market"]; one != nil {
		base = one.MaxTPS
		p("| 1 | 0 | %s | 100%% |\n", f(base))
	}
	for _, m := range []int{10, 100, 1000} {
		if rep := r.loads[fmt.Sprintf("scale-%d", m)]; rep != nil {
			p("| %d | %d | %s | %s |\n", rep.Markets, rep.Positions, f(rep.MaxTPS), pct(rep.MaxTPS, base))
		}
	}
	p("\n")
	for _, m := range []int{10, 100, 1000} {
		if rep := r.loads[fmt.Sprintf("scale-%d", m)]; rep != nil {
			r.stages(p, fmt.Sprintf("scale-%d", m), rep)
		}
	}
}

func (r *results) languageModels(p printer) {
	p("## 7. Language models (`runtime/llm`)\n\n")
	p("Llama-architecture decoders of the three `delphid model train --type llama` sizes, one goroutine per run; prompt processing is one traced-graph run over the full context, generation is greedy decoding with the KV cache from an empty context to a full one; median of %d runs.\n\n",
		r.b.runs("BenchmarkPrompt/micro", "tokens/s"))
	p("| size | prompt tokens/s | traced | tracing cost | generation tokens/s |\n|---|---:|---:|---:|---:|\n")
	for _, s := range []string{"nano", "micro", "small"} {
		d := r.b.get("BenchmarkPrompt/"+s, "tokens/s")
		t := r.b.get("BenchmarkPrompt/"+s+"/traced", "tokens/s")
		p("| %s | %s | %s | %s | %s |\n", s, f(d), f(t), tracingCost(d, t), f(r.b.get("BenchmarkGenerate/"+s, "tokens/s")))
	}
	if r.b.runs("BenchmarkLlamaCpp/small/f32", "delphi-prompt-tok/s") > 0 {
		p("\nAgainst llama.cpp (npm `node-llama-cpp` 3.21.1, its prebuilt CPU library) on the same GGUF file, one thread each, in one run (`BenchmarkLlamaCpp`): prompt = the full context in one batch (Delphi's timed run follows an untimed one whose buffers it reuses, as an evaluation's items do; llama.cpp sizes its buffers when it creates the context), generation = greedy from one token to a full context (llama.cpp: f32 KV cache, no flash attention). The Q8_0 file is Delphi's quantization of the f32 one (bit for bit llama.cpp's). Delphi's prompt graph computes on the dequantized floats; its generation session multiplies the quantized blocks (`runtime.MatVecQ8`), with the dequantized floats' bits. llama.cpp computes on the quantized blocks throughout. Median of %d runs.\n\n",
			r.b.runs("BenchmarkLlamaCpp/small/f32", "delphi-prompt-tok/s"))
		p("| size | file | prompt tokens/s: Delphi | llama.cpp | ratio | generation tokens/s: Delphi | llama.cpp | ratio |\n|---|---|---:|---:|---:|---:|---:|---:|\n")
		for _, s := range []string{"nano", "micro", "small"} {
			for _, typ := range []string{"f32", "q8_0"} {
				n := "BenchmarkLlamaCpp/" + s + "/" + typ
				dp, lp := r.b.get(n, "delphi-prompt-tok/s"), r.b.get(n, "llamacpp-prompt-tok/s")
				dg, lg := r.b.get(n, "delphi-gen-tok/s"), r.b.get(n, "llamacpp-gen-tok/s")
				p("| %s | %s | %s | %s | %.2f× | %s | %s | %.2f× |\n", s, typ, f(dp), f(lp), dp/lp, f(dg), f(lg), dg/lg)
			}
		}
		if r.b.runs("BenchmarkLlamaCpp/small/f32/threads=2", "delphi-prompt-tok/s") > 0 {
			p("\nTwo threads, f32 (Delphi: the graph's and the session's goroutines; llama.cpp: its threads), and each engine's two threads against its one. On this 2-vCPU machine the two-thread runs of both engines vary widely from run to run (raw results: `build/bench/llamacpp.txt`), and llama.cpp's two-thread generation is often far slower than its one-thread generation, so read these as this machine's figures, not the engines':\n\n")
			p("| size | prompt: Delphi | llama.cpp | ratio | Delphi 2/1 | generation: Delphi | llama.cpp | ratio | Delphi 2/1 |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|\n")
			for _, s := range []string{"nano", "micro", "small"} {
				one, two := "BenchmarkLlamaCpp/"+s+"/f32", "BenchmarkLlamaCpp/"+s+"/f32/threads=2"
				dp, lp := r.b.get(two, "delphi-prompt-tok/s"), r.b.get(two, "llamacpp-prompt-tok/s")
				dg, lg := r.b.get(two, "delphi-gen-tok/s"), r.b.get(two, "llamacpp-gen-tok/s")
				p("| %s | %s | %s | %.2f× | %.2f× | %s | %s | %.2f× | %.2f× |\n", s, f(dp), f(lp), dp/lp, dp/r.b.get(one, "delphi-prompt-tok/s"),
					f(dg), f(lg), dg/lg, dg/r.b.get(one, "delphi-gen-tok/s"))
			}
		}
	}
	p("\nTraining (batch 8 × 64 tokens, window gradients on 2 goroutines):\n\n| size | steps/s | tokens/s |\n|---|---:|---:|\n")
	for _, s := range []string{"nano", "micro"} {
		p("| %s | %s | %s |\n", s, f(r.b.get("BenchmarkTrainStep/"+s, "steps/s")), f(r.b.get("BenchmarkTrainStep/"+s, "tokens/s")))
	}
	p("\n")
}

func (r *results) verification(p printer) {
	if r.b.runs("BenchmarkVerifyRound/verify", "items/s") == 0 {
		return
	}
	p("## 8. Verification (`delphid verify`)\n\n")
	p("One final round of 200 MNIST test items for a trained MLP: evaluated as a sidecar does (its artifact cached) and verified as `delphid verify round` does (a fresh verifier reads the chain, fetches, hashes and parses the artifact, runs the same code path, compares); median of %d runs.\n\n",
		r.b.runs("BenchmarkVerifyRound/verify", "items/s"))
	p("| | items/s |\n|---|---:|\n| sidecar | %s |\n| verify | %s |\n\n",
		f(r.b.get("BenchmarkVerifyRound/sidecar", "items/s")), f(r.b.get("BenchmarkVerifyRound/verify", "items/s")))
	if r.b.runs("BenchmarkVerifyDemoMarket/verify", "s/market") == 0 {
		return
	}
	p("The demo's market (`BenchmarkVerifyDemoMarket`): its four MNIST classifiers (the zoo CNN and the three the demo trains) on 6 rounds of 40 items, 24 results and 960 items. `verify market` re-runs all of it in **%s s** (fresh verifier: artifacts read, hashed and parsed, every round re-run and compared, standings ranked); the same 24 runs as sidecars compute them, artifacts cached, take %s s. Against a running node the CLI adds its queries: `make demo` prints the whole command's time at its end.\n\n",
		f(r.b.get("BenchmarkVerifyDemoMarket/verify", "s/market")), f(960/r.b.get("BenchmarkVerifyDemoMarket/sidecar", "items/s")))
	p("| demo market | items/s |\n|---|---:|\n| sidecar | %s |\n| verify | %s |\n\n",
		f(r.b.get("BenchmarkVerifyDemoMarket/sidecar", "items/s")), f(r.b.get("BenchmarkVerifyDemoMarket/verify", "items/s")))
}

// simd names the CPU's vector extensions bench.sh recorded.
func (r *results) simd() string {
	if v := strings.TrimSpace(r.meta["simd"]); v != "" {
		return v
	}
	return "not recorded"
}
