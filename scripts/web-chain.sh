#!/usr/bin/env bash
# A one-validator localnet seeded for the web app: two iris models trained
# and registered, a vault funded by bob, and a market over the models' live
# evaluation funded by that vault, with a first trade.
#   scripts/web-chain.sh start    prints KEY=VALUE lines (APP_URL, REST, RPC,
#                                 CHAIN_ID, MARKET_ID, SPRINT_MARKET_ID, ALICE, BOB,
#                                 BOB_KEY_HEX, DAVE_KEY_HEX, HOME0)
#   scripts/web-chain.sh stop
# Homes under build/web-chain/ (WEB_CHAIN_DIR); ports from WEB_CHAIN_PORT.
# WEB_CHAIN_VALIDATORS (default 1) validators; WEB_CHAIN_FAULTY names a
# validator whose sidecar lies about model 2 (iris-mlp), so that the
# markets see a Verde dispute (needs at least 4 validators).
set -Eeuo pipefail
cd "$(dirname "$0")/.."
bin=${DELPHID:-build/delphid}
export DELPHID=$bin
export LOCALNET_DIR=${WEB_CHAIN_DIR:-build/web-chain}
export LOCALNET_BASE_PORT=${WEB_CHAIN_PORT:-28600}
export LOCALNET_CHAIN_ID=delphi-localnet-web
export LOCALNET_ACCOUNTS=alice,bob,carol
export LOCALNET_BENCHMARKS=iris
if [ -n "${WEB_CHAIN_FAULTY:-}" ]; then
  export LOCALNET_FAULTY=$WEB_CHAIN_FAULTY LOCALNET_FAULT_MODEL=2 LOCALNET_FAULT_LEAF=4
fi
base=$LOCALNET_BASE_PORT
rpc="tcp://127.0.0.1:$((base + 1))"
home="$LOCALNET_DIR/node0"
kr=(--home "$home" --keyring-backend test)

# tx FROM ARGS...: broadcasts and waits until the transaction is committed with code 0.
tx() {
  local from=$1 out hash
  shift
  out=$("$bin" "$@" --from "$from" --chain-id "$LOCALNET_CHAIN_ID" --node "$rpc" --yes --output json \
    --gas 2000000 "${kr[@]}")
  hash=$(sed -n 's/.*"txhash":"\([0-9A-F]*\)".*/\1/p' <<<"$out")
  grep -q '"code":0' <<<"$out" || { echo "tx $* refused: $out" >&2; return 1; }
  for _ in $(seq 1 60); do
    if res=$("$bin" q tx "$hash" --node "$rpc" --output json 2>/dev/null); then
      grep -q '"code":0' <<<"$res" && return 0
      echo "tx $* failed: $res" >&2
      return 1
    fi
    sleep 0.3
  done
  echo "tx $* was never committed" >&2
  return 1
}

start() {
  bash scripts/localnet.sh start "${WEB_CHAIN_VALIDATORS:-1}" >/dev/null
  trap 'bash scripts/localnet.sh stop >/dev/null' ERR
  local models="$LOCALNET_DIR/models" i kind
  mkdir -p "$models"
  for i in 0 1; do
    kind=$([ "$i" = 0 ] && echo logreg || echo mlp)
    "$bin" model train --type "$kind" --dataset iris --epochs 60 --batch-size 8 --lr 0.05 \
      --out "$models/$kind.onnx" --record "$models/$kind.json" >/dev/null 2>&1
    sha=$(sed -n 's/.*"model_sha256": *"\([0-9a-f]*\)".*/\1/p' "$models/$kind.json")
    root=$(sed -n 's/.*"weights_root": *"\([0-9a-f]*\)".*/\1/p' "$models/$kind.json")
    step=$(sed -n 's/.*"referee_step_bytes": *\([0-9]*\).*/\1/p' "$models/$kind.json")
    flops=$(sed -n 's/.*"referee_step_flops": *\([0-9]*\).*/\1/p' "$models/$kind.json")
    tx alice tx evaluation register-model "iris-$kind" "$sha" "$root" "file://$PWD/$models/$kind.onnx" --format onnx \
      --referee-step-bytes "$step" --referee-step-flops "$flops"
  done
  tx alice tx vault create-vault "iris makers" uusdc 50000000 --category 1 --rule manager --min-fee-bps 50
  tx bob tx vault deposit 1 40000000
  # Market 1 trades through the whole browser test: its first round is drawn
  # 600 blocks out (a market stops trading at each draw until the round's
  # results are final, here plus 2 blocks). Market 2 runs its rounds now.
  tx alice tx market create-market "iris: logreg or mlp?" uusdc 10000000 --fee-bps 100 --vault-id 1 --reopen-blocks 2 \
    --spec '{"benchmark_id":1,"model_ids":[1,2],"rounds":3,"items_per_round":25,"blocks_between_rounds":20,"start_delay":600,"deadline_blocks":300}'
  tx carol tx market buy-for 1 0 1500000 0
  # A short market that settles within a minute, where bob holds both models.
  tx alice tx market create-market "iris sprint" uusdc 5000000 --fee-bps 100 \
    --spec '{"benchmark_id":1,"model_ids":[1,2],"rounds":2,"items_per_round":20,"blocks_between_rounds":3,"start_delay":12,"deadline_blocks":60}'
  tx bob tx market buy-for 2 0 1000000 0
  tx bob tx market buy-for 2 1 1000000 0
  # dave holds one USDC: enough to quote, not to trade.
  "$bin" keys add dave "${kr[@]}" >/dev/null 2>&1
  tx alice tx bank send alice "$("$bin" keys show dave -a "${kr[@]}")" 1000000uusdc
  echo "APP_URL=http://127.0.0.1:$((base + 4))/app/"
  echo "REST=http://127.0.0.1:$((base + 4))"
  echo "RPC=http://127.0.0.1:$((base + 1))"
  echo "CHAIN_ID=$LOCALNET_CHAIN_ID"
  echo "MARKET_ID=1"
  echo "SPRINT_MARKET_ID=2"
  echo "ALICE=$("$bin" keys show alice -a "${kr[@]}")"
  echo "BOB=$("$bin" keys show bob -a "${kr[@]}")"
  for k in bob dave; do
    key=$("$bin" keys export "$k" --unarmored-hex --unsafe --yes "${kr[@]}" 2>/dev/null | tail -1)
    [[ $key =~ ^[0-9a-f]{64}$ ]] || { echo "keys export $k gave no private key" >&2; return 1; }
    echo "${k^^}_KEY_HEX=$key"
  done
  echo "HOME0=$home"
}

case "${1:-}" in
  start) start ;;
  stop) bash scripts/localnet.sh stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
