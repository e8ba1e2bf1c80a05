#!/usr/bin/env bash
# Regenerates all protobuf code into a temporary tree and fails if it differs
# from what is committed.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
bash scripts/proto-gen.sh "$tmp"
status=0
while IFS= read -r -d '' f; do
  rel=${f#"$tmp"/}
  if ! cmp -s "$f" "$rel"; then
    echo "differs from a fresh generation: $rel"
    status=1
  fi
done < <(find "$tmp" -type f -print0)
# Generated files that no longer have a source.
while IFS= read -r rel; do
  [ -e "$tmp/$rel" ] || { echo "stale generated file: $rel"; status=1; }
done < <(git ls-files '*.pb.go' '*.pb.gw.go' '*.pulsar.go' '*_grpc.pb.go' 'api/openapi/*.json' 'web/src/gen/*' | grep -v '^runtime/compare/')
[ $status = 0 ] && echo "generated code is up to date"
exit $status
