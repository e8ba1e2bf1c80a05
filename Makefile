# Delphi — build, test and run. `make help` lists the targets.
SHELL := bash
GO ?= go
BUILD_DIR ?= build
GOBIN ?= $(shell $(GO) env GOPATH)/bin

VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
COMMIT  ?= $(shell git rev-parse HEAD 2>/dev/null)
SDKVER  := github.com/cosmos/cosmos-sdk/version
LDFLAGS := -X $(SDKVER).Name=delphi -X $(SDKVER).AppName=delphid \
           -X $(SDKVER).Version=$(VERSION) -X $(SDKVER).Commit=$(COMMIT)

.PHONY: help build install test data crossarch test-short test-e2e test-web sim web-build lint bench demo demo-lm \
        proto-tools proto-deps proto-gen proto-check proto-lint \
        localnet-start localnet-stop cuda-ptx cuda-check clean

help:
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | column -t -s "$$(printf '\t')"

build: ## build delphid into build/
	$(GO) build -ldflags '$(LDFLAGS)' -o $(BUILD_DIR)/delphid ./cmd/delphid

install: ## install delphid into GOBIN
	$(GO) install -ldflags '$(LDFLAGS)' ./cmd/delphid

test: data ## unit, keeper, in-process network, CLI and cross-architecture determinism tests
	$(GO) test -count=1 -timeout 20m ./...
	bash scripts/crossarch.sh

data: ## fetch the benchmark data and models (Debian packages, Go modules), hash-checked on use
	sh scripts/fetch-data.sh

crossarch: ## evaluations and training give identical bytes on amd64 v1, v3 and arm64 (qemu), at every vector kernel level
	bash scripts/crossarch.sh

test-short: ## the tests that start no node
	$(GO) test -count=1 -short ./...

test-e2e: build ## tests against a multi-process localnet
	DELPHID=$(CURDIR)/$(BUILD_DIR)/delphid $(GO) test -count=1 -tags e2e -timeout 20m ./tests/e2e/...

sim: ## the SDK simulator on every module for 500 blocks (>= 10,000 transactions), invariants every block, export/import at the end
	DELPHI_SIM=1 $(GO) test -count=1 -timeout 20m -run '^TestSimulatorLong$$' ./app/

test-web: build ## web app: Vitest, the committed web/dist is fresh, Playwright in Chromium against a local chain
	bash scripts/web-e2e.sh

web-build: ## rebuild the web app into web/dist (committed, embedded in delphid at /app/)
	cd web && npm ci --no-audit --no-fund --loglevel=error && npm run build

lint: ## gofmt, go vet and buf lint
	@out=$$(git ls-files '*.go' | grep -v '\.pb\(\.gw\)\?\.go$$' | grep -v '\.pulsar\.go$$' | xargs gofmt -l); \
	  if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	@# api/ is generated (pulsar output trips vet's unreachable-code check).
	$(GO) vet $$($(GO) list ./... | grep -v '/api/')
	$(GO) vet -tags e2e ./tests/...
	$(MAKE) proto-lint

bench: build data ## every figure of BENCHMARKS.md, measured on this machine (about 25 minutes)
	DELPHID=$(CURDIR)/$(BUILD_DIR)/delphid bash scripts/bench.sh

demo: build data ## the quick-start demo: a localnet, real models, a live market, a dispute, settlement
	DELPHID=$(BUILD_DIR)/delphid bash scripts/demo.sh

demo-lm: build data ## the demo on a language-model market: five KJV-trained entries (GGUF f32 and Q8_0, ONNX, a system prompt) on kjv-next
	DEMO_MARKET=lm DELPHID=$(BUILD_DIR)/delphid bash scripts/demo.sh

localnet-start: build ## start N validators (default 4) as processes on 127.0.0.1
	DELPHID=$(BUILD_DIR)/delphid bash scripts/localnet.sh start $(N)

localnet-stop: ## stop the localnet by pid
	bash scripts/localnet.sh stop

proto-tools: ## install buf and the protoc plugins
	bash scripts/proto-tools.sh

proto-deps: ## copy upstream .proto files from the Go module cache
	bash scripts/proto-deps.sh

proto-gen: ## regenerate all protobuf code (committed)
	bash scripts/proto-gen.sh

proto-check: ## fail if committed generated code differs from a fresh generation
	bash scripts/proto-check.sh

proto-lint: ## buf lint
	PATH="$(GOBIN):$$PATH" buf lint

cuda-ptx: ## compile cuda/kernels/*.cu to the embedded cuda/ptx/*.ptx (needs nvcc: scripts/cuda-setup.sh)
	bash scripts/cuda-ptx.sh

cuda-check: ## install Debian's CUDA toolkit; check the committed PTX, the kernels on the host, -tags cuda vet/build (no GPU needed)
	bash scripts/cuda-check.sh

clean:
	rm -rf $(BUILD_DIR)
