#!/usr/bin/env bash
# make bench: every benchmark behind BENCHMARKS.md, then the report.
# Raw results go to build/bench/ (go test -bench text, loadtest JSON);
# scripts/benchreport turns them into BENCHMARKS.md. Localnets run on
# 127.0.0.1 and are stopped by pid, whatever happens.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${DELPHID:-build/delphid}
out=build/bench
count=${BENCH_COUNT:-5}
# Below Linux's ephemeral range (32768-60999), which the load generator's
# thousands of client connections draw from.
base=${BENCH_BASE_PORT:-23600}
rm -rf "$out" && mkdir -p "$out"
started=$(date +%s)
step() { echo "== $(date +%H:%M:%S) $*"; }

net_dir=$PWD/build/bench-localnet
localnet() { LOCALNET_DIR=$net_dir LOCALNET_BASE_PORT=$base LOCALNET_CHAIN_ID=delphi-localnet DELPHID=$bin bash scripts/localnet.sh "$@"; }
trap 'localnet stop >/dev/null 2>&1 || true' EXIT
load() { # load NAME ARGS...: one loadtest run against node0
  local name=$1; shift
  "$bin" loadtest --node "tcp://127.0.0.1:$((base + 1))" --keyring-dir "$net_dir/node0" --chain-id delphi-localnet \
    --out "$out/$name.json" "$@" 2>&1 | sed "s/^/   [$name] /"
}

step "1. LMSR math"
go test -run '^$' -bench 'BuyCost|SellProceeds|SharesForAmount|Prices' -count "$count" ./x/market/lmsr/ >"$out/lmsr.txt"
go test -run '^$' -bench 'Accuracy' -count 1 ./x/market/lmsr/ >"$out/lmsr-accuracy.txt"

step "3. evaluation runtime against onnxruntime and gorgonia (and the demo's trained models)"
"$bin" demo --models-only --models-dir build/demo-models >/dev/null
(cd runtime/compare && DELPHI_TRAINED_MODELS=$PWD/../../build/demo-models \
  go test -run '^$' -bench 'ZooMNIST|TrainedMNIST' -count 3 -timeout 30m .) >"$out/runtime.txt"

step "4. vote extensions: PreBlocker and block time"
go test -run '^$' -bench 'ProcessCommit' -benchtime 50x -count "$count" ./x/evaluation/keeper/ >"$out/preblocker.txt"
# The same PreBlocker work before commit-reveal, measured in this run from
# the last commit that tallied plain results (a detached worktree).
before=75d6e9a
git worktree add --detach --force "$PWD/build/bench-before" "$before" >/dev/null
(cd build/bench-before && go test -run '^$' -bench 'PreBlockerTally' -count "$count" ./x/evaluation/keeper/) >"$out/preblocker-before.txt"
git worktree remove --force "$PWD/build/bench-before"
go test -run '^$' -bench 'ProcessProposal' -count "$count" ./app/ >"$out/proposal.txt"
go test -run '^$' -bench 'BlockTimeVoteExtensions' -benchtime 1x -count 1 -timeout 20m ./testutil/network/ >"$out/blocktime.txt"

step "5. verde disputes and the referee's largest operator"
go test -run '^$' -bench 'DisputeGame' -benchtime 1x -count 3 -timeout 20m ./x/verde/keeper/ >"$out/verde.txt"
go test -run '^$' -bench 'RefereeLimit' -count "$count" ./runtime/ >"$out/referee-limit.txt"

step "7. language models: prompt and generation tokens/s, training steps/s"
go test -run '^$' -bench 'Prompt|Generate|TrainStep' -count 3 -timeout 20m ./runtime/llm/ >"$out/llm.txt"
# Delphi and llama.cpp (npm node-llama-cpp, installed by make data) on the same GGUF files.
go test -run '^$' -bench 'LlamaCpp' -count 3 -timeout 20m ./runtime/llm/ >"$out/llamacpp.txt"
DELPHI_TRAINED_MODELS=$PWD/build/demo-models go test -run '^$' -bench 'VerifyRound|VerifyDemoMarket' -count 3 ./evaluator/ >"$out/verify.txt"

step "6. a transaction's chain-side cost as state grows"
go test -run '^$' -bench 'DeliverTx' -benchtime 20x -count 3 -timeout 20m ./app/ >"$out/delivertx.txt"

for n in 1 4; do
  step "2. throughput on a $n-validator localnet: bank sends, then market trades"
  localnet start "$n" >/dev/null
  load "load-$n-bank" --kind bank --from alice
  load "load-$n-market" --kind market --from bob
  localnet stop >/dev/null
done

for m in 10 100 1000; do
  step "6. trades over $m open markets with 10000 positions (1-validator localnet)"
  localnet start 1 >/dev/null
  load "scale-$m" --kind market --from bob --markets "$m" --positions 10000
  localnet stop >/dev/null
done

simd=$(grep -ow 'avx512f\|avx2\|asimd' /proc/cpuinfo 2>/dev/null | sort -u | tr '\n' ' ' || true)
printf 'date=%s\nseconds=%s\nsimd=%s\n' "$(date -u +%Y-%m-%dT%H:%MZ)" "$(($(date +%s) - started))" "$simd" >"$out/meta.env"
go run ./scripts/benchreport -dir "$out" -out BENCHMARKS.md
