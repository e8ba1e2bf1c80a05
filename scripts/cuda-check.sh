#!/usr/bin/env bash
# cuda-check.sh: the CUDA backend's checks for a machine without a GPU.
#  1. install Debian's CUDA toolkit (scripts/cuda-setup.sh, idempotent);
#  2. recompile every kernel to PTX in a temporary directory and require the
#     committed cuda/ptx/*.ptx to be identical (same nvcc, same flags), and
#     the PTX to contain no fused or approximate float arithmetic;
#  3. the untagged tests of ./cuda/ (PTX contents, detmath constants, the
#     packed launches emulated, the kernel sources run on the host with g++);
#  4. go vet and go build with -tags cuda (cgo against nvidia-cuda-dev), and
#     compile, without running, the cuda-tagged test binary: gorgonia.org/cu
#     exits at init on a machine without a GPU.
set -euo pipefail
cd "$(dirname "$0")/.."
step() { printf '=== cuda-check: %s (%s)\n' "$1" "$(date -u +%H:%M:%S)"; }

step "toolkit"
bash scripts/cuda-setup.sh

step "PTX is current"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
bash scripts/cuda-ptx.sh "$tmp"
for f in "$tmp"/*.ptx; do
	[ -f "cuda/ptx/$(basename "$f")" ] || { echo "cuda/ptx/$(basename "$f") is missing: run make cuda-ptx"; exit 1; }
done
for f in cuda/ptx/*.ptx; do
	[ -f "$tmp/$(basename "$f")" ] || { echo "$f has no kernel source: remove it or run make cuda-ptx"; exit 1; }
	cmp -s "$f" "$tmp/$(basename "$f")" || { echo "$f differs from a fresh nvcc build: run make cuda-ptx"; diff "$f" "$tmp/$(basename "$f")" | head -20; exit 1; }
done
if grep -nE '\b(fma|mad)\.[a-z0-9.]*f(32|64)|\.ftz|\.approx|\b(add|sub|mul|div|sqrt)\.f(32|64)\b' cuda/ptx/*.ptx; then
	echo "PTX contains fused, flush-to-zero, approximate or unrounded float arithmetic"
	exit 1
fi

step "go test ./cuda/ (untagged: no GPU needed)"
go test -count=1 ./cuda/

step "go vet -tags cuda ./cuda/..."
go vet -tags cuda ./cuda/...

step "go build -tags cuda ./..."
go build -tags cuda ./...

step "cuda test binary compiles (not run: no GPU)"
go test -tags cuda -c -o /dev/null ./cuda/
step "done"
