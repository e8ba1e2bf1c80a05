#!/bin/sh
# Cross-architecture determinism check: build runtime/internal/detcheck three
# ways (GOAMD64=v1, GOAMD64=v3 which lets Go fuse x*y+z into FMA, and
# GOARCH=arm64 run under qemu-aarch64-static) and require byte-identical
# output (trace roots, trained model hashes, elementary-function digest).
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
	hits=$(GOARCH=arm64 go build -gcflags=-S "$pkg" 2>&1 | grep -E '^\s+0x[0-9a-f]+ [0-9]+ \(.*\)\s+F(N)?M(ADD|SUB)[SD]\b' || true)
	[ -z "$hits" ] || fused="$fused$hits
"
done
if [ -n "$fused" ]; then
	printf 'crossarch: fused multiply-add (wrap the product in float32(...) or float64(...)):\n%s' "$fused" >&2
	exit 1
fi
echo "crossarch: no fused multiply-add in the $(echo "$pkgs" | wc -l) runtime packages (arm64 assembly)"

GOAMD64=v1 GOARCH=amd64 go build -o "$out/detcheck-v1" ./runtime/internal/detcheck
GOAMD64=v3 GOARCH=amd64 go build -o "$out/detcheck-v3" ./runtime/internal/detcheck
GOARCH=arm64 go build -o "$out/detcheck-arm64" ./runtime/internal/detcheck

"$out/detcheck-v1" > "$out/v1.txt"
if grep -qw avx2 /proc/cpuinfo 2>/dev/null; then
	"$out/detcheck-v3" > "$out/v3.txt"
else
	echo "crossarch: this CPU cannot run GOAMD64=v3 binaries; skipping v3" >&2
	cp "$out/v1.txt" "$out/v3.txt"
fi
qemu-aarch64-static "$out/detcheck-arm64" > "$out/arm64.txt"

cat "$out/v1.txt"
status=0
for other in v3 arm64; do
	if ! diff -u "$out/v1.txt" "$out/$other.txt"; then
		echo "crossarch: amd64-v1 and $other differ" >&2
		status=1
	fi
done
[ "$status" -eq 0 ] && echo "crossarch: amd64-v1, amd64-v3 and arm64 agree"
exit "$status"
