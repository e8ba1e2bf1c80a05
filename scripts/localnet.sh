#!/usr/bin/env bash
# Starts or stops a local multi-validator network: separate delphid processes
# on 127.0.0.1 (each validator's node and its evaluator sidecar), homes under
# build/localnet/, stopped by their own pids.
#   scripts/localnet.sh start [N]   (default N=4, or LOCALNET_VALIDATORS)
#   scripts/localnet.sh stop
# Every sidecar plays Verde disputes with its validator's key. LOCALNET_FAULTY
# (e.g. "3" or "1,2") makes those validators' sidecars byzantine on purpose
# (they falsify trace leaf LOCALNET_FAULT_LEAF, default 7, of model
# LOCALNET_FAULT_MODEL, default every model). LOCALNET_BENCHMARKS (default
# iris) are registered in genesis; LOCALNET_ACCOUNTS are funded in node0.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${DELPHID:-build/delphid}
dir=${LOCALNET_DIR:-build/localnet}
base=${LOCALNET_BASE_PORT:-26600}

stop() {
  local found=0
  for pidfile in "$dir"/evaluator*.pid "$dir"/node*.pid; do
    [ -e "$pidfile" ] || continue
    found=1
    pid=$(cat "$pidfile")
    if kill -0 "$pid" 2>/dev/null; then
      kill "$pid"
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
      kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
      echo "stopped $(basename "$pidfile" .pid) (pid $pid)"
    fi
    rm -f "$pidfile"
  done
  [ "$found" = 1 ] || echo "no localnet running in $dir"
}

height() { # height RPC_PORT
  curl -fsS "http://127.0.0.1:$1/status" 2>/dev/null | sed -n 's/.*"latest_block_height":"\([0-9]*\)".*/\1/p'
}

start() {
  local n=${1:-${LOCALNET_VALIDATORS:-4}}
  if ls "$dir"/node*.pid >/dev/null 2>&1; then
    echo "a localnet is already running in $dir; run scripts/localnet.sh stop first" >&2
    exit 1
  fi
  rm -rf "$dir"
  "$bin" testnet init-files --output-dir "$dir" --validators "$n" --base-port "$base" \
    --chain-id "${LOCALNET_CHAIN_ID:-delphi-localnet}" --accounts "${LOCALNET_ACCOUNTS:-alice,bob,carol}" \
    --benchmarks "${LOCALNET_BENCHMARKS:-iris}" >"$dir.layout" 2>&1 || { cat "$dir.layout" >&2; exit 1; }
  mv "$dir.layout" "$dir/layout.txt"
  for i in $(seq 0 $((n - 1))); do
    "$bin" start --home "$dir/node$i" --log_no_color >"$dir/node$i.log" 2>&1 &
    echo $! >"$dir/node$i.pid"
    p=$((base + 8 * i))
    fault=()
    case ",${LOCALNET_FAULTY:-}," in *",$i,"*) fault=(--fault-leaf "${LOCALNET_FAULT_LEAF:-7}" --fault-model "${LOCALNET_FAULT_MODEL:-0}") ;; esac
    "$bin" evaluator start --home "$dir/node$i" --node "tcp://127.0.0.1:$((p + 1))" \
      --listen "127.0.0.1:$((p + 5))" --health "127.0.0.1:$((p + 6))" \
      --from validator --keyring-backend test "${fault[@]}" >"$dir/evaluator$i.log" 2>&1 &
    echo $! >"$dir/evaluator$i.pid"
  done
  # Ready once node0 has committed a block with vote extensions in force.
  for _ in $(seq 1 120); do
    h=$(height $((base + 1)) || true)
    if [ -n "$h" ] && [ "$h" -ge 3 ]; then
      cat "$dir/layout.txt"
      echo "localnet: $n validators with evaluator sidecars at height $h (logs: $dir/node*.log, $dir/evaluator*.log)"
      return 0
    fi
    for pidfile in "$dir"/node*.pid "$dir"/evaluator*.pid; do
      if ! kill -0 "$(cat "$pidfile")" 2>/dev/null; then
        echo "$(basename "$pidfile" .pid) exited; last log lines:" >&2
        tail -5 "${pidfile%.pid}.log" >&2
        stop
        exit 1
      fi
    done
    sleep 0.5
  done
  echo "localnet did not reach height 3 in 60s" >&2
  stop
  exit 1
}

case "${1:-}" in
  start) start "${2:-}" ;;
  stop) stop ;;
  *) echo "usage: $0 start [N] | stop" >&2; exit 2 ;;
esac
