#!/bin/sh
# Cross-architecture determinism check: build runtime/internal/detcheck three
# ways (GOAMD64=v1, GOAMD64=v3 which lets Go fuse x*y+z into FMA, and
# GOARCH=arm64 run under qemu-aarch64-static), run it at every vector
# kernel level (DELPHI_KERNELS: portable Go, AVX2, AVX-512 where the CPU has
# it, NEON) and require byte-identical output (trace roots, trained model
# hashes, elementary-function and kernel digests).
# Needs: go, qemu-user-static (Debian), and the data of scripts/fetch-data.sh.
set -eu
cd "$(dirname "$0")/.."
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
command -v qemu-aarch64-static >/dev/null || { echo "crossarch: install qemu-user-static" >&2; exit 1; }

# Static half: no fused multiply-add anywhere in the runtime, whose numbers
# reach traces, scores and trained weights. arm64 fuses every x*y+z it may
# (as GOAMD64=v3 does), so its assembly shows any product not wrapped in an
# explicit conversion, including ones the runs below never reach. (Consensus
# code in x/ uses no floats at all.)
pkgs=$(go list ./runtime/...)
fused=""
for pkg in $pkgs; do
	hits=$(GOARCH=arm64 go build -o /dev/null -gcflags=-S "$pkg" 2>&1 | grep -E '^\s+0x[0-9a-f]+ [0-9]+ \(.*\)\s+F(N)?M(ADD|SUB)[SD]\b' || true)
	[ -z "$hits" ] || fused="$fused$hits
"
done
if [ -n "$fused" ]; then
	printf 'crossarch: fused multiply-add (wrap the product in float32(...) or float64(...)):\n%s' "$fused" >&2
	exit 1
fi
echo "crossarch: no fused multiply-add in the $(echo "$pkgs" | wc -l) runtime packages (arm64 assembly)"

# The assembly tiles: no fused multiply-add instruction in any runtime
# function of the amd64 (v3) and arm64 binaries, read back by disassembly
# (the arm64 tiles spell their instructions as WORDs).
GOAMD64=v3 GOARCH=amd64 go build -o "$out/detcheck-v3" ./runtime/internal/detcheck
GOARCH=arm64 go build -o "$out/detcheck-arm64" ./runtime/internal/detcheck
asmfused=$( (go tool objdump "$out/detcheck-v3"; go tool objdump "$out/detcheck-arm64") |
	grep -E '/runtime/[^ ]*\.s:' | grep -E '\s(VF(N)?M(ADD|SUB)[0-9A-Z]*|F(N)?ML[AS]|F(N)?M(ADD|SUB)[SD]?)\s' || true)
if [ -n "$asmfused" ]; then
	printf 'crossarch: fused multiply-add in the runtime assembly:\n%s\n' "$asmfused" >&2
	exit 1
fi
echo "crossarch: no fused multiply-add in the runtime assembly (amd64 and arm64 disassembly)"

GOAMD64=v1 GOARCH=amd64 go build -o "$out/detcheck-v1" ./runtime/internal/detcheck

# v1: portable Go kernels; v3: AVX2, then the best level (AVX-512 where the
# CPU has it); arm64: NEON, then portable Go.
DELPHI_KERNELS=go "$out/detcheck-v1" > "$out/v1.txt"
others="arm64-neon arm64-go"
if grep -qw avx2 /proc/cpuinfo 2>/dev/null; then
	DELPHI_KERNELS=avx2 "$out/detcheck-v3" > "$out/v3-avx2.txt"
	others="v3-avx2 $others"
	if grep -qw avx512f /proc/cpuinfo 2>/dev/null; then
		"$out/detcheck-v3" > "$out/v3-avx512.txt"
		others="v3-avx512 $others"
	else
		echo "crossarch: this CPU has no AVX-512; that level is not run here" >&2
	fi
else
	echo "crossarch: this CPU cannot run GOAMD64=v3 binaries; skipping v3" >&2
fi
qemu-aarch64-static "$out/detcheck-arm64" > "$out/arm64-neon.txt"
DELPHI_KERNELS=go qemu-aarch64-static "$out/detcheck-arm64" > "$out/arm64-go.txt"

cat "$out/v1.txt"
status=0
for other in $others; do
	if ! diff -u "$out/v1.txt" "$out/$other.txt"; then
		echo "crossarch: amd64-v1 and $other differ" >&2
		status=1
	fi
done
[ "$status" -eq 0 ] && echo "crossarch: amd64-v1 (go) and $others agree"
exit "$status"
