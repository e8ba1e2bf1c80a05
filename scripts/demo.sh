#!/usr/bin/env bash
# The quick-start demo: a one-validator Delphi chain on 127.0.0.1, a bank
# transfer through the CLI, heights and balances before and after, then the
# node is stopped by its pid. Later issues grow this into the full market story.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${DELPHID:-build/delphid}
dir=build/demo
base=${DEMO_BASE_PORT:-27600}
rpc="tcp://127.0.0.1:$((base + 1))"
api="http://127.0.0.1:$((base + 4))"

say() { printf '\n== %s\n' "$*"; }
q() { "$bin" "$@" --node "$rpc"; }

pid=
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill "$pid"; wait "$pid" 2>/dev/null || true
    echo "node stopped (pid $pid)"
  fi
}
trap cleanup EXIT

say "Generating a one-validator chain in $dir"
rm -rf "$dir"
"$bin" testnet init-files --output-dir "$dir" --validators 1 --base-port "$base" \
  --chain-id delphi-demo --accounts alice,bob
home="$dir/node0"
kr=(--home "$home" --keyring-backend test)

say "Starting delphid (log: $dir/node0.log)"
"$bin" start --home "$home" --log_no_color >"$dir/node0.log" 2>&1 &
pid=$!
height() { q status 2>/dev/null | sed -n 's/.*"latest_block_height":"\([0-9]*\)".*/\1/p'; }
for _ in $(seq 1 120); do
  h=$(height || true)
  [ -n "$h" ] && [ "$h" -ge 3 ] && break
  kill -0 "$pid" 2>/dev/null || { tail -20 "$dir/node0.log"; exit 1; }
  sleep 0.5
done
echo "height $(height): blocks are being committed with vote extensions on"
echo "REST: $(curl -fsS "$api/delphi/chain/v1/info")"

alice=$("$bin" keys show alice -a "${kr[@]}")
bob=$("$bin" keys show bob -a "${kr[@]}")
balances() {
  for who in alice bob; do
    addr=$([ "$who" = alice ] && echo "$alice" || echo "$bob")
    amt=$(q q bank balance "$addr" uusdc --output json | tr -d " \n" | sed -n 's/.*"amount":"\([0-9]*\)".*/\1/p')
    printf '  %-5s %s  %s uusdc\n' "$who" "$addr" "$amt"
  done
}
say "Balances at height $(height)"
balances

say "alice sends 1250000uusdc (1.25 USDC) to bob"
out=$("$bin" tx bank send "$alice" "$bob" 1250000uusdc --from alice "${kr[@]}" \
  --chain-id delphi-demo --node "$rpc" --yes --output json)
hash=$(echo "$out" | sed -n 's/.*"txhash":"\([0-9A-F]*\)".*/\1/p')
echo "tx $hash"
for _ in $(seq 1 40); do
  if res=$(q q tx "$hash" --output json 2>/dev/null | tr -d " \n"); then
    echo "included at height $(echo "$res" | sed -n 's/^{"height":"\([0-9]*\)".*/\1/p'), code $(echo "$res" | sed -n 's/.*"code":\([0-9]*\),.*/\1/p')"
    break
  fi
  sleep 0.5
done

say "Balances at height $(height)"
balances
say "Done: the chain ran, a transfer settled, and the node stops now."
