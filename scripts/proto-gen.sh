#!/usr/bin/env bash
# Generates all protobuf code into OUT (default: the repository itself):
#   gogo types and servers beside the Go code that uses them (go_package),
#   protoreflect types, gRPC clients and grpc-gateway v2 handlers under api/,
#   the OpenAPI 3 document at api/openapi/delphi.openapi.json, and
#   google.golang.org/protobuf types for our ONNX subset in runtime/onnxpb,
#   and the web app's TypeScript client (protoc-gen-es) in web/src/gen.
# `make proto-check` runs it into a temporary tree and compares.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
out=${1:-$root}
module=github.com/delphi-network/delphi
export PATH="$(go env GOPATH)/bin:$PATH"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp buf.yaml buf.gen.gogo.yaml buf.gen.api.yaml buf.gen.onnx.yaml buf.gen.web.yaml "$work/"
cp -r proto third_party "$work/"
cd "$work"

buf generate --template buf.gen.gogo.yaml --path proto/delphi
buf generate --template buf.gen.api.yaml --path proto/delphi
buf generate --template buf.gen.onnx.yaml --path proto/onnx
# The web client: the plugin is web's pinned npm package.
es="$root/web/node_modules/.bin/protoc-gen-es"
[ -x "$es" ] || { echo "protoc-gen-es is missing: run npm ci in web/ first" >&2; exit 1; }
mkdir -p web/node_modules/.bin && ln -s "$es" web/node_modules/.bin/protoc-gen-es
buf generate --template buf.gen.web.yaml $(for f in proto/delphi/*/v1/tx.proto; do printf -- '--path %s ' "$f"; done)

# gogo output lands under its go_package path; move it into the repo layout.
if [ -d ".gen/gogo/$module" ]; then
  (cd ".gen/gogo/$module" && find . -name '*.go' -print0 | while IFS= read -r -d '' f; do
    mkdir -p "$out/$(dirname "$f")"; cp "$f" "$out/$f"; done)
fi
# api output is already source-relative to proto/.
(cd .gen/api && find . -name '*.go' -print0 | while IFS= read -r -d '' f; do
  mkdir -p "$out/api/$(dirname "$f")"; cp "$f" "$out/api/$f"; done)
# onnx output is module-relative already (runtime/onnxpb).
(cd .gen/onnx && find . -name '*.go' -print0 | while IFS= read -r -d '' f; do
  mkdir -p "$out/$(dirname "$f")"; cp "$f" "$out/$f"; done)
rm -rf "$out/web/src/gen" && mkdir -p "$out/web/src/gen" && cp -r .gen/web/. "$out/web/src/gen/"
mkdir -p "$out/api/openapi"
(cd "$root" && go run ./api/openapi/finish "$work/.gen/openapi/openapi.yaml" "$out/api/openapi/delphi.openapi.json")
