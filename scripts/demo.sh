#!/usr/bin/env bash
# The quick-start demo: a 4-validator localnet with 4 evaluator sidecars on
# 127.0.0.1 (validator 3's sidecar byzantine on purpose), then `delphid demo`:
# four real MNIST classifiers, a market over their live evaluation, three
# traders, a dispute that slashes the liar, settlement and payouts.
# DEMO_MARKET=lm (make demo-lm) runs a language-model market instead: five
# entries on kjv-next (two sizes, one as ONNX, one quantized to Q8_0, one
# with a system prompt).
# DEMO_KEEP=1 leaves the localnet running for exploring with the CLI or REST.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${DELPHID:-build/delphid}
export DELPHID=$bin
export LOCALNET_DIR=${DEMO_DIR:-build/demo}
export LOCALNET_BASE_PORT=${DEMO_BASE_PORT:-27600}
export LOCALNET_CHAIN_ID=delphi-demo
export LOCALNET_ACCOUNTS=alice,bob,carol,dave
market=${DEMO_MARKET:-mnist}
case "$market" in
  mnist) export LOCALNET_BENCHMARKS=mnist ;;
  lm) export LOCALNET_BENCHMARKS=kjv-next ;;
  *) echo "DEMO_MARKET is mnist or lm, not $market" >&2; exit 2 ;;
esac
export LOCALNET_FAULTY=3 LOCALNET_FAULT_MODEL=2 LOCALNET_FAULT_LEAF=${DEMO_FAULT_LEAF:-5}
base=$LOCALNET_BASE_PORT

stop() { bash scripts/localnet.sh stop >/dev/null || true; }
if [ "${DEMO_KEEP:-0}" != 1 ]; then trap stop EXIT; fi

if ls "$LOCALNET_DIR"/node*.pid >/dev/null 2>&1; then bash scripts/localnet.sh stop; fi
echo "== Starting 4 validators and 4 evaluator sidecars on 127.0.0.1 (validator 3's sidecar lies about model 2)"
bash scripts/localnet.sh start 4 | grep -v '^account\|^node' || { tail -30 "$LOCALNET_DIR"/node0.log; exit 1; }

"$bin" demo --node "tcp://127.0.0.1:$((base + 1))" --home-node0 "$LOCALNET_DIR/node0" --chain-id delphi-demo \
  --models-dir build/demo-models --market "$market" ${DEMO_ARGS:-}

if [ "${DEMO_KEEP:-0}" = 1 ]; then
  echo
  echo "The localnet keeps running (stop it with: LOCALNET_DIR=$LOCALNET_DIR make localnet-stop):"
  for i in 0 1 2 3; do
    p=$((base + 8 * i))
    echo "  node$i  RPC tcp://127.0.0.1:$((p + 1))  REST http://127.0.0.1:$((p + 4))  gRPC 127.0.0.1:$((p + 3))"
  done
  echo "  web app: http://127.0.0.1:$((base + 4))/app/  (import a key: $bin keys export bob --unarmored-hex --unsafe --home $LOCALNET_DIR/node0 --keyring-backend test)"
  echo "  keys: --home $LOCALNET_DIR/node0 --keyring-backend test (alice, bob, carol, dave)"
  echo "  try:  $bin q market markets --node tcp://127.0.0.1:$((base + 1))"
else
  echo "== Stopped every process the demo started"
fi
