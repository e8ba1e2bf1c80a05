#!/usr/bin/env bash
# Copies the few upstream .proto files the build imports from the Go module
# cache into third_party/proto. The buf schema registry is not reachable from
# our machines, so buf.yaml lists only local modules.
set -euo pipefail
cd "$(dirname "$0")/.."
out=third_party/proto

moddir() { go mod download -json "$1" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p'; }

gogo=$(moddir github.com/cosmos/gogoproto@v1.7.2)
cproto=$(moddir github.com/cosmos/cosmos-proto@v1.0.0-beta.5)
sdk=$(moddir github.com/cosmos/cosmos-sdk@v0.55.0)
gw=$(moddir github.com/grpc-ecosystem/grpc-gateway@v1.16.0)

copy() { # copy SRC_ROOT REL_PATH
  mkdir -p "$out/$(dirname "$2")"
  install -m 0644 "$1/$2" "$out/$2"
}

rm -rf "$out"
copy "$gogo" gogoproto/gogo.proto
copy "$cproto/proto" cosmos_proto/cosmos.proto
for f in amino/amino.proto cosmos/msg/v1/msg.proto cosmos/base/v1beta1/coin.proto \
  cosmos/base/query/v1beta1/pagination.proto; do
  copy "$sdk/proto" "$f"
done
copy "$gw/third_party/googleapis" google/api/annotations.proto
copy "$gw/third_party/googleapis" google/api/http.proto
echo "third_party/proto: $(find "$out" -name '*.proto' | wc -l) files"
