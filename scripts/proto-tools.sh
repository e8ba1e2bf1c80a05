#!/usr/bin/env bash
# Installs buf and the protoc plugins the proto pipeline uses, at fixed
# versions, into GOBIN. Skips what is already there at that version.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(go env GOPATH)/bin
have() { [ -x "$bin/$1" ]; }
have buf || go install github.com/bufbuild/buf/cmd/buf@v1.75.0
have protoc-gen-gocosmos || go install github.com/cosmos/gogoproto/protoc-gen-gocosmos@v1.7.2
have protoc-gen-grpc-gateway || go install github.com/grpc-ecosystem/grpc-gateway/v2/protoc-gen-grpc-gateway@v2.33.0
have protoc-gen-openapi || go install github.com/google/gnostic/cmd/protoc-gen-openapi@v0.7.1
have protoc-gen-go-grpc || go install google.golang.org/grpc/cmd/protoc-gen-go-grpc@v1.6.2
have protoc-gen-go || go install google.golang.org/protobuf/cmd/protoc-gen-go@v1.36.12
# The proxy refuses protoc-gen-go-pulsar with an explicit version; this module
# requires cosmos-proto, so the unversioned install resolves to go.mod's.
have protoc-gen-go-pulsar || go install github.com/cosmos/cosmos-proto/cmd/protoc-gen-go-pulsar
echo "proto tools in $bin"
